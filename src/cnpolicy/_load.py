"""Loading, one way: read -> structure -> merge layers -> check -> `Dataset`.

Each data folder is read into a `Layer` (its records with the place each was read, and the problems
found); layers are merged, later ones winning on equal keys; the checks run over the merged
records; every problem becomes a `DataError` at its file and line, all raised together. Also here:
the bundled data and its compiled snapshot, and the cache of user folders' snapshots.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from os import PathLike
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs

from cnpolicy.errors import (
    DanglingReferenceError,
    DataError,
    DataErrors,
    DuplicateIdError,
    PathSegment,
    SchemaError,
    YamlSyntaxError,
    format_path,
)
from cnpolicy.model.kinds import FILE_KINDS, KINDS, Kind, Layout

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable
    from pathlib import Path

    from cnpolicy._checks import Field, Problem
    from cnpolicy._snapshot import Snapshot
    from cnpolicy._yaml import Document
    from cnpolicy.dataset import Dataset

__all__ = ["Layer", "Origin", "build", "bundled_data_root", "compile_bundled_snapshot", "data_files", "load", "read_file"]


@attrs.frozen
class Origin:
    """Where a record was read: its document and the field path of the record in it."""

    document: Document
    path: tuple[PathSegment, ...]

    def locate(self, field: tuple[PathSegment, ...] = ()) -> tuple[str, int | None]:
        """File name and line of ``field`` inside this record."""
        return self.document.file, self.document.line((*self.path, *field))


def _error(
    cls: type[DataError], field: Field, message: str, *, file: str, line: int | None, target: tuple[str, str] | None = None
) -> DataError:
    if issubclass(cls, DanglingReferenceError):
        kind, key = target or ("", "")
        return cls(message, file=file, line=line, path=format_path(field), target_kind=kind, target=key)
    return cls(message, file=file, line=line, path=format_path(field))


@attrs.define
class Layer:
    """The records of one folder (or of records given in memory), in order, each with its origin; and the problems found."""

    label: str
    records: dict[str, list[tuple[Any, Origin | None]]] = attrs.Factory(lambda: {kind.name: [] for kind in FILE_KINDS})
    errors: list[DataError] = attrs.Factory(list)
    #: keys of records that failed to structure, and kinds with a file that failed to parse:
    #: references to them are not reported again as dangling.
    broken: set[tuple[str, str]] = attrs.Factory(set)
    broken_kinds: set[str] = attrs.Factory(set)
    #: the plain data each record was structured from, by kind, in the same order (for the cache)
    plain: dict[str, list[Any]] = attrs.Factory(dict)

    def keep(self, kind: str, record: Any, origin: Origin | None, raw: Any) -> None:
        """Add a structured record with its origin and the plain data it came from."""
        self.records[kind].append((record, origin))
        self.plain.setdefault(kind, []).append(raw)

    def error(
        self, origin: Origin | None, cls: type[DataError], field: Field, message: str, *, at: tuple[str, str] = ("", "")
    ) -> None:
        """Note a problem at ``field`` of the record read at ``origin``; without an origin, of the record ``at`` (kind, key)."""
        if origin is not None:
            file, line = origin.locate(field)
            self.errors.append(_error(cls, field, message, file=file, line=line))
        else:
            self.errors.append(_error(cls, (*at, *field), message, file=self.label, line=None))

    def to_plain(self) -> dict[str, list[Any]]:
        """The records as plain data, for the cache: the data they were read from when known (fast), else unstructured."""
        from cnpolicy._convert import unstructure

        out = {}
        for kind, records in self.records.items():
            plain = self.plain.get(kind, [])
            out[kind] = plain if len(plain) == len(records) else [unstructure(record) for record, _ in records]
        return out


# --- reading a folder ---------------------------------------------------------------------------


def data_files(root: Traversable) -> list[str]:
    """The names of every data file of a folder, relative to it, in reading order.

    The single files (``facts.yaml``, ``agencies.yaml``, ``sources.yaml``), then each folder's
    ``*.yaml`` files (``regulations/``, ``events/``) by file name.
    """
    found = [kind.location for kind in FILE_KINDS if kind.layout is Layout.LIST and (root / kind.location).is_file()]
    for kind in FILE_KINDS:
        if kind.layout is not Layout.LIST:
            found.extend(f"{kind.location}/{name}" for name in _yaml_names(root / kind.location))
    return found


def _yaml_names(folder: Traversable) -> list[str]:
    """Every ``*.yaml`` entry of the folder, whatever it is: reading refuses what is not a regular file, by name."""
    try:
        if isinstance(folder, os.PathLike):
            with os.scandir(os.fspath(folder)) as entries:
                return sorted(e.name for e in entries if e.name.endswith(".yaml"))
        if not folder.is_dir():
            return []
        return sorted(f.name for f in folder.iterdir() if f.name.endswith(".yaml") and f.is_file())
    except (FileNotFoundError, NotADirectoryError):  # no such subfolder: nothing of that kind
        return []
    except OSError as error:  # e.g. a folder without read permission
        raise DataError(f"cannot list the folder: {error.strerror or error}", file=str(folder)) from None


def read_file(root: Traversable, name: str) -> bytes:
    """The bytes of the data file ``name`` (a `data_files` name) of the folder, read within the size limit.

    Raises `YamlSyntaxError` naming the file for anything that is not a readable regular file.
    """
    from cnpolicy._files import MAX_BYTES, read_limited

    if isinstance(root, os.PathLike):
        return read_limited(os.path.join(root, name))
    data = (root / name).read_bytes()  # a packaged (zip) resource: the bundled data, of known size
    if len(data) > MAX_BYTES:
        raise YamlSyntaxError(f"file is larger than {MAX_BYTES} bytes", file=name)
    return data


def _kind_of(name: str) -> Kind:
    """The kind whose records a data file holds: ``regulations/csl.yaml`` -> regulations."""
    location = name.split("/")[0]
    return next(kind for kind in FILE_KINDS if kind.location == location)


def _parse(root: Traversable, name: str, layer: Layer, raw: bytes | None) -> Document | None:
    from cnpolicy._yaml import parse  # yaml is imported only when YAML is read

    shown = os.path.join(layer.label, name)
    try:
        return parse(read_file(root, name) if raw is None else raw, shown)
    except YamlSyntaxError as error:  # named as the folder's label shows it
        layer.errors.append(error if error.file == shown else YamlSyntaxError(error.message, file=shown, line=error.line))
    except OSError as error:
        layer.errors.append(YamlSyntaxError(f"cannot read file: {error}", file=shown))
    layer.broken_kinds.add(_kind_of(name).name)
    return None


def _with_parent_keys(kind: Kind, raw: Any) -> Any:
    """Nested records (obligations in their regulation) get their parent's key before structuring."""
    for nested in KINDS:
        if nested.location != kind.name or nested.inside is None or nested.parent_field is None:
            continue
        if isinstance(raw, dict) and isinstance(raw.get(nested.inside), list):
            parent, field = raw.get(kind.key), nested.parent_field
            raw = {
                **raw,
                nested.inside: [
                    {field: parent, **item} if isinstance(item, dict) and field not in item else item
                    for item in raw[nested.inside]
                ],
            }
    return raw


