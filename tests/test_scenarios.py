"""The scenario table: each row's verdict is what the article's text decides (tests/scenarios.yaml)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

import cnpolicy

ROWS: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "scenarios.yaml").read_text(encoding="utf-8"))
VERDICTS = {"applies": "applies", "may_apply": "undetermined", "does_not_apply": "does_not_apply"}


def test_the_table_is_large_enough_and_every_row_gives_its_reason() -> None:
    assert len(ROWS) >= 60
    assert all(row["because"].strip() for row in ROWS)


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['obligation']}@{r['on']}" for r in ROWS])
def test_scenario(row: dict[str, Any]) -> None:
    ds = cnpolicy.load()
    assert row["obligation"] in ds.obligations, row["obligation"]
    facts = {name: frozenset(value) if isinstance(value, list) else value for name, value in row["profile"].items()}
    day = dt.date.fromisoformat(row["on"])
    found = {a.obligation.id: a.verdict.value for a in ds.obligations_for(ds.profile(facts), day, include_not_applicable=True)}
    assert found.get(row["obligation"], "does_not_apply") == VERDICTS[row["expected"]], row["because"]
