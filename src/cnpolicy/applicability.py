"""Which obligations a profile has on a day, and why; and what changed between two days."""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable, Mapping

import attrs

from cnpolicy.dates import PartialDate
from cnpolicy.logic import Explanation, Verdict, evaluate, undecided_facts, verdict_and
from cnpolicy.model import Modality, Obligation, Regulation, Source
from cnpolicy.profile import Profile

__all__ = ["Applicability", "Changes", "Citation", "applicability", "changes_for", "obligation_in_force", "obligations_for"]


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
    urls: tuple[str, ...]

    def __str__(self) -> str:
        title = self.regulation_title + (f" ({self.regulation_title_zh})" if self.regulation_title_zh else "")
        return f"{title}, {_articles(self.articles)}"


def _articles(articles: tuple[str, ...]) -> str:
    if not articles:
        return "no article given"
    return ("art. " if len(articles) == 1 else "arts. ") + ", ".join(articles)


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
        o = self.obligation
        modality = {Modality.MUST: "must", Modality.MUST_NOT: "must not", Modality.MAY: "may"}[o.modality]
        word = {Verdict.APPLIES: "APPLIES", Verdict.DOES_NOT_APPLY: "DOES NOT APPLY", Verdict.UNDETERMINED: "MAY APPLY"}
        lines = [
            f"{o.id}: {word[self.verdict]} on {self.on.isoformat()}",
            f"  {self.citation}",
            f"  Duty: {o.duty_bearer} {modality} {_clause(o.action)}.",
        ]
        if o.deadline is not None:
            lines.append(f"  Deadline: {o.deadline}.")
        in_force = {True: "in force", False: "not in force", None: "possibly in force (dates known only in part)"}
        lines.append(f"  Time: {in_force[self.in_force]} that day ({_period_words(self.regulation, o)}).")
        if o.applies_if is None:
            lines.append("  Condition: none; it applies to every duty bearer named.")
        else:
            lines.append("  Condition:")
            lines.append(self.explanation.render("    "))
        if self.missing_facts:
            lines.append(f"  Would be decided by: {', '.join(sorted(self.missing_facts))}.")
        if o.penalty is not None and (o.penalty.fines or o.penalty.sanctions):
            lines.append(f"  Penalty ({_articles(o.penalty.articles)}): {_penalty_words(o)}.")
        if self.citation.urls:
            shown = self.citation.urls[:_SOURCES_SHOWN]
            more = len(self.citation.urls) - len(shown)
            lines.append(f"  Sources: {'; '.join(shown)}" + (f" (and {more} more in .citation.urls)" if more else ""))
        return "\n".join(lines)


def _clause(action: str) -> str:
    """An action as the rest of a sentence: "Pass the review." -> "pass the review" (acronyms kept)."""
    text = action.strip().rstrip(".")
    return text[0].lower() + text[1:] if text[:1].isupper() and text[1:2].islower() else text


#: How many source URLs `Applicability.explain` prints (the obligation's own sources come first).
_SOURCES_SHOWN = 3


def _period_words(regulation: Regulation, obligation: Obligation) -> str:
    words = [f"effective {regulation.start}" if regulation.start else "effective date unknown"]
    if regulation.repealed:
        words.append(f"repealed {regulation.repealed}")
    if obligation.valid is not None:
        if obligation.valid.from_:
            words.append(f"this duty from {obligation.valid.from_}")
        if obligation.valid.until:
            words.append(f"until {obligation.valid.until}")
    if obligation.introduced_by:
        words.append(f"introduced by the {obligation.introduced_by} amendment")
    return ", ".join(words)


def _penalty_words(obligation: Obligation) -> str:
    assert obligation.penalty is not None
    parts = []
    for fine in obligation.penalty.fines:
        who = "the entity" if fine.target.value == "entity" else "the responsible person"
        if fine.min is not None or fine.max is not None:
            low = f"{fine.min:,}" if fine.min is not None else ""
            high = f"{fine.max:,}" if fine.max is not None else ""
            parts.append(
                f"{who}: {low}{' to ' if low and high else ('up to ' if high else '')}{high} {fine.currency}".replace(":  ", ": ")
            )
        if fine.turnover_share_max is not None:
            parts.append(f"{who}: up to {fine.turnover_share_max:.0%} of the previous year's turnover")
    parts.extend(obligation.penalty.sanctions)
    return "; ".join(parts)


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
    sources: Mapping[str, Source],
    *,
    explanation: Explanation | None = None,
    in_force: bool | _Unset | None = _UNSET,
    citation: Citation | None = None,
    missing: frozenset[str] | None = None,
) -> Applicability:
    """The verdict for one obligation on one day: its condition (three-valued) and its time in force, combined.

    ``explanation`` (with its ``missing`` facts), ``in_force`` and ``citation`` may pass in what the
    caller already computed for the same obligation, profile and day.
    """
    facts = profile if isinstance(profile, Profile) else Profile(facts=profile)
    if explanation is None:
        explanation = evaluate(obligation.applies_if, facts)
    if isinstance(in_force, _Unset):
        in_force = obligation_in_force(obligation, regulation, on)
    verdict = verdict_and(explanation.verdict, Verdict.of(in_force))
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
        citation=citation or cite(obligation, regulation, sources),
    )


