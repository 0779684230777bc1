"""Where a fact comes from."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from cnpolicy.dates import PartialDate
from cnpolicy.model.tiers import Tier, tier_of_url

__all__ = ["Language", "Reading", "Source", "SourceKind"]


class Language(enum.Enum):
    """The language a source is written in."""

    EN = "en"
    ZH = "zh"


class SourceKind(enum.Enum):
    """What sort of document a source is."""

    OFFICIAL_TEXT = "official_text"
    NEWS = "news"
    ANALYSIS = "analysis"
    TRANSLATION = "translation"
    OTHER = "other"


class Reading(enum.Enum):
    """How far a source was read for the facts it supports."""

    FULL = "full"
    EXCERPT = "excerpt"
    #: known only because another source cites it
    CITED_BY = "cited_by"


@attrs.frozen(kw_only=True)
class Source:
    """A cited document: an official text, a news report, an analysis or a translation."""

    id: str
    title: str
    publisher: str
    language: Language
    kind: SourceKind
    last_checked: dt.date
    date: PartialDate | None = None
    url: str | None = None
    #: True where this is a third-party copy (mirror, repository, reposting site) of the document
    copy: bool = False
    #: the document it is a copy or translation of, e.g. "PIPL (NPCSC, 2021-08-20)"
    document: str | None = None
    #: the document's address on its issuer's own site, only where one was opened and found to hold it
    official_url: str | None = None
    read: Reading | None = None
    notes: str | None = None

    @property
    def tier(self) -> Tier:
        """How far to rely on it (see `cnpolicy.model.tiers`): official, reputable or copy."""
        return tier_of_url(self.url, copy=self.copy)
