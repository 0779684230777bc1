"""Typed columns: DataFrames and Parquet files with dates as dates and lists as lists (#15)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

import cnpolicy
from cnpolicy import export
from cnpolicy.columns import ColumnType, schema_markdown, table

DOC = Path(__file__).parents[1] / "docs" / "columnar.md"


def test_the_documented_schema_is_the_schema() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert text.endswith(schema_markdown()), "docs/columnar.md is out of date: regenerate its column tables"


@pytest.mark.parametrize("kind", ["regulations", "obligations", "events", "agencies", "sources"])
def test_every_kind_has_typed_columns(bundled: cnpolicy.Dataset, kind: str) -> None:
    columns, rows = table(getattr(bundled, kind).values())
    assert len(rows) == len(getattr(bundled, kind))
    for column in columns:
        values = [row[column.name] for row in rows if row[column.name] is not None]
        expected = {
            ColumnType.TEXT: str,
            ColumnType.BOOL: bool,
            ColumnType.INT: int,
            ColumnType.DATE: dt.date,
            ColumnType.TEXT_LIST: list,
        }.get(column.type, float)
        assert all(isinstance(v, expected) for v in values), (kind, column.name)


def test_a_partial_date_is_its_earliest_day_with_its_precision(bundled: cnpolicy.Dataset) -> None:
    _, rows = table(bundled.agencies.values())
    siio = next(row for row in rows if row["id"] == "siio")
    assert siio["established"] == dt.date(2011, 5, 1)
    assert siio["established_precision"] == "month"


def test_mixed_kinds_are_refused(bundled: cnpolicy.Dataset) -> None:
    with pytest.raises(cnpolicy.ArgumentError):
        table([bundled.regulations["csl"], bundled.agencies["cac"]])


def test_dataframes_have_types() -> None:
    pytest.importorskip("pandas")
    ds = cnpolicy.load()
    frame = export.to_dataframe(ds.events.values())
    assert str(frame["date"].dtype).startswith("datetime64")
    assert isinstance(frame["regulations"].iloc[0], list)
    answers = export.to_dataframe(ds.obligations_for({"network_operator": True}, "2024-01-01"))
    assert str(answers["on"].dtype).startswith("datetime64")
    assert str(answers["condition_complete"].dtype) == "boolean"


def test_parquet_round_trips_with_its_schema(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    ds = cnpolicy.load()
    path = tmp_path / "obligations.parquet"
    export.to_parquet(ds.obligations.values(), path)
    read = pq.read_table(path)
    assert read.num_rows == len(ds.obligations)
    assert str(read.schema.field("articles").type) in ("list<item: string>", "list<element: string>")
    assert str(read.schema.field("valid_from").type) == "date32[day]"
    assert str(read.schema.field("condition_complete").type) == "bool"
    changes = ds.changes_for({"network_operator": True}, "2025-12-01", "2026-03-01")
    export.to_parquet(changes, tmp_path / "changes.parquet")
    assert set(pq.read_table(tmp_path / "changes.parquet").column("change").to_pylist()) <= {"gained", "lost", "changed"}


def test_the_duckdb_example_runs() -> None:
    pytest.importorskip("duckdb")
    pytest.importorskip("pyarrow")
    code = re.search(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert code is not None
    exec(compile(code.group(1), str(DOC), "exec"), {})  # the example asserts its own results
