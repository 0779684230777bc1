"""Reading one data folder into typed records, with the origin of each for error messages."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from cnpolicy.errors import DanglingReferenceError, DataError, SchemaError, YamlSyntaxError
from cnpolicy.io.paths import PathSegment, format_path
from cnpolicy.model import Agency, Event, FactSpec, Regulation, Source

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from cnpolicy.io.yaml import Document

__all__ = ["Folder", "Origin", "data_files", "read_file", "read_folder"]

T = TypeVar("T")


@attrs.frozen
class Origin:
    """Where a record was read: its document and the field path of the record in it."""

    document: Document
    path: tuple[PathSegment, ...]

    def locate(self, field: tuple[PathSegment, ...] = ()) -> tuple[str, int | None]:
        """File name and line of ``field`` inside this record."""
        return self.document.file, self.document.line((*self.path, *field))

    def error(self, cls: type[DataError], field: tuple[PathSegment, ...], message: str, **extra: str) -> DataError:
        """A `DataError` of ``cls`` about ``field`` of this record."""
        file, line = self.locate(field)
        if issubclass(cls, DanglingReferenceError):
            target_kind, target = extra.get("target_kind", ""), extra.get("target", "")
            return cls(message, file=file, line=line, path=format_path(field), target_kind=target_kind, target=target)
        return cls(message, file=file, line=line, path=format_path(field))


@attrs.define
class Folder:
    """The records of one folder, in file order, each with its origin; and the problems found."""

    label: str
    facts: list[tuple[FactSpec, Origin]] = attrs.Factory(list)
    agencies: list[tuple[Agency, Origin]] = attrs.Factory(list)
    sources: list[tuple[Source, Origin]] = attrs.Factory(list)
    regulations: list[tuple[Regulation, Origin]] = attrs.Factory(list)
    events: list[tuple[Event, Origin]] = attrs.Factory(list)
    errors: list[DataError] = attrs.Factory(list)
    #: ids of records that failed to structure, and kinds with a file that failed to parse:
    #: references to them are not reported again as dangling.
    broken: set[tuple[str, str]] = attrs.Factory(set)
    broken_kinds: set[str] = attrs.Factory(set)
    #: the plain data each record was structured from, by kind, in the same order (for caching)
    plain: dict[str, list[Any]] = attrs.Factory(dict)

    def keep(self, kind: str, record: Any, origin: Origin, raw: Any) -> None:
        """Add a structured record with its origin and the plain data it came from."""
        getattr(self, kind).append((record, origin))
        self.plain.setdefault(kind, []).append(raw)


_SINGLE_FILES = ("facts.yaml", "agencies.yaml", "sources.yaml")


def data_files(root: Traversable) -> list[str]:
    """The names of every data file of a folder, relative to it, in reading order.

    ``facts.yaml``, ``agencies.yaml``, ``sources.yaml``, then ``regulations/*.yaml`` and
    ``events/*.yaml`` by file name.
    """
    found = [name for name in _SINGLE_FILES if (root / name).is_file()]
    for sub in ("regulations", "events"):
        found.extend(f"{sub}/{name}" for name in _yaml_names(root / sub))
    return found


def _yaml_names(folder: Traversable) -> list[str]:
    try:
        if isinstance(folder, Path):  # os.scandir knows which entries are files without a stat call each
            with os.scandir(folder) as entries:
                return sorted(e.name for e in entries if e.name.endswith(".yaml") and e.is_file())
        if not folder.is_dir():
            return []
        return sorted(f.name for f in folder.iterdir() if f.name.endswith(".yaml") and f.is_file())
    except (FileNotFoundError, NotADirectoryError):  # no such subfolder: nothing of that kind
        return []
    except OSError as error:  # e.g. a folder without read permission
        raise DataError(f"cannot list the folder: {error.strerror or error}", file=str(folder)) from None


def read_file(root: Traversable, name: str) -> bytes:
    """The bytes of the data file ``name`` (a `data_files` name) of the folder."""
    if isinstance(root, Path):
        with open(os.path.join(root, name), "rb") as handle:
            return handle.read()
    return (root / name).read_bytes()


def _read(root: Traversable, name: str, label: str, folder: Folder, raw: bytes | None) -> Document | None:
    from cnpolicy.io.yaml import parse  # yaml is imported only when YAML is read

    shown = os.path.join(label, name)
    try:
        return parse(read_file(root, name) if raw is None else raw, shown)
    except YamlSyntaxError as error:
        folder.errors.append(error)
    except OSError as error:
        folder.errors.append(YamlSyntaxError(f"cannot read file: {error}", file=shown))
    folder.broken_kinds.add(_kind_of(name))
    return None


def _kind_of(name: str) -> str:
    """``regulations/csl.yaml`` -> ``regulations``; ``facts.yaml`` -> ``facts``."""
    return name.split("/")[0].removesuffix(".yaml")


def _structure_records(doc: Document, cls: type[T], kind: str, many: bool, folder: Folder) -> Iterator[tuple[T, Origin, Any]]:
    if doc.data is None:
        return
    if many and not isinstance(doc.data, list):
        folder.errors.append(SchemaError("expected a list of records at the top of the file", file=doc.file, line=doc.line(())))
        folder.broken_kinds.add(kind)
        return
    items: list[tuple[tuple[PathSegment, ...], Any]] = (
        [((index,), item) for index, item in enumerate(doc.data)] if many else [((), doc.data)]
    )
    from cnpolicy.io.converter import flatten_errors, structure  # cattrs is imported only to read YAML

    for path, raw in items:
        origin = Origin(doc, path)
        try:
            yield structure(raw, cls), origin, raw
        except Exception as error:  # every structuring failure becomes a SchemaError with a location
            key = raw.get("name" if kind == "facts" else "id") if isinstance(raw, dict) else None
            if isinstance(key, str):
                folder.broken.add((kind, key))
            else:
                folder.broken_kinds.add(kind)
            for field, message in flatten_errors(error):
                folder.errors.append(origin.error(SchemaError, field, message))


def _with_obligation_parents(raw: Any) -> Any:
    """Obligations sit inside their regulation; give each its ``regulation`` id before structuring."""
    if isinstance(raw, dict) and isinstance(raw.get("obligations"), list):
        parent = raw.get("id")
        raw = dict(raw)
        raw["obligations"] = [
            {"regulation": parent, **item} if isinstance(item, dict) and "regulation" not in item else item
            for item in raw["obligations"]
        ]
    return raw


def read_folder(root: Traversable, label: str, contents: Mapping[str, bytes | None] | None = None) -> Folder:
    """Read every data file under ``root``; problems are collected in ``Folder.errors``, never raised.

    ``contents`` holds the folder's files already read, by `data_files` name (None where a file could not be
    read), so that no file is read twice.
    """
    folder = Folder(label)
    singles: dict[str, type[Any]] = {"facts": FactSpec, "agencies": Agency, "sources": Source}
    names = data_files(root) if contents is None else list(contents)
    for name in names:
        doc = _read(root, name, label, folder, None if contents is None else contents[name])
        if doc is None:
            continue
        kind, file_name = _kind_of(name), name.rpartition("/")[2]
        stem = file_name.removesuffix(".yaml")
        if kind in singles:
            for record, origin, raw in _structure_records(doc, singles[kind], kind, True, folder):
                folder.keep(kind, record, origin, raw)
        elif kind == "regulations":
            doc.data = _with_obligation_parents(doc.data)
            for regulation, origin, raw in _structure_records(doc, Regulation, kind, False, folder):
                if regulation.id != stem:
                    folder.broken.add((kind, stem))
                    folder.errors.append(
                        origin.error(SchemaError, ("id",), f"id {regulation.id!r} must match the file name {file_name!r}")
                    )
                folder.keep(kind, regulation, origin, raw)
        else:
            for event, origin, raw in _structure_records(doc, Event, kind, True, folder):
                if str(event.date.year) != stem:
                    folder.errors.append(origin.error(SchemaError, ("date",), f"event of {event.date} is in the file of {stem}"))
                folder.keep(kind, event, origin, raw)
    return folder