def _structure_records(doc: Document, kind: Kind, layer: Layer) -> Iterator[tuple[Any, Origin, Any]]:
    if doc.data is None:
        layer.errors.append(SchemaError("the file holds no records (it is empty or only comments)", file=doc.file))
        layer.broken_kinds.add(kind.name)
        return
    many = kind.layout is not Layout.ONE_PER_FILE
    if many and not isinstance(doc.data, list):
        layer.errors.append(SchemaError("expected a list of records at the top of the file", file=doc.file, line=doc.line(())))
        layer.broken_kinds.add(kind.name)
        return
    items: list[tuple[tuple[PathSegment, ...], Any]] = (
        [((index,), item) for index, item in enumerate(doc.data)] if many else [((), doc.data)]
    )
    from cnpolicy._convert import flatten_errors, structure  # cattrs is imported only to read YAML

    for path, raw in items:
        origin = Origin(doc, path)
        raw = _with_parent_keys(kind, raw)
        try:
            yield structure(raw, kind.cls), origin, raw
        except Exception as error:  # every structuring failure becomes a SchemaError with a location
            key = raw.get(kind.key) if isinstance(raw, dict) else None
            if isinstance(key, str):
                layer.broken.add((kind.name, key))
            else:
                layer.broken_kinds.add(kind.name)
            for field, message in flatten_errors(error):
                layer.error(origin, SchemaError, field, message)


