"""The obligation engine: which obligations a profile has on a day, and why; and what changed between two days.

`ObligationIndex` is built once per dataset so that a query skips work that cannot matter:
obligations are kept in order of the earliest day they could take effect, so a day's candidates
are a prefix found by bisection; conditions are numbered once, so an obligation sharing a
condition with another costs no second evaluation; and conditions that require a yes/no fact are
listed under it, so a profile stating that fact false rules them out without evaluating them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import re
from collections.abc import Iterable, Mapping

import attrs

from cnpolicy.dates import PartialDate
from cnpolicy.errors import ProfileError
from cnpolicy.logic import Explanation, Verdict, evaluate, undecided_facts, verdict_and
from cnpolicy.model import AllOf, Condition, Fact, FactSpec, FactType, Obligation, Regulation, Source, Tier
from cnpolicy.model.tiers import tier_of_url
from cnpolicy.profile import Profile

__all__ = [
    "Applicability",
    "Change",
    "Changes",
    "Citation",
    "ObligationIndex",
    "Question",
    "applicability",
    "changes_for",
    "cite",
    "deciding_facts",
    "obligation_in_force",
    "questions",
]


class _Unset(enum.Enum):
    UNSET = "unset"


_UNSET = _Unset.UNSET


@attrs.frozen(kw_only=True)
class Citation:
    """Where an obligation is written: the instrument, its articles and the sources' URLs."""

    regulation_id: str
    regulation_title: str
    regulation_title_zh: str | None
    articles: tuple[str, ...]
    #: the URLs of the obligation's and the instrument's sources, best tier first
    urls: tuple[str, ...]
    #: the tier of each URL (official, reputable, copy)
    tiers: tuple[Tier, ...] = ()

    def __str__(self) -> str:
        title = self.regulation_title + (f" ({self.regulation_title_zh})" if self.regulation_title_zh else "")
        from cnpolicy.render import articles_words

        return f"{title}, {articles_words(self.articles)}"


@attrs.frozen(kw_only=True)
class Applicability:
    """The answer for one obligation: the verdict, why, what would decide it, and where it is written."""

    obligation: Obligation = attrs.field(repr=lambda o: o.id)
    regulation: Regulation = attrs.field(repr=lambda r: r.id)
    on: dt.date
    verdict: Verdict
    in_force: bool | None
    explanation: Explanation = attrs.field(repr=False)
    missing_facts: frozenset[str]
    citation: Citation

    def explain(self) -> str:
        """A plain-text explanation a lawyer can read, naming the articles."""
        from cnpolicy.render import explanation_text

        return explanation_text(self)


def obligation_in_force(
    obligation: Obligation, regulation: Regulation, on: dt.date, *, regulation_in_force: bool | _Unset | None = _UNSET
) -> bool | None:
    """Whether the obligation is in force on the day: its regulation, the amendment that introduced it and its own validity.

    None when partial dates cannot tell (e.g. effective '2014-05' asked about 2014-05-10).
    ``regulation_in_force`` may pass in ``regulation.in_force(on)`` when the caller has it.
    """
    if isinstance(regulation_in_force, _Unset):
        regulation_in_force = regulation.in_force(on)
    if obligation.introduced_by is None and obligation.valid is None:
        return regulation_in_force
    checks = [regulation_in_force]
    if obligation.introduced_by is not None:
        amendment = regulation.amendment(obligation.introduced_by)
        start = amendment.effective or amendment.promulgated or amendment.adopted
        checks.append(None if start is None else start.on_or_before(on))
    if obligation.valid is not None:
        checks.append(obligation.valid.contains(on))
    verdict = verdict_and(*map(Verdict.of, checks))
    return None if verdict is Verdict.UNDETERMINED else verdict is Verdict.APPLIES


def applicability(
    obligation: Obligation,
    regulation: Regulation,
    profile: Mapping[str, object],
    on: dt.date,
    citation: Citation,
    *,
    explanation: Explanation | None = None,
    in_force: bool | _Unset | None = _UNSET,
    missing: frozenset[str] | None = None,
) -> Applicability:
    """The verdict for one obligation on one day: its condition (three-valued) and its time in force, combined.

    ``explanation`` (with its ``missing`` facts) and ``in_force`` may pass in what the caller
    already computed for the same obligation, profile and day.
    """
    facts = profile if isinstance(profile, Profile) else Profile(facts=profile)
    if explanation is None:
        explanation = evaluate(obligation.applies_if, facts)
    if isinstance(in_force, _Unset):
        in_force = obligation_in_force(obligation, regulation, on)
    verdict = verdict_and(explanation.verdict, Verdict.of(in_force))
    if verdict is Verdict.APPLIES and not obligation.condition_complete:
        verdict = Verdict.UNDETERMINED  # the article limits its scope in ways the condition cannot say
    return Applicability(
        obligation=obligation,
        regulation=regulation,
        on=on,
        verdict=verdict,
        in_force=in_force,
        explanation=explanation,
        missing_facts=frozenset()
        if verdict is not Verdict.UNDETERMINED
        else (undecided_facts(explanation) if missing is None else missing),
        citation=citation,
    )


