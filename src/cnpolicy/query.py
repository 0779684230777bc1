"""Lookups, search, filters, timelines and relations over a dataset's records."""

from __future__ import annotations

import datetime as dt
import enum
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

import attrs

from cnpolicy.dates import PartialDate
from cnpolicy.errors import NotFoundError
from cnpolicy.model import Agency, Event, EventKind, Regulation, RegulationKind, RelationType
from cnpolicy.model.regulations import normalize_document_number

__all__ = [
    "Match",
    "Related",
    "TimelineEntry",
    "build_name_index",
    "events_between",
    "filter_regulations",
    "lookup",
    "normalize",
    "related",
    "search",
    "timeline",
    "version_chain",
]

_PRC = ("中华人民共和国", "people's republic of china", "of the people's republic of china", "prc ")


def normalize(text: str) -> str:
    """Fold case, width and spacing so that ``个人信息 保护法`` matches ``个人信息保护法`` and ``pipl`` matches ``PIPL``."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[\s《》“”\"'·]+", "", text)
    return text


def _short_forms(title: str) -> set[str]:
    """A title and its forms without the country prefix or suffix."""
    forms = {normalize(title)}
    for prefix in _PRC:
        folded = normalize(prefix)
        for form in list(forms):
            forms.add(form.removeprefix(folded).removesuffix(folded))
    return {f for f in forms if f}


def _number_forms(number: str) -> set[str]:
    """A document number and its number-only tail: ``工信部保〔2014〕368号`` -> also ``[2014]368``."""
    full = normalize_document_number(number)
    forms = {full, full.removeprefix("中华人民共和国")}
    match = re.search(r"\[\d{4}\]\d+$", full)
    if match:
        forms.add(match.group())
    return forms


def build_name_index(regulations: Iterable[Regulation], agencies: Iterable[Agency]) -> dict[str, list[tuple[str, str]]]:
    """Every normalized name (id, alias, abbreviation, title, document number) -> [(kind, id)]."""
    index: dict[str, list[tuple[str, str]]] = {}

    def add(key: str, kind: str, ident: str) -> None:
        entries = index.setdefault(key, [])
        if (kind, ident) not in entries:
            entries.append((kind, ident))

    for regulation in regulations:
        names = {normalize(regulation.id)} | {normalize(a) for a in regulation.aliases}
        names |= _short_forms(regulation.title.en) | (_short_forms(regulation.title.zh) if regulation.title.zh else set())
        if regulation.document_number:
            names |= _number_forms(regulation.document_number)
        for amendment in regulation.amendments:
            if amendment.document_number:
                names |= _number_forms(amendment.document_number)
        for key in names:
            add(key, "regulation", regulation.id)
    for agency in agencies:
        names = {normalize(agency.id), normalize(agency.name.en)} | {normalize(a) for a in agency.abbreviations}
        if agency.name.zh:
            names.add(normalize(agency.name.zh))
        for key in names:
            add(key, "agency", agency.id)
    return index


def lookup(
    text: str,
    index: Mapping[str, Sequence[tuple[str, str]]],
    regulations: Mapping[str, Regulation],
    agencies: Mapping[str, Agency],
) -> Regulation | Agency:
    """The regulation or agency named by ``text``; `NotFoundError` (a `LookupError`) with the closest names if none.

    Regulations win over agencies when a name is shared; an ambiguous name raises with the candidates.
    """
    key = normalize(text)[:MAX_QUERY]
    number = normalize_document_number(text[:MAX_QUERY])
    # a name, else a document number in its canonical writing (with or without 中华人民共和国), else [year]number
    hits = (
        index.get(key)
        or index.get(number)
        or index.get(number.removeprefix("中华人民共和国"))
        or index.get(_bracketed(number))
        or []
    )
    regs = [ident for kind, ident in hits if kind == "regulation"]
    if len(regs) == 1:
        return regulations[regs[0]]
    if len(regs) > 1:
        raise NotFoundError(text, regs)
    ags = [ident for kind, ident in hits if kind == "agency"]
    if len(ags) == 1:
        return agencies[ags[0]]
    if ags:  # several agencies share the name
        raise NotFoundError(text, ags)
    from difflib import get_close_matches

    near = [name for name in index if len(key) / 3 <= len(name) <= 3 * len(key)]  # no name 3x longer or shorter reaches 0.5
    raise NotFoundError(text[:MAX_QUERY], [index[close][0][1] for close in get_close_matches(key, near, n=5, cutoff=0.5)])


def _bracketed(number: str) -> str:
    """``2014368`` style inputs are ambiguous; ``2014,368`` or ``2014 368`` become ``[2014]368``."""
    match = re.fullmatch(r"\[?(\d{4})\]?[,，]?(\d+)", number)
    return f"[{match.group(1)}]{match.group(2)}" if match else number


@attrs.frozen(kw_only=True)
class Match:
    """One search hit: how well it matched (0 to 1), what it is, its id and a label."""

    score: float
    kind: str
    id: str
    label: str


#: The longest query compared (a longer one is cut): fuzzy comparison costs grow with the product of the lengths.
MAX_QUERY = 200


def _score(query: str, text: str) -> float:
    from difflib import SequenceMatcher  # imported here: a lookup that hits does not need difflib

    target = normalize(text)
    if not target:
        return 0.0
    if query == target:
        return 1.0
    if query in target:
        return 0.75 + 0.2 * len(query) / len(target)
    if not (len(target) / 3 <= len(query) <= 3 * len(target)):  # too unlike in length to score 0.45 or more
        return 0.0
    return SequenceMatcher(None, query, target[: 3 * MAX_QUERY]).ratio() * 0.7


def search(
    text: str,
    regulations: Iterable[Regulation],
    agencies: Iterable[Agency],
    events: Iterable[Event],
    *,
    limit: int = 10,
    cutoff: float = 0.45,
) -> list[Match]:
    """Ranked matches across regulations, obligations, agencies and events, in English and Chinese."""
    query = normalize(text)[:MAX_QUERY]
    if not query:
        return []
    found: list[Match] = []

    def consider(kind: str, ident: str, label: str, *texts: str | None) -> None:
        best = max((_score(query, t) for t in texts if t), default=0.0)
        if best >= cutoff:
            found.append(Match(score=round(best, 3), kind=kind, id=ident, label=label))

    for regulation in regulations:
        consider(
            "regulation",
            regulation.id,
            regulation.title.en,
            regulation.id,
            regulation.title.en,
            regulation.title.zh,
            regulation.document_number,
            *regulation.aliases,
        )
        for obligation in regulation.obligations:
            consider(
                "obligation",
                obligation.id,
                f"{obligation.duty_bearer}: {obligation.action}",
                obligation.id,
                obligation.action,
                obligation.duty_bearer,
            )
    for agency in agencies:
        consider("agency", agency.id, agency.name.en, agency.id, agency.name.en, agency.name.zh, *agency.abbreviations)
    for event in events:
        consider("event", event.id, event.title, event.id, event.title, event.summary)
    order = {"regulation": 0, "agency": 1, "event": 2, "obligation": 3}
    found.sort(key=lambda m: (-m.score, order[m.kind], m.id))
    return found[:limit]


def filter_regulations(
    regulations: Iterable[Regulation],
    *,
    in_force_on: dt.date | None = None,
    kind: RegulationKind | str | None = None,
    agency: str | None = None,
    jurisdiction: str | None = None,
    topics: frozenset[str] | None = None,
) -> list[Regulation]:
    """Regulations matching every filter given (in force on a day: surely in force; filed under any of ``topics``)."""
    wanted_kind = None if kind is None else _member(RegulationKind, kind)
    return [
        r
        for r in regulations
        if (in_force_on is None or r.in_force(in_force_on) is True)
        and (wanted_kind is None or r.kind is wanted_kind)
        and (agency is None or agency in r.issued_by)
        and (jurisdiction is None or r.jurisdiction == jurisdiction)
        and (topics is None or not topics.isdisjoint(r.topics) or any(not topics.isdisjoint(o.topics) for o in r.obligations))
    ]


E = TypeVar("E", bound=enum.Enum)


def _member(cls: type[E], value: E | str) -> E:
    """The enum member named ``value``; `NotFoundError` listing the members otherwise (never a bare ValueError)."""
    try:
        return cls(value)
    except ValueError:
        raise NotFoundError(str(value), [str(member.value) for member in cls]) from None


def _overlaps(date: PartialDate, start: PartialDate | None, end: PartialDate | None) -> bool:
    return (start is None or date.latest >= start.earliest) and (end is None or date.earliest <= end.latest)


def events_between(
    events: Iterable[Event],
    start: PartialDate | str | None = None,
    end: PartialDate | str | None = None,
    *,
    kind: EventKind | str | None = None,
    actor: str | None = None,
    regulation: str | None = None,
) -> list[Event]:
    """Events whose date may fall between ``start`` and ``end`` (partial dates, inclusive), by kind, actor, regulation."""
    low = None if start is None else PartialDate.parse(start)
    high = None if end is None else PartialDate.parse(end)
    wanted = None if kind is None else _member(EventKind, kind)
    folded = None if actor is None else normalize(actor)
    return [
        e
        for e in events
        if _overlaps(e.date, low, high)
        and (wanted is None or e.kind is wanted)
        and (folded is None or any(normalize(a.label) == folded for a in e.actors))
        and (regulation is None or regulation in e.regulations)
    ]


@attrs.frozen(kw_only=True)
class TimelineEntry:
    """One dated line of a timeline: an event, or a date from a regulation's record."""

    date: PartialDate
    kind: str
    title: str
    regulations: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    event: str | None = None

    def __str__(self) -> str:
        return f"{self.date}  {self.kind.replace('_', ' ')}: {self.title}"


