"""Laws, rules, standards, strategies and foreign measures, with their versions and relations."""

from __future__ import annotations

import datetime as dt
import enum
import re

import attrs

from cnpolicy.dates import PartialDate, Period
from cnpolicy.model.common import Names
from cnpolicy.model.obligations import Obligation

__all__ = ["Amendment", "Regulation", "RegulationKind", "Relation", "RelationType", "chinese_number", "normalize_document_number"]


class RegulationKind(enum.Enum):
    """The rank of an instrument."""

    LAW = "law"
    ADMINISTRATIVE_REGULATION = "administrative_regulation"
    DEPARTMENTAL_RULE = "departmental_rule"
    NORMATIVE_DOCUMENT = "normative_document"
    NATIONAL_STANDARD = "national_standard"
    POLICY = "policy"
    JUDICIAL_INTERPRETATION = "judicial_interpretation"
    LOCAL_REGULATION = "local_regulation"
    FOREIGN_LAW = "foreign_law"
    #: a draft published for comment; its final text is the target of its ``draft_of`` relation
    DRAFT = "draft"

    @property
    def binding(self) -> bool:
        """Whether instruments of this kind bind those they name (policies, standards and drafts as such do not)."""
        return self not in (RegulationKind.POLICY, RegulationKind.NATIONAL_STANDARD, RegulationKind.DRAFT)


class RelationType(enum.Enum):
    """How one instrument relates to another (forward direction only)."""

    IMPLEMENTS = "implements"
    AMENDS = "amends"
    SUPERSEDES = "supersedes"
    BASED_ON = "based_on"
    RELATED_TO = "related_to"
    #: this record is a draft for comment of the target, the text finally adopted
    DRAFT_OF = "draft_of"


@attrs.frozen(kw_only=True)
class Relation:
    """This instrument ``type`` the ``target`` instrument."""

    type: RelationType
    target: str
    note: str | None = None


@attrs.frozen(kw_only=True)
class Amendment:
    """A revision of an instrument, with its own dates."""

    id: str
    summary: str
    sources: tuple[str, ...]
    adopted: PartialDate | None = None
    promulgated: PartialDate | None = None
    effective: PartialDate | None = None
    document_number: str | None = None


_BRACKETS = str.maketrans(
    {"〔": "[", "〕": "]", "［": "[", "］": "]", "【": "[", "】": "]", "（": "(", "）": ")", "(": "[", ")": "]"}
)
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
#: Short and full names of issuers as they appear in document numbers, folded to one writing.
_ISSUERS = (("国家互联网信息办公室", "国家网信办"), ("工业和信息化部", "工信部"))


def chinese_number(numerals: str) -> int:
    """The value of Chinese numerals: ``五十三`` -> 53, ``一百零五`` -> 105, ``七四五`` -> 745."""
    if all(char in _DIGITS for char in numerals):
        return int("".join(str(_DIGITS[char]) for char in numerals))
    total = digit = 0
    for char in numerals:
        if char in _DIGITS:
            digit = _DIGITS[char]
        else:
            total += (digit or 1) * _UNITS[char]
            digit = 0
    return total + digit


def normalize_document_number(number: str) -> str:
    """A document number in one canonical writing, for matching.

    Brackets, width, spacing and dashes are folded, a final 号 and a leading 中华人民共和国 dropped, and
    Chinese numerals after 第 written in digits: ``中华人民共和国主席令第五十三号`` -> ``主席令第53``,
    ``工信部保〔2014〕368号`` -> ``工信部保[2014]368``.
    """
    import unicodedata

    text = unicodedata.normalize("NFKC", number).translate(_BRACKETS)
    text = re.sub(r"\s+", "", text).removesuffix("号").removeprefix("中华人民共和国")
    text = re.sub(r"[‐‑‒–—―－]", "-", text)
    text = re.sub(r"第([零〇一二三四五六七八九十百千两]+)", lambda m: f"第{chinese_number(m.group(1))}", text)
    for full, short in _ISSUERS:
        text = text.replace(full, short)
    return text.lower()


@attrs.frozen(kw_only=True)
class Regulation:
    """One instrument: a law, regulation, rule, normative document, standard, policy or foreign law."""

    id: str
    title: Names
    kind: RegulationKind
    jurisdiction: str
    issued_by: tuple[str, ...]
    sources: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    document_number: str | None = None
    adopted: PartialDate | None = None
    promulgated: PartialDate | None = None
    published: PartialDate | None = None
    effective: PartialDate | None = None
    repealed: PartialDate | None = None
    amendments: tuple[Amendment, ...] = ()
    relations: tuple[Relation, ...] = ()
    topics: tuple[str, ...] = ()
    summary: str | None = None
    notes: str | None = None
    #: True where a binding instrument imposes no duties on companies (it organises the state, sets
    #: policy, or amends another instrument whose record carries the duties)
    imposes_no_duties: bool = False
    obligations: tuple[Obligation, ...] = ()

    @property
    def normalized_document_number(self) -> str | None:
        """The document number in canonical form (see `normalize_document_number`)."""
        return None if self.document_number is None else normalize_document_number(self.document_number)

    @property
    def start(self) -> PartialDate | None:
        """The day it took effect; where no effective date is known, the latest date it was issued."""
        return self.effective or self.promulgated or self.adopted or self.published

    @property
    def in_force_period(self) -> Period:
        """From entry into force until repeal (exclusive)."""
        return Period(from_=self.start, until=self.repealed)

    def in_force(self, day: dt.date) -> bool | None:
        """Whether it is in force on ``day``; None when partial dates cannot tell."""
        answer = self.in_force_period.contains(day)
        # With no known start, only a repeal on or before the day gives a definite answer.
        return None if self.start is None and answer is not False else answer

    @property
    def duties_unrecorded(self) -> bool:
        """A binding instrument whose duties are not (yet) in the data: no obligations, and not marked as imposing none."""
        return self.kind.binding and not self.obligations and not self.imposes_no_duties

    def amendment(self, amendment_id: str) -> Amendment:
        """The amendment with that id (`KeyError` if none)."""
        for amendment in self.amendments:
            if amendment.id == amendment_id:
                return amendment
        raise KeyError(amendment_id)