def cite(obligation: Obligation, regulation: Regulation, sources: Mapping[str, Source]) -> Citation:
    """Where the obligation is written: instrument, articles, and its and the instrument's source URLs, best tier first."""
    return _Ranking(sources).cite(obligation, regulation)


_Cited = tuple[tuple[str, ...], tuple[str, ...]]  # an obligation's sources, then its instrument's
_Ranked = tuple[tuple[str, ...], tuple[Tier, ...]]  # URLs best tier first, and their tiers


@attrs.frozen
class _Ranking:
    """Each source's URL and tier, and each set of sources' ranked URLs, kept between citations
    (an index cites many obligations, and the obligations of one instrument often share sources)."""

    sources: Mapping[str, Source]
    urls: dict[str, tuple[str, Tier] | None] = attrs.field(factory=dict)
    ranked: dict[_Cited, _Ranked] = attrs.field(factory=dict)

    def cite(self, obligation: Obligation, regulation: Regulation) -> Citation:
        """See `cite`."""
        cited = (obligation.sources, regulation.sources)
        ranked = self.ranked.get(cited)
        if ranked is None:
            ranked = self.ranked[cited] = self._rank(dict.fromkeys((*obligation.sources, *regulation.sources)))
        urls, tiers = ranked
        return Citation(
            regulation_id=regulation.id,
            regulation_title=regulation.title.en,
            regulation_title_zh=regulation.title.zh,
            articles=obligation.articles,
            urls=urls,
            tiers=tiers,
        )

    def _rank(self, cited: Iterable[str]) -> _Ranked:
        """The URLs of the sources ``cited`` (in that order within a tier), best tier first, with their tiers."""
        found = [pair for pair in map(self._url, cited) if pair is not None]
        found.sort(key=lambda pair: pair[1].rank)  # stable: the obligation's own first within a tier
        urls = tuple(dict.fromkeys(url for url, _ in found))
        tiers = dict(found)
        return urls, tuple(tiers[url] for url in urls)

    def _url(self, sid: str) -> tuple[str, Tier] | None:
        """A source's URL and tier (as `Source.tier`), or None without a URL; a bundled source is read, not built."""
        if sid not in self.urls:
            from cnpolicy._snapshot import attribute

            url = attribute(self.sources, sid, "url") if sid in self.sources else None
            self.urls[sid] = None if not url else (url, tier_of_url(url, copy=attribute(self.sources, sid, "copy")))
        return self.urls[sid]


_ORDER = {Verdict.APPLIES: 0, Verdict.UNDETERMINED: 1, Verdict.DOES_NOT_APPLY: 2}


def article_key(article: str) -> tuple[int, str]:
    """Sort key putting article '9' before '10'."""
    match = re.match(r"\d{1,9}", article)  # at most nine digits: no article number is longer, and int() stays cheap
    return (int(match.group()) if match else 10**9, article)


def place_key(obligation: Obligation, regulation: Regulation) -> tuple[object, ...]:
    """An obligation's place within one verdict: by instrument start date, instrument id, article, id."""
    start = regulation.start or PartialDate(9999)
    first_article = obligation.articles[0] if obligation.articles else ""
    return (start, regulation.id, article_key(first_article), obligation.id)


def verdict_rank(verdict: Verdict) -> int:
    """Applying first, then may apply, then does not apply."""
    return _ORDER[verdict]


@attrs.frozen(kw_only=True)
class Change:
    """One duty on both days: the same obligation with another verdict, or an obligation and the one continuing it."""

    before: Applicability
    after: Applicability
    #: what differs: ``verdict``, ``instrument``, ``articles``, ``action``, ``condition``, ``penalty``, ``deadline``
    what: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Changes:
    """Obligations gained, lost and changed between two days."""

    start: dt.date
    end: dt.date
    gained: tuple[Applicability, ...]
    lost: tuple[Applicability, ...]
    changed: tuple[Change, ...]

    def __bool__(self) -> bool:
        return bool(self.gained or self.lost or self.changed)


