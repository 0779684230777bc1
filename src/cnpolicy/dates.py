"""Dates known to a year, a month or a day, and periods between them."""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re

import attrs

__all__ = ["PartialDate", "Period", "Precision"]

_PATTERN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class Precision(enum.Enum):
    """How much of a date is known."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


def _days_in_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (dt.date(year, month + 1, 1) - dt.timedelta(days=1)).day


def _check_month(instance: PartialDate, attribute: attrs.Attribute[int | None], value: int | None) -> None:
    if value is not None and not 1 <= value <= 12:
        raise ValueError(f"month must be 1 to 12, got {value}")


def _check_day(instance: PartialDate, attribute: attrs.Attribute[int | None], value: int | None) -> None:
    if value is None:
        return
    if instance.month is None:
        raise ValueError("a day needs a month")
    last = _days_in_month(instance.year, instance.month)
    if not 1 <= value <= last:
        raise ValueError(f"day must be 1 to {last} in {instance.year:04d}-{instance.month:02d}, got {value}")


@attrs.frozen(order=False)
class PartialDate:
    """A date known to the year, the month or the day: ``2014``, ``2014-05``, ``2014-05-22``.

    Ordered by (year, month, day) with unknown parts first, so ``2014 < 2014-01 < 2014-01-01``.
    """

    year: int = attrs.field(validator=attrs.validators.and_(attrs.validators.ge(1), attrs.validators.le(9999)))
    month: int | None = attrs.field(default=None, validator=_check_month)
    day: int | None = attrs.field(default=None, validator=_check_day)

    @classmethod
    def parse(cls, value: str | dt.date | PartialDate) -> PartialDate:
        """Read ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or a ``date`` (not a ``datetime``)."""
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.datetime):
            raise ValueError(f"expected a date, got a date and time {value.isoformat()!r}")
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if not isinstance(value, str):
            raise TypeError(f"expected a date as 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD', got {type(value).__name__} {value!r}")
        return _parse_text(value)

    @property
    def precision(self) -> Precision:
        """The most precise part that is known."""
        if self.day is not None:
            return Precision.DAY
        return Precision.YEAR if self.month is None else Precision.MONTH

    @property
    def earliest(self) -> dt.date:
        """The first day this date could be."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> dt.date:
        """The last day this date could be."""
        month = self.month or 12
        return dt.date(self.year, month, self.day or _days_in_month(self.year, month))

    def on_or_before(self, day: dt.date) -> bool | None:
        """Whether this date is on or before ``day``: True, False, or None when the precision cannot tell."""
        if self.latest <= day:
            return True
        if self.earliest > day:
            return False
        return None

    def _key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: PartialDate) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() < other._key()

    def __le__(self, other: PartialDate) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() <= other._key()

    def __gt__(self, other: PartialDate) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() > other._key()

    def __ge__(self, other: PartialDate) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() >= other._key()

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text


@attrs.frozen
class Period:
    """Days from ``from_`` (inclusive) until ``until`` (exclusive); either end may be open."""

    from_: PartialDate | None = attrs.field(default=None, metadata={"key": "from"})
    until: PartialDate | None = None

    def contains(self, day: dt.date) -> bool | None:
        """Whether ``day`` falls in the period: True, False, or None when partial dates cannot tell."""
        started = True if self.from_ is None else self.from_.on_or_before(day)
        # ``until`` is exclusive: the period has ended on ``day`` when until <= day.
        ended = False if self.until is None else self.until.on_or_before(day)
        if started is False or ended is True:
            return False
        if started is None or ended is None:
            return None
        return True


@functools.lru_cache(maxsize=4096)
def _parse_text(value: str) -> PartialDate:
    """`PartialDate.parse` of a string; cached, as the same dates recur across records (the results are immutable)."""
    match = _PATTERN.fullmatch(value.strip())
    if match is None:
        raise ValueError(f"expected a date as 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD', got {value!r}")
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    return PartialDate(year, month, day)
