"""Plain data as block-style YAML, without PyYAML: the CLI's `show` writes with it.

PyYAML's emitter is pure Python and, with the import, costs more than the rest of a command. The
rule for plain (unquoted) scalars is deliberately narrow (see `_plain`); everything else is written
as a JSON string, which YAML reads as a double-quoted scalar.
`yaml.safe_load(dump(x)) == x` for any such data (tested).
"""

from __future__ import annotations

import functools
import json
import re

__all__ = ["dump"]

# YAML 1.1 words that read as booleans or null, whatever their case (PyYAML's resolvers).
_WORDS = frozenset({"y", "n", "yes", "no", "true", "false", "on", "off", "null"})


def _scalar(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    printable = text.isprintable()  # no control, format or separator characters, no surrogates
    if printable and _plain(text):
        return text
    # A JSON string is a YAML double-quoted scalar, once what YAML cannot read raw is escaped too.
    quoted = json.dumps(text, ensure_ascii=False)
    return quoted if printable else _unreadable().sub(_escape, quoted)


def _plain(text: str) -> bool:
    """Whether a printable text can be written plain: a letter (or any non-ASCII character) first,
    no ``:`` or ``#``, no trailing space, and not a word YAML reads as a boolean or null."""
    first = text[:1]
    return (
        (first.isalpha() or not first.isascii())
        and ":" not in text
        and "#" not in text
        and not text.endswith(" ")
        and text.lower() not in _WORDS
    )


@functools.cache
def _unreadable() -> re.Pattern[str]:
    """Characters a YAML reader refuses raw, or reads as line breaks or a byte-order mark (compiled on
    first use: its wide ranges take milliseconds to compile)."""
    return re.compile("[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def dump(value: object) -> str:
    """Plain data (mappings, lists, strings, numbers, booleans, None) as block-style YAML."""
    lines: list[str] = []
    _dump(value, 0, lines, "")
    return "\n".join(lines) + "\n"


def _dump(value: object, indent: int, lines: list[str], lead: str) -> None:
    pad = " " * indent
    if isinstance(value, dict) and value:
        for index, (key, item) in enumerate(value.items()):
            head = (lead if index == 0 else pad) + _scalar(key) + ":"
            if isinstance(item, dict) and item:
                lines.append(head)
                _dump(item, indent + 2, lines, " " * (indent + 2))
            elif isinstance(item, list) and item:
                lines.append(head)
                _dump(item, indent, lines, pad)
            else:
                lines.append(f"{head} {_inline(item)}")
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            head = (lead if index == 0 else pad) + "- "
            if isinstance(item, dict | list) and item:
                _dump(item, indent + 2, lines, head)
            else:
                lines.append(head + _inline(item))
    else:
        lines.append(lead + _inline(value))


def _inline(value: object) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return _scalar(value)
