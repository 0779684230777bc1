"""Compiled snapshots: a data folder's records as JSON, keyed by the hash of its YAML files.

The YAML stays the source of truth. The bundled data ships with a snapshot (``cnpolicy/bundled.json``)
that a test keeps in step; user folders get one in the user's cache directory. A snapshot whose
hash, format or cnpolicy version does not match, or that cannot be read, is ignored, never trusted.

Layout: one header line of JSON (format, digest, where each record's JSON lies in the rest of the
file, where each nested record sits in its parent, fields kept for scans, the name index), then the
records' JSON one after another. Reading the header alone is enough to start: each record is
decoded the first time it is asked for.

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
    "read_data_files",
    "read_snapshot",
    "snapshot_text",
    "write_snapshot",
]

#: Bump when the snapshot layout or the model changes in a way old snapshots cannot express.
FORMAT = 4
#: A snapshot larger than this is not read (a data folder's YAML is at most 8 MiB a file).
MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024
_KINDS = tuple(kind.name for kind in FILE_KINDS)
_NESTED = tuple(kind.name for kind in KINDS if kind.inside is not None)
#: Fields kept in the header as well, by kind, so that a scan over them decodes no record: every
#: regulation's relations (`Dataset.related` and version chains read all of them).
_HEADER_FIELDS = {"regulations": ("relations",)}
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
    nested: dict[str, dict[str, tuple[str, int]]]
    names: dict[str, list[tuple[str, str]]] | None


class _Encoded(Mapping[str, Any]):
    """A snapshot's records of one kind, each decoded from its own span of JSON on first access, then kept.

    Keys, order and length come from the snapshot's header, so they decode nothing.
    """

    __slots__ = ("_decoded", "_fields", "_label", "_raw", "_spans")

    def __init__(
        self, raw: bytes, spans: dict[str, tuple[int, int]], label: str, fields: dict[str, dict[str, Any]] | None = None
    ) -> None:
        self._raw = raw
        self._spans = spans
        self._label = label
        self._fields = fields or {}  # data key -> record key -> plain value, kept in the header
        self._decoded: dict[str, Any] = {}

    def kept(self, data_key: str) -> dict[str, Any] | None:
        """The header's copy of one field of every record (absent for a record: the default), if kept."""
        return self._fields.get(data_key)

    def __getitem__(self, key: str) -> Any:
        try:
            return self._decoded[key]
        except KeyError:
            start, end = self._spans[key]  # a missing key raises KeyError, as for any mapping
        try:
            value = json.loads(self._raw[start:end])
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


def read_snapshot(source: Traversable | str, digest: str | None, *, lazy: bool = False) -> Snapshot | None:
    """The contents of a snapshot if it is readable and matches ``digest``; otherwise None.

    ``digest=None`` (only for the snapshot inside an installed package) accepts the one it holds.
    With ``lazy`` (only for the bundled snapshot) each record is decoded when first asked for;
    otherwise every record is decoded here, and one that cannot be makes the snapshot unreadable.
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
    body = end + 1
    try:
        spans = {
            kind: {str(key): (body + int(start), body + int(stop)) for key, start, stop in header["spans"][kind]}
            for kind in _KINDS
        }
        nested = {
            kind: {str(key): (str(parent), int(index)) for key, (parent, index) in header["nested"][kind].items()}
            for kind in _NESTED
        }
        names = header.get("names")
        if names is not None:
            names = {str(key): [(str(kind), str(ident)) for kind, ident in hits] for key, hits in names.items()}
        fields = {
            kind: {str(key): dict(header["fields"][kind][key]) for key in _HEADER_FIELDS[kind]} for kind in _HEADER_FIELDS
        }
    except (AttributeError, KeyError, TypeError, ValueError):
        return None
    records: dict[str, Mapping[str, Any]]
    if lazy:
        records = {kind: _Encoded(raw, spans[kind], str(source), fields.get(kind)) for kind in _KINDS}
    else:  # every record of a kind in one decoding, as one JSON array
        try:
            records = {}
            for kind in _KINDS:
                values = json.loads(b"[" + b",".join(raw[start:stop] for start, stop in spans[kind].values()) + b"]")
                if not isinstance(values, list) or len(values) != len(spans[kind]):
                    return None
                records[kind] = dict(zip(spans[kind], values, strict=True))
        except (ValueError, RecursionError):
            return None
    return Snapshot(records, nested, names)


def snapshot_text(records: dict[str, list[Any]], digest: str, names: dict[str, list[tuple[str, str]]] | None = None) -> str:
    """The text of a snapshot: a header line (format, digest, where each record's JSON lies, where each
    nested record sits, the name index), then every record's JSON, one after another."""
    parts: list[str] = []
    spans: dict[str, list[tuple[str, int, int]]] = {}
    at = 0
    for kind in FILE_KINDS:
        spans[kind.name] = []
        for record in records[kind.name]:
            # ASCII (Chinese as \u escapes): about a quarter faster to write and to read than UTF-8 text,
            # and a span's characters are its bytes.
            text = json.dumps(record, separators=(",", ":"), default=_date_text, check_circular=False)
            spans[kind.name].append((record[kind.key], at, at + len(text)))
            parts.append(text)
            at += len(text)
    nested = {
        kind.name: {
            child[kind.key]: (parent[kind_named(kind.location).key], index)
            for parent in records[kind.location]
            for index, child in enumerate(parent.get(kind.inside, ()))
        }
        for kind in KINDS
        if kind.inside is not None
    }
    keys = {kind.name: kind.key for kind in FILE_KINDS}
    fields = {
        kind: {key: {record[keys[kind]]: record[key] for record in records[kind] if key in record} for key in kept}
        for kind, kept in _HEADER_FIELDS.items()
    }
    header: dict[str, Any] = {
        "format": FORMAT,
        "cnpolicy": _version(),
        "digest": digest,
        "spans": spans,
        "nested": nested,
        "fields": fields,
    }
    if names is not None:
        header["names"] = names
    return json.dumps(header, separators=(",", ":"), default=_date_text) + "\n" + "".join(parts)


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


