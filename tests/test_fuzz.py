"""Mutated data files either load into a valid dataset or raise a DataError naming a file: nothing else, quickly."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cnpolicy

BASE = Path(__file__).parent / "fixtures" / "base"
FILES = sorted(str(p.relative_to(BASE)) for p in BASE.rglob("*.yaml"))
EXAMPLES = 1000 if os.environ.get("HYPOTHESIS_PROFILE") == "ci" else 200
TIME_LIMIT = 5.0  # seconds for one load of a tiny folder: a hang or a blow-up would take far longer

ODD_SCALARS = st.sampled_from(
    [
        None,
        True,
        False,
        0,
        7,
        -1,
        1.5,
        float("inf"),
        "",
        "NO",
        "on",
        "007",
        "12:30",
        "2014-13-01",
        "x" * 2000,
        [],
        {},
        ["a"],
        {"fact": "cii_operator"},
        dt.date(2014, 5, 22),
        dt.datetime(2014, 5, 22, 10, 0),
        "\u202e",
        "网络安全法",
    ]
)
TEXT_INJECTIONS = st.sampled_from(
    [
        "&a ",
        "*a",
        "*undefined",
        "[" * 300,
        "{" * 300,
        "- " * 200,
        "- " * 30_000,  # compact block nesting: once crashed libyaml's composer (a segfault)
        "\n" + "? " * 2_000 + "x\n",
        ": :",
        "\t",
        "\x00",
        "\x07",
        "\ufeff",
        "!!python/object:os.system ",
        "<<: *a\n",
        "? ",
        "%YAML 1.1\n",
        "---\n",
        "...\n",
        "'",
        '"',
        "#",
        "\\",
        "9" * 5000,
        "~",
        "|\n",
        ">\n",
        "- &a [*a, *a]\n",
    ]
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


@st.composite
def structural_mutation(draw: st.DrawFn, data: Any) -> Any:
    paths = [p for p in _paths(data) if p]
    if not paths:
        return draw(ODD_SCALARS)
    path = draw(st.sampled_from(paths))
    parent, last = _get(data, path[:-1]), path[-1]
    op = draw(st.sampled_from(["drop", "duplicate", "retype", "rename", "deep"]))
    if op == "drop":
        del parent[last]
    elif op == "duplicate" and isinstance(parent, list):
        parent.append(parent[last])
    elif op == "rename" and isinstance(parent, dict):
        parent[str(last) + draw(st.sampled_from(["x", "_", " ", "s"]))] = parent.pop(last)
    elif op == "deep":
        value: Any = "x"
        for _ in range(draw(st.integers(10, 200))):
            value = [value]
        parent[last] = value
    else:
        parent[last] = draw(ODD_SCALARS)
    return data


@st.composite
def mutated_folder(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(FILES))
    raw = (BASE / name).read_bytes()
    kind = draw(st.sampled_from(["structure", "truncate", "inject", "bytes", "duplicate-line"]))
    if kind == "structure":
        data = yaml.safe_load(raw)
        mutated = draw(structural_mutation(data))
        return name, yaml.safe_dump(mutated, allow_unicode=True, sort_keys=False).encode()
    if kind == "truncate":
        return name, raw[: draw(st.integers(0, len(raw)))]
    if kind == "inject":
        at = draw(st.integers(0, len(raw)))
        return name, raw[:at] + draw(TEXT_INJECTIONS).encode() + raw[at:]
    if kind == "bytes":
        at = draw(st.integers(0, len(raw)))
        return name, raw[:at] + draw(st.binary(min_size=1, max_size=8)) + raw[at:]
    lines = raw.splitlines(keepends=True)
    index = draw(st.integers(0, len(lines) - 1))
    return name, b"".join([*lines[: index + 1], lines[index], *lines[index + 1 :]])


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_folder())
def test_mutated_data_loads_or_raises_a_data_error(mutation: tuple[str, bytes]) -> None:
    name, raw = mutation
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "data"
        shutil.copytree(BASE, root)
        (root / name).write_bytes(raw)
        started = time.perf_counter()
        outcome = _load(root)
        assert time.perf_counter() - started < TIME_LIMIT
    if isinstance(outcome, cnpolicy.Dataset):
        assert cnpolicy.Dataset.from_plain(outcome.to_records()) == outcome  # what loads is whole and valid
    else:
        problems = outcome.errors if isinstance(outcome, cnpolicy.DataErrors) else (outcome,)
        assert all(p.file.startswith(str(root)) and p.file.endswith(".yaml") for p in problems), str(outcome)


def _load(root: Path) -> cnpolicy.Dataset | cnpolicy.DataError:
    """The dataset, or the DataError raised; any other exception fails the test."""
    try:
        return cnpolicy.load(root, bundled=False, cache=False)
    except cnpolicy.DataError as error:
        return error
