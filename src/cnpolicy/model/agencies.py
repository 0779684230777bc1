"""Bodies that issue and enforce rules."""

from __future__ import annotations

import enum

import attrs

from cnpolicy.dates import PartialDate
from cnpolicy.model.common import Names

__all__ = ["Agency", "Level"]


class Level(enum.Enum):
    """Where an agency sits."""

    NATIONAL = "national"
    SUBNATIONAL = "subnational"
    INTERNATIONAL = "international"


@attrs.frozen(kw_only=True)
class Agency:
    """A legislature, government body, party organ or regulator, Chinese or foreign."""

    id: str
    name: Names
    jurisdiction: str
    level: Level
    sources: tuple[str, ...]
    abbreviations: tuple[str, ...] = ()
    parent: str | None = None
    predecessors: tuple[str, ...] = ()
    successors: tuple[str, ...] = ()
    established: PartialDate | None = None
    dissolved: PartialDate | None = None
    notes: str | None = None