_DATE_KINDS = (("adopted", "enactment"), ("effective", "entry_into_force"), ("repealed", "repeal"))


def _regulation_entries(regulation: Regulation) -> Iterable[TimelineEntry]:
    for field, kind in _DATE_KINDS:
        date = getattr(regulation, field)
        if field == "adopted" and date is None:
            date = regulation.promulgated
        if date is not None:
            verb = {"enactment": "adopted", "entry_into_force": "enters into force", "repeal": "ceases to be in force"}[kind]
            yield TimelineEntry(
                date=date,
                kind=kind,
                title=f"{regulation.title.en} {verb}",
                regulations=(regulation.id,),
                agencies=regulation.issued_by,
            )
    for amendment in regulation.amendments:
        date = amendment.effective or amendment.adopted
        if date is not None:
            yield TimelineEntry(
                date=date,
                kind="amendment",
                title=f"{regulation.title.en} amended ({amendment.id})",
                regulations=(regulation.id,),
                agencies=regulation.issued_by,
            )


def timeline(
    regulations: Iterable[Regulation],
    events: Iterable[Event],
    start: PartialDate | str | None = None,
    end: PartialDate | str | None = None,
    *,
    agency: str | None = None,
    regulation: str | None = None,
) -> list[TimelineEntry]:
    """Enactments, entries into force, amendments, repeals and events in date order.

    Where an event records the same step of the same regulation on the same date, the event (with
    its summary and sources) stands for it.
    """
    low = None if start is None else PartialDate.parse(start)
    high = None if end is None else PartialDate.parse(end)
    entries = []
    for event in events:
        agencies = tuple(a.agency for a in event.actors if a.agency)
        entries.append(
            TimelineEntry(
                date=event.date,
                kind=event.kind.value,
                title=event.title,
                regulations=event.regulations,
                agencies=agencies,
                event=event.id,
            )
        )
    covered = {(e.date, e.kind, r) for e in entries for r in e.regulations}
    # an amendment's own date is covered by an event of its entry into force on that day, too
    covered |= {(e.date, "amendment", r) for e in entries if e.kind == "entry_into_force" for r in e.regulations}
    for item in regulations:
        for entry in _regulation_entries(item):
            if (entry.date, entry.kind, item.id) not in covered:
                entries.append(entry)
    chosen = [
        e
        for e in entries
        if _overlaps(e.date, low, high)
        and (agency is None or agency in e.agencies)
        and (regulation is None or regulation in e.regulations)
    ]
    chosen.sort(key=lambda e: (e.date, e.event is None, e.title))
    return chosen


