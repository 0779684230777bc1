"""The loaded, validated, immutable collection of records, with thin query methods."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast, overload

import attrs

from cnpolicy._snapshot import peek, scan
from cnpolicy.dates import PartialDate
from cnpolicy.errors import AmbiguousNameError, ArgumentError, NotFoundError
from cnpolicy.model import Agency, Event, FactSpec, Obligation, Regulation, Source, Topic
from cnpolicy.model.kinds import FILE_KINDS, KINDS

if TYPE_CHECKING:
    from cnpolicy.engine import Applicability, Changes, ObligationIndex, Question
    from cnpolicy.profile import Profile
    from cnpolicy.query import Match, Related, Searchable, TimelineEntry
    from cnpolicy.report import Report

T = TypeVar("T")

__all__ = ["Dataset"]

#: A name index: normalized name -> [(kind, id)] (see `cnpolicy.query.build_name_index`).
NameIndex = Mapping[str, Sequence[tuple[str, str]]]


@attrs.frozen(eq=False, kw_only=True)
class Dataset:
    """Every record of one load: read-only mappings by id, plus lookups and queries.

    Build one with `cnpolicy.load()`; `Dataset.from_records` checks records made in memory.
    Indexes are built on first use and kept; the dataset itself never changes.
    """

    facts: Mapping[str, FactSpec]
    topics: Mapping[str, Topic]
    agencies: Mapping[str, Agency]
    sources: Mapping[str, Source]
    regulations: Mapping[str, Regulation]
    obligations: Mapping[str, Obligation]
    events: Mapping[str, Event]
    #: a name index compiled with the records (the bundled snapshot carries one); else built on first use
    names: NameIndex | None = attrs.field(default=None, repr=False)
    #: what search looks at, compiled with the records (a function giving it: the bundled snapshot
    #: decodes it when first asked for); else made on first search
    searchable: Callable[[], Sequence[Searchable]] | None = attrs.field(default=None, repr=False)

    def __repr__(self) -> str:
        counts = ", ".join(f"{kind.name}={len(getattr(self, kind.name))}" for kind in KINDS)
        return f"<Dataset {counts}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dataset):
            return NotImplemented
        return all(dict(getattr(self, kind.name)) == dict(getattr(other, kind.name)) for kind in FILE_KINDS)

    __hash__ = None  # type: ignore[assignment]  # equal datasets need not hash alike; unhashable like dict

    # --- making and unmaking ---------------------------------------------------------------------

    @classmethod
    def from_records(
        cls,
        *,
        facts: Iterable[FactSpec] = (),
        topics: Iterable[Topic] = (),
        agencies: Iterable[Agency] = (),
        sources: Iterable[Source] = (),
        regulations: Iterable[Regulation] = (),
        events: Iterable[Event] = (),
    ) -> Dataset:
        """A checked dataset from records built in memory; raises `DataError` like `load()`."""
        from cnpolicy._load import build, layer_of

        given = {
            "facts": facts,
            "topics": topics,
            "agencies": agencies,
            "sources": sources,
            "regulations": regulations,
            "events": events,
        }
        return build([layer_of(given, "<records>")])

    def to_records(self) -> dict[str, list[Any]]:
        """Every record as plain data, by kind, as in the YAML files (regulations with their obligations)."""
        from cnpolicy._convert import unstructure

        return {kind.name: [unstructure(record) for record in getattr(self, kind.name).values()] for kind in FILE_KINDS}

    @classmethod
    def from_plain(cls, data: Mapping[str, Sequence[Any]]) -> Dataset:
        """The inverse of `to_records`: structure plain data by kind, then check it."""
        from cnpolicy._load import build, layer_from_plain

        return build([layer_from_plain(data, "<plain>")])

    # --- indexes, built on first use -------------------------------------------------------------

    @functools.cached_property
    def _name_index(self) -> NameIndex:
        if self.names is not None:
            return self.names
        from cnpolicy.query import build_name_index

        return build_name_index(self.regulations.values(), self.agencies.values())

    @functools.cached_property
    def _searchable(self) -> Sequence[Searchable]:
        if self.searchable is not None:
            return self.searchable()
        from cnpolicy.query import searchable

        return searchable(self.regulations.values(), self.agencies.values(), self.events.values())

    @functools.cached_property
    def _regulations_by_start(self) -> tuple[list[dt.date], list[str]]:
        dated = sorted((r.start.earliest, r.id) for r in scan(self.regulations) if r.start is not None)
        return [day for day, _ in dated], [key for _, key in dated]

    @functools.cached_property
    def _events_by_start(self) -> tuple[list[dt.date], list[str]]:
        # in date order, so their earliest days never decrease
        return [e.date.earliest for e in scan(self.events)], list(self.events)

    @functools.cached_property
    def _narrower(self) -> Mapping[str, frozenset[str]]:
        """Each topic with every topic below it."""
        below: dict[str, set[str]] = {key: {key} for key in self.topics}
        for key in self.topics:
            seen, up = {key}, self.topics[key].broader
            while up is not None and up in below and up not in seen:
                below[up].add(key)
                seen.add(up)
                up = self.topics[up].broader
        return {key: frozenset(found) for key, found in below.items()}

    def topic_and_narrower(self, topic: str) -> frozenset[str]:
        """The topic's id with the ids of every narrower topic; `NotFoundError` for an unknown topic."""
        if topic not in self.topics:
            from difflib import get_close_matches

            raise NotFoundError(topic, get_close_matches(topic, list(self.topics), n=3))
        return self._narrower[topic]

    def unrecorded(self, on: dt.date | str) -> list[Regulation]:
        """Binding instruments surely in force on the day whose duties are not in the data (`Regulation.duties_unrecorded`)."""
        on = _day(on)
        return [self.regulations[r.id] for r in self._in_force(on) if r.duties_unrecorded]

    @functools.cached_property
    def _obligation_index(self) -> ObligationIndex:
        from cnpolicy.engine import ObligationIndex

        return ObligationIndex.build(self.regulations.values(), self.sources)

    # --- queries ---------------------------------------------------------------------------------

    def in_force(self, on: dt.date | str) -> list[Regulation]:
        """Regulations surely in force on the day (see `Regulation.in_force`), in order of entry into force."""
        return [self.regulations[r.id] for r in self._in_force(_day(on))]

    def _in_force(self, on: dt.date) -> list[Regulation]:
        starts, keys = self._regulations_by_start
        # Only a known start on or before the day can make a regulation surely in force.
        found = (peek(self.regulations, key) for key in keys[: bisect.bisect_right(starts, on)])
        return [r for r in found if r.in_force(on) is True]

    def lookup(self, text: str, *, on: dt.date | str | None = None) -> Regulation | Agency:
        """The regulation or agency named by ``text``: id, alias, abbreviation, English or Chinese title
        (full or short), document number in any common writing, or standard number with or without
        its year.

        A name shared by versions of one instrument gives the version in force ``on`` the day (the
        newest without a day); a name used by different bodies over time gives the body of the day.
        Raises `AmbiguousNameError` listing the candidates when the name still fits several records,
        `NotFoundError` listing the closest names when it fits none (both are `LookupError`).
        """
        from cnpolicy.query import lookup

        day = None if on is None else _day(on)
        return lookup(text, self._name_index, self.regulations, self.agencies, on=day)

    def regulation(self, name: str, *, on: dt.date | str | None = None) -> Regulation:
        """The regulation named by ``name`` (any name `lookup` takes; agencies are not considered)."""
        from cnpolicy.query import lookup

        found = lookup(
            name, self._name_index, self.regulations, self.agencies, on=None if on is None else _day(on), kind="regulation"
        )
        return cast(Regulation, found)  # kind="regulation" finds regulations only

    def agency(self, name: str, *, on: dt.date | str | None = None) -> Agency:
        """The agency named by ``name``: id, abbreviation or name in either language (the body of the day with ``on``)."""
        from cnpolicy.query import lookup

        found = lookup(
            name, self._name_index, self.regulations, self.agencies, on=None if on is None else _day(on), kind="agency"
        )
        return cast(Agency, found)  # kind="agency" finds agencies only

    @overload
    def get(self, text: str) -> Regulation | Agency | None: ...
    @overload
    def get(self, text: str, default: T) -> Regulation | Agency | T: ...
    def get(self, text: str, default: object = None) -> object:
        """Like `lookup`, but returns ``default`` when nothing (or more than one thing) matches."""
        try:
            return self.lookup(text)
        except (NotFoundError, AmbiguousNameError):
            return default

    def search(self, text: str, *, limit: int = 10) -> list[Match]:
        """Ranked matches across regulations, obligations, agencies and events (English and Chinese).

        What the name resolver (`lookup`) finds exactly comes first, with score 1: an abbreviation,
        a document number in any writing, a standard number with or without its year.
        """
        from cnpolicy.query import Match, candidates, search

        exact = [
            Match(
                score=1.0,
                kind=kind,
                id=ident,
                label=(self.regulations[ident].title.en if kind == "regulation" else self.agencies[ident].name.en),
            )
            for kind, ident in candidates(text, self._name_index)
        ]
        exact.sort(key=self._newest_first)  # the current edition of a standard or version family first
        found = search(text, self._searchable, limit=limit)
        seen = {(m.kind, m.id) for m in exact}
        return [*exact, *(m for m in found if (m.kind, m.id) not in seen)][:limit]

    def _newest_first(self, match: Match) -> tuple[int, int]:
        if match.kind != "regulation":
            return (1, 0)
        start = self.regulations[match.id].start
        return (0, -(start.earliest.toordinal() if start else 0))

    def regulations_where(
        self,
        *,
        in_force_on: dt.date | str | None = None,
        kind: str | None = None,
        agency: str | None = None,
        jurisdiction: str | None = None,
        topic: str | None = None,
    ) -> list[Regulation]:
        """Regulations matching every filter given (``agency`` by any of its names)."""
        found = self._matching_regulations(
            in_force_on=in_force_on, kind=kind, agency=agency, jurisdiction=jurisdiction, topic=topic
        )
        return [self.regulations[key] for key in found]

    def _matching_regulations(
        self,
        *,
        in_force_on: dt.date | str | None = None,
        kind: str | None = None,
        agency: str | None = None,
        jurisdiction: str | None = None,
        topic: str | None = None,
    ) -> list[str]:
        """The keys of `regulations_where`, found without building a bundled regulation."""
        from cnpolicy.query import filter_regulations

        topics = None if topic is None else self.topic_and_narrower(topic)
        day = None if in_force_on is None else _day(in_force_on)
        issuers = None if agency is None else self._agency_ids(agency)
        found = filter_regulations(
            scan(self.regulations),
            in_force_on=day,
            kind=kind,
            agencies=issuers,
            jurisdiction=_country(jurisdiction),
            topics=topics,
        )
        return [r.id for r in found]

    def events_between(
        self,
        start: PartialDate | str | None = None,
        end: PartialDate | str | None = None,
        *,
        kind: str | None = None,
        actor: str | None = None,
        agency: str | None = None,
        regulation: str | None = None,
        topic: str | None = None,
        country: str | None = None,
        target_country: str | None = None,
    ) -> list[Event]:
        """Events that may fall between two partial dates (inclusive), filtered.

        ``actor`` is an agency (any of its names) or a company or person as recorded; ``agency`` an
        agency that acted; ``regulation`` an instrument the event is about or bears on (any name; a
        version family means every version); ``topic`` a topic of those instruments; ``country``
        the country that acted and ``target_country`` the one targeted (ISO 3166 alpha-2).
        """
        return [
            self.events[key]
            for key in self._matching_events(
                start,
                end,
                kind=kind,
                actor=actor,
                agency=agency,
                regulation=regulation,
                topic=topic,
                country=country,
                target_country=target_country,
            )
        ]

    def _matching_events(
        self,
        start: PartialDate | str | None = None,
        end: PartialDate | str | None = None,
        *,
        kind: str | None = None,
        actor: str | None = None,
        agency: str | None = None,
        regulation: str | None = None,
        topic: str | None = None,
        country: str | None = None,
        target_country: str | None = None,
    ) -> list[str]:
        """The keys of `events_between`, found without building a bundled event."""
        from cnpolicy.query import events_between

        starts, keys = self._events_by_start
        high = len(keys) if end is None else bisect.bisect_right(starts, PartialDate.parse(end).latest)
        # A year-precise event starts up to a year before its last possible day.
        first = None if start is None else PartialDate.parse(start).earliest
        low = 0 if first is None or first.year < 2 else bisect.bisect_left(starts, first - dt.timedelta(days=366))
        agencies = None if agency is None else self._agency_ids(agency)
        if actor is not None:
            try:
                agencies = self._agency_ids(actor) if agencies is None else agencies & self._agency_ids(actor)
                actor = None
            except NotFoundError:  # a company or person, matched by the name as recorded
                pass
        found = events_between(
            [peek(self.events, key) for key in keys[low:high]],
            start,
            end,
            kind=kind,
            actor=actor,
            agencies=agencies,
            regulations=self._about(regulation, topic),
            country=_country(country),
            target_country=_country(target_country),
        )
        return [e.id for e in found]

    def timeline(
        self,
        start: PartialDate | str | None = None,
        end: PartialDate | str | None = None,
        *,
        agency: str | None = None,
        regulation: str | None = None,
        kind: str | Iterable[str] | None = None,
        topic: str | None = None,
        country: str | None = None,
    ) -> list[TimelineEntry]:
        """Enactments, entries into force, amendments, repeals and events, in date order.

        Filters as in `events_between`; ``kind`` is one event kind or several (``"enactment"``,
        ``"fine"``, ...), ``country`` the country that acted (for a regulation: its jurisdiction).
        """
        from cnpolicy.model import EventKind
        from cnpolicy.query import _member, timeline

        kinds = None
        if kind is not None:
            kinds = {_member(EventKind, k).value for k in ([kind] if isinstance(kind, str) else kind)}
        return timeline(
            scan(self.regulations),
            scan(self.events),
            start,
            end,
            agencies=None if agency is None else self._agency_ids(agency),
            about=self._about(regulation, topic),
            kinds=kinds,
            country=_country(country),
        )

    def _about(self, regulation: str | None, topic: str | None) -> set[str] | None:
        """The ids of the regulations named (every version of a family) and filed under the topic."""
        about = None if regulation is None else self._regulation_ids(regulation)
        if topic is not None:
            under = set(self._matching_regulations(topic=topic))
            about = under if about is None else about & under
        return about

    def _regulation_ids(self, name: str) -> set[str]:
        """The regulation a name stands for, or every version of the version family it names."""
        from cnpolicy.query import candidates

        found = {ident for kind, ident in candidates(name, self._name_index) if kind == "regulation"}
        if len(found) > 1:
            family = {r.id for r in self.version_chain(next(iter(found)))}
            if found <= family:
                return found
        return {self.regulation(name).id}

    def _agency_ids(self, name: str) -> set[str]:
        """The agency a name stands for, or every body of a line of predecessors and successors that used it."""
        from cnpolicy.query import candidates

        found = {ident for kind, ident in candidates(name, self._name_index) if kind == "agency"}
        if len(found) > 1 and all(
            not found.isdisjoint({*self.agencies[key].predecessors, *self.agencies[key].successors}) for key in found
        ):
            return found
        return {self.agency(name).id}

    def related(self, regulation_id: str) -> list[Related]:
        """Every relation of a regulation, in both directions (implements / implemented by, ...)."""
        from cnpolicy.query import related

        self._require(regulation_id)
        return related(regulation_id, self.regulations)

    def version_chain(self, regulation_id: str) -> list[Regulation]:
        """The versions of an instrument, oldest first, following "supersedes" relations."""
        from cnpolicy.query import version_chain

        self._require(regulation_id)
        return version_chain(regulation_id, self.regulations)

    def issued_by(self, agency: str) -> list[Regulation]:
        """Regulations an agency (any of its names) issued, alone or jointly."""
        issuers = self._agency_ids(agency)
        return [self.regulations[r.id] for r in scan(self.regulations) if not issuers.isdisjoint(r.issued_by)]

    def enforced_by(self, agency: str) -> list[Event]:
        """Enforcement events (fines, reviews, raids, bans, exclusions) in which the agency acted as issuer."""
        acts = {"enforcement", "fine", "review", "raid", "ban", "procurement_exclusion"}
        issuers = self._agency_ids(agency)
        return [
            self.events[e.id]
            for e in scan(self.events)
            if e.kind.value in acts and any(a.agency in issuers and a.role.value == "issuer" for a in e.actors)
        ]

    def _require(self, regulation_id: str) -> None:
        if regulation_id not in self.regulations:
            raise NotFoundError(regulation_id, _close_matches(regulation_id, self.regulations))

    def obligations_in_force(self, on: dt.date | str) -> list[Obligation]:
        """Obligations surely in force on the day (regulation, introducing amendment and own validity)."""
        from cnpolicy.engine import obligation_in_force

        day = _day(on)
        return [o for o in self.obligations.values() if obligation_in_force(o, self.regulations[o.regulation], day) is True]

    def profile(self, facts: Mapping[str, object] | None = None, /, **more: object) -> Profile:
        """A `Profile` checked against this dataset's fact vocabulary."""
        from cnpolicy.profile import Profile

        return Profile(facts={**(facts or {}), **more}).check(self.facts)

    def _checked(self, profile: Profile | Mapping[str, object]) -> Profile:
        from cnpolicy.profile import Profile

        return (profile if isinstance(profile, Profile) else Profile(facts=profile)).check(self.facts)

    def _chosen(self, regulation: str | Iterable[str] | None, jurisdiction: str | None, topic: str | None) -> set[str] | None:
        """The ids of the obligations the filters keep; None when there are no filters."""
        if regulation is None and jurisdiction is None and topic is None:
            return None
        wanted = None
        if regulation is not None:
            wanted = set().union(
                *(self._regulation_ids(name) for name in ([regulation] if isinstance(regulation, str) else regulation))
            )
        jurisdiction = _country(jurisdiction)
        topics = None if topic is None else self.topic_and_narrower(topic)
        return {
            o.id
            for r in scan(self.regulations)
            if (wanted is None or r.id in wanted) and (jurisdiction is None or r.jurisdiction == jurisdiction)
            for o in r.obligations
            if topics is None or not topics.isdisjoint(r.topics) or not topics.isdisjoint(o.topics)
        }

    def obligations_for(
        self,
        profile: Profile | Mapping[str, object],
        on: dt.date | str,
        *,
        topic: str | None = None,
        regulation: str | Iterable[str] | None = None,
        jurisdiction: str | None = None,
        include_not_applicable: bool = False,
    ) -> list[Applicability]:
        """The obligations that apply, or may apply, to ``profile`` on ``on``, with verdicts and reasons.

        Sorted: applying first, then "may apply" (facts missing), each by instrument and article.
        Filters keep obligations of one topic, of some regulations, or of one jurisdiction (``"CN"``).
        """
        return self._obligation_index.obligations_for(
            self._checked(profile),
            _day(on),
            include_not_applicable=include_not_applicable,
            only=self._chosen(regulation, jurisdiction, topic),
        )

    def questions(
        self,
        profile: Profile | Mapping[str, object],
        on: dt.date | str,
        *,
        topic: str | None = None,
        regulation: str | Iterable[str] | None = None,
        jurisdiction: str | None = None,
        limit: int | None = None,
    ) -> list[Question]:
        """The questions to ask first: the unstated facts that decide the most "may apply" obligations on the day."""
        from cnpolicy.engine import questions

        only = self._chosen(regulation, jurisdiction, topic)
        return questions(self._obligation_index, self.facts, self._checked(profile), _day(on), only=only, limit=limit)

    def report(
        self,
        profile: Profile | Mapping[str, object],
        on: dt.date | str,
        *,
        compare: dt.date | str | None = None,
        group_by: str = "instrument",
        title: str | None = None,
        topic: str | None = None,
        regulation: str | Iterable[str] | None = None,
        jurisdiction: str | None = None,
    ) -> Report:
        """A report for a client: summary, questions to ask first, each duty with its article, deadline,
        penalty, caveats and best source, instruments in force whose duties are not recorded, and with
        ``compare`` what changes from ``on`` to that day. Write it with `Report.write` ("md", "html",
        "csv", "json"). ``group_by`` is "instrument" or "topic"."""
        from cnpolicy.report import build_report

        return build_report(
            self,
            self._checked(profile),
            _day(on),
            compare=None if compare is None else _day(compare, "day to compare with"),
            group_by=group_by,
            title=title,
            topic=topic,
            regulation=regulation,
            jurisdiction=jurisdiction,
        )

    def changes_for(
        self,
        profile: Profile | Mapping[str, object],
        start: dt.date | str,
        end: dt.date | str,
        *,
        topic: str | None = None,
        regulation: str | Iterable[str] | None = None,
        jurisdiction: str | None = None,
    ) -> Changes:
        """Obligations gained, lost and changed in verdict for ``profile`` between ``start`` and ``end``."""
        from cnpolicy.engine import changes_for

        only = self._chosen(regulation, jurisdiction, topic)
        return changes_for(self._obligation_index, self._checked(profile), _day(start), _day(end), only=only)


def _day(value: dt.date | str, what: str = "day") -> dt.date:
    """A day given as a `datetime.date` or as ISO text (``"2024-01-01"``); `ValueError` (a cnpolicy error) otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ArgumentError(f"expected a {what} as a date or 'YYYY-MM-DD', got {value!r}")


def _country(code: str | None) -> str | None:
    """A country filter as an ISO 3166 alpha-2 code (any case); `ArgumentError` for anything else."""
    if code is None:
        return None
    if len(code) == 2 and code.isascii() and code.isalpha():
        return code.upper()
    raise ArgumentError(f"expected a country as a two-letter code (ISO 3166 alpha-2, e.g. CN, US, EU), got {code[:40]!r}")


def _close_matches(key: str, regulations: Mapping[str, Regulation]) -> list[str]:
    from difflib import get_close_matches

    return get_close_matches(key, list(regulations), n=3)
