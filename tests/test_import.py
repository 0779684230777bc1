"""`import cnpolicy` stays light: no yaml, cattrs, dateutil or hypothesis until data is used."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("yaml", "cattrs", "dateutil", "hypothesis")


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"import sys; {code}; print(' '.join(sys.modules))"], check=True, capture_output=True, text=True
    ).stdout
    return set(out.split())


def test_import_is_light() -> None:
    loaded = _modules_after("import cnpolicy")
    assert not [m for m in HEAVY if m in loaded]


def test_bundled_load_needs_neither_yaml_nor_cattrs() -> None:
    """The bundled data loads from its compiled snapshot; reading a user folder brings in yaml and cattrs."""
    loaded = _modules_after("import cnpolicy; cnpolicy.load().lookup('PIPL')")
    assert not [m for m in HEAVY if m in loaded]
    loaded = _modules_after("import cnpolicy; cnpolicy.load('tests/fixtures/base', bundled=False, cache=False)")
    assert {"yaml", "cattrs"} <= loaded
    assert "hypothesis" not in loaded


@pytest.mark.parametrize(
    "argv",
    [["show", "pipl"], ["show", "PIPL"], ["--json", "show", "cac"], ["list", "regulations"], ["timeline", "--since", "2014"]],
)
def test_everyday_commands_on_bundled_data_need_neither_yaml_nor_cattrs(argv: list[str]) -> None:
    """PyYAML's emitter and cattrs cost more than the rest of such a command: they stay out of it."""
    loaded = _modules_after(
        f"import contextlib, io; from cnpolicy.cli import main; out = io.StringIO(); "
        f"code = contextlib.redirect_stdout(out).__enter__() and main({argv!r}); sys.stdout = sys.__stdout__; "
        "assert code == 0 and out.getvalue(), code"
    )
    assert "cnpolicy.cli" in loaded
    assert not [m for m in HEAVY if m in loaded]


def test_version() -> None:
    import cnpolicy

    assert cnpolicy.__version__.count(".") >= 1


def test_unknown_attribute() -> None:
    import cnpolicy

    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        cnpolicy.nope  # noqa: B018


def test_all_is_sorted_and_importable() -> None:
    import cnpolicy

    assert list(cnpolicy.__all__) == sorted(cnpolicy.__all__)
    for name in cnpolicy.__all__:
        assert getattr(cnpolicy, name) is not None


def test_every_model_class_and_result_type_is_public() -> None:
    import cnpolicy
    from cnpolicy import errors, model

    assert set(model.__all__) <= set(cnpolicy.__all__)
    assert set(errors.__all__) - {"PathSegment", "format_path", "describe_value"} <= set(cnpolicy.__all__)
    assert {"Applicability", "Changes", "Citation", "Explanation", "Match", "Related", "TimelineEntry"} <= set(cnpolicy.__all__)
    assert dir(cnpolicy) == list(cnpolicy.__all__)


@pytest.mark.parametrize("first", ["import cnpolicy.strategies", "import hypothesis", "import cnpolicy"])
def test_strategies_registered_for_from_type_whatever_is_imported_first(first: str) -> None:
    code = (
        f"{first}\n"
        "from hypothesis import given, settings, strategies as st\n"
        "import cnpolicy\n"
        "@settings(max_examples=3, database=None)\n"
        "@given(st.from_type(cnpolicy.PartialDate), st.from_type(cnpolicy.Profile), st.from_type(cnpolicy.Dataset))\n"
        "def t(d, p, ds):\n"
        "    assert isinstance(d, cnpolicy.PartialDate)\n"
        "    assert isinstance(p, cnpolicy.Profile)\n"
        "    assert isinstance(ds, cnpolicy.Dataset)\n"
        "t()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
