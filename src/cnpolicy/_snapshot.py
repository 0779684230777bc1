"""Compiled snapshots: a data folder's records as JSON, keyed by the hash of its YAML files.

The YAML stays the source of truth. The bundled data ships with a snapshot (``cnpolicy/bundled.json``)
that a test keeps in step; user folders get one in the user's cache directory. A snapshot whose
hash, format or cnpolicy version does not match, or that cannot be read, is ignored, never trusted.

Layout: one short header line of JSON (format, digest, where each section lies), then each record's
JSON one after another, then the sections: where each record lies, where each nested record sits in
its parent, fields kept for scans, the name index. Reading the header alone is enough to start: each
section and each record is decoded the first time it is asked for.

The bundled snapshot was compiled from checked YAML, so its records are built by `build`, which
skips the strict validation that user input gets from the converter (a cold ``load()`` needs neither
cattrs nor its generated code), and each only when first asked for (`LazyRecords`).
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
import os
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import attrs

from cnpolicy.dates import PartialDate
from cnpolicy.model.conditions import Condition, parse
from cnpolicy.model.kinds import FILE_KINDS, KINDS, data_key, kind_named

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable
    from pathlib import Path

__all__ = [
    "FORMAT",
    "LazyRecords",
    "Snapshot",
    "build",
    "cache_dir",
    "contents_digest",
    "folder_digest",
    "peek",
    "read_data_files",
    "read_snapshot",
    "scan",
    "snapshot_text",
    "write_snapshot",
]

#: Bump when the snapshot layout or the model changes in a way old snapshots cannot express.
FORMAT = 5
#: A snapshot larger than this is not read (a data folder's YAML is at most 8 MiB a file).
MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024
_KINDS = tuple(kind.name for kind in FILE_KINDS)
_NESTED = tuple(kind.name for kind in KINDS if kind.inside is not None)
#: The fields that hold nested records (``obligations``): a record's other fields decode without them.
_NESTED_FIELDS = frozenset(kind.inside for kind in KINDS if kind.inside is not None)


class _Absent(enum.Enum):
    ABSENT = "absent"


#: A field not written in a record's plain data (it has its default).
ABSENT = _Absent.ABSENT
#: Fields kept in a section of their own as well, by kind, so that a scan over them decodes no record:
#: every regulation's relations (`Dataset.related` and version chains read all of them), and every
#: source's URL and copy flag (the engine cites every obligation, and a citation ranks its URLs).
_KEPT_FIELDS = {"regulations": ("relations",), "sources": ("url", "copy")}
_KEPT_KEYS = frozenset(key for kept in _KEPT_FIELDS.values() for key in kept)
T = TypeVar("T")
V = TypeVar("V")


def read_data_files(root: Traversable) -> dict[str, bytes | None]:
    """The bytes of every data file of a folder (see `data_files`); None for a file that cannot be read."""
    from cnpolicy._load import data_files, read_file

    contents: dict[str, bytes | None] = {}
    for name in data_files(root):
        try:
            contents[name] = read_file(root, name)
        except (OSError, ValueError):  # a DataError (too large, not a regular file, ...) is a ValueError
            contents[name] = None  # the loader reads it again and reports why it cannot
    return contents


def contents_digest(contents: Mapping[str, bytes | None]) -> str:
    """SHA-256 over the snapshot format and the names and bytes of a folder's data files."""
    import hashlib

    hashed = hashlib.sha256(f"cnpolicy-snapshot-{FORMAT}\n".encode())
    for name, data in contents.items():
        if data is None:
            hashed.update(f"{name}\nunreadable\n".encode())
        else:
            hashed.update(f"{name}\n{len(data)}\n".encode())
            hashed.update(data)
    return hashed.hexdigest()


def folder_digest(root: Traversable) -> str:
    """The `contents_digest` of every data file in the folder."""
    return contents_digest(read_data_files(root))


