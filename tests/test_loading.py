"""`cnpolicy.load()`: cached, immutable, thread-safe, and user folders laid over the bundled data."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

import cnpolicy


def test_load_is_cached_and_immutable() -> None:
    ds = cnpolicy.load()
    assert cnpolicy.load() is ds
    with pytest.raises(attrs.exceptions.FrozenInstanceError):  # an AttributeError
        ds.regulations = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        ds.regulations["x"] = ds.regulations["csl"]  # type: ignore[index]


def test_first_load_from_many_threads_reads_once() -> None:
    code = (
        "import threading, cnpolicy, cnpolicy._load as d\n"
        "calls = []\n"
        "real = d._bundled_dataset\n"
        "def counting(*a, **k):\n"
        "    calls.append(1)\n"
        "    return real(*a, **k)\n"
        "d._bundled_dataset = counting\n"
        "out = []\n"
        "threads = [threading.Thread(target=lambda: out.append(cnpolicy.load())) for _ in range(8)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "assert len(out) == 8 and all(x is out[0] for x in out), out\n"
        "assert len(calls) == 1, calls\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_user_folder_laid_over_bundled(base_copy: Callable[[], Path]) -> None:
    root = base_copy()
    # The fixture's agencies and sources have ids of their own; give its regulation a bundled id to override.
    (root / "regulations" / "example-rule.yaml").unlink()
    (root / "events" / "2014.yaml").unlink()
    merged = cnpolicy.load(extra=[root])
    bundled = cnpolicy.load()
    assert set(merged.regulations) == set(bundled.regulations) | {"example-law"}
    assert merged.regulations["csl"] == bundled.regulations["csl"]
    assert "legislature" in merged.agencies


def test_user_record_overrides_bundled_record_with_the_same_id(tmp_path: Path) -> None:
    bundled = cnpolicy.load()
    agencies = tmp_path / "agencies.yaml"
    agencies.write_text(
        "- id: cac\n  name: {en: Renamed CAC, zh: 国家互联网信息办公室}\n  jurisdiction: CN\n  level: national\n"
        "  sources: [seed-xinhua-cybersecurity-strategy]\n"
    )
    merged = cnpolicy.load(extra=[tmp_path])
    assert merged.agencies["cac"].name.en == "Renamed CAC"
    assert bundled.agencies["cac"].name.en != "Renamed CAC"


def test_only_user_folder(base_copy: Callable[[], Path]) -> None:
    ds = cnpolicy.load(base_copy(), bundled=False)
    assert "csl" not in ds.regulations


def test_nothing_to_load() -> None:
    with pytest.raises(ValueError, match="nothing to load"):
        cnpolicy.load(bundled=False)


def test_from_records_checks_references() -> None:
    ds = cnpolicy.load("tests/fixtures/base", bundled=False)
    regulation = ds.regulations["example-rule"]
    with pytest.raises(cnpolicy.DataError, match="unknown agency 'regulator'"):
        cnpolicy.Dataset.from_records(facts=ds.facts.values(), sources=ds.sources.values(), regulations=[regulation])
