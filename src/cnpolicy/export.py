"""Exports: JSON, JSON Lines, CSV, the JSON Schema of the data files, and pandas DataFrames."""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import json
import types
import typing
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from cnpolicy.dates import PartialDate
from cnpolicy.engine import Applicability, Changes
from cnpolicy.errors import CnpolicyError
from cnpolicy.logic import Explanation
from cnpolicy.model import Agency, Condition, Event, Obligation, Regulation, Source
from cnpolicy.model import conditions as _conditions
from cnpolicy.model.kinds import FILE_KINDS, KINDS, Layout, data_key
from cnpolicy.profile import Profile

__all__ = ["csv_rows", "json_schema", "plain", "to_csv", "to_dataframe", "to_json", "to_jsonl", "to_parquet"]


def _explanation(node: Explanation) -> dict[str, Any]:
    out: dict[str, Any] = {"verdict": node.verdict.value}
    if node.fact is not None:
        out["fact"] = node.fact
        out["stated"] = None if repr(node.stated) == "MISSING" else plain(node.stated)
        if node.implied_by is not None:
            out["implied_by"] = node.implied_by
    if node.parts:
        out["parts"] = [_explanation(p) for p in node.parts]
    return out


def plain(value: Any) -> Any:
    """Any cnpolicy value (records, query results, lists of them) as JSON-ready data."""
    from cnpolicy._convert import unstructure
    from cnpolicy.dataset import Dataset

    if isinstance(value, Dataset):
        return value.to_records()
    if isinstance(value, Applicability):
        return {
            "obligation": value.obligation.id,
            "regulation": value.regulation.id,
            "on": value.on.isoformat(),
            "verdict": value.verdict.value,
            "in_force": value.in_force,
            "missing_facts": sorted(value.missing_facts),
            "articles": list(value.citation.articles),
            "citation": str(value.citation),
            "duty_bearer": value.obligation.duty_bearer,
            "modality": value.obligation.modality.value,
            "action": value.obligation.action,
            "caveats": list(value.obligation.caveats),
            "condition_complete": value.obligation.condition_complete,
            "explanation": _explanation(value.explanation),
            "sources": [
                {"url": url, "tier": tier.value} for url, tier in zip(value.citation.urls, value.citation.tiers, strict=True)
            ],
        }
    if isinstance(value, Changes):
        return {
            "from": value.start.isoformat(),
            "to": value.end.isoformat(),
            "gained": [plain(a) for a in value.gained],
            "lost": [plain(a) for a in value.lost],
            "changed": [{"before": plain(c.before), "after": plain(c.after), "what": list(c.what)} for c in value.changed],
        }
    if isinstance(value, Profile):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, frozenset | set):
        return sorted(plain(v) for v in value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, PartialDate | dt.date):
        return str(value)
    if isinstance(value, Source):
        return {**unstructure(value), "tier": value.tier.value}
    if attrs.has(type(value)):
        return unstructure(value)
    return value


def to_json(value: Any, *, indent: int | None = 2) -> str:
    """JSON text of any record, query result or dataset (Chinese kept as is)."""
    return json.dumps(plain(value), ensure_ascii=False, indent=indent)


def to_jsonl(values: Iterable[Any]) -> str:
    """JSON Lines: one compact JSON object a line."""
    return "".join(json.dumps(plain(v), ensure_ascii=False) + "\n" for v in values)


def _join(values: Iterable[object]) -> str:
    return "; ".join(str(v) for v in values)


#: What `csv_rows`, `to_csv` and `to_dataframe` take: records of one kind, or the engine's answers.
Rows = Iterable[Regulation | Obligation | Event | Agency | Source | Applicability] | Changes


def _answer_row(item: Applicability, change: str = "") -> dict[str, str]:
    """One verdict as a flat row: the duty, the verdict and why, the caveats, and the best source."""
    o = item.obligation
    row = {"change": change} if change else {}
    row.update(
        {
            "obligation": o.id,
            "regulation": item.regulation.id,
            "on": item.on.isoformat(),
            "verdict": item.verdict.value,
            "in_force": "" if item.in_force is None else str(item.in_force).lower(),
            "articles": _join(o.articles),
            "modality": o.modality.value,
            "duty_bearer": o.duty_bearer,
            "action": o.action,
            "would_be_decided_by": _join(sorted(item.missing_facts)),
            "caveats": _join(o.caveats),
            "condition_complete": str(o.condition_complete).lower(),
            "deadline": str(o.deadline or ""),
            "penalty_articles": _join(o.penalty.articles) if o.penalty else "",
            "best_source": item.citation.urls[0] if item.citation.urls else "",
            "best_source_tier": item.citation.tiers[0].value if item.citation.tiers else "",
        }
    )
    return row