def cache_dir() -> Path:
    """Where user folders' snapshots go.

    ``$CNPOLICY_CACHE_DIR``, else ``$XDG_CACHE_HOME/cnpolicy``, else ``~/.cache/cnpolicy``.
    """
    from pathlib import Path

    if explicit := os.environ.get("CNPOLICY_CACHE_DIR"):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cnpolicy"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cnpolicy")
    except PackageNotFoundError:  # pragma: no cover - running from a checkout without metadata
        return "unknown"


class Snapshot(NamedTuple):
    """A snapshot's records by kind (key -> plain data; decoded one record at a time when read lazily),
    where each nested record sits (kind -> key -> (parent key, index)), and, for the bundled one, its
    name index (see `build_name_index`)."""

    records: dict[str, Mapping[str, Any]]
    nested: dict[str, Mapping[str, tuple[str, int]]]
    names: Mapping[str, list[tuple[str, str]]] | None
    #: for the bundled one: what search looks at (see `cnpolicy.query.searchable`), decoded when first asked for
    searchable: Callable[[], list[Any]] | None = None


class _Section(Mapping[str, Any]):
    """One section of a snapshot (a JSON object in its own span), decoded and converted on first use.

    A command decodes only the sections it reads: ``show pipl`` never decodes the sources' spans.
    """

    __slots__ = ("_convert", "_label", "_raw", "_span", "_value")

    def __init__(self, raw: str, span: tuple[int, int], label: str, convert: Callable[[Any], dict[str, Any]]) -> None:
        self._raw = raw
        self._span = span
        self._label = label
        self._convert = convert
        self._value: dict[str, Any] | None = None

    def value(self) -> dict[str, Any]:
        """The section's contents; `DataError` if they cannot be read (a damaged installation)."""
        if self._value is None:
            start, end = self._span
            try:
                self._value = self._convert(_decoded(self._raw, start, end))
            except (AttributeError, KeyError, TypeError, ValueError, RecursionError):
                from cnpolicy.errors import DataError

                raise DataError("the snapshot cannot be read; reinstall cnpolicy", file=self._label) from None
        return self._value

    def __getitem__(self, key: str) -> Any:
        return self.value()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.value())

    def __len__(self) -> int:
        return len(self.value())

    def __contains__(self, key: object) -> bool:
        return key in self.value()


class _Encoded(Mapping[str, Any]):
    """A snapshot's records of one kind, each decoded from its own span of JSON on first access, then kept.

    Keys, order and length come from the snapshot's spans section, so they decode no record. A span
    is (start, cut, end): a record holding nested records (a regulation's obligations) has them
    last, from ``cut``, so that its other fields can be decoded alone (`shallow`).
    """

    __slots__ = ("_decoded", "_fields", "_label", "_raw", "_shallow", "_spans")

    def __init__(
        self, raw: str, spans: Mapping[str, tuple[int, int, int]], label: str, fields: Mapping[str, Any] | None = None
    ) -> None:
        self._raw = raw
        self._spans = spans
        self._label = label
        # data key -> record key -> plain value, kept in a section of their own (not decoded here)
        self._fields = {} if fields is None else fields
        self._decoded: dict[str, Any] = {}
        self._shallow: dict[str, Any] = {}

    def shallow(self, key: str) -> Any:
        """The record's plain data without its nested records (all of it when it has none)."""
        found = self._decoded.get(key)
        if found is not None:
            return found
        start, cut, end = self._spans[key]
        if cut == end:
            return self[key]
        try:
            return self._shallow[key]
        except KeyError:
            pass
        try:
            value = json.loads(self._raw[start:cut] + "}")
        except (ValueError, RecursionError):
            from cnpolicy.errors import DataError

            raise DataError(f"record {key!r} of the snapshot cannot be read; reinstall cnpolicy", file=self._label) from None
        return self._shallow.setdefault(key, value)

    def field(self, key: str, data_key: str) -> Any:
        """The plain value of one field of the record ``key`` (`ABSENT` where it is not written), read
        from the snapshot's copy of that field when it keeps one, else decoding as little as it can."""
        fields = self._fields
        if data_key in _KEPT_KEYS and data_key in fields:  # kept apart: decode no record
            if key not in self._spans:
                raise KeyError(key)
            return fields[data_key].get(key, ABSENT)
        data = self[key] if data_key in _NESTED_FIELDS else self.shallow(key)
        return data.get(data_key, ABSENT)

    def __getitem__(self, key: str) -> Any:
        try:
            return self._decoded[key]
        except KeyError:
            start, _, end = self._spans[key]  # a missing key raises KeyError, as for any mapping
        try:
            value = _decoded(self._raw, start, end)
        except (ValueError, RecursionError):
            from cnpolicy.errors import DataError

            raise DataError(f"record {key!r} of the snapshot cannot be read; reinstall cnpolicy", file=self._label) from None
        return self._decoded.setdefault(key, value)

    def __iter__(self) -> Iterator[str]:
        return iter(self._spans)

    def __len__(self) -> int:
        return len(self._spans)

    def __contains__(self, key: object) -> bool:
        return key in self._spans