def read_folder(root: Traversable, label: str, contents: Mapping[str, bytes | None] | None = None) -> Layer:
    """Read every data file under ``root``; problems are collected in ``Layer.errors``, never raised.

    ``contents`` holds the folder's files already read, by `data_files` name (None where a file
    could not be read), so that no file is read twice.
    """
    layer = Layer(label)
    for name in data_files(root) if contents is None else list(contents):
        doc = _parse(root, name, layer, None if contents is None else contents[name])
        if doc is None:
            continue
        kind, file_name = _kind_of(name), name.rpartition("/")[2]
        stem = file_name.removesuffix(".yaml")
        for record, origin, raw in _structure_records(doc, kind, layer):
            if kind.layout is Layout.ONE_PER_FILE and kind.key_of(record) != stem:
                layer.broken.add((kind.name, stem))
                message = f"{kind.key} {kind.key_of(record)!r} must match the file name {file_name!r}"
                layer.error(origin, SchemaError, (kind.key,), message)
            elif kind.layout is Layout.BY_YEAR and str(record.date.year) != stem:
                layer.error(origin, SchemaError, ("date",), f"{kind.singular} of {record.date} is in the file of {stem}")
            layer.keep(kind.name, record, origin, raw)
    return layer


def layer_from_plain(data: Mapping[str, Sequence[Any]], label: str) -> Layer:
    """Structure plain records (from JSON) by kind into a layer without origins; problems go to ``errors``."""
    from cnpolicy._convert import flatten_errors, structure

    layer = Layer(label)
    if not isinstance(data, Mapping):
        layer.errors.append(SchemaError(f"expected records by kind, got {type(data).__name__}", file=label))
        return layer
    for kind in FILE_KINDS:
        items = data.get(kind.name, ())
        if not isinstance(items, list | tuple):
            layer.errors.append(SchemaError(f"expected a list, got {type(items).__name__}", file=label, path=kind.name))
            continue
        for index, raw in enumerate(items):
            try:
                layer.keep(kind.name, structure(raw, kind.cls), None, raw)
            except Exception as error:  # mapped to SchemaErrors with the record's path
                for field, message in flatten_errors(error):
                    layer.errors.append(SchemaError(message, file=label, path=format_path((kind.name, index, *field))))
    return layer


def layer_of(records: Mapping[str, Iterable[Any]], label: str) -> Layer:
    """A layer of records built in memory, by kind."""
    layer = Layer(label)
    for kind in FILE_KINDS:
        for record in records.get(kind.name, ()):
            layer.records[kind.name].append((record, None))
    return layer


# --- merging, checking, building ----------------------------------------------------------------


def build(layers: Sequence[Layer]) -> Dataset:
    """Merge layers (later ones win on equal keys), check everything, and build the dataset.

    Raises every problem at once: one `DataError`, or a `DataErrors` group of them all.
    """
    from cnpolicy._checks import check  # not needed for the bundled snapshot, which was checked when compiled

    merged: dict[str, dict[str, Any]] = {kind.name: {} for kind in FILE_KINDS}
    origins: dict[tuple[str, str], Origin | None] = {}
    for layer in layers:
        _merge(layer, merged, origins)
    errors = [error for layer in layers for error in layer.errors]
    broken = {item for layer in layers for item in layer.broken}
    broken_kinds = {kind for layer in layers for kind in layer.broken_kinds}
    for problem in check(merged):
        if problem.target is not None and (problem.target[0] in broken_kinds or problem.target in broken):
            continue  # a reference to a record that failed to load is not a second problem
        errors.append(_located(problem, origins[(problem.kind, problem.key)]))
    if errors:
        errors.sort(key=lambda e: (e.file, e.line or 0))
        raise errors[0] if len(errors) == 1 else DataErrors(errors)
    return dataset_of(merged)


def _located(problem: Problem, origin: Origin | None) -> DataError:
    """The problem as an error at its file and line; a record made in memory is named by kind, key and field."""
    if origin is None:
        field: Field = (problem.kind, problem.key, *problem.field)
        return _error(problem.error, field, problem.message, file="<records>", line=None, target=problem.target)
    file, line = origin.locate(problem.field)
    return _error(problem.error, problem.field, problem.message, file=file, line=line, target=problem.target)


def _merge(layer: Layer, merged: dict[str, dict[str, Any]], origins: dict[tuple[str, str], Origin | None]) -> None:
    """Lay the layer's records over ``merged``; a key twice in one layer is a problem of the layer.

    Nested records (obligations) are checked for repeated ids across all layers by the checks.
    """
    seen: dict[tuple[str, str], Origin | None] = {}
    for kind in FILE_KINDS:
        for record, origin in layer.records[kind.name]:
            key = kind.key_of(record)
            if (kind.name, key) in seen:
                first = seen[(kind.name, key)]
                where = "an earlier record" if first is None else ":".join(map(str, first.locate()))
                message = f"duplicate id {key!r} in {kind.name} (first at {where})"
                layer.error(origin, DuplicateIdError, (kind.key,), message, at=(kind.name, key))
                continue
            seen[(kind.name, key)] = origin
            merged[kind.name].pop(key, None)  # an override moves to the end of the order
            merged[kind.name][key] = record
            origins[(kind.name, key)] = origin


