"""Conditions as data: when an obligation applies, over the fact vocabulary."""

from __future__ import annotations

import enum
from collections.abc import Iterator

import attrs

__all__ = ["AllOf", "AnyOf", "Compare", "Condition", "Fact", "Member", "Not", "Operator", "facts_used"]


class Operator(enum.Enum):
    """A comparison written in the data as ``gt``, ``ge``, ``lt``, ``le`` or ``eq``."""

    GT = "gt"
    GE = "ge"
    LT = "lt"
    LE = "le"
    EQ = "eq"


@attrs.frozen
class AllOf:
    """Holds when every part holds; ``all: []`` always holds."""

    parts: tuple[Condition, ...]


@attrs.frozen
class AnyOf:
    """Holds when at least one part holds; ``any: []`` never holds."""

    parts: tuple[Condition, ...]


@attrs.frozen
class Not:
    """Holds when its part does not."""

    part: Condition


@attrs.frozen
class Fact:
    """Holds when the yes/no fact is true."""

    fact: str


@attrs.frozen
class Compare:
    """Compares an int fact (or, with ``eq``, a choice fact) with a value."""

    fact: str
    operator: Operator
    value: int | str


@attrs.frozen
class Member:
    """Holds when a choice fact is one of ``values``, or a set fact shares one with them."""

    fact: str
    values: tuple[str, ...]


Condition = AllOf | AnyOf | Not | Fact | Compare | Member


def facts_used(condition: Condition) -> Iterator[str]:
    """Every fact name the condition tests, in order of appearance (with repeats)."""
    if isinstance(condition, AllOf | AnyOf):
        for part in condition.parts:
            yield from facts_used(part)
    elif isinstance(condition, Not):
        yield from facts_used(condition.part)
    else:
        yield condition.fact