def csv_rows(records: Rows) -> list[dict[str, str]]:
    """Flat rows (one per record, verdict or change) for CSV or spreadsheets."""
    if isinstance(records, Changes):
        return [
            *(_answer_row(a, "gained") for a in records.gained),
            *(_answer_row(a, "lost") for a in records.lost),
            *(_answer_row(c.after, "changed: " + ", ".join(c.what)) for c in records.changed),
        ]
    rows = []
    for r in records:
        if isinstance(r, Applicability):
            rows.append(_answer_row(r))
        elif isinstance(r, Regulation):
            rows.append(
                {
                    "id": r.id,
                    "title_en": r.title.en,
                    "title_zh": r.title.zh or "",
                    "kind": r.kind.value,
                    "jurisdiction": r.jurisdiction,
                    "issued_by": _join(r.issued_by),
                    "document_number": r.document_number or "",
                    "adopted": str(r.adopted or ""),
                    "promulgated": str(r.promulgated or ""),
                    "effective": str(r.effective or ""),
                    "repealed": str(r.repealed or ""),
                    "amendments": _join(a.id for a in r.amendments),
                    "topics": _join(r.topics),
                    "obligations": str(len(r.obligations)),
                    "sources": _join(r.sources),
                }
            )
        elif isinstance(r, Obligation):
            from cnpolicy.logic import describe_condition

            rows.append(
                {
                    "id": r.id,
                    "regulation": r.regulation,
                    "articles": _join(r.articles),
                    "modality": r.modality.value,
                    "duty_bearer": r.duty_bearer,
                    "action": r.action,
                    "applies_if": "" if r.applies_if is None else describe_condition(r.applies_if),
                    "valid_from": str(r.valid.from_ or "") if r.valid else "",
                    "valid_until": str(r.valid.until or "") if r.valid else "",
                    "introduced_by": r.introduced_by or "",
                    "deadline": str(r.deadline or ""),
                    "caveats": _join(r.caveats),
                    "condition_complete": str(r.condition_complete).lower(),
                    "continues": r.continues or "",
                    "topics": _join(r.topics),
                    "sources": _join(r.sources),
                }
            )
        elif isinstance(r, Event):
            rows.append(
                {
                    "id": r.id,
                    "date": str(r.date),
                    "kind": r.kind.value,
                    "title": r.title,
                    "actors": _join(f"{a.label} ({a.role.value})" for a in r.actors),
                    "regulations": _join(r.regulations),
                    "amounts": _join(f"{a.value} {a.currency}" for a in r.amounts),
                    "sources": _join(r.sources),
                }
            )
        elif isinstance(r, Agency):
            rows.append(
                {
                    "id": r.id,
                    "name_en": r.name.en,
                    "name_zh": r.name.zh or "",
                    "abbreviations": _join(r.abbreviations),
                    "jurisdiction": r.jurisdiction,
                    "level": r.level.value,
                    "parent": r.parent or "",
                    "predecessors": _join(r.predecessors),
                    "successors": _join(r.successors),
                    "established": str(r.established or ""),
                    "dissolved": str(r.dissolved or ""),
                    "sources": _join(r.sources),
                }
            )
        else:
            rows.append(
                {
                    "id": r.id,
                    "title": r.title,
                    "publisher": r.publisher,
                    "date": str(r.date or ""),
                    "url": r.url or "",
                    "language": r.language.value,
                    "kind": r.kind.value,
                    "tier": r.tier.value,
                    "copy": str(r.copy).lower(),
                    "document": r.document or "",
                    "read": r.read.value if r.read else "",
                    "last_checked": r.last_checked.isoformat(),
                }
            )
    return rows


def to_csv(records: Rows) -> str:
    """CSV text of regulations, obligations, events, agencies or sources (one kind at a time), or of verdicts or changes."""
    rows = csv_rows(records)
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: _inert(value) for key, value in row.items()} for row in rows)
    return out.getvalue()