def dataset_of(merged: Mapping[str, Mapping[str, Any]]) -> Dataset:
    """The `Dataset` of checked, merged records; records kept in a folder by year are put in date order."""
    from cnpolicy.dataset import Dataset

    mappings: dict[str, Mapping[str, Any]] = {}
    for kind in KINDS:
        if kind.inside is not None:
            parents = merged[kind.location].values()
            mappings[kind.name] = {kind.key_of(child): child for parent in parents for child in getattr(parent, kind.inside)}
        elif kind.layout is Layout.BY_YEAR:
            ordered = sorted(merged[kind.name].values(), key=lambda record: (record.date, kind.key_of(record)))
            mappings[kind.name] = {kind.key_of(record): record for record in ordered}
        else:
            mappings[kind.name] = dict(merged[kind.name])
    frozen: dict[str, Any] = {name: MappingProxyType(dict(mapping)) for name, mapping in mappings.items()}
    return Dataset(**frozen)


def dataset_from_snapshot(snapshot: Snapshot) -> Dataset:
    """The bundled data from its compiled snapshot, each record built on first use (see `LazyRecords`).

    Only for the bundled snapshot: it was checked when it was compiled, its records are already in
    order and it carries the name index, so nothing needs building before the first query.
    """
    from cnpolicy._snapshot import LazyRecords
    from cnpolicy._snapshot import build as build_record
    from cnpolicy.dataset import Dataset

    mappings: dict[str, Mapping[str, Any]] = {}
    for kind in FILE_KINDS:
        mappings[kind.name] = LazyRecords(snapshot.records[kind.name], functools.partial(build_record, kind.cls), kind.cls)
    for kind in KINDS:
        if kind.inside is not None:
            parents = mappings[kind.location]
            mappings[kind.name] = LazyRecords(snapshot.nested[kind.name], functools.partial(_nested, parents, kind.inside))
    return Dataset(**mappings, names=snapshot.names, searchable=snapshot.searchable)


def _nested(parents: Mapping[str, Any], inside: str, at: tuple[str, int]) -> Any:
    """The record at ``at`` (parent key, index) among the parents' nested records."""
    return getattr(parents[at[0]], inside)[at[1]]


# --- the bundled data ---------------------------------------------------------------------------


def bundled_data_root() -> Traversable:
    """The bundled ``data/`` folder: inside the installed wheel, or at the top of a checkout."""
    from pathlib import Path

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
    from pathlib import Path

    compiled = Path(__file__).resolve().parent / "bundled.json"
    if compiled.is_file():
        return compiled
    from importlib.resources import files  # only for a package imported from a zip file

    return files("cnpolicy") / "bundled.json"


def _bundled_dataset() -> Dataset:
    """The bundled data: from its compiled snapshot when that matches the YAML, else from the YAML."""
    from cnpolicy._snapshot import folder_digest, read_snapshot

    # In an installed package the snapshot was compiled from the data beside it when the wheel was
    # built, and both are the package's own files: it is read as it is (found with os.path, so that
    # this common case does not import pathlib). In a checkout, where the YAML is edited, it is used
    # only while it matches the YAML (else the YAML is read).
    package = os.path.dirname(os.path.realpath(__file__))
    if os.path.isdir(os.path.join(package, "data")):
        compiled = read_snapshot(os.path.join(package, "bundled.json"), None, lazy=True)
    else:
        compiled = read_snapshot(_bundled_snapshot_file(), folder_digest(bundled_data_root()), lazy=True)
    if compiled is not None and compiled.names is not None:
        return dataset_from_snapshot(compiled)
    return build([read_folder(bundled_data_root(), "data")])


def _bundled_layer(*, snapshot: bool) -> Layer:
    """The bundled records as a layer to lay user folders over: from `load()`, or read from the YAML."""
    if not snapshot:
        return read_folder(bundled_data_root(), "data")
    bundled = load()
    return layer_of({kind.name: getattr(bundled, kind.name).values() for kind in FILE_KINDS}, "data")


def compile_bundled_snapshot() -> str:
    """The bundled data's snapshot, compiled from its YAML (``cnpolicy export --format snapshot``)."""
    from cnpolicy._snapshot import folder_digest, snapshot_text
    from cnpolicy.query import build_name_index, searchable

    root = bundled_data_root()
    dataset = build([read_folder(root, "data")])  # raises on bad data: a snapshot is only ever compiled from valid data
    names = build_name_index(dataset.regulations.values(), dataset.agencies.values())
    texts = searchable(dataset.regulations.values(), dataset.agencies.values(), dataset.events.values())
    return snapshot_text(dataset.to_records(), folder_digest(root), names, texts)


