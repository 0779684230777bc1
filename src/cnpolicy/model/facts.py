"""The vocabulary of facts a profile states and a condition tests."""

from __future__ import annotations

import enum

import attrs

__all__ = ["FactSpec", "FactType", "FactValue"]

#: What a profile may state for one fact.
FactValue = bool | int | str | frozenset[str]


class FactType(enum.Enum):
    """The type of a fact's value."""

    BOOL = "bool"
    INT = "int"
    CHOICE = "choice"
    SET = "set"


@attrs.frozen(kw_only=True)
class FactSpec:
    """One fact: its name, type, allowed values and meaning."""

    name: str
    type: FactType
    description: str
    values: tuple[str, ...] = ()
    unit: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    #: yes/no facts that are true whenever this one holds (see `holds`): a CII operator is a network
    #: operator; a count of people whose data went abroad this year above zero means data goes abroad
    implies: tuple[str, ...] = ()
    #: the article that defines the term, e.g. "PIPL art. 73"
    defined_by: str | None = None

    def holds(self, value: object) -> bool:
        """Whether ``value`` makes this fact's implications hold: true for a yes/no fact, above zero for a count."""
        if self.type is FactType.INT:
            return isinstance(value, int) and not isinstance(value, bool) and value > 0
        return value is True

    def check(self, value: object) -> str | None:
        """Why ``value`` does not fit this fact, or None when it does."""
        if self.type is FactType.BOOL:
            return None if isinstance(value, bool) else f"expected true or false, got {value!r}"
        if self.type is FactType.INT:
            if not isinstance(value, int) or isinstance(value, bool):
                return f"expected a whole number, got {value!r}"
            if self.minimum is not None and value < self.minimum:
                return f"must be at least {self.minimum}, got {value}"
            if self.maximum is not None and value > self.maximum:
                return f"must be at most {self.maximum}, got {value}"
            return None
        if self.type is FactType.CHOICE:
            if not isinstance(value, str) or value not in self.values:
                return f"{value!r} is not one of {', '.join(self.values)}"
            return None
        if not isinstance(value, frozenset) or not all(isinstance(v, str) for v in value):
            return f"expected a set of values, got {value!r}"
        unknown = sorted(value - set(self.values))
        return f"{', '.join(map(repr, unknown))} not among {', '.join(self.values)}" if unknown else None
