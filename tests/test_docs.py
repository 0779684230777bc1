"""The docs stay true: their examples run."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(), flags=re.S)


def test_property_testing_example_runs_as_written() -> None:
    [code] = _python_blocks(ROOT / "docs" / "property-testing.md")
    namespace: dict[str, Any] = {"__name__": "docs_example"}
    exec(compile(code, "docs/property-testing.md", "exec"), namespace)
    tests = [value for name, value in namespace.items() if name.startswith("test_")]
    assert len(tests) == 2
    for test in tests:
        test()


def test_readme_commands_match_ci() -> None:
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    test_command = next(line for line in readme.splitlines() if "pytest" in line and line.startswith("python3"))
    assert test_command in ci.splitlines()
    assert readme.splitlines()[0] == "# cnpolicy"


def test_docs_build_without_warnings(tmp_path: Path) -> None:
    """The Sphinx site (MyST pages, API reference from docstrings) builds with warnings as errors."""
    from sphinx.cmd.build import build_main

    assert build_main(["-W", "-q", "-b", "html", str(ROOT / "docs"), str(tmp_path / "html")]) == 0
    assert (tmp_path / "html" / "api.html").is_file()


def test_readme_python_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    """The README's Python block runs as written (it once failed on its lookup of 个保法)."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(block, "README.md", "exec"), {})  # our own documentation
    printed = capsys.readouterr().out
    assert "applies pipl." in printed  # the lookup of 个保法 found PIPL and its duties were listed
    assert ": APPLIES on 2022-03-01" in printed