def _required_facts(condition: Condition | None) -> set[str]:
    """Yes/no facts that must be true for the condition to hold (top-level conjuncts only)."""
    if isinstance(condition, Fact):
        return {condition.fact}
    if isinstance(condition, AllOf):
        return set().union(*(_required_facts(part) for part in condition.parts)) if condition.parts else set()
    return set()


@attrs.frozen(kw_only=True)
class _Entry:
    earliest: dt.date
    obligation: Obligation
    regulation: Regulation
    slot: int
    rank: int  # place in the order of `place_key`


@attrs.frozen(kw_only=True)
class ObligationIndex:
    """Obligations by earliest possible start, with numbered conditions and the yes/no facts each
    requires; each obligation is cited the first time an answer includes it."""

    entries: tuple[_Entry, ...]
    starts: tuple[dt.date, ...]
    conditions: tuple[Condition | None, ...]
    required: Mapping[str, frozenset[int]]
    ranking: _Ranking = attrs.field(repr=False, eq=False)
    #: the citations made so far, by obligation id
    cited: dict[str, Citation] = attrs.field(factory=dict, repr=False, eq=False)

    def citation(self, entry: _Entry) -> Citation:
        """Where the entry's obligation is written (see `cite`), made once."""
        found = self.cited.get(entry.obligation.id)
        if found is None:
            found = self.cited[entry.obligation.id] = self.ranking.cite(entry.obligation, entry.regulation)
        return found

    @classmethod
    def build(cls, regulations: Iterable[Regulation], sources: Mapping[str, Source]) -> ObligationIndex:
        """Index every obligation of ``regulations``."""
        slots: dict[Condition | None, int] = {}
        pairs = sorted(((o, r) for r in regulations for o in r.obligations), key=lambda pair: place_key(*pair))
        entries = []
        for rank, (obligation, regulation) in enumerate(pairs):
            start = regulation.start
            entries.append(
                _Entry(
                    earliest=dt.date.min if start is None else start.earliest,
                    obligation=obligation,
                    regulation=regulation,
                    slot=slots.setdefault(obligation.applies_if, len(slots)),
                    rank=rank,
                )
            )
        entries.sort(key=lambda e: e.earliest)  # stable: equal starts keep their rank order
        required: dict[str, set[int]] = {}
        for condition, slot in slots.items():
            for fact in _required_facts(condition):
                required.setdefault(fact, set()).add(slot)
        return cls(
            entries=tuple(entries),
            starts=tuple(e.earliest for e in entries),
            conditions=tuple(slots),
            required={fact: frozenset(found) for fact, found in required.items()},
            ranking=_Ranking(sources),
        )

    def obligations_for(
        self, profile: Profile, on: dt.date, *, include_not_applicable: bool = False, only: set[str] | None = None
    ) -> list[Applicability]:
        """Every obligation in force (or possibly in force) on the day that applies or may apply to the profile.

        Sorted: applying first, then may apply, then (with ``include_not_applicable``) not; within
        each by `place_key`. Obligations surely not in force are left out; so are those that surely do
        not apply, unless ``include_not_applicable``; with ``only``, all but those ids.
        """
        ruled_out: set[int] = set()
        for fact, value in profile.items():
            if value is False and fact in self.required:
                ruled_out |= self.required[fact]
        explained: dict[int, tuple[Explanation, frozenset[str]]] = {}
        regulation_in_force: dict[str, bool | None] = {}
        results: list[tuple[int, int, Applicability]] = []
        for entry in self.entries[: bisect.bisect_right(self.starts, on)]:
            obligation, regulation = entry.obligation, entry.regulation
            if only is not None and obligation.id not in only:
                continue
            repealed = regulation.repealed
            if repealed is not None and repealed.latest <= on:
                continue
            if entry.slot in ruled_out and not include_not_applicable:
                continue
            known = explained.get(entry.slot)
            if known is None:
                evaluated = evaluate(self.conditions[entry.slot], profile)
                known = explained[entry.slot] = (evaluated, undecided_facts(evaluated))
            explanation, missing = known
            if explanation.verdict is Verdict.DOES_NOT_APPLY and not include_not_applicable:
                continue
            if regulation.id not in regulation_in_force:
                regulation_in_force[regulation.id] = regulation.in_force(on)
            in_force = obligation_in_force(obligation, regulation, on, regulation_in_force=regulation_in_force[regulation.id])
            if in_force is False:
                continue
            item = applicability(
                obligation,
                regulation,
                profile,
                on,
                self.citation(entry),
                explanation=explanation,
                in_force=in_force,
                missing=missing,
            )
            results.append((verdict_rank(item.verdict), entry.rank, item))
        results.sort(key=lambda row: row[:2])
        return [item for _, _, item in results]