_DECODER = json.JSONDecoder()


def _decoded(text: str, start: int, end: int) -> Any:
    """The JSON value that fills ``text[start:end]`` exactly, decoded without copying it out."""
    value, stop = _DECODER.raw_decode(text, start)
    if stop != end:
        raise ValueError(f"a snapshot span ends at {stop}, not {end}")
    return value


def _spans(body: int) -> Callable[[Any], dict[str, tuple[int, int, int]]]:
    return lambda found: {
        str(key): (body + int(start), body + int(cut), body + int(stop)) for key, (start, cut, stop) in found.items()
    }


def _places(found: Any) -> dict[str, tuple[str, int]]:
    return {str(key): (str(parent), int(index)) for key, (parent, index) in found.items()}


def _names(found: Any) -> dict[str, list[tuple[str, str]]]:
    return {str(key): [(str(kind), str(ident)) for kind, ident in hits] for key, hits in found.items()}


def _searchable(found: Any) -> dict[str, Any]:
    return {"records": [(str(k), str(i), str(label), tuple(map(str, texts))) for k, i, label, texts in found["records"]]}


def _kept(found: Any) -> dict[str, Any]:
    return {str(key): dict(values) for key, values in found.items()}


def read_snapshot(source: Traversable | str, digest: str | None, *, lazy: bool = False) -> Snapshot | None:
    """The contents of a snapshot if it is readable and matches ``digest``; otherwise None.

    ``digest=None`` (only for the snapshot inside an installed package) accepts the one it holds.
    With ``lazy`` (only for the bundled snapshot) each section and each record is decoded when first
    asked for; otherwise everything is decoded here, and anything that cannot be makes the snapshot
    unreadable.
    """
    try:
        if isinstance(source, str | os.PathLike):
            from cnpolicy._files import read_limited

            raw = read_limited(os.fspath(source), limit=MAX_SNAPSHOT_BYTES)
        else:
            raw = source.read_bytes()  # the bundled snapshot inside a zip
        end = raw.index(b"\n")
        header = json.loads(raw[:end])
    except (OSError, ValueError, RecursionError):  # a YamlSyntaxError (too large, not a file) is a ValueError
        return None
    if not isinstance(header, dict) or header.get("format") != FORMAT or (digest is not None and header.get("digest") != digest):
        return None
    body, label = end + 1, str(source)
    try:
        text = raw.decode("ascii")  # a snapshot is ASCII: offsets in the text are offsets in the file
    except UnicodeDecodeError:
        return None
    try:
        where = {str(name): (body + int(start), body + int(stop)) for name, (start, stop) in header["sections"].items()}

        def section(name: str, convert: Callable[[Any], dict[str, Any]]) -> _Section:
            return _Section(text, where[name], label, convert)

        spans = {kind: section(f"spans.{kind}", _spans(body)) for kind in _KINDS}
        places = {kind: section(f"nested.{kind}", _places) for kind in _NESTED}
        names = section("names", _names) if "names" in where else None
        search = section("search", _searchable) if "search" in where else None
        fields = {kind: section(f"fields.{kind}", _kept) for kind in _KEPT_FIELDS}
    except (AttributeError, KeyError, TypeError, ValueError):
        return None
    records: dict[str, Mapping[str, Any]]
    if lazy:
        records = {kind: _Encoded(text, spans[kind], label, fields.get(kind)) for kind in _KINDS}
        return Snapshot(records, dict(places), names, None if search is None else lambda: search.value()["records"])
    from cnpolicy.errors import DataError

    try:  # every section now, and every record of a kind in one decoding, as one JSON array
        records = {}
        for kind in _KINDS:
            found = spans[kind].value()
            values = json.loads(b"[" + b",".join(raw[start:stop] for start, _, stop in found.values()) + b"]")
            if not isinstance(values, list) or len(values) != len(found):
                return None
            records[kind] = dict(zip(found, values, strict=True))
        nested: dict[str, Mapping[str, tuple[str, int]]] = {kind: found.value() for kind, found in places.items()}
        return Snapshot(records, nested, None if names is None else names.value())
    except (DataError, ValueError, RecursionError):
        return None


