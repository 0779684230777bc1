"""Our YAML reader gives what yaml.safe_load gives, or a YamlSyntaxError with a line."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import yaml
from hypothesis import assume, given
from hypothesis import strategies as st

from cnpolicy import YamlSyntaxError
from cnpolicy._yaml import _COMPACT, _CONTROL, _has_control, _may_nest_compactly, parse

KEYS = st.text(alphabet="abcxyz_-网络 :#'\"", min_size=1, max_size=8)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20) | st.dates()
DATA = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4), max_leaves=20)


def _refused(data: Any) -> bool:
    """What the reader refuses on purpose: control characters (written as escapes) and integers past 24 digits."""
    if isinstance(data, str):
        return re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", data) is not None
    if isinstance(data, int) and not isinstance(data, bool):
        return len(str(abs(data))) > 24
    if isinstance(data, list):
        return any(_refused(item) for item in data)
    if isinstance(data, dict):
        return any(_refused(item) for item in data.values())
    return False


@given(DATA, st.booleans())
def test_same_data_as_safe_load(data: Any, flow: bool) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow)
    if _refused(data):
        with pytest.raises(YamlSyntaxError):
            parse(text.encode(), "f.yaml")
    else:
        assert parse(text.encode(), "f.yaml").data == yaml.safe_load(text)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a: 1\nb:\n  c: 2\n  c: 3\n", 4, "duplicate key 'c' (first on line 3)"),
        ("a: 1\non: 2\n", 2, "keys must be strings, got True"),
        ("a: [1, 2\n", 2, "invalid YAML"),
        ("a: &x 1\nb: *x\n", 1, "anchors and aliases"),  # the line of the anchor
        ("a: 2014-02-30\n", 1, "invalid value"),
        ("a: !!python/name:os.system\n", 1, "invalid YAML"),
    ],
)
def test_problems_have_lines(text: str, line: int, words: str) -> None:
    with pytest.raises(YamlSyntaxError) as info:
        parse(text.encode(), "f.yaml")
    assert info.value.line == line
    assert words in str(info.value)


def test_merge_keys_and_dates_still_work() -> None:
    assert parse(b"<<: {a: 1}\nb: 2014-05-22\n", "f.yaml").data == {"a": 1, "b": dt.date(2014, 5, 22)}


def test_line_of_field_paths() -> None:
    doc = parse(b"id: x\nobligations:\n  - id: a\n  - id: b\n    modality: shall\n", "f.yaml")
    assert doc.line(("obligations", 1, "modality")) == 5
    assert doc.line(("obligations", 1, "missing")) == 4
    assert doc.line(()) == 1


@given(st.lists(st.dictionaries(KEYS, SCALARS, min_size=1, max_size=3), min_size=1, max_size=3), st.booleans())
def test_shared_nodes_are_always_refused(items: list[dict[str, Any]], flow: bool) -> None:
    """yaml.safe_dump writes anchors and aliases for shared objects; we must refuse every such file."""
    assume(not _refused(items))  # control characters are refused first, for their own reason
    shared = {"first": items[0], "again": items[0], "rest": items}
    text = yaml.safe_dump(shared, allow_unicode=True, default_flow_style=flow)
    with pytest.raises(YamlSyntaxError, match="anchors and aliases"):
        parse(text.encode(), "f.yaml")


_PRECHECK_TEXT = st.text(alphabet=st.sampled_from("&* \n\t[]{},-:ax网\x07\x00\x7f\ufffe\uffff\u3000")) | st.text()


@given(_PRECHECK_TEXT)
def test_fast_prechecks_agree_with_their_regular_expressions(text: str) -> None:
    assert _has_control(text.encode()) == bool(_CONTROL.search(text))


@given(st.lists(st.tuples(st.sampled_from(["-", "?"]), st.integers(1, 4)), min_size=1, max_size=6), st.text(max_size=5))
def test_compact_nesting_prefilter_never_misses_a_run(pattern: list[tuple[str, int]], before: str) -> None:
    """Any run of indicators (repeating ``pattern``, whatever the spaces between them) passes the substring pre-test."""
    tokens = (pattern * (1100 // len(pattern) + 1))[:1100]
    text = before + "".join(mark + " " * gap for mark, gap in tokens) + "x\n"
    assert _COMPACT.search(text)
    assert _may_nest_compactly(text)


@pytest.mark.parametrize(
    "text",
    [
        "- " * 65 + "x\n",  # compact block sequences, one level per "- "
        "? " * 2_000 + "x\n",
        "- " * 30_000 + "x\n",  # deep enough to overflow libyaml's recursive composer if it got that far
        "".join(" " * i + "-\n" for i in range(100)),
        "!!set\n? " + "- " * 2_000 + "x\n",  # built by PyYAML's own constructors
    ],
)
def test_deep_block_nesting_is_refused(text: str) -> None:
    with pytest.raises(YamlSyntaxError, match="nesting deeper than 64 levels"):
        parse(text.encode(), "f.yaml")


# --- writing: the small YAML writer of `cnpolicy show` ---------------------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PLAIN = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(min_size=1, max_size=10), inner, max_size=4),
    max_leaves=20,
)


@given(_PLAIN)
def test_dump_round_trips_through_yaml(value: object) -> None:
    import yaml as pyyaml

    from cnpolicy._yamlwrite import dump

    assert pyyaml.safe_load(dump(value)) == value


def test_dump_quotes_what_yaml_would_retype() -> None:
    import yaml as pyyaml

    from cnpolicy._yamlwrite import dump

    tricky = [
        "2021-08-20",
        "yes",
        "no",
        "on",
        "null",
        "~",
        "1e3",
        "0x1F",
        "12:30",
        "- a",
        "a: b",
        "a #b",
        "",
        " x",
        "#",
        "@x",
        "*x",
    ]
    assert pyyaml.safe_load(dump({"values": tricky})) == {"values": tricky}
    assert dump({"id": "csl", "articles": ["37"]}) == 'id: csl\narticles:\n- "37"\n'


# --- fuzzing at the level of the parser's events ---------------------------------------------------


@st.composite
def _event_streams(draw: st.DrawFn) -> tuple[list[yaml.Event], bool]:
    """A random YAML document as events, with anchors and aliases sometimes, and deep nesting sometimes."""
    anchors: list[str] = []
    used = False

    def node(depth: int) -> list[yaml.Event]:
        nonlocal used
        anchor = None
        if draw(st.integers(0, 9)) == 0:
            anchor = f"a{len(anchors)}"
        if anchors and draw(st.integers(0, 9)) == 0:
            used = True
            return [yaml.AliasEvent(draw(st.sampled_from(anchors)))]
        used = used or anchor is not None
        kind = draw(st.sampled_from(["scalar", "seq", "map"])) if depth < 80 else "scalar"
        flow = draw(st.booleans())
        if kind == "scalar":
            out: list[yaml.Event] = [yaml.ScalarEvent(anchor, None, (True, True), draw(st.text(max_size=5)))]
        elif kind == "seq":
            out = [yaml.SequenceStartEvent(anchor, None, True, flow_style=flow)]
            for _ in range(draw(st.integers(0, 3))):
                out += node(depth + 1)
            out.append(yaml.SequenceEndEvent())
        else:
            out = [yaml.MappingStartEvent(anchor, None, True, flow_style=flow)]
            for index in range(draw(st.integers(0, 3))):
                out += [yaml.ScalarEvent(None, None, (True, True), f"k{index}"), *node(depth + 1)]
            out.append(yaml.MappingEndEvent())
        if anchor is not None:
            anchors.append(anchor)
        return out

    body = node(0)
    return [yaml.StreamStartEvent(), yaml.DocumentStartEvent(), *body, yaml.DocumentEndEvent(), yaml.StreamEndEvent()], used


@given(_event_streams())
def test_any_event_stream_parses_or_is_refused_cleanly(stream: tuple[list[yaml.Event], bool]) -> None:
    events, shares = stream
    try:
        text = yaml.emit(events, allow_unicode=True)
    except yaml.YAMLError:  # an event stream the emitter cannot write (e.g. an alias before its anchor)
        return
    refused: YamlSyntaxError | None = None
    try:
        parse(text.encode(), "f.yaml")
    except YamlSyntaxError as error:
        refused = error
    if refused is None:
        assert not shares, "a file with anchors or aliases was accepted"
    else:
        assert refused.file == "f.yaml"
