"""Reading one data folder into typed records, with the origin of each for error messages."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from cnpolicy.errors import DanglingReferenceError, DataError, SchemaError, YamlSyntaxError
from cnpolicy.io.paths import PathSegment, format_path
from cnpolicy.model import Agency, Event, FactSpec, Regulation, Source

if TYPE_CHECKING:
    from cnpolicy.io.yaml import Document

__all__ = ["Folder", "Origin", "read_folder"]

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


def _files(root: Traversable, sub: str) -> Iterator[Traversable]:
    folder = root / sub
    if folder.is_dir():
        yield from sorted((f for f in folder.iterdir() if f.name.endswith(".yaml") and f.is_file()), key=lambda f: f.name)


def _read(entry: Traversable, name: str, kind: str, folder: Folder) -> Document | None:
    from cnpolicy.io.yaml import parse  # yaml is imported only when YAML is read

    try:
        return parse(entry.read_bytes(), name)
    except YamlSyntaxError as error:
        folder.errors.append(error)
    except OSError as error:
        folder.errors.append(YamlSyntaxError(f"cannot read file: {error}", file=name))
    folder.broken_kinds.add(kind)
    return None


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


def read_folder(root: Traversable, label: str) -> Folder:
    """Read every data file under ``root``; problems are collected in ``Folder.errors``, never raised."""
    folder = Folder(label)

    def name(*parts: str) -> str:
        return str(Path(label, *parts))

    singles: list[tuple[str, type[Any]]] = [("facts", FactSpec), ("agencies", Agency), ("sources", Source)]
    for kind, cls in singles:
        entry = root / f"{kind}.yaml"
        if entry.is_file() and (doc := _read(entry, name(f"{kind}.yaml"), kind, folder)):
            for record, origin, raw in _structure_records(doc, cls, kind, True, folder):
                folder.keep(kind, record, origin, raw)
    for entry in _files(root, "regulations"):
        doc = _read(entry, name("regulations", entry.name), "regulations", folder)
        if doc is None:
            continue
        doc.data = _with_obligation_parents(doc.data)
        for regulation, origin, raw in _structure_records(doc, Regulation, "regulations", False, folder):
            if regulation.id != entry.name.removesuffix(".yaml"):
                folder.broken.add(("regulations", entry.name.removesuffix(".yaml")))
                folder.errors.append(
                    origin.error(SchemaError, ("id",), f"id {regulation.id!r} must match the file name {entry.name!r}")
                )
            folder.keep("regulations", regulation, origin, raw)
    for entry in _files(root, "events"):
        doc = _read(entry, name("events", entry.name), "events", folder)
        if doc is None:
            continue
        year = entry.name.removesuffix(".yaml")
        for event, origin, raw in _structure_records(doc, Event, "events", True, folder):
            if str(event.date.year) != year:
                folder.errors.append(origin.error(SchemaError, ("date",), f"event of {event.date} is in the file of {year}"))
            folder.keep("events", event, origin, raw)
    return folder
