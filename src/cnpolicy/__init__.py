"""cnpolicy: China's cybersecurity, internet and data rules as a typed, sourced dataset.

Everything is imported on first use, so ``import cnpolicy`` costs almost nothing; the data is
read on the first `load()` and cached.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from cnpolicy.dataset import Dataset, load
    from cnpolicy.dates import PartialDate, Period, Precision
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

_LAZY = {
    "Dataset": "cnpolicy.dataset",
    "load": "cnpolicy.dataset",
    "PartialDate": "cnpolicy.dates",
    "Period": "cnpolicy.dates",
    "Precision": "cnpolicy.dates",
    "Verdict": "cnpolicy.logic",
    "Profile": "cnpolicy.profile",
    **dict.fromkeys(
        (
            "Agency",
            "Amendment",
            "Event",
            "EventKind",
            "FactSpec",
            "Modality",
            "Obligation",
            "Regulation",
            "RegulationKind",
            "Source",
        ),
        "cnpolicy.model",
    ),
}


def __getattr__(name: str) -> Any:
    """Import the public names on first use (attrs, yaml and cattrs are not needed to import cnpolicy)."""
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name == "__version__":
        from importlib.metadata import version

        return version("cnpolicy")
    raise AttributeError(f"module 'cnpolicy' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