# --- user folders and their cache ---------------------------------------------------------------


def _cache_entry(path: Path, contents: Mapping[str, bytes | None] | None = None) -> tuple[Path, str]:
    """Where the snapshot of a user folder is cached, and its key (the files' hash and the cnpolicy version)."""
    import hashlib

    from cnpolicy._snapshot import _version, cache_dir, contents_digest, read_data_files

    if contents is None:
        contents = read_data_files(path)
    key = hashlib.sha256(f"{contents_digest(contents)}\n{_version()}".encode()).hexdigest()
    return cache_dir() / f"{key}.json", key


class _UserLayer(NamedTuple):
    layer: Layer
    #: the cache entry (path and key) of this folder's snapshot, when caching
    entry: tuple[Path, str] | None
    from_cache: bool


def _user_layer(path: Path, *, cache: bool) -> _UserLayer:
    """A user folder: from its cached snapshot when one matches its files and passes every check, else from the YAML."""
    if not cache:
        return _UserLayer(read_folder(path, str(path)), None, False)
    from cnpolicy._snapshot import read_data_files, read_snapshot

    contents = read_data_files(path)  # each file is read once: for the cache key, then to parse it on a miss
    entry, key = _cache_entry(path, contents)
    cached = read_snapshot(entry, key) if entry.is_file() else None
    if cached is not None:
        layer = layer_from_plain({kind: list(records.values()) for kind, records in cached.records.items()}, str(path))
        if not layer.errors:
            return _UserLayer(layer, (entry, key), True)
        _discard(entry)
    return _UserLayer(read_folder(path, str(path), contents), (entry, key), False)


def _discard(entry: Path) -> None:
    """Delete a cache entry that failed a check, so that it is rebuilt from the YAML."""
    with contextlib.suppress(OSError):
        entry.unlink()


def _load_layers(user: Sequence[Path], *, bundled: bool, snapshot: bool, cache: bool) -> Dataset:
    base = [_bundled_layer(snapshot=snapshot)] if bundled else []
    layers = [_user_layer(p, cache=cache) for p in user]
    try:
        dataset = build(base + [layer.layer for layer in layers])
    except DataError:
        if not any(layer.from_cache for layer in layers):
            raise
        for layer in layers:  # a cached folder failed a check: drop its entry, report from the YAML (with lines)
            if layer.from_cache and layer.entry is not None:
                _discard(layer.entry[0])
        return build(base + [read_folder(p, str(p)) for p in user])
    for layer in layers:
        if layer.entry is not None and not layer.from_cache:
            from cnpolicy._snapshot import write_snapshot

            entry, key = layer.entry
            write_snapshot(entry, layer.layer.to_plain(), key)
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


_lock = threading.Lock()
_cache: dict[str, Dataset] = {}


def load(
    path: str | PathLike[str] | None = None,
    *,
    extra: Iterable[str | PathLike[str]] = (),
    bundled: bool = True,
    cache: bool | None = None,
) -> Dataset:
    """Load and check the bundled data, with user folders laid over it (later folders win on equal ids).

    ``load()`` is cached: every call returns the same immutable `Dataset`, and the bundled data is
    read once even when called from several threads at once. ``load(path, bundled=False)`` reads only
    ``path``. User folders are read from their YAML on every call. ``cache=True`` (or the environment
    variable ``CNPOLICY_CACHE=1``) keeps a snapshot of each user folder in the user's cache
    directory, keyed by the hash of its files, and reads that instead while the files are unchanged:
    faster, but the cache is under the user's control, so anyone who can write it can change what a
    load returns (see docs/performance.md). ``cache=False`` also reads the bundled YAML instead of its
    compiled snapshot. Raises `DataError` (a `DataErrors` group of them all when there are several).
    """
    named = ([path] if path is not None else []) + list(extra)
    if named:
        from pathlib import Path
    user = [Path(p) for p in named]
    for folder in user:
        if not folder.is_dir():
            raise DataError("no such data folder", file=str(folder))
    if not bundled and not user:
        raise ValueError("nothing to load: give a path or keep bundled=True")
    user_cache = cache if cache is not None else os.environ.get("CNPOLICY_CACHE", "").lower() in ("1", "true", "yes", "on")
    if user or cache is False:
        with _gc_paused():
            return _load_layers(user, bundled=bundled, snapshot=cache is not False, cache=user_cache)
    with _lock, _gc_paused():
        if "bundled" not in _cache:
            _cache["bundled"] = _bundled_dataset()
        return _cache["bundled"]
