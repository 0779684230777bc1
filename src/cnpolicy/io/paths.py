"""Field paths inside a record, as error messages show them."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["PathSegment", "format_path"]

#: A mapping key or a list index.
PathSegment = str | int


def format_path(path: Sequence[PathSegment]) -> str:
    """``('obligations', 2, 'modality')`` -> ``obligations[2].modality``."""
    text = ""
    for segment in path:
        text += f"[{segment}]" if isinstance(segment, int) else (f".{segment}" if text else segment)
    return text
