from __future__ import annotations

import json
from pathlib import Path

import pytest

import cnpolicy
from cnpolicy import CnpolicyError, export

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "docs" / "schema" / "cnpolicy-data.schema.json"


def test_checked_in_schema_is_current() -> None:
    """Regenerate with: cnpolicy export --format schema > docs/schema/cnpolicy-data.schema.json"""
    assert json.loads(SCHEMA.read_text()) == export.json_schema()


def test_schema_describes_strict_records() -> None:
    schema = export.json_schema()["$defs"]
    regulation = schema["Regulation"]
    assert regulation["additionalProperties"] is False
    assert {"id", "title", "kind", "jurisdiction", "issued_by", "sources"} <= set(regulation["required"])
    assert "regulation" not in schema["Obligation"]["required"]  # filled in from the enclosing file
    assert "from" in schema["Period"]["properties"]
    assert schema["Obligation"]["properties"]["applies_if"] == {"$ref": "#/$defs/Condition"}


def test_bundled_files_fit_the_schema_shape() -> None:
    """Every key used in a bundled regulation file is a property the schema names."""
    import yaml

    props = export.json_schema()["$defs"]["Regulation"]["properties"]
    for path in (ROOT / "data" / "regulations").glob("*.yaml"):
        assert set(yaml.safe_load(path.read_text())) <= set(props), path.name


def test_json_and_jsonl_round_trip_records() -> None:
    ds = cnpolicy.load()
    data = json.loads(export.to_json(ds))
    assert cnpolicy.Dataset.from_plain(data) == ds
    lines = export.to_jsonl(ds.regulations.values()).splitlines()
    assert len(lines) == len(ds.regulations)


def test_to_dataframe_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real = builtins.__import__

    def no_pandas(name: str, *args: object, **kwargs: object) -> object:
        if name == "pandas":
            raise ImportError(name)
        return real(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(CnpolicyError, match=r"cnpolicy\[pandas\]"):
        export.to_dataframe([])
