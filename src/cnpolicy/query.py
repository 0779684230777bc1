"""Lookups, search, filters, timelines and relations over a dataset's records."""

from __future__ import annotations

import datetime as dt
import enum
import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import TypeVar

import attrs

from cnpolicy.dates import PartialDate
from cnpolicy.errors import AmbiguousNameError, NotFoundError
from cnpolicy.model import Agency, Event, EventKind, Regulation, RegulationKind, Relation, RelationType
from cnpolicy.model.regulations import normalize_document_number

__all__ = [
    "Match",
    "Related",
    "TimelineEntry",
    "build_name_index",
    "candidates",
    "events_between",
    "filter_regulations",
    "lookup",
    "normalize",
    "related",
    "search",
    "searchable",
    "timeline",
    "version_chain",
]

_PRC = ("中华人民共和国", "people's republic of china", "of the people's republic of china", "prc ")


_SPACING = re.compile(r"[\s《》“”\"'·]+")
_DASHES = re.compile(r"[‐‑‒–—―－]")


def normalize(text: str) -> str:
    """Fold case, width and spacing so that ``个人信息 保护法`` matches ``个人信息保护法`` and ``pipl`` matches ``PIPL``."""
    return _DASHES.sub("-", _SPACING.sub("", unicodedata.normalize("NFKC", text).casefold()))


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
    forms = {full}
    match = re.search(r"\[\d{4}\]\d+$", full)
    if match:
        forms.add(match.group())
    return forms


#: A standard's number with its year: ``gb/t35273-2020`` (the part before the year names every edition).
_EDITION = re.compile(r"((?:gb|gm|jr|yd|tc)[a-z/]*\d[\d.]*)-(\d{4})")


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
        for number in (regulation.document_number, *(a.document_number for a in regulation.amendments)):
            if number:
                names |= _number_forms(number)
        names |= {edition.group(1) for name in list(names) if (edition := _EDITION.fullmatch(name))}
        for key in names:
            add(key, "regulation", regulation.id)
    for agency in agencies:
        names = {normalize(agency.id), normalize(agency.name.en)} | {normalize(a) for a in agency.abbreviations}
        if agency.name.zh:
            names |= _short_forms(agency.name.zh)
        for key in names:
            add(key, "agency", agency.id)
    return index


def candidates(text: str, index: Mapping[str, Sequence[tuple[str, str]]]) -> list[tuple[str, str]]:
    """Every (kind, id) that ``text`` names exactly: as a name, or as a document or standard number."""
    key = normalize(text)[:MAX_QUERY]
    number = normalize_document_number(text[:MAX_QUERY])
    # a name, else a document number in its canonical writing, else a bare [year]number
    return list(index.get(key) or index.get(number) or index.get(_bracketed(number)) or [])


def lookup(
    text: str,
    index: Mapping[str, Sequence[tuple[str, str]]],
    regulations: Mapping[str, Regulation],
    agencies: Mapping[str, Agency],
    *,
    on: dt.date | None = None,
    kind: str | None = None,
) -> Regulation | Agency:
    """The one regulation or agency named by ``text`` (of ``kind`` "regulation" or "agency", if given).

    Several versions of one instrument resolve to the version in force ``on`` the day, else to the
    newest; bodies that used one name at different times resolve to the body of the day. Raises
    `AmbiguousNameError` when the name still fits several records, and `NotFoundError` with the
    closest names when it fits none (both are `LookupError`).
    """
    hits = [(k, ident) for k, ident in candidates(text, index) if kind is None or k == kind]
    regs = [regulations[ident] for k, ident in hits if k == "regulation"]
    ags = [agencies[ident] for k, ident in hits if k == "agency"]
    if regs and ags:
        raise AmbiguousNameError(text, [*_about_regulations(regs), *_about_agencies(ags)])
    if regs:
        return _one_regulation(text, regs, regulations, on)
    if ags:
        return _one_agency(text, ags, on)
    from difflib import get_close_matches

    key = normalize(text)[:MAX_QUERY]
    near = [
        name
        for name, entries in index.items()
        if len(key) / 3 <= len(name) <= 3 * len(key) and (kind is None or any(k == kind for k, _ in entries))
    ]  # no name 3x longer or shorter reaches a ratio of 0.5
    close = get_close_matches(key, near, n=5, cutoff=0.5)
    raise NotFoundError(text[:MAX_QUERY], list(dict.fromkeys(index[name][0][1] for name in close)))


def _one_regulation(text: str, found: list[Regulation], regulations: Mapping[str, Regulation], on: dt.date | None) -> Regulation:
    if len(found) == 1:
        return found[0]
    if on is not None:
        in_force = [r for r in found if r.in_force(on) is True]
        if len(in_force) == 1:
            return in_force[0]
    chain = [r.id for r in version_chain(found[0].id, regulations)]
    if all(r.id in chain for r in found):  # versions of one instrument
        versions = sorted(found, key=lambda r: chain.index(r.id))
        if on is None:
            return versions[-1]
        started = [r for r in versions if r.start is not None and r.start.latest <= on]
        if started:
            return started[-1]
    raise AmbiguousNameError(text, _about_regulations(found))