def snapshot_text(
    records: dict[str, list[Any]],
    digest: str,
    names: dict[str, list[tuple[str, str]]] | None = None,
    searchable: list[Any] | None = None,
) -> str:
    """The text of a snapshot: a header line (format, digest, where each section lies), then every
    record's JSON one after another, then the sections: where each record lies, where each nested
    record sits, the fields kept for scans, and (for the bundled data) the name index and what
    search looks at."""
    parts: list[str] = []
    sections: dict[str, tuple[int, int]] = {}
    at = 0

    def add(text: str) -> tuple[int, int]:
        nonlocal at
        parts.append(text)
        at += len(text)
        return at - len(text), at

    def add_section(name: str, value: object) -> None:
        sections[name] = add(json.dumps(value, separators=(",", ":"), default=_date_text))

    def dumps(value: object) -> str:
        # ASCII (Chinese as \u escapes): about a quarter faster to write and to read than UTF-8 text,
        # and a span's characters are its bytes.
        return json.dumps(value, separators=(",", ":"), default=_date_text, check_circular=False)

    spans: dict[str, dict[str, tuple[int, int, int]]] = {}
    inside = {kind.location: kind.inside for kind in KINDS if kind.inside is not None}
    for kind in FILE_KINDS:
        spans[kind.name] = {}
        nested = inside.get(kind.name)
        for record in records[kind.name]:
            if nested is None or not record.get(nested):
                start, stop = add(dumps(record))
                spans[kind.name][record[kind.key]] = (start, stop, stop)
                continue
            shallow = dumps({key: value for key, value in record.items() if key != nested})
            start, cut = add(shallow[:-1])  # the nested records go last, after the other fields
            _, stop = add(f',"{nested}":{dumps(record[nested])}}}')
            spans[kind.name][record[kind.key]] = (start, cut, stop)
    for name, found in spans.items():
        add_section(f"spans.{name}", found)
    for kind in KINDS:
        if kind.inside is not None:
            add_section(
                f"nested.{kind.name}",
                {
                    child[kind.key]: (parent[kind_named(kind.location).key], index)
                    for parent in records[kind.location]
                    for index, child in enumerate(parent.get(kind.inside, ()))
                },
            )
    keys = {kind.name: kind.key for kind in FILE_KINDS}
    for name, kept in _KEPT_FIELDS.items():
        add_section(
            f"fields.{name}",
            {key: {record[keys[name]]: record[key] for record in records[name] if key in record} for key in kept},
        )
    if names is not None:
        add_section("names", dict(sorted(names.items())))  # in one order, whatever the hash seed
    if searchable is not None:
        add_section("search", {"records": searchable})
    header = {"format": FORMAT, "cnpolicy": _version(), "digest": digest, "sections": sections}
    return json.dumps(header, separators=(",", ":")) + "\n" + "".join(parts)