def cite(obligation: Obligation, regulation: Regulation, sources: Mapping[str, Source]) -> Citation:
    """Where the obligation is written: instrument, articles, and the URLs of its and the instrument's sources."""
    urls = tuple(dict.fromkeys(url for sid in (*obligation.sources, *regulation.sources) if (url := _url(sources, sid))))
    return Citation(
        regulation_id=regulation.id,
        regulation_title=regulation.title.en,
        regulation_title_zh=regulation.title.zh,
        articles=obligation.articles,
        urls=urls,
    )


def _url(sources: Mapping[str, Source], source_id: str) -> str | None:
    source = sources.get(source_id)
    return None if source is None else source.url


_ORDER = {Verdict.APPLIES: 0, Verdict.UNDETERMINED: 1, Verdict.DOES_NOT_APPLY: 2}


def article_key(article: str) -> tuple[int, str]:
    """Sort key putting article '9' before '10'."""
    match = re.match(r"\d+", article)
    return (int(match.group()) if match else 10**9, article)


def place_key(obligation: Obligation, regulation: Regulation) -> tuple[object, ...]:
    """An obligation's place within one verdict: by instrument start date, instrument id, article, id."""
    start = regulation.start or PartialDate(9999)
    first_article = obligation.articles[0] if obligation.articles else ""
    return (start, regulation.id, article_key(first_article), obligation.id)


def verdict_rank(verdict: Verdict) -> int:
    """Applying first, then may apply, then does not apply."""
    return _ORDER[verdict]


def sort_key(item: Applicability) -> tuple[object, ...]:
    """Applying first, then may apply, then not; within each by `place_key`."""
    return (_ORDER[item.verdict], *place_key(item.obligation, item.regulation))


def obligations_for(
    regulations: Iterable[Regulation],
    sources: Mapping[str, Source],
    profile: Profile,
    on: dt.date,
    *,
    include_not_applicable: bool = False,
) -> list[Applicability]:
    """Every obligation in force (or possibly in force) on the day that applies or may apply to the profile.

    Obligations surely not in force are left out; so are those that surely do not apply, unless
    ``include_not_applicable``.
    """
    results = []
    for regulation in regulations:
        if regulation.in_force(on) is False:
            continue
        for obligation in regulation.obligations:
            item = applicability(obligation, regulation, profile, on, sources)
            if item.in_force is False:
                continue
            if item.verdict is Verdict.DOES_NOT_APPLY and not include_not_applicable:
                continue
            results.append(item)
    results.sort(key=sort_key)
    return results


@attrs.frozen(kw_only=True)
class Changes:
    """Obligations gained, lost and changed in verdict between two days."""

    start: dt.date
    end: dt.date
    gained: tuple[Applicability, ...]
    lost: tuple[Applicability, ...]
    changed: tuple[tuple[Applicability, Applicability], ...]

    def __bool__(self) -> bool:
        return bool(self.gained or self.lost or self.changed)


def changes_for(
    regulations: Iterable[Regulation], sources: Mapping[str, Source], profile: Profile, start: dt.date, end: dt.date
) -> Changes:
    """What applies (or may apply) on ``end`` but not on ``start`` (gained), the reverse (lost), and verdict changes."""
    regs = list(regulations)
    before = {a.obligation.id: a for a in obligations_for(regs, sources, profile, start)}
    after = {a.obligation.id: a for a in obligations_for(regs, sources, profile, end)}
    return Changes(
        start=start,
        end=end,
        gained=tuple(a for key, a in after.items() if key not in before),
        lost=tuple(a for key, a in before.items() if key not in after),
        changed=tuple((before[key], a) for key, a in after.items() if key in before and before[key].verdict is not a.verdict),
    )
