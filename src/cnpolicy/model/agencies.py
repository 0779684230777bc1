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
    #: a business group, association or other body outside government that acts in events
    NON_GOVERNMENTAL = "non_governmental"


@attrs.frozen(kw_only=True)
class Agency:
    """A legislature, government body, party organ or regulator, Chinese or foreign; or a
    non-governmental body (a business group) that acts in events (`Level.NON_GOVERNMENTAL`)."""

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