def _date_text(value: object) -> str:
    """Dates that YAML read unquoted go into a snapshot as the ISO text they were written as."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to a snapshot")


def write_snapshot(path: Path, records: dict[str, list[Any]], digest: str) -> bool:
    """Write atomically (temporary file, then rename); False if the location is not writable."""
    try:
        text = snapshot_text(records, digest)
    except (TypeError, ValueError):  # something JSON cannot hold: simply do not cache
        return False
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False) as handle:
            handle.write(text)
        os.replace(handle.name, path)
    except OSError:
        return False
    return True


# --- records from trusted plain data ------------------------------------------------------------

_CONDITIONS = set(typing.get_args(Condition))


def _same(value: Any) -> Any:
    return value


def _partial_date(value: str) -> PartialDate:
    return PartialDate.parse(value)


def _maker(tp: Any) -> Callable[[Any], Any]:
    """How to make a value of type ``tp`` from its plain data (`_same` where the plain data is the value)."""
    if tp in (str, int, bool):
        return _same
    if tp is float:
        return float
    if tp is PartialDate:
        return _partial_date
    if tp is dt.date:
        return dt.date.fromisoformat
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp
    origin = typing.get_origin(tp)
    if origin is tuple:
        inner = _maker(typing.get_args(tp)[0])
        return tuple if inner is _same else lambda values: tuple(map(inner, values))
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if set(args) == _CONDITIONS:
            return lambda value: None if value is None else parse(value)
        if len(args) == 1:
            inner = _maker(args[0])
            return _same if inner is _same else lambda value: None if value is None else inner(value)
        return _same  # int | str (a comparison value)
    if attrs.has(tp):
        return functools.partial(build, tp)
    raise TypeError(f"no trusted builder for {tp!r}")  # pragma: no cover - every model type is handled above


@functools.cache
def _plan(cls: Any) -> dict[str, tuple[str, Callable[[Any], Any] | None]]:
    """How to build one class: for each data key, the field's name and how to make its value (None
    where the plain data is the value)."""
    hints = typing.get_type_hints(cls)
    plan: dict[str, tuple[str, Callable[[Any], Any] | None]] = {}
    for field in attrs.fields(cls):
        make = _maker(hints[field.name])
        plan[data_key(field)] = (field.name, None if make is _same else make)
    return plan


def build(cls: type[T], data: dict[str, Any]) -> T:
    """``cls`` from plain data as the converter's ``unstructure`` writes it (trusted input only)."""
    plan = _plan(typing.cast(Any, cls))
    values = {}
    for key, value in data.items():
        name, make = plan[key]
        values[name] = value if make is None else make(value)
    return cls(**values)


def _field_of(cls: Any, name: str, value: Any) -> Any:
    """One attribute of ``cls`` from its plain value (its default when the value is `ABSENT`)."""
    _, make, default = _field_plan(cls, name)
    if value is not ABSENT:
        return make(value)
    return default.factory() if isinstance(default, attrs.Factory) else default  # type: ignore[arg-type]


@functools.cache
def _field_plan(cls: Any, name: str) -> tuple[str, Callable[[Any], Any], Any]:
    """How to make one field of ``cls``: its data key, its maker and its default."""
    for key, (field_name, make) in _plan(cls).items():
        if field_name == name:
            return key, make or _same, attrs.fields_dict(cls)[name].default
    raise AttributeError(name)


def attribute(records: Mapping[str, Any], key: str, name: str) -> Any:
    """The attribute ``name`` of ``records[key]``, built alone for a bundled record not built yet."""
    if isinstance(records, LazyRecords):
        return records.attribute(key, name)
    return getattr(records[key], name)


class _View:
    """One bundled record not built yet, read field by field (see `LazyRecords.attribute`); its class's
    properties and methods run on the view, reading the fields they use the same way.

    For scans that read a few fields of every record (filters, timelines, tables): building a
    regulation builds all its obligations, a view of it reads only what is asked. A view never leaves
    the library: whatever a scan keeps is handed out as ``records[key]``.
    """

    __slots__ = ("_key", "_records", "_seen")

    def __init__(self, records: LazyRecords[Any], key: str) -> None:
        self._records = records
        self._key = key
        self._seen: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        seen = self._seen
        if name in seen:
            return seen[name]
        member = _member_of(typing.cast(type, self._records._cls), name)
        if member is None:  # a field
            value = self._records.attribute(self._key, name)
        elif isinstance(member, property) and member.fget is not None:
            value = member.fget(self)
        elif isinstance(member, types.FunctionType):
            return types.MethodType(member, self)
        else:
            raise AttributeError(name)
        seen[name] = value
        return value

    def __repr__(self) -> str:
        return f"<view of {self._key!r}>"


