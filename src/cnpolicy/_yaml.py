"""Safe, strict YAML reading that keeps the node tree for line numbers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import yaml

from cnpolicy._files import MAX_BYTES
from cnpolicy.errors import PathSegment, YamlSyntaxError

__all__ = ["MAX_ALIASES", "MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "Document", "line_of", "parse"]

#: Limits on one data file: hostile or broken input is refused before it costs time or memory.
MAX_DEPTH = 64
#: The longest integer, in digits of any base: ample for fines and counts, and cheap to convert.
MAX_INT_DIGITS = 24
MAX_NODES = 500_000
MAX_ALIASES = 0  # our data never needs anchors; refusing them rules out alias bombs

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Problem(Exception):
    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.node = node
        self.message = message


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
#: The implicit resolvers by a scalar's first character ("" for the empty scalar), as PyYAML keeps them.
_IMPLICIT_RESOLVERS: dict[str | None, tuple[tuple[str, re.Pattern[str]], ...]] = {
    first: (*resolvers, *_BaseLoader.yaml_implicit_resolvers.get(None, ()))
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


class _StrictLoader(_BaseLoader):  # type: ignore[misc]  # libyaml's loader is untyped
    """SafeLoader (libyaml when present) that refuses duplicate keys and non-string keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise _Problem(node, f"expected a mapping, found {node.id}")
        self.flatten_mapping(node)
        mapping: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise _Problem(
                    key_node, f"keys must be strings, got {key!r} (YAML 1.1 reads on/off/yes/no as booleans: quote the key)"
                )
            if key in mapping:
                raise _Problem(key_node, f"duplicate key {key!r} (first on line {lines[key]})")
            lines[key] = key_node.start_mark.line + 1
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def resolve(self, kind: type[yaml.Node], value: str | None, implicit: tuple[bool, bool]) -> str:
        """PyYAML's tag resolution without path resolvers (a safe loader has none): about 3x cheaper.

        libyaml's composer calls this once for every node; a property test checks the data is unchanged.
        """
        if kind is yaml.ScalarNode:
            if implicit[0]:
                text = value or ""
                for tag, regexp in _IMPLICIT_RESOLVERS.get(text[:1], ()):
                    if regexp.match(text):
                        return tag
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def _checked(self, construct: Any, node: yaml.ScalarNode) -> Any:
        try:
            return construct(self, node)
        except (ValueError, OverflowError, TypeError) as error:  # e.g. an integer past the digit limit, a bad timestamp
            raise _Problem(node, f"invalid value: {str(error)[:200]}") from None

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        text = str(node.value)
        if ":" in text:  # YAML 1.1 base 60 (190:20:30), quadratic to parse and never meant in this data
            raise _Problem(node, f"base-60 numbers are not allowed, got {text[:40]!r} (quote it if it is text)")
        digits = text.replace("_", "").lstrip("+-")
        if digits[:2].lower() in ("0x", "0o", "0b"):
            digits = digits[2:]
        if len(digits) > MAX_INT_DIGITS:  # in any base: Python's own digit limit is never reached
            raise _Problem(node, f"integer too long (more than {MAX_INT_DIGITS} digits)")
        return self._checked(_BaseLoader.construct_yaml_int, node)

    def construct_yaml_float(self, node: yaml.ScalarNode) -> Any:
        return self._checked(_BaseLoader.construct_yaml_float, node)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        return self._checked(_BaseLoader.construct_yaml_timestamp, node)