def _one_agency(text: str, found: list[Agency], on: dt.date | None) -> Agency:
    if len(found) == 1:
        return found[0]
    if on is not None:
        for test in (_surely_active, _maybe_active):
            active = [a for a in found if test(a, on)]
            if len(active) == 1:
                return active[0]
    raise AmbiguousNameError(text, _about_agencies(found))


def _surely_active(agency: Agency, on: dt.date) -> bool:
    return (agency.established is None or agency.established.latest <= on) and (
        agency.dissolved is None or on < agency.dissolved.earliest
    )


def _maybe_active(agency: Agency, on: dt.date) -> bool:
    return (agency.established is None or agency.established.earliest <= on) and (
        agency.dissolved is None or on <= agency.dissolved.latest
    )


def _about_regulations(found: Iterable[Regulation]) -> list[tuple[str, str]]:
    return [(r.id, f"{r.kind.value.replace('_', ' ')}, {_period(r.start, r.repealed)}") for r in found]


def _about_agencies(found: Iterable[Agency]) -> list[tuple[str, str]]:
    return [(a.id, f"agency, {_period(a.established, a.dissolved)}") for a in found]


def _period(start: PartialDate | None, end: PartialDate | None) -> str:
    if start is None and end is None:
        return "dates not recorded"
    if end is None:
        return f"from {start}"
    return f"{start or '?'} to {end}"


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


#: One record as search sees it: its kind, id, label, and the texts it is found by, normalized.
Searchable = tuple[str, str, str, tuple[str, ...]]


def searchable(regulations: Iterable[Regulation], agencies: Iterable[Agency], events: Iterable[Event]) -> list[Searchable]:
    """Every record `search` looks at, in its order: regulations each followed by its obligations, then
    agencies, then events (the bundled snapshot carries this list, compiled with the records)."""
    found: list[Searchable] = []

    def add(kind: str, ident: str, label: str, *texts: str | None) -> None:
        found.append((kind, ident, label, tuple(dict.fromkeys(normalize(t) for t in texts if t))))

    for regulation in regulations:
        title = regulation.title
        add(
            "regulation",
            regulation.id,
            title.en,
            regulation.id,
            title.en,
            title.zh,
            regulation.document_number,
            *regulation.aliases,
        )
        for obligation in regulation.obligations:
            label = f"{obligation.duty_bearer}: {obligation.action}"
            add("obligation", obligation.id, label, obligation.id, obligation.action, obligation.duty_bearer)
    for agency in agencies:
        add("agency", agency.id, agency.name.en, agency.id, agency.name.en, agency.name.zh, *agency.abbreviations)
    for event in events:
        add("event", event.id, event.title, event.id, event.title, event.summary)
    return found


def _score(query: str, target: str) -> float:
    """How well a normalized query matches a normalized text, from 0 to 1."""
    from difflib import SequenceMatcher  # imported here: a lookup that hits does not need difflib

    if not target:
        return 0.0
    if query == target:
        return 1.0
    if query in target:
        return 0.75 + 0.2 * len(query) / len(target)
    if not (len(target) / 3 <= len(query) <= 3 * len(target)):  # too unlike in length to score 0.45 or more
        return 0.0
    return SequenceMatcher(None, query, target[: 3 * MAX_QUERY]).ratio() * 0.7


def search(text: str, records: Iterable[Searchable], *, limit: int = 10, cutoff: float = 0.45) -> list[Match]:
    """Ranked matches among ``records`` (see `searchable`), in English and Chinese."""
    query = normalize(text)[:MAX_QUERY]
    if not query:
        return []
    found: list[Match] = []
    for kind, ident, label, texts in records:
        best = max((_score(query, t) for t in texts), default=0.0)
        if best >= cutoff:
            found.append(Match(score=round(best, 3), kind=kind, id=ident, label=label))
    order = {"regulation": 0, "agency": 1, "event": 2, "obligation": 3}
    found.sort(key=lambda m: (-m.score, order[m.kind], m.id))
    return found[:limit]


