"""The controlled vocabulary of topics that regulations and obligations are filed under."""

from __future__ import annotations

import attrs

from cnpolicy.model.common import Names

__all__ = ["Topic"]


@attrs.frozen(kw_only=True)
class Topic:
    """One topic: its id, labels in English and Chinese, what it covers, and the broader topic it belongs to."""

    id: str
    label: Names
    description: str
    broader: str | None = None