def _inert(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula: one starting with = + - @ (or a tab or CR) gets a leading '."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def to_dataframe(records: Rows) -> Any:
    """A pandas DataFrame with typed columns: dates as dates, yes/no as booleans, lists as lists.

    Records of one kind, verdicts or changes; the columns are those of `cnpolicy.columns.table`
    (docs/columnar.md). Needs the ``pandas`` extra: ``pip install 'cnpolicy[pandas]'``.
    """
    try:
        import pandas as pd
    except ImportError:
        raise CnpolicyError("to_dataframe() needs pandas: pip install 'cnpolicy[pandas]'") from None
    from cnpolicy.columns import ColumnType, table

    columns, rows = table(records)
    dtypes = {ColumnType.TEXT: "string", ColumnType.BOOL: "boolean", ColumnType.INT: "Int64", ColumnType.FLOAT: "Float64"}
    frame = pd.DataFrame({c.name: [row[c.name] for row in rows] for c in columns})
    for column in columns:
        if column.type is ColumnType.DATE:
            frame[column.name] = pd.to_datetime(frame[column.name])
        elif column.type in dtypes:
            frame[column.name] = frame[column.name].astype(dtypes[column.type])
    return frame


def to_parquet(records: Rows, path: str | Path) -> None:
    """Write records of one kind, verdicts or changes to a Parquet file with a typed schema.

    Needs the ``parquet`` extra: ``pip install 'cnpolicy[parquet]'`` (pyarrow). The schema of each
    kind is in docs/columnar.md; lists are Parquet lists of strings, dates are ``date32``.
    """
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise CnpolicyError("to_parquet() needs pyarrow: pip install 'cnpolicy[parquet]'") from None
    from cnpolicy.columns import ColumnType, table

    columns, rows = table(records)
    types = {
        ColumnType.TEXT: pa.string(),
        ColumnType.BOOL: pa.bool_(),
        ColumnType.INT: pa.int64(),
        ColumnType.FLOAT: pa.float64(),
        ColumnType.DATE: pa.date32(),
        ColumnType.TEXT_LIST: pa.list_(pa.string()),
    }
    schema = pa.schema([pa.field(c.name, types[c.type], metadata={"doc": c.doc} if c.doc else None) for c in columns])
    arrays = [pa.array([row[c.name] for row in rows], type=types[c.type]) for c in columns]
    pq.write_table(pa.Table.from_arrays(arrays, schema=schema), str(path))


# --- JSON Schema of the data files -------------------------------------------------------------

_DATE = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$", "description": "YYYY, YYYY-MM or YYYY-MM-DD"}
#: Fields the loader fills in from the enclosing record (an obligation's regulation).
_INJECTED = {(kind.cls, kind.parent_field) for kind in KINDS if kind.parent_field is not None}


def _type_schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    if tp is str:
        return {"type": "string"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is float:
        return {"type": "number"}
    if tp is PartialDate:
        return dict(_DATE)
    if tp is dt.date:
        return {"type": "string", "format": "date"}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return {"enum": [m.value for m in tp]}
    if origin is tuple:
        return {"type": "array", "items": _type_schema(typing.get_args(tp)[0], defs)}
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if set(args) == set(typing.get_args(Condition)):
            return {"$ref": "#/$defs/Condition"}
        inner = [_type_schema(a, defs) for a in args]
        return {"anyOf": [*inner, {"type": "null"}]} if len(args) < len(typing.get_args(tp)) else {"anyOf": inner}
    if attrs.has(tp):
        _class_schema(tp, defs)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    raise TypeError(f"no JSON Schema for {tp!r}")  # pragma: no cover - every model type is handled above


def _class_schema(cls: type, defs: dict[str, Any]) -> None:
    if cls.__name__ in defs:
        return
    defs[cls.__name__] = {}  # placeholder against recursion
    hints = typing.get_type_hints(cls)
    properties, required = {}, []
    for field in attrs.fields(cls):
        name = data_key(field)
        properties[name] = _type_schema(hints[field.name], defs)
        if field.default is attrs.NOTHING and (cls, field.name) not in _INJECTED:
            required.append(name)
    doc = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
    defs[cls.__name__] = {
        "type": "object",
        "description": doc,
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema of cnpolicy's data files, generated from the model (``$defs`` per file kind)."""
    defs: dict[str, Any] = {"Condition": _conditions.JSON_SCHEMA}
    for kind in FILE_KINDS:
        _class_schema(kind.cls, defs)
    files = {}
    for kind in FILE_KINDS:
        ref = {"$ref": f"#/$defs/{kind.cls.__name__}"}
        one = kind.layout is Layout.ONE_PER_FILE
        where = kind.location if kind.layout is Layout.LIST else f"{kind.location}/<{'id' if one else 'year'}>.yaml"
        name = f"{kind.singular.capitalize()}File" if one else f"{kind.name.capitalize()}File"
        files[name] = {**ref, "description": where} if one else {"type": "array", "items": ref, "description": where}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/cnpolicy/cnpolicy/schema/cnpolicy-data.schema.json",
        "title": "cnpolicy data files",
        "$defs": {**dict(sorted(defs.items())), **files},
    }
