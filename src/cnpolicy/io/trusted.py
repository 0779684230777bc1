"""Building model objects from trusted plain data, without cattrs.

Only for the bundled snapshot, which was compiled from checked YAML and matches its hash: it skips
the strict validation that untrusted input gets from the converter, so a cold ``load()`` needs
neither cattrs nor its generated code. Anything from a user goes through `cnpolicy.io.converter`.
`LazyRecords` builds each record only when it is first asked for, so a script that looks up one
regulation does not pay for building the other thousand records.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import attrs

from cnpolicy.dates import PartialDate
from cnpolicy.model.conditions import AllOf, AnyOf, Compare, Condition, Fact, Member, Not, Operator

__all__ = ["LazyRecords", "build"]

T = TypeVar("T")
V = TypeVar("V")
_RENAMES = {"from_": "from"}
_CONDITIONS = set(typing.get_args(Condition))


def _condition(data: dict[str, Any]) -> Condition:
    if "all" in data:
        return AllOf(tuple(_condition(part) for part in data["all"]))
    if "any" in data:
        return AnyOf(tuple(_condition(part) for part in data["any"]))
    if "not" in data:
        return Not(_condition(data["not"]))
    fact = data["fact"]
    if "in" in data:
        return Member(fact, tuple(data["in"]))
    for operator in Operator:
        if operator.value in data:
            return Compare(fact, operator, data[operator.value])
    return Fact(fact)


def _same(value: Any) -> Any:
    return value


def _partial_date(value: str) -> PartialDate:
    return PartialDate.parse(value)


def _maker(tp: Any) -> Callable[[Any], Any]:
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
        return lambda values: tuple(map(inner, values))
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if set(args) == _CONDITIONS:
            return lambda value: None if value is None else _condition(value)
        if len(args) == 1:
            inner = _maker(args[0])
            return lambda value: None if value is None else inner(value)
        return _same  # int | str (a comparison value)
    if attrs.has(tp):
        return functools.partial(build, tp)
    raise TypeError(f"no trusted builder for {tp!r}")  # pragma: no cover - every model type is handled above


@functools.cache
def _plan(cls: Any) -> tuple[tuple[str, str, Callable[[Any], Any]], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((a.name, _RENAMES.get(a.name, a.name), _maker(hints[a.name])) for a in attrs.fields(cls))


def build(cls: type[T], data: dict[str, Any]) -> T:
    """``cls`` from plain data as `cnpolicy.io.converter.unstructure` writes it (trusted input only)."""
    plan = _plan(typing.cast(Any, cls))
    return cls(**{name: make(data[key]) for name, key, make in plan if key in data})


class LazyRecords(Mapping[str, V]):
    """A read-only mapping whose values are made from their plain data on first access, then kept.

    Iteration order, ``len`` and membership come from the plain data, so they build nothing. Safe to
    share between threads: two threads building the same record at once both get the one kept first.
    """

    __slots__ = ("_built", "_make", "_plain")

    def __init__(self, plain: dict[str, Any], make: Callable[[Any], V]) -> None:
        self._plain = plain
        self._make = make
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