def filter_regulations(
    regulations: Iterable[Regulation],
    *,
    in_force_on: dt.date | None = None,
    kind: RegulationKind | str | None = None,
    agencies: Collection[str] | None = None,
    jurisdiction: str | None = None,
    topics: frozenset[str] | None = None,
) -> list[Regulation]:
    """Regulations matching every filter given (in force on a day: surely in force; issued by any of
    ``agencies``; filed under any of ``topics``)."""
    wanted_kind = None if kind is None else _member(RegulationKind, kind)
    return [
        r
        for r in regulations
        if (in_force_on is None or r.in_force(in_force_on) is True)
        and (wanted_kind is None or r.kind is wanted_kind)
        and (agencies is None or not set(agencies).isdisjoint(r.issued_by))
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
    agencies: Collection[str] | None = None,
    regulations: Collection[str] | None = None,
    country: str | None = None,
    target_country: str | None = None,
) -> list[Event]:
    """Events whose date may fall between ``start`` and ``end`` (partial dates, inclusive), filtered.

    ``actor`` is an actor's agency id or name as written; ``agencies`` keeps events in which any of
    those agencies acted; ``regulations`` keeps events about (or bearing on) any of those
    instruments; ``country`` is the country that acted, ``target_country`` the one targeted.
    """
    low = None if start is None else PartialDate.parse(start)
    high = None if end is None else PartialDate.parse(end)
    wanted = None if kind is None else _member(EventKind, kind)
    folded = None if actor is None else normalize(actor)
    about = None if regulations is None else set(regulations)
    return [
        e
        for e in events
        if _overlaps(e.date, low, high)
        and (wanted is None or e.kind is wanted)
        and (folded is None or any(normalize(a.label) == folded for a in e.actors))
        and (agencies is None or any(a.agency in agencies for a in e.actors))
        and (about is None or not about.isdisjoint(e.regulations) or not about.isdisjoint(e.related))
        and (country is None or e.country == country)
        and (target_country is None or e.target_country == target_country)
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
    #: the country that acted (the event's, or the jurisdiction of the regulation)
    country: str | None = None
    #: the country targeted, for events that record one
    target_country: str | None = None

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
                country=regulation.jurisdiction,
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
                country=regulation.jurisdiction,
            )


def timeline(
    regulations: Iterable[Regulation],
    events: Iterable[Event],
    start: PartialDate | str | None = None,
    end: PartialDate | str | None = None,
    *,
    agencies: Collection[str] | None = None,
    about: Collection[str] | None = None,
    kinds: Collection[str] | None = None,
    country: str | None = None,
) -> list[TimelineEntry]:
    """Enactments, entries into force, amendments, repeals and events in date order, filtered.

    Where an event records the same step of the same regulation on the same date, the event (with
    its summary and sources) stands for it. ``agencies`` and ``about`` keep entries of any of those
    agencies or regulations, ``kinds`` entries of those kinds (``"enactment"``, ``"fine"``, ...),
    ``country`` entries of that country.
    """
    low = None if start is None else PartialDate.parse(start)
    high = None if end is None else PartialDate.parse(end)
    entries = []
    for event in events:
        entries.append(
            TimelineEntry(
                date=event.date,
                kind=event.kind.value,
                title=event.title,
                regulations=event.regulations,
                agencies=tuple(a.agency for a in event.actors if a.agency),
                event=event.id,
                country=event.country,
                target_country=event.target_country,
            )
        )
    # an event stands for a regulation's own step recorded on the same day (or, for an amendment,
    # an entry into force on its day), so each step is shown once
    covered = {(e.date, e.kind, r) for e in entries for r in e.regulations}
    covered |= {(e.date, "amendment", r) for e in entries if e.kind == "entry_into_force" for r in e.regulations}
    for item in regulations:
        # an enactment event on the day of adoption, promulgation or publication is the instrument's enactment
        days = [d for d in (item.adopted, item.promulgated, item.published) if d is not None]
        if any((day, "enactment", item.id) in covered for day in days):
            covered |= {(day, "enactment", item.id) for day in days}
        for entry in _regulation_entries(item):
            if (entry.date, entry.kind, item.id) not in covered:
                entries.append(entry)
    chosen = [
        e
        for e in entries
        if _overlaps(e.date, low, high)
        and (agencies is None or not set(agencies).isdisjoint(e.agencies))
        and (about is None or not set(about).isdisjoint(e.regulations))
        and (kinds is None or e.kind in kinds)
        and (country is None or e.country == country)
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


def _relations(regulations: Mapping[str, Regulation]) -> Iterator[tuple[str, Relation]]:
    """Every relation stated, with the id of the regulation stating it (bundled records are not built)."""
    from cnpolicy._snapshot import attribute

    for key in regulations:
        for relation in attribute(regulations, key, "relations"):
            yield key, relation


def related(regulation_id: str, regulations: Mapping[str, Regulation]) -> list[Related]:
    """Every relation of a regulation, both those it states and those stated about it."""
    stated = list(_relations(regulations))
    out = [Related(type=r.type, other=r.target, outgoing=True, note=r.note) for key, r in stated if key == regulation_id]
    for key, relation in stated:
        if relation.target == regulation_id:
            out.append(Related(type=relation.type, other=key, outgoing=False, note=relation.note))
    return out


def version_chain(regulation_id: str, regulations: Mapping[str, Regulation]) -> list[Regulation]:
    """The instrument's versions from oldest to newest, following 'supersedes' both ways."""
    earlier = {key: rel.target for key, rel in _relations(regulations) if rel.type is RelationType.SUPERSEDES}
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