def _differences(before: Applicability, after: Applicability) -> tuple[str, ...]:
    old, new = before.obligation, after.obligation
    fields = (
        ("verdict", before.verdict, after.verdict),
        ("instrument", old.regulation, new.regulation),
        ("articles", old.articles, new.articles),
        ("action", old.action, new.action),
        ("condition", old.applies_if, new.applies_if),
        ("penalty", old.penalty, new.penalty),
        ("deadline", old.deadline, new.deadline),
    )
    return tuple(name for name, first, second in fields if first != second)


def changes_for(
    index: ObligationIndex, profile: Profile, start: dt.date, end: dt.date, *, only: set[str] | None = None
) -> Changes:
    """What applies (or may apply) on ``end`` but not on ``start`` (gained), the reverse (lost), and what changed.

    An obligation that continues one applying on ``start`` (``continues``: renumbered, amended, moved
    to a successor instrument) is a change of that duty, not a loss and a gain.
    """
    before = {a.obligation.id: a for a in index.obligations_for(profile, start, only=only)}
    after = {a.obligation.id: a for a in index.obligations_for(profile, end, only=only)}
    continues = {e.obligation.id: e.obligation.continues for e in index.entries if e.obligation.continues}
    paired: dict[str, str] = {}  # after -> before
    for key in after:
        earlier: str | None = key
        seen = set()
        while earlier is not None and earlier not in before and earlier not in seen:
            seen.add(earlier)
            earlier = continues.get(earlier)
        if earlier in before and earlier not in paired.values():
            paired[key] = earlier
    changed = []
    for key, old in paired.items():
        what = _differences(before[old], after[key])
        if what:
            changed.append(Change(before=before[old], after=after[key], what=what))
    return Changes(
        start=start,
        end=end,
        gained=tuple(a for key, a in after.items() if key not in paired),
        lost=tuple(a for key, a in before.items() if key not in paired.values()),
        changed=tuple(changed),
    )


@attrs.frozen(kw_only=True)
class Question:
    """A fact worth asking first: how many "may apply" answers it decides, and what each answer would do."""

    fact: str
    description: str
    #: how many undecided obligations this fact could decide
    decides: int
    #: for a yes/no fact: how many of them would apply, and how many drop out, if the answer is yes (or no)
    if_yes: tuple[int, int] | None = None
    if_no: tuple[int, int] | None = None


def deciding_facts(found: Iterable[Applicability], limit: int | None = None) -> list[tuple[str, int]]:
    """The facts that would decide the most "may apply" verdicts among ``found``, with how many each
    could decide: most first, then by name (at most ``limit``). The ranking of `questions`."""
    counts: dict[str, int] = {}
    for item in found:
        if item.verdict is Verdict.UNDETERMINED:
            for fact in item.missing_facts:
                counts[fact] = counts.get(fact, 0) + 1
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]


def questions(
    index: ObligationIndex,
    facts: Mapping[str, FactSpec],
    profile: Profile,
    on: dt.date,
    *,
    only: set[str] | None = None,
    limit: int | None = None,
) -> list[Question]:
    """The unstated facts that decide the most "may apply" obligations on the day, most first (at most ``limit``).

    For a yes/no fact, ``if_yes`` and ``if_no`` say how many of those obligations the answer would
    make apply, and how many it would rule out (implied facts included).
    """
    undecided = [a for a in index.obligations_for(profile, on, only=only) if a.verdict is Verdict.UNDETERMINED]
    ids = {a.obligation.id for a in undecided}
    ranked = deciding_facts(undecided, limit)  # each answer costs two queries
    out = []
    for fact, decides in ranked:
        spec = facts.get(fact)
        answers: dict[bool, tuple[int, int] | None] = {True: None, False: None}
        if spec is not None and spec.type is FactType.BOOL:
            for value in (True, False):
                try:
                    answered = profile.with_facts({fact: value}).check(facts)
                except ProfileError:  # the profile already implies the other answer
                    continue
                found = index.obligations_for(answered, on, include_not_applicable=True, only=ids)
                verdicts = {a.obligation.id: a.verdict for a in found}
                applying = sum(1 for key in ids if verdicts.get(key) is Verdict.APPLIES)
                dropped = sum(1 for key in ids if verdicts.get(key, Verdict.DOES_NOT_APPLY) is Verdict.DOES_NOT_APPLY)
                answers[value] = (applying, dropped)
        out.append(
            Question(
                fact=fact,
                description=spec.description if spec else "",
                decides=decides,
                if_yes=answers[True],
                if_no=answers[False],
            )
        )
    return out
