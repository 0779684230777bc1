"""Conditions as data: when an obligation applies, over the fact vocabulary, and their text form.

Everything about a condition shape lives here: its class, how a leaf tests a fact's value, whether
a test fits the fact's type, and the text form (`parse`, `to_data`, `JSON_SCHEMA`) that the YAML
reader, the snapshot builder and the schema export all use. Three-valued evaluation over the
composites is in `cnpolicy.logic`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs

from cnpolicy.errors import PathSegment, describe_value
from cnpolicy.model.facts import FactSpec, FactType, FactValue

__all__ = [
    "JSON_SCHEMA",
    "AllOf",
    "AnyOf",
    "Compare",
    "Condition",
    "ConditionError",
    "Fact",
    "Member",
    "Not",
    "Operator",
    "facts_used",
    "parse",
    "to_data",
]


class Operator(enum.Enum):
    """A comparison written in the data as ``gt``, ``ge``, ``lt``, ``le`` or ``eq``."""

    GT = "gt"
    GE = "ge"
    LT = "lt"
    LE = "le"
    EQ = "eq"

    @property
    def symbol(self) -> str:
        """``>``, ``>=``, ``<``, ``<=`` or ``==``."""
        return {"gt": ">", "ge": ">=", "lt": "<", "le": "<=", "eq": "=="}[self.value]


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

    def holds(self, value: FactValue) -> bool:
        """Whether a stated value makes the test true."""
        return value is True

    def fits(self, spec: FactSpec) -> str | None:
        """Why this test cannot be made of the fact ``spec``, or None."""
        if spec.type is FactType.BOOL:
            return None
        return f"fact {spec.name!r} is {spec.type.value}, not yes/no: give a test (gt, eq, in...)"

    def __str__(self) -> str:
        return self.fact


@attrs.frozen
class Compare:
    """Compares an int fact (or, with ``eq``, a choice fact) with a value."""

    fact: str
    operator: Operator
    value: int | str

    def holds(self, value: FactValue) -> bool:
        """Whether a stated value makes the test true (a comparison with a value of another type is false)."""
        if self.operator is Operator.EQ:
            return value == self.value
        if not isinstance(value, int) or isinstance(value, bool) or not isinstance(self.value, int):
            return False
        return {
            Operator.GT: value > self.value,
            Operator.GE: value >= self.value,
            Operator.LT: value < self.value,
            Operator.LE: value <= self.value,
        }[self.operator]

    def fits(self, spec: FactSpec) -> str | None:
        """Why this test cannot be made of the fact ``spec``, or None."""
        if spec.type is FactType.INT:
            return None if isinstance(self.value, int) else f"{spec.name!r} is a number; compare it with a number"
        if spec.type is FactType.CHOICE and self.operator is Operator.EQ:
            return None if self.value in spec.values else _not_a_value(self.value, spec)
        return f"{self.operator.value!r} cannot test {spec.type.value} fact {spec.name!r}"

    def __str__(self) -> str:
        return f"{self.fact} {self.operator.symbol} {self.value!r}"


@attrs.frozen
class Member:
    """Holds when a choice fact is one of ``values``, or a set fact shares one with them."""

    fact: str
    values: tuple[str, ...]

    def holds(self, value: FactValue) -> bool:
        """Whether a stated value makes the test true."""
        if isinstance(value, frozenset):
            return not value.isdisjoint(self.values)
        return value in self.values

    def fits(self, spec: FactSpec) -> str | None:
        """Why this test cannot be made of the fact ``spec``, or None."""
        if spec.type not in (FactType.CHOICE, FactType.SET):
            return f"'in' needs a choice or set fact; {spec.name!r} is {spec.type.value}"
        unknown = [value for value in self.values if value not in spec.values]
        return _not_a_value(unknown[0], spec) if unknown else None

    def __str__(self) -> str:
        return f"{self.fact} in {list(self.values)!r}"


def _not_a_value(value: object, spec: FactSpec) -> str:
    return f"{value!r} is not a value of {spec.name!r} ({', '.join(spec.values)})"


Condition = AllOf | AnyOf | Not | Fact | Compare | Member
#: The conditions that test one fact.
Leaf = Fact | Compare | Member


def facts_used(condition: Condition) -> Iterator[str]:
    """Every fact name the condition tests, in order of appearance (with repeats)."""
    if isinstance(condition, AllOf | AnyOf):
        for part in condition.parts:
            yield from facts_used(part)
    elif isinstance(condition, Not):
        yield from facts_used(condition.part)
    else:
        yield condition.fact


# --- the text form -------------------------------------------------------------------------------


class ConditionError(ValueError):
    """A condition's text form is wrong at ``path`` (relative to the condition)."""

    def __init__(self, message: str, path: tuple[PathSegment, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


def _compare(operator: Operator) -> Callable[[str, object], Compare]:
    def make(fact: str, operand: object) -> Compare:
        if isinstance(operand, bool) or not isinstance(operand, int | str):
            raise ConditionError(f"expected a number (or, with eq, a choice), got {describe_value(operand)}", (operator.value,))
        return Compare(fact, operator, operand)

    return make


def _member(fact: str, operand: object) -> Member:
    if not isinstance(operand, list | tuple) or not all(isinstance(item, str) for item in operand):
        raise ConditionError(f"expected a list of strings, got {describe_value(operand)}", ("in",))
    return Member(fact, tuple(operand))


#: The tests a leaf can make of its fact, by their key beside ``fact``: how to read the operand,
#: and the operand's JSON Schema. A ``fact`` with no test is a yes/no `Fact`.
_TESTS: dict[str, tuple[Callable[[str, object], Leaf], dict[str, Any]]] = {
    **{op.value: (_compare(op), {"type": ["integer", "string"] if op is Operator.EQ else "integer"}) for op in Operator},
    "in": (_member, {"type": "array", "items": {"type": "string"}}),
}
_COMPOSITES: dict[str, type[AllOf] | type[AnyOf]] = {"all": AllOf, "any": AnyOf}
_SHAPES = (*_COMPOSITES, "not", "fact")


def parse(value: object) -> Condition:
    """A condition from its text form (a mapping, as in the YAML); raises `ConditionError` saying what and where."""
    if not isinstance(value, Mapping):
        raise ConditionError(f"expected a condition (a mapping with all, any, not or fact), got {describe_value(value)}")
    shapes = [key for key in _SHAPES if key in value]
    if len(shapes) != 1:
        found = ", ".join(map(str, value)) or "nothing"
        raise ConditionError(f"a condition needs exactly one of {', '.join(_SHAPES)}; found {found}")
    (shape,) = shapes
    if shape == "fact":
        return _parse_leaf(value)
    extra = [key for key in value if key != shape]
    if extra:
        raise ConditionError(f"unexpected key {extra[0]!r} beside {shape}", (str(extra[0]),))
    if shape == "not":
        return Not(_parse_part(value["not"], ("not",)))
    parts = value[shape]
    if not isinstance(parts, list | tuple):
        raise ConditionError(f"expected a list of conditions, got {describe_value(parts)}", (shape,))
    return _COMPOSITES[shape](tuple(_parse_part(part, (shape, index)) for index, part in enumerate(parts)))


def _parse_part(value: object, where: tuple[PathSegment, ...]) -> Condition:
    try:
        return parse(value)
    except ConditionError as error:
        raise ConditionError(error.message, (*where, *error.path)) from None


def _parse_leaf(value: Mapping[Any, Any]) -> Leaf:
    name = value["fact"]
    if not isinstance(name, str):
        raise ConditionError(f"expected a fact name, got {describe_value(name)}", ("fact",))
    tests = [key for key in value if key != "fact"]
    if not tests:
        return Fact(name)
    if len(tests) > 1 or tests[0] not in _TESTS:
        raise ConditionError(f"a fact test takes one of {', '.join(_TESTS)}; found {', '.join(map(str, tests))}")
    make, _ = _TESTS[tests[0]]
    return make(name, value[tests[0]])


def to_data(condition: Condition) -> dict[str, Any]:
    """The text form of a condition: the inverse of `parse`."""
    if isinstance(condition, AllOf | AnyOf):
        return {"all" if isinstance(condition, AllOf) else "any": [to_data(part) for part in condition.parts]}
    if isinstance(condition, Not):
        return {"not": to_data(condition.part)}
    if isinstance(condition, Compare):
        return {"fact": condition.fact, condition.operator.value: condition.value}
    if isinstance(condition, Member):
        return {"fact": condition.fact, "in": list(condition.values)}
    return {"fact": condition.fact}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


_REF = {"$ref": "#/$defs/Condition"}
#: The JSON Schema of a condition's text form (it refers to itself as ``#/$defs/Condition``).
JSON_SCHEMA: dict[str, Any] = {
    "oneOf": [
        *(_object({key: {"type": "array", "items": _REF}}) for key in _COMPOSITES),
        _object({"not": _REF}),
        _object({"fact": {"type": "string"}}),
        *(_object({"fact": {"type": "string"}, key: operand}) for key, (_, operand) in _TESTS.items()),
    ]
}
