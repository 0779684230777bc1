"""Duties, prohibitions and permissions a regulation imposes."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from cnpolicy.dates import Period
from cnpolicy.model.conditions import Condition

__all__ = ["Deadline", "Fine", "FineTarget", "Modality", "Obligation", "Penalty", "TimeUnit"]


class Modality(enum.Enum):
    """Whether the duty bearer must, must not, or may do the action."""

    MUST = "must"
    MUST_NOT = "must_not"
    MAY = "may"


class TimeUnit(enum.Enum):
    """The unit of a deadline."""

    HOURS = "hours"
    DAYS = "days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"
    YEARS = "years"


class FineTarget(enum.Enum):
    """Who pays a fine."""

    ENTITY = "entity"
    RESPONSIBLE_PERSON = "responsible_person"


@attrs.frozen(kw_only=True)
class Deadline:
    """Act within ``within`` ``unit`` of ``trigger``."""

    within: int
    unit: TimeUnit
    trigger: str | None = None

    def __str__(self) -> str:
        unit = self.unit.value.replace("_", " ")
        text = f"within {self.within} {unit.removesuffix('s') if self.within == 1 else unit}"
        return f"{text} {self.trigger}" if self.trigger else text


@attrs.frozen(kw_only=True)
class Fine:
    """A fine range in a currency, and/or a maximum share of the previous year's turnover."""

    target: FineTarget
    min: int | None = None
    max: int | None = None
    currency: str = "CNY"
    turnover_share_max: float | None = None


@attrs.frozen(kw_only=True)
class Penalty:
    """What a breach costs, by the articles that say so."""

    articles: tuple[str, ...] = ()
    fines: tuple[Fine, ...] = ()
    sanctions: tuple[str, ...] = ()
    notes: str | None = None


@attrs.frozen(kw_only=True)
class Obligation:
    """Who must (not) or may do what, when, under which condition, per which article."""

    id: str
    regulation: str
    articles: tuple[str, ...]
    modality: Modality
    duty_bearer: str
    action: str
    sources: tuple[str, ...]
    applies_if: Condition | None = None
    valid: Period | None = None
    introduced_by: str | None = None
    deadline: Deadline | None = None
    penalty: Penalty | None = None
    topics: tuple[str, ...] = ()
    #: what a reader must know before relying on a verdict (a threshold not yet set, an ambiguity, ...)
    caveats: tuple[str, ...] = ()
    #: False where the condition cannot express every limit of scope the article sets: the verdict
    #: is then at most "may apply", and the caveats say why
    condition_complete: bool = True
    #: the day the condition was last read against the article text
    reviewed: dt.date | None = None
    #: the obligation this one continues (renumbered, amended, or moved to a successor instrument)
    continues: str | None = None
    notes: str | None = None
