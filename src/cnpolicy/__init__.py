"""cnpolicy: China's cybersecurity, internet and data rules as a typed, sourced dataset.

Everything is imported on first use, so ``import cnpolicy`` costs almost nothing; the data is
read on the first `load()` and cached. Every type a user meets, in a record or in a result, is
importable from here.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from cnpolicy.errors import (
    AmbiguousNameError,
    ArgumentError,
    CnpolicyError,
    DanglingReferenceError,
    DataError,
    DataErrors,
    DateOrderError,
    DuplicateIdError,
    NotFoundError,
    ProfileError,
    SchemaError,
    YamlSyntaxError,
)

if TYPE_CHECKING:
    from cnpolicy._load import load
    from cnpolicy.dataset import Dataset
    from cnpolicy.dates import PartialDate, Period, Precision
    from cnpolicy.engine import Applicability, Change, Changes, Citation, Question
    from cnpolicy.logic import Explanation, Verdict
    from cnpolicy.model import (
        Actor,
        Agency,
        AllOf,
        Amendment,
        Amount,
        AnyOf,
        Compare,
        Condition,
        Deadline,
        Event,
        EventKind,
        Fact,
        FactSpec,
        FactType,
        FactValue,
        Fine,
        FineTarget,
        Language,
        Level,
        Member,
        Modality,
        Names,
        Not,
        Obligation,
        Operator,
        Penalty,
        Reading,
        Regulation,
        RegulationKind,
        Relation,
        RelationType,
        Role,
        Source,
        SourceKind,
        Tier,
        TimeUnit,
        Topic,
    )
    from cnpolicy.profile import Profile
    from cnpolicy.query import Match, Related, TimelineEntry
    from cnpolicy.report import Report

#: Where the public names that are not model classes live; the model's are in `cnpolicy.model`.
_HOMES: dict[str, str] = {
    "load": "cnpolicy._load",
    "Dataset": "cnpolicy.dataset",
    "PartialDate": "cnpolicy.dates",
    "Period": "cnpolicy.dates",
    "Precision": "cnpolicy.dates",
    "Applicability": "cnpolicy.engine",
    "Change": "cnpolicy.engine",
    "Changes": "cnpolicy.engine",
    "Question": "cnpolicy.engine",
    "Citation": "cnpolicy.engine",
    "Explanation": "cnpolicy.logic",
    "Verdict": "cnpolicy.logic",
    "Profile": "cnpolicy.profile",
    "Match": "cnpolicy.query",
    "Related": "cnpolicy.query",
    "TimelineEntry": "cnpolicy.query",
    "Report": "cnpolicy.report",
}

__all__ = [
    "Actor",
    "Agency",
    "AllOf",
    "AmbiguousNameError",
    "Amendment",
    "Amount",
    "AnyOf",
    "Applicability",
    "ArgumentError",
    "Change",
    "Changes",
    "Citation",
    "CnpolicyError",
    "Compare",
    "Condition",
    "DanglingReferenceError",
    "DataError",
    "DataErrors",
    "Dataset",
    "DateOrderError",
    "Deadline",
    "DuplicateIdError",
    "Event",
    "EventKind",
    "Explanation",
    "Fact",
    "FactSpec",
    "FactType",
    "FactValue",
    "Fine",
    "FineTarget",
    "Language",
    "Level",
    "Match",
    "Member",
    "Modality",
    "Names",
    "Not",
    "NotFoundError",
    "Obligation",
    "Operator",
    "PartialDate",
    "Penalty",
    "Period",
    "Precision",
    "Profile",
    "ProfileError",
    "Question",
    "Reading",
    "Regulation",
    "RegulationKind",
    "Related",
    "Relation",
    "RelationType",
    "Report",
    "Role",
    "SchemaError",
    "Source",
    "SourceKind",
    "Tier",
    "TimeUnit",
    "TimelineEntry",
    "Topic",
    "Verdict",
    "YamlSyntaxError",
    "__version__",
    "load",
]


def __getattr__(name: str) -> Any:
    """Import the public names on first use (attrs, yaml and cattrs are not needed to import cnpolicy)."""
    if name in __all__ and name != "__version__":  # the errors are imported above
        value = getattr(import_module(_HOMES.get(name, "cnpolicy.model")), name)
        globals()[name] = value
        return value
    if name == "__version__":
        from importlib.metadata import version

        return version("cnpolicy")
    raise AttributeError(f"module 'cnpolicy' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names only."""
    return list(__all__)