@attrs.frozen(kw_only=True)
class Related:
    """A relation seen from one regulation: the other regulation, the type, and the direction."""

    type: RelationType
    other: str
    outgoing: bool
    note: str | None = None

    def __str__(self) -> str:
        inverse = {
            RelationType.IMPLEMENTS: "implemented by",
            RelationType.AMENDS: "amended by",
            RelationType.SUPERSEDES: "superseded by",
            RelationType.BASED_ON: "basis of",
            RelationType.RELATED_TO: "related to",
            RelationType.DRAFT_OF: "final text of the draft",
        }
        word = self.type.value.replace("_", " ") if self.outgoing else inverse[self.type]
        return f"{word} {self.other}"


def related(regulation_id: str, regulations: Mapping[str, Regulation]) -> list[Related]:
    """Every relation of a regulation, both those it states and those stated about it."""
    out = [Related(type=r.type, other=r.target, outgoing=True, note=r.note) for r in regulations[regulation_id].relations]
    for other in regulations.values():
        for relation in other.relations:
            if relation.target == regulation_id:
                out.append(Related(type=relation.type, other=other.id, outgoing=False, note=relation.note))
    return out


def version_chain(regulation_id: str, regulations: Mapping[str, Regulation]) -> list[Regulation]:
    """The instrument's versions from oldest to newest, following 'supersedes' both ways."""
    earlier = {r.id: rel.target for r in regulations.values() for rel in r.relations if rel.type is RelationType.SUPERSEDES}
    later = {old: new for new, old in earlier.items()}
    first = regulation_id
    seen = {first}
    while first in earlier and earlier[first] not in seen:
        first = earlier[first]
        seen.add(first)
    chain = [first]
    while chain[-1] in later and later[chain[-1]] not in chain:
        chain.append(later[chain[-1]])
    return [regulations[key] for key in chain if key in regulations]