def _fast_construct(loader: _StrictLoader, node: yaml.Node, depth: int = 1) -> Any:
    """Build plain data from a node tree without PyYAML's generic machinery (about twice as fast).

    Strings, lists and mappings are built here; other scalars, merge keys and tags go through the
    loader's own constructors, so the result is exactly what ``construct_document`` gives. Refuses
    nesting deeper than `MAX_DEPTH`.
    """
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _STR:
            if node.style == '"' and (bad := _ESCAPED_CONTROL.search(node.value)):  # an escape such as \e or \0
                raise _Problem(node, f"control character U+{ord(bad.group()):04X} is not allowed")
            return node.value
        return loader.construct_object(node, deep=True)
    if depth > MAX_DEPTH:
        raise _Problem(node, f"nesting deeper than {MAX_DEPTH} levels")
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        return [_fast_construct(loader, child, depth + 1) for child in node.value]
    if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
        mapping: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag != _STR:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    return loader.construct_object(node, deep=True)
                key = loader.construct_object(key_node, deep=True)
                raise _Problem(
                    key_node, f"keys must be strings, got {key!r} (YAML 1.1 reads on/off/yes/no as booleans: quote the key)"
                )
            key = key_node.value
            if key in mapping:
                raise _Problem(key_node, f"duplicate key {key!r} (first on line {lines[key]})")
            lines[key] = key_node.start_mark.line + 1
            mapping[key] = _fast_construct(loader, value_node, depth + 1)
        return mapping
    return loader.construct_object(node, deep=True)


