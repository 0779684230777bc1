"""Things that happened: enactments, reviews, fines, raids, letters, statements."""

from __future__ import annotations

import enum

import attrs

from cnpolicy.dates import PartialDate

__all__ = ["Actor", "Amount", "Event", "EventKind", "Role"]


class EventKind(enum.Enum):
    """What sort of thing happened."""

    ENACTMENT = "enactment"
    ENTRY_INTO_FORCE = "entry_into_force"
    AMENDMENT = "amendment"
    REPEAL = "repeal"
    DRAFT_FOR_COMMENT = "draft_for_comment"
    ENFORCEMENT = "enforcement"
    FINE = "fine"
    REVIEW = "review"
    RAID = "raid"
    PROCUREMENT_EXCLUSION = "procurement_exclusion"
    BAN = "ban"
    INDICTMENT = "indictment"
    LETTER = "letter"
    STATEMENT = "statement"
    REPORT = "report"
    PUBLICATION = "publication"
    OTHER = "other"


class Role(enum.Enum):
    """The part an actor played in an event."""

    ISSUER = "issuer"
    TARGET = "target"
    SPEAKER = "speaker"
    SIGNATORY = "signatory"
    SUBJECT = "subject"


@attrs.frozen(kw_only=True)
class Actor:
    """An agency (by id) or a named company or person, in a role."""

    role: Role
    agency: str | None = None
    name: str | None = None

    @property
    def label(self) -> str:
        """The agency id or the name."""
        return self.agency or self.name or ""


@attrs.frozen(kw_only=True)
class Amount:
    """A sum of money."""

    value: int
    currency: str


@attrs.frozen(kw_only=True)
class Event:
    """One dated event, with its actors, the regulations it concerns and its sources."""

    id: str
    date: PartialDate
    kind: EventKind
    title: str
    sources: tuple[str, ...]
    summary: str | None = None
    actors: tuple[Actor, ...] = ()
    #: the instruments the event is about (the one enacted, reviewed under, enforced, ...)
    regulations: tuple[str, ...] = ()
    #: other instruments it bears on, which timelines of those instruments do not show as their own steps
    related: tuple[str, ...] = ()
    amounts: tuple[Amount, ...] = ()
    #: the country (ISO 3166 alpha-2, or ``EU``) that acted: the issuer's, the speaker's or the actor's
    country: str | None = None
    #: the country the action was aimed at, where there was one
    target_country: str | None = None
    notes: str | None = None
