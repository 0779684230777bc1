"""Small values shared by several record kinds."""

from __future__ import annotations

import attrs

__all__ = ["Names"]


@attrs.frozen(kw_only=True)
class Names:
    """A name in English and, where one exists, Chinese."""

    en: str
    zh: str | None = None

    def __str__(self) -> str:
        return f"{self.en} ({self.zh})" if self.zh else self.en