class _Plan(NamedTuple):
    """How to build one class: the fields whose plain data is their value, then those made from it."""

    same: tuple[tuple[str, str], ...]  # (field name, data key)
    made: tuple[tuple[str, str, Callable[[Any], Any]], ...]  # (field name, data key, maker)


@functools.cache
def _plan(cls: Any) -> _Plan:
    hints = typing.get_type_hints(cls)
    fields = [(a.name, data_key(a), _maker(hints[a.name])) for a in attrs.fields(cls)]
    return _Plan(
        tuple((name, key) for name, key, make in fields if make is _same),
        tuple(field for field in fields if field[2] is not _same),
    )


def build(cls: type[T], data: dict[str, Any]) -> T:
    """``cls`` from plain data as the converter's ``unstructure`` writes it (trusted input only)."""
    same, made = _plan(typing.cast(Any, cls))
    values = {name: data[key] for name, key in same if key in data}
    for name, key, make in made:
        if key in data:
            values[name] = make(data[key])
    return cls(**values)


def _field_of(cls: Any, name: str, data: dict[str, Any]) -> Any:
    """One attribute of ``cls`` from the plain data of a whole record (its default when absent)."""
    key, make, default = _field_plan(cls, name)
    if key in data:
        return make(data[key])
    return default.factory() if isinstance(default, attrs.Factory) else default  # type: ignore[arg-type]


@functools.cache
def _field_plan(cls: Any, name: str) -> tuple[str, Callable[[Any], Any], Any]:
    """How to make one field of ``cls``: its data key, its maker and its default."""
    same, made = _plan(cls)
    for field_name, key, make in (*((n, k, _same) for n, k in same), *made):
        if field_name == name:
            return key, make, attrs.fields_dict(cls)[name].default
    raise AttributeError(name)


def _data_key(cls: Any, name: str) -> str:
    """The key under which the field ``name`` of ``cls`` is written in plain data."""
    return _field_plan(cls, name)[0]


def attribute(records: Mapping[str, Any], key: str, name: str) -> Any:
    """The attribute ``name`` of ``records[key]``, built alone for a bundled record not built yet."""
    if isinstance(records, LazyRecords):
        return records.attribute(key, name)
    return getattr(records[key], name)


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
        if isinstance(self._plain, _Encoded) and key in self._plain:
            data_key = _data_key(self._cls, name)
            kept = self._plain.kept(data_key)
            if kept is not None:  # the header holds this field of every record: decode nothing
                return _field_of(self._cls, name, {data_key: kept[key]} if key in kept else {})
        found = self._plain[key]
        if not isinstance(found, dict):
            return getattr(self[key], name)
        return _field_of(self._cls, name, found)

    def plain(self, key: str) -> Any:
        """The plain data the record ``key`` is built from (as the converter's ``unstructure`` writes
        it), without building it; for nested records, where it is their place, None."""
        found = self._plain[key]
        return found if isinstance(found, dict) else None
