"""The one registry of record kinds: name, class, where their files live, key field, references.

The loader, the snapshot, the checks, the dataset, the exports and the command line all read this
table; adding a kind of record is one entry here, its model class, and its tests.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from typing import Any

import attrs

from cnpolicy.errors import PathSegment
from cnpolicy.model.agencies import Agency
from cnpolicy.model.events import Event
from cnpolicy.model.facts import FactSpec
from cnpolicy.model.obligations import Obligation
from cnpolicy.model.regulations import Regulation
from cnpolicy.model.sources import Source
from cnpolicy.model.topics import Topic

__all__ = ["FILE_KINDS", "KINDS", "Kind", "Layout", "Reference", "data_key", "kind_named", "references_in"]


class Layout(enum.Enum):
    """How the records of a kind are laid out in a data folder."""

    #: one file holding a list of records (``facts.yaml``)
    LIST = "list"
    #: a folder with one record a file, named by the record's key (``regulations/<id>.yaml``)
    ONE_PER_FILE = "one_per_file"
    #: a folder with a list a file, named by the year of each record's ``date`` (``events/<year>.yaml``)
    BY_YEAR = "by_year"
    #: inside the records of another kind (obligations sit in their regulation)
    NESTED = "nested"


@attrs.frozen
class Reference:
    """A field that holds keys of another kind; ``path`` walks tuples item by item (``relations.target``)."""

    path: tuple[str, ...]
    target: str


@attrs.frozen(kw_only=True)
class Kind:
    """One kind of record."""

    #: the plural name, as in `Dataset` attributes, snapshots and the command line
    name: str
    singular: str
    cls: type[Any]
    #: the field that identifies a record among those of its kind
    key: str = "id"
    layout: Layout
    #: the file (``facts.yaml``) or folder (``regulations``) of its records; for a nested kind, its parent kind
    location: str
    references: tuple[Reference, ...] = ()
    #: for a nested kind: the parent's field holding the records, and the field that names the parent
    inside: str | None = None
    parent_field: str | None = None

    def key_of(self, record: Any) -> str:
        """The record's key (its id, or a fact's name)."""
        return str(getattr(record, self.key))


def _cites(*references: Reference) -> tuple[Reference, ...]:
    return (*references, Reference(("sources",), "sources"))


KINDS: tuple[Kind, ...] = (
    Kind(
        name="facts",
        singular="fact",
        cls=FactSpec,
        key="name",
        layout=Layout.LIST,
        location="facts.yaml",
        references=(Reference(("implies",), "facts"),),
    ),
    Kind(
        name="topics",
        singular="topic",
        cls=Topic,
        layout=Layout.LIST,
        location="topics.yaml",
        references=(Reference(("broader",), "topics"),),
    ),
    Kind(
        name="agencies",
        singular="agency",
        cls=Agency,
        layout=Layout.LIST,
        location="agencies.yaml",
        references=_cites(
            Reference(("parent",), "agencies"),
            Reference(("predecessors",), "agencies"),
            Reference(("successors",), "agencies"),
        ),
    ),
    Kind(name="sources", singular="source", cls=Source, layout=Layout.LIST, location="sources.yaml"),
    Kind(
        name="regulations",
        singular="regulation",
        cls=Regulation,
        layout=Layout.ONE_PER_FILE,
        location="regulations",
        references=_cites(
            Reference(("issued_by",), "agencies"),
            Reference(("relations", "target"), "regulations"),
            Reference(("amendments", "sources"), "sources"),
            Reference(("topics",), "topics"),
        ),
    ),
    Kind(
        name="obligations",
        singular="obligation",
        cls=Obligation,
        layout=Layout.NESTED,
        location="regulations",
        references=_cites(Reference(("topics",), "topics"), Reference(("continues",), "obligations")),
        inside="obligations",
        parent_field="regulation",
    ),
    Kind(
        name="events",
        singular="event",
        cls=Event,
        layout=Layout.BY_YEAR,
        location="events",
        references=_cites(
            Reference(("regulations",), "regulations"),
            Reference(("related",), "regulations"),
            Reference(("actors", "agency"), "agencies"),
        ),
    ),
)
#: The kinds that have files of their own, in reading order.
FILE_KINDS: tuple[Kind, ...] = tuple(kind for kind in KINDS if kind.layout is not Layout.NESTED)
_BY_NAME = {kind.name: kind for kind in KINDS}


def kind_named(name: str) -> Kind:
    """The kind called ``name`` (plural, e.g. ``regulations``); `KeyError` if none."""
    return _BY_NAME[name]


def data_key(field: attrs.Attribute[Any]) -> str:
    """A field's name in the data files: its attribute name unless its metadata says (``from_`` is ``from``)."""
    return str(field.metadata.get("key", field.name))


def references_in(
    record: Any, path: tuple[str, ...], at: tuple[PathSegment, ...] = ()
) -> Iterator[tuple[tuple[PathSegment, ...], str]]:
    """Every key held at ``path`` in the record, with its field path (list items with their index)."""
    if not path:
        if record is not None:
            yield at, record
        return
    value = getattr(record, path[0])
    if isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from references_in(item, path[1:], (*at, path[0], index))
    else:
        yield from references_in(value, path[1:], (*at, path[0]))
