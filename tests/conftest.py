"""Shared fixtures and hypothesis profiles (choose with HYPOTHESIS_PROFILE=dev|ci)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import cnpolicy

settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile(
    "ci", max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep user-folder snapshots out of the real cache directory, and apart for each test."""
    monkeypatch.setenv("CNPOLICY_CACHE_DIR", str(tmp_path_factory.mktemp("cnpolicy-cache")))


@pytest.fixture
def base_copy(tmp_path: Path) -> Callable[[], Path]:
    """Make a fresh copy of the small valid data folder; returns its path."""

    def make() -> Path:
        target = tmp_path / "data"
        shutil.copytree(FIXTURES / "base", target)
        return target

    return make


@pytest.fixture(scope="session")
def bundled() -> cnpolicy.Dataset:
    """The bundled dataset, loaded once per test process."""
    return cnpolicy.load()