@functools.cache
def _member_of(cls: Any, name: str) -> object:
    """None for a field of ``cls``; else the class attribute (property, method, ...) a view runs."""
    if name in attrs.fields_dict(cls):
        return None
    for klass in cls.__mro__:
        if name in vars(klass):
            return vars(klass)[name]
    raise AttributeError(name)


def scan(records: Mapping[str, V]) -> Iterator[V]:
    """Every record, in order, for a scan that reads a few fields of each: a bundled record not built
    yet comes as a view (see `_View`), typed as the record. Keep keys, not views: hand out ``records[key]``."""
    if isinstance(records, LazyRecords) and records._cls is not None:
        return records.scan()
    return iter(records.values())


def peek(records: Mapping[str, V], key: str) -> V:
    """``records[key]``, or a view of it when it is a bundled record not built yet (see `scan`)."""
    if isinstance(records, LazyRecords) and records._cls is not None:
        return typing.cast(V, records.peek(key))
    return records[key]


class LazyRecords(Mapping[str, V]):
    """A read-only mapping whose values are made from their plain data on first access, then kept.

    Iteration order, ``len`` and membership come from the plain data, so they build nothing. Safe to
    share between threads: two threads building the same record at once both get the one kept first.
    """

    __slots__ = ("_built", "_cls", "_make", "_plain")

    def __init__(self, plain: Mapping[str, Any], make: Callable[[Any], V], cls: type[V] | None = None) -> None:
        self._plain = plain
        self._make = make
        self._cls = cls  # the model class ``make`` builds from plain data, when it builds with `build`
        self._built: dict[str, V] = {}

    def __getitem__(self, key: str) -> V:
        try:
            return self._built[key]
        except KeyError:
            record = self._make(self._plain[key])  # a missing key raises KeyError, as for any mapping
        return self._built.setdefault(key, record)

    def __iter__(self) -> Iterator[str]:
        return iter(self._plain)

    def __len__(self) -> int:
        return len(self._plain)

    def __contains__(self, key: object) -> bool:
        return key in self._plain

    def __repr__(self) -> str:
        return f"<LazyRecords of {len(self)}, {len(self._built)} built>"

    def attribute(self, key: str, name: str) -> Any:
        """The attribute ``name`` of the record ``key``, without building the record when it is not built yet."""
        built = self._built.get(key)
        if built is not None or self._cls is None:
            return getattr(self[key], name)
        cls: Any = self._cls
        plain = self._plain
        if isinstance(plain, _Encoded):
            return _field_of(cls, name, plain.field(key, _field_plan(cls, name)[0]))
        found = plain[key]
        if not isinstance(found, dict):
            return getattr(self[key], name)
        return _field_of(cls, name, found.get(_field_plan(cls, name)[0], ABSENT))

    def peek(self, key: str) -> V:
        """The record ``key`` if built, else a view of it (see `scan`)."""
        built = self._built.get(key)
        if built is not None:
            return built
        if key not in self._plain:
            raise KeyError(key)
        return typing.cast(V, _View(self, key))

    def scan(self) -> Iterator[V]:
        """Every record in order: those built as they are, the others as views (see `scan`)."""
        built = self._built
        for key in self._plain:
            found = built.get(key)
            yield found if found is not None else typing.cast(V, _View(self, key))

    def plain(self, key: str) -> Any:
        """The plain data the record ``key`` is built from (as the converter's ``unstructure`` writes
        it), without building it; for nested records, where it is their place, None."""
        found: Any = self._plain[key]
        return found if isinstance(found, dict) else None