for _tag, _method in (
    ("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int),
    ("tag:yaml.org,2002:float", _StrictLoader.construct_yaml_float),
    ("tag:yaml.org,2002:timestamp", _StrictLoader.construct_yaml_timestamp),
):
    _StrictLoader.add_constructor(_tag, _method)


class Document:
    """A parsed file: its data, and its node tree for finding the line of a field path."""

    __slots__ = ("data", "file", "root")

    def __init__(self, file: str, root: yaml.Node | None, data: Any) -> None:
        self.file = file
        self.root = root
        self.data = data

    def line(self, path: Sequence[PathSegment]) -> int | None:
        """The line of the deepest node reachable along ``path``."""
        return line_of(self.root, path)


def line_of(root: yaml.Node | None, path: Sequence[PathSegment]) -> int | None:
    """The 1-based line of the deepest node along ``path`` from ``root``."""
    node = root
    if node is None:
        return None
    line = node.start_mark.line + 1
    for segment in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == segment:
                    child = key_node if value_node is None else value_node
                    # A missing or wrong value is reported at its key's line.
                    line = key_node.start_mark.line + 1
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(segment, int) and 0 <= segment < len(node.value):
            child = node.value[segment]
        if child is None:
            break
        node = child
        line = node.start_mark.line + 1
    return line


class _EventProblem(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _scan_events(text: str) -> None:
    """Check the parser's event stream before any node is built: no anchors or aliases, at most
    `MAX_DEPTH` levels and `MAX_NODES` nodes. libyaml's parser keeps a stack, not C recursion, so
    this is safe on any input, and it stops at the first excess: a bomb never gets composed.
    """
    parser = _BaseLoader(text)
    nodes = depth = 0
    starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    try:
        while parser.check_event():
            event = parser.get_event()
            line = event.start_mark.line + 1 if event.start_mark is not None else None
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise _EventProblem(
                    event.start_mark.line + 1, "anchors and aliases (&name / *name) are not allowed in data files"
                )
            if isinstance(event, starts):
                nodes += 1
                depth += 1
                if depth > MAX_DEPTH:
                    raise _EventProblem(line, f"nesting deeper than {MAX_DEPTH} levels")
            elif isinstance(event, ends):
                depth -= 1
            elif isinstance(event, yaml.ScalarEvent):
                nodes += 1
            if nodes > MAX_NODES:
                raise _EventProblem(line, f"the file has more than {MAX_NODES} nodes")
    finally:
        parser.dispose()


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
#: What double-quoted escapes may produce and the data never holds: C0 and C1 controls but tab and newline.
_ESCAPED_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Every byte that may appear in a data file's UTF-8: deleting them leaves only control characters.
_ALLOWED_BYTES = b"\t\n\r" + bytes(range(0x20, 0x7F)) + bytes(range(0x80, 0x100))
_C1 = re.compile(b"\xc2[\x80-\x9f]")
_BRACKETS = re.compile(r"[\[\]{}]")
_COMPACT_RUN = 1024
_COMPACT = re.compile(rf"(?:[-?] +){{{_COMPACT_RUN}}}")


def _has_control(raw: bytes) -> bool:
    """Whether the UTF-8 has a character `_CONTROL` refuses (a cheap byte-level test, before any regex)."""
    if raw.translate(None, _ALLOWED_BYTES) or b"\xef\xbf\xbe" in raw or b"\xef\xbf\xbf" in raw:
        return True
    return b"\xc2" in raw and _C1.search(raw) is not None  # C1 controls: U+0080 to U+009F


def _may_nest_compactly(text: str) -> bool:
    """Whether the text could hold a `_COMPACT` run (substring tests first: a run starts with two indicators)."""
    return len(text) >= 2 * _COMPACT_RUN and any(pair in text for pair in ("- -", "- ?", "? -", "? ?", "-  ", "?  "))


def _precheck(raw: bytes, text: str, file: str) -> None:
    """Refuse what libyaml must never see: control characters and nesting deep enough to crash it."""
    if _has_control(raw) and (bad := _CONTROL.search(text)):
        line = text.count("\n", 0, bad.start()) + 1
        raise YamlSyntaxError(f"control character U+{ord(bad.group()):04X} is not allowed", file=file, line=line)
    # Cheap bounds on block nesting, so that libyaml's recursive composer never goes deep enough to
    # crash (it overflows the C stack at some ten thousand levels); the exact limit is applied later.
    deep = " " * (MAX_DEPTH * 8 + 1)
    if text.startswith(deep) or "\n" + deep in text:
        raise YamlSyntaxError(f"indentation deeper than {MAX_DEPTH * 8} columns", file=file)
    if _may_nest_compactly(text) and (run := _COMPACT.search(text)):  # "- - - ..." nests on one line
        line = text.count("\n", 0, run.start()) + 1
        raise YamlSyntaxError(f"nesting deeper than {MAX_DEPTH} levels", file=file, line=line)
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    for match in _BRACKETS.finditer(text):
        depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
        if depth > MAX_DEPTH:
            line = text.count("\n", 0, match.start()) + 1
            raise YamlSyntaxError(f"nesting deeper than {MAX_DEPTH} levels", file=file, line=line)


def parse(raw: bytes, file: str) -> Document:
    """Parse one YAML file's bytes; raise `YamlSyntaxError` (with file and line) on any problem."""
    if len(raw) > MAX_BYTES:
        raise YamlSyntaxError(f"file is larger than {MAX_BYTES} bytes", file=file)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise YamlSyntaxError(f"not valid UTF-8 ({error.reason} at byte {error.start})", file=file, line=line) from None
    text = text.removeprefix("\ufeff")
    if "\r" in text:  # CR and CRLF line ends count as LF, so that every line number is right
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    _precheck(raw, text, file)
    loader = _StrictLoader(text)
    try:
        # Every anchor and alias is spelled with & or *, and every node takes at least one character:
        # a text with neither character, shorter than the node limit, needs no event scan.
        if "&" in text or "*" in text or len(text) > MAX_NODES:
            _scan_events(text)
        root = loader.get_single_node()
        if root is None:
            return Document(file, None, None)
        data = _fast_construct(loader, root)
    except _Problem as problem:
        raise YamlSyntaxError(problem.message, file=file, line=problem.node.start_mark.line + 1) from None
    except _EventProblem as problem:
        raise YamlSyntaxError(problem.message, file=file, line=problem.line) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = None if mark is None else mark.line + 1
        raise YamlSyntaxError(f"invalid YAML: {error.problem or error}", file=file, line=where) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(f"invalid YAML: {error}", file=file) from None
    except (ValueError, OverflowError) as error:  # e.g. integers past the digit limit, bad timestamps
        raise YamlSyntaxError(f"invalid value: {error}", file=file) from None
    except RecursionError:  # deep nesting under a tag or merge key, which PyYAML's constructors build
        raise YamlSyntaxError(f"nesting deeper than {MAX_DEPTH} levels", file=file) from None
    finally:
        loader.dispose()
    return Document(file, root, data)

