"""cnpolicy: China's cybersecurity, internet and data rules as a typed, sourced dataset."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cnpolicy.dates import PartialDate, Period, Precision
from cnpolicy.errors import (
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
from cnpolicy.logic import Verdict
from cnpolicy.model import (
    Agency,
    Amendment,
    Event,
    EventKind,
    FactSpec,
    Modality,
    Obligation,
    Regulation,
    RegulationKind,
    Source,
)
from cnpolicy.profile import Profile

if TYPE_CHECKING:
    from cnpolicy.dataset import Dataset, load

__all__ = [
    "Agency",
    "Amendment",
    "CnpolicyError",
    "DanglingReferenceError",
    "DataError",
    "DataErrors",
    "Dataset",
    "DateOrderError",
    "DuplicateIdError",
    "Event",
    "EventKind",
    "FactSpec",
    "Modality",
    "NotFoundError",
    "Obligation",
    "PartialDate",
    "Period",
    "Precision",
    "Profile",
    "ProfileError",
    "Regulation",
    "RegulationKind",
    "SchemaError",
    "Source",
    "Verdict",
    "YamlSyntaxError",
    "__version__",
    "load",
]


def __getattr__(name: str) -> Any:
    """Import the heavy parts (yaml, cattrs) only when first used."""
    if name in ("Dataset", "load"):
        from cnpolicy import dataset

        return getattr(dataset, name)
    if name == "__version__":
        from importlib.metadata import version

        return version("cnpolicy")
    raise AttributeError(f"module 'cnpolicy' has no attribute {name!r}")
