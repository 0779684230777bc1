"""The loaded, validated, immutable collection of records, and `load()`."""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import functools
import gc
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from os import PathLike
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, overload

import attrs

from cnpolicy.dates import PartialDate
from cnpolicy.errors import DanglingReferenceError, DataError, DataErrors, DuplicateIdError, NotFoundError, SchemaError
from cnpolicy.integrity import Field, Records, check
from cnpolicy.io.loader import Folder, Origin, read_folder
from cnpolicy.io.paths import format_path
from cnpolicy.model import Agency, Event, FactSpec, Obligation, Regulation, Source
from cnpolicy.profile import Profile

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from cnpolicy.applicability import Applicability, Changes
    from cnpolicy.index import ObligationIndex
    from cnpolicy.io.snapshot import Snapshot
    from cnpolicy.query import Match, Related, TimelineEntry

T = TypeVar("T")

__all__ = ["Dataset", "bundled_data_root", "load"]

_KINDS = ("facts", "agencies", "sources", "regulations", "events")


def bundled_data_root() -> Traversable:
    """The bundled ``data/`` folder: inside the installed wheel, or at the top of a checkout."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "data", package.parents[1] / "data"):
        if candidate.is_dir():
            return candidate
    from importlib.resources import files  # only for a package imported from a zip file

    packaged = files("cnpolicy") / "data"
    if packaged.is_dir():
        return packaged
    raise DataError("the bundled data folder is missing from this installation", file=str(package.parents[1] / "data"))


def _bundled_snapshot_file() -> Traversable:
    compiled = Path(__file__).resolve().parent / "bundled.json"
    if compiled.is_file():
        return compiled
    from importlib.resources import files  # only for a package imported from a zip file

    return files("cnpolicy") / "bundled.json"


class Dataset:
    """Every record of one load: read-only mappings by id, plus lookups and queries.

    Build one with `cnpolicy.load()`; `Dataset.from_records` checks records made in memory.
    """

    __slots__ = ("_indexes", "agencies", "events", "facts", "obligations", "regulations", "sources")

    facts: Mapping[str, FactSpec]
    agencies: Mapping[str, Agency]
    sources: Mapping[str, Source]
    regulations: Mapping[str, Regulation]
    obligations: Mapping[str, Obligation]
    events: Mapping[str, Event]

    def __init__(self, records: Records) -> None:
        self.facts = MappingProxyType(dict(records.facts))
        self.agencies = MappingProxyType(dict(records.agencies))
        self.sources = MappingProxyType(dict(records.sources))
        self.regulations = MappingProxyType(dict(records.regulations))
        self.obligations = MappingProxyType({o.id: o for r in self.regulations.values() for o in r.obligations})
        ordered = sorted(records.events.values(), key=lambda e: (e.date, e.id))
        self.events = MappingProxyType({e.id: e for e in ordered})
        self._indexes: dict[str, Any] = {}

    @classmethod
    def _from_snapshot(cls, snapshot: Snapshot) -> Dataset:
        """The bundled data from its compiled snapshot, each record built on first use (see `LazyRecords`).

        Only for the bundled snapshot: it was checked when it was compiled, its events are already in
        date order and it carries the name index, so nothing needs building before the first query.
        """
        from cnpolicy.io.trusted import LazyRecords, build

        dataset = cls.__new__(cls)
        for kind in _KINDS:
            key = "name" if kind == "facts" else "id"
            plain = {raw[key]: raw for raw in snapshot.records[kind]}
            object.__setattr__(dataset, kind, LazyRecords(plain, functools.partial(build, _CLASSES[kind])))
        regulations = dataset.regulations
        located = {
            obligation["id"]: (raw["id"], index)
            for raw in snapshot.records["regulations"]
            for index, obligation in enumerate(raw.get("obligations", ()))
        }
        object.__setattr__(dataset, "obligations", LazyRecords(located, lambda at: regulations[at[0]].obligations[at[1]]))
        object.__setattr__(dataset, "_indexes", {"names": snapshot.names})
        return dataset

    def __setattr__(self, name: str, value: object) -> None:
        if hasattr(self, "_indexes"):
            raise AttributeError(f"Dataset is immutable; cannot set {name!r}")
        object.__setattr__(self, name, value)

    def __repr__(self) -> str:
        counts = ", ".join(f"{kind}={len(getattr(self, kind))}" for kind in (*_KINDS[:4], "obligations", "events"))
        return f"<Dataset {counts}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dataset):
            return NotImplemented
        return all(dict(getattr(self, kind)) == dict(getattr(other, kind)) for kind in _KINDS)

    __hash__ = None  # type: ignore[assignment]  # equal datasets need not hash alike; unhashable like dict

    @classmethod
    def from_records(
        cls,
        *,
        facts: Iterable[FactSpec] = (),
        agencies: Iterable[Agency] = (),
        sources: Iterable[Source] = (),
        regulations: Iterable[Regulation] = (),
        events: Iterable[Event] = (),
    ) -> Dataset:
        """A checked dataset from records built in memory; raises `DataError` like `load()`."""
        folder = Folder("<records>")
        for kind, items in zip(_KINDS, (facts, agencies, sources, regulations, events), strict=True):
            getattr(folder, kind).extend((item, None) for item in items)
        return _build([folder])

    def to_records(self) -> dict[str, list[Any]]:
        """Every record as plain data, by kind, as in the YAML files (regulations with their obligations)."""
        from cnpolicy.io.converter import unstructure

        return {kind: [unstructure(record) for record in getattr(self, kind).values()] for kind in _KINDS}

    @classmethod
    def from_plain(cls, data: Mapping[str, Sequence[Any]]) -> Dataset:
        """The inverse of `to_records`: structure plain data by kind, then check it."""
        return _build([_folder_from_plain(data, "<plain>")])

    def in_force(self, on: dt.date) -> list[Regulation]:
        """Regulations surely in force on the day (see `Regulation.in_force`), in order of entry into force."""
        if "regulation_starts" not in self._indexes:
            dated = sorted((r.start.earliest, r.id) for r in self.regulations.values() if r.start is not None)
            self._indexes["regulations_by_start"] = [self.regulations[key] for _, key in dated]
            self._indexes["regulation_starts"] = [day for day, _ in dated]
        dated_regulations, starts = self._indexes["regulations_by_start"], self._indexes["regulation_starts"]
        # Only a known start on or before the day can make a regulation surely in force.
        return [r for r in dated_regulations[: bisect.bisect_right(starts, on)] if r.in_force(on) is True]

    def _name_index(self) -> dict[str, list[tuple[str, str]]]:
        if "names" not in self._indexes:
            from cnpolicy.query import build_name_index

            self._indexes["names"] = build_name_index(self.regulations.values(), self.agencies.values())
        index: dict[str, list[tuple[str, str]]] = self._indexes["names"]
        return index

    def lookup(self, text: str) -> Regulation | Agency:
        """The regulation or agency named by ``text``: id, alias, abbreviation, English or Chinese title
        (full or short), or document number in any common writing. Raises `NotFoundError` (a
        `LookupError`) listing the closest names when nothing matches."""
        from cnpolicy.query import lookup

        return lookup(text, self._name_index(), self.regulations, self.agencies)

    @overload
    def get(self, text: str) -> Regulation | Agency | None: ...
    @overload
    def get(self, text: str, default: T) -> Regulation | Agency | T: ...
    def get(self, text: str, default: object = None) -> object:
        """Like `lookup`, but returns ``default`` when nothing (or more than one thing) matches."""
        try:
            return self.lookup(text)
        except NotFoundError:
            return default

    def search(self, text: str, *, limit: int = 10) -> list[Match]:
        """Ranked matches across regulations, obligations, agencies and events (English and Chinese)."""
        from cnpolicy.query import search

        return search(text, self.regulations.values(), self.agencies.values(), self.events.values(), limit=limit)

    def regulations_where(
        self,
        *,
        in_force_on: dt.date | None = None,
        kind: str | None = None,
        agency: str | None = None,
        jurisdiction: str | None = None,
        topic: str | None = None,
    ) -> list[Regulation]:
        """Regulations matching every filter given."""
        from cnpolicy.query import filter_regulations

        return filter_regulations(
            self.regulations.values(), in_force_on=in_force_on, kind=kind, agency=agency, jurisdiction=jurisdiction, topic=topic
        )

    def events_between(
        self,
        start: PartialDate | str | None = None,
        end: PartialDate | str | None = None,
        *,
        kind: str | None = None,
        actor: str | None = None,
        regulation: str | None = None,
    ) -> list[Event]:
        """Events that may fall between two partial dates (inclusive), by kind, actor (agency id or name) and regulation."""
        from cnpolicy.query import events_between

        return events_between(self._events_near(start, end), start, end, kind=kind, actor=actor, regulation=regulation)

    def _events_near(self, start: PartialDate | str | None, end: PartialDate | str | None) -> list[Event]:
        """The events that could overlap the span, found by bisection on the events' earliest days."""
        if "event_starts" not in self._indexes:
            in_order = list(self.events.values())  # in date order, so their earliest days never decrease
            self._indexes["events_in_order"] = in_order
            self._indexes["event_starts"] = [e.date.earliest for e in in_order]
        events: list[Event] = self._indexes["events_in_order"]
        earliest: list[dt.date] = self._indexes["event_starts"]
        high = len(events) if end is None else bisect.bisect_right(earliest, PartialDate.parse(end).latest)
        # A year-precise event starts up to a year before its last possible day.
        low = 0 if start is None else bisect.bisect_left(earliest, PartialDate.parse(start).earliest - dt.timedelta(days=366))
        return events[low:high]

    def timeline(
        self,
        start: PartialDate | str | None = None,
        end: PartialDate | str | None = None,
        *,
        agency: str | None = None,
        regulation: str | None = None,
    ) -> list[TimelineEntry]:
        """Enactments, entries into force, amendments, repeals and events, in date order."""
        from cnpolicy.query import timeline

        return timeline(self.regulations.values(), self.events.values(), start, end, agency=agency, regulation=regulation)

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

    def issued_by(self, agency_id: str) -> list[Regulation]:
        """Regulations an agency issued (alone or jointly)."""
        return [r for r in self.regulations.values() if agency_id in r.issued_by]

    def enforced_by(self, agency_id: str) -> list[Event]:
        """Enforcement events (fines, reviews, raids, bans, exclusions) in which the agency acted as issuer."""
        acts = {"enforcement", "fine", "review", "raid", "ban", "procurement_exclusion"}
        return [
            e
            for e in self.events.values()
            if e.kind.value in acts and any(a.agency == agency_id and a.role.value == "issuer" for a in e.actors)
        ]

    def _require(self, regulation_id: str) -> None:
        if regulation_id not in self.regulations:
            raise NotFoundError(regulation_id, _close_matches(regulation_id, self.regulations))

    def obligations_in_force(self, on: dt.date) -> list[Obligation]:
        """Obligations surely in force on the day (regulation, introducing amendment and own validity)."""
        from cnpolicy.applicability import obligation_in_force

        return [o for o in self.obligations.values() if obligation_in_force(o, self.regulations[o.regulation], on) is True]

    def _checked(self, profile: Profile | Mapping[str, object]) -> Profile:
        return (profile if isinstance(profile, Profile) else Profile(facts=profile)).check(self.facts)

    def profile(self, facts: Mapping[str, object] | None = None, /, **more: object) -> Profile:
        """A `Profile` checked against this dataset's fact vocabulary."""
        return Profile(facts={**(facts or {}), **more}).check(self.facts)

    def _selected(self, regulation: str | Iterable[str] | None, jurisdiction: str | None, topic: str | None) -> list[Regulation]:
        wanted = None if regulation is None else ({regulation} if isinstance(regulation, str) else set(regulation))
        for key in wanted or ():
            if key not in self.regulations:
                raise NotFoundError(key, _close_matches(key, self.regulations))
        chosen = []
        for item in self.regulations.values():
            if (wanted is None or item.id in wanted) and (jurisdiction is None or item.jurisdiction == jurisdiction):
                if topic is not None and topic not in item.topics:
                    kept = tuple(o for o in item.obligations if topic in o.topics)
                    if not kept:
                        continue
                    item = attrs.evolve(item, obligations=kept)
                chosen.append(item)
        return chosen

    def obligations_for(
        self,
        profile: Profile | Mapping[str, object],
        on: dt.date,
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
        checked = self._checked(profile)
        keep = None
        if topic is not None or regulation is not None or jurisdiction is not None:
            chosen = self._selected(regulation, jurisdiction, topic)
            wanted = {o.id for r in chosen for o in r.obligations}

            def keep(obligation: Obligation, _: Regulation) -> bool:
                return obligation.id in wanted

        return self._obligation_index().obligations_for(
            self.sources, checked, on, include_not_applicable=include_not_applicable, keep=keep
        )

    def _obligation_index(self) -> ObligationIndex:
        if "obligations" not in self._indexes:
            from cnpolicy.index import ObligationIndex

            self._indexes["obligations"] = ObligationIndex.build(self.regulations.values(), self.sources)
        index: ObligationIndex = self._indexes["obligations"]
        return index

    def changes_for(
        self,
        profile: Profile | Mapping[str, object],
        start: dt.date,
        end: dt.date,
        *,
        topic: str | None = None,
        regulation: str | Iterable[str] | None = None,
        jurisdiction: str | None = None,
    ) -> Changes:
        """Obligations gained, lost and changed in verdict for ``profile`` between ``start`` and ``end``."""
        from cnpolicy.applicability import changes_for

        checked = self._checked(profile)
        return changes_for(self._selected(regulation, jurisdiction, topic), self.sources, checked, start, end)


def _close_matches(key: str, regulations: Mapping[str, Regulation]) -> list[str]:
    from difflib import get_close_matches

    return get_close_matches(key, list(regulations), n=3)


_CLASSES: dict[str, type[Any]] = {
    "facts": FactSpec,
    "agencies": Agency,
    "sources": Source,
    "regulations": Regulation,
    "events": Event,
}


def _folder_from_plain(data: Mapping[str, Sequence[Any]], label: str) -> Folder:
    """Structure plain records (from JSON) into a folder without origins; problems go to ``errors``."""
    from cnpolicy.io.converter import flatten_errors, structure

    folder = Folder(label)
    for kind, cls_ in _CLASSES.items():
        target = getattr(folder, kind)
        for index, raw in enumerate(data.get(kind, ())):
            try:
                target.append((structure(raw, cls_), None))
            except Exception as error:  # mapped to SchemaErrors with the record's path
                for field, message in flatten_errors(error):
                    folder.errors.append(SchemaError(message, file=label, path=format_path((kind, index, *field))))
    return folder


def _folder_to_plain(folder: Folder) -> dict[str, list[Any]]:
    """The folder's records as plain data, for its cache: the data they were read from when known (fast),
    else unstructured from the records."""
    from cnpolicy.io.converter import unstructure

    out = {}
    for kind in _KINDS:
        records = getattr(folder, kind)
        plain = folder.plain.get(kind, [])
        out[kind] = plain if len(plain) == len(records) else [unstructure(record) for record, _ in records]
    return out


def _record_key(kind: str, record: Any) -> str:
    return str(record.name if kind == "facts" else record.id)


def _build(folders: Sequence[Folder]) -> Dataset:
    """Merge folders (later ones override earlier ones by id), check everything, and build the dataset."""
    errors: list[DataError] = [error for folder in folders for error in folder.errors]
    merged: dict[str, dict[str, Any]] = {kind: {} for kind in _KINDS}
    origins: dict[tuple[str, str], Origin | None] = {}
    for folder in folders:
        seen: dict[tuple[str, str], Origin | None] = {}
        obligation_ids: dict[str, tuple[str, int]] = {}
        for kind in _KINDS:
            for record, origin in getattr(folder, kind):
                key = _record_key(kind, record)
                if (kind, key) in seen:
                    errors.append(
                        _error(
                            DuplicateIdError,
                            origin,
                            folder.label,
                            kind,
                            key,
                            ("id",) if kind != "facts" else ("name",),
                            f"duplicate id {key!r} in {kind} (first at {_where(seen[(kind, key)])})",
                        )
                    )
                    continue
                seen[(kind, key)] = origin
                merged[kind].pop(key, None)  # an override moves to the end of the order
                merged[kind][key] = record
                origins[(kind, key)] = origin
                if kind == "regulations":
                    for index, obligation in enumerate(record.obligations):
                        if obligation.id in obligation_ids:
                            first, _ = obligation_ids[obligation.id]
                            errors.append(
                                _error(
                                    DuplicateIdError,
                                    origin,
                                    folder.label,
                                    kind,
                                    key,
                                    ("obligations", index, "id"),
                                    f"duplicate obligation id {obligation.id!r} (also in regulation {first!r})",
                                )
                            )
                        obligation_ids.setdefault(obligation.id, (key, index))
    plural = {"fact": "facts", "agency": "agencies", "source": "sources", "regulation": "regulations", "event": "events"}

    def report(cls: type[DataError], kind: str, key: str, field: Field, message: str, **extra: str) -> None:
        errors.append(_error(cls, origins.get((plural[kind], key)), "<records>", plural[kind], key, field, message, **extra))

    records = Records(**merged)
    check(records, report)
    broken = {item for folder in folders for item in folder.broken}
    broken_kinds = {kind for folder in folders for kind in folder.broken_kinds}
    errors = [  # a reference to a record that failed to load is not a second problem
        e
        for e in errors
        if not (isinstance(e, DanglingReferenceError) and (e.target_kind in broken_kinds or (e.target_kind, e.target) in broken))
    ]
    if errors:
        errors.sort(key=lambda e: (e.file, e.line or 0))
        raise errors[0] if len(errors) == 1 else DataErrors(errors)
    return Dataset(records)


def _where(origin: Origin | None) -> str:
    if origin is None:
        return "an earlier record"
    file, line = origin.locate()
    return f"{file}:{line}"


def _error(
    cls: type[DataError], origin: Origin | None, label: str, kind: str, key: str, field: Field, message: str, **extra: str
) -> DataError:
    if origin is not None:
        return origin.error(cls, field, message, **extra)
    path = format_path((kind, key, *field))
    if issubclass(cls, DanglingReferenceError):
        return cls(message, file=label, path=path, target_kind=extra.get("target_kind", ""), target=extra.get("target", ""))
    return cls(message, file=label, path=path)


_lock = threading.Lock()
_cache: dict[str, Dataset] = {}


def _bundled_dataset() -> Dataset:
    """The bundled data: from its compiled snapshot when that matches the YAML, else from the YAML."""
    from cnpolicy.io.snapshot import folder_digest, read_snapshot

    root = bundled_data_root()
    compiled = read_snapshot(_bundled_snapshot_file(), folder_digest(root))
    if compiled is not None and compiled.names is not None:
        return Dataset._from_snapshot(compiled)
    return _build([read_folder(root, "data")])


def _bundled_folder(*, snapshot: bool) -> Folder:
    """The bundled records as a folder to lay user folders over: from `load()`, or read from the YAML."""
    if not snapshot:
        return read_folder(bundled_data_root(), "data")
    bundled = load()
    folder = Folder("data")
    for kind in _KINDS:
        getattr(folder, kind).extend((record, None) for record in getattr(bundled, kind).values())
    return folder


def compile_bundled_snapshot() -> str:
    """The bundled data's snapshot, compiled from its YAML (``cnpolicy export --format snapshot``)."""
    from cnpolicy.io.snapshot import folder_digest, snapshot_text
    from cnpolicy.query import build_name_index

    root = bundled_data_root()
    dataset = _build([read_folder(root, "data")])  # raises on bad data: a snapshot is only ever compiled from valid data
    names = build_name_index(dataset.regulations.values(), dataset.agencies.values())
    return snapshot_text(dataset.to_records(), folder_digest(root), names)


def _cache_entry(path: Path, contents: Mapping[str, bytes | None] | None = None) -> tuple[Path, str]:
    """Where the snapshot of a user folder is cached, and its key (the files' hash and the cnpolicy version)."""
    import hashlib

    from cnpolicy.io.snapshot import _version, cache_dir, contents_digest, read_data_files

    files_hash = contents_digest(read_data_files(path) if contents is None else contents)
    key = hashlib.sha256(f"{files_hash}\n{_version()}".encode()).hexdigest()
    return cache_dir() / f"{key}.json", key


class _UserLayer(NamedTuple):
    folder: Folder
    from_cache: bool
    #: where to cache the folder once the whole load has succeeded (None: cached already, or not caching)
    cache_entry: tuple[Path, str] | None


def _user_folder(path: Path, *, cache: bool) -> _UserLayer:
    """A user folder: from its cached snapshot when one matches its files, else from the YAML."""
    if not cache:
        return _UserLayer(read_folder(path, str(path)), False, None)
    from cnpolicy.io.snapshot import read_data_files, read_snapshot

    contents = read_data_files(path)  # each file is read once: for the cache key, then to parse it on a miss
    entry, key = _cache_entry(path, contents)
    cached = read_snapshot(entry, key) if entry.is_file() else None
    if cached is not None:
        folder = _folder_from_plain(cached.records, str(path))
        if not folder.errors:
            return _UserLayer(folder, True, None)
    return _UserLayer(read_folder(path, str(path), contents), False, (entry, key))


def _load_layers(user: Sequence[Path], *, bundled: bool, cache: bool) -> Dataset:
    base = [_bundled_folder(snapshot=cache)] if bundled else []
    layers = [_user_folder(p, cache=cache) for p in user]
    try:
        dataset = _build(base + [layer.folder for layer in layers])
    except DataError:
        if not any(layer.from_cache for layer in layers):
            raise
        # A cached folder has no line numbers: read the YAML again to report the problems properly.
        return _build(base + [read_folder(p, str(p)) for p in user])
    for layer in layers:
        if layer.cache_entry is not None:
            from cnpolicy.io.snapshot import write_snapshot

            entry, key = layer.cache_entry
            write_snapshot(entry, _folder_to_plain(layer.folder), key)
    return dataset


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a load builds many objects that all survive (about 2x faster)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load(
    path: str | PathLike[str] | None = None,
    *,
    extra: Iterable[str | PathLike[str]] = (),
    bundled: bool = True,
    cache: bool = True,
) -> Dataset:
    """Load and check the bundled data, with user folders laid over it (later folders win on equal ids).

    ``load()`` is cached: every call returns the same immutable `Dataset`, and the bundled data is
    read once even when called from several threads at once. ``load(path, bundled=False)`` reads only
    ``path``. User folders are read on every call, through a snapshot in the user's cache directory
    keyed by the hash of their files (``cache=False`` reads the YAML and writes no cache). Raises
    `DataError` (a `DataErrors` listing them all when there are several) on bad data.
    """
    user = [Path(p) for p in ([path] if path is not None else []) + list(extra)]
    for folder in user:
        if not folder.is_dir():
            raise DataError("no such data folder", file=str(folder))
    if not bundled and not user:
        raise ValueError("nothing to load: give a path or keep bundled=True")
    if user or not cache:
        with _gc_paused():
            return _load_layers(user, bundled=bundled, cache=cache)
    with _lock, _gc_paused():
        if "bundled" not in _cache:
            _cache["bundled"] = _bundled_dataset()
        return _cache["bundled"]
