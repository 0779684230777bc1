"""Typed columns for data tools: every record kind and every result as a table whose columns have
types (text, yes/no, whole number, date, list of text), for DataFrames and Parquet files.

`table(records)` gives the columns and the rows; `to_dataframe` and `to_parquet` in
`cnpolicy.export` build on it. The schema of each kind is in docs/columnar.md.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
import types
import typing
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from cnpolicy.dates import PartialDate, Period
from cnpolicy.engine import Applicability, Changes
from cnpolicy.errors import ArgumentError
from cnpolicy.model import Agency, Event, Names, Obligation, Regulation, Source

__all__ = ["Column", "ColumnType", "table"]


class ColumnType(enum.Enum):
    """The type of a column."""

    TEXT = "text"
    BOOL = "bool"
    INT = "int"
    FLOAT = "float"
    DATE = "date"
    TEXT_LIST = "text_list"


@attrs.frozen
class Column:
    """A column: its name, its type, and what it holds."""

    name: str
    type: ColumnType
    doc: str = ""


#: Rows of one table: records of one kind, or the engine's answers.
Records = Iterable[Regulation | Obligation | Event | Agency | Source | Applicability] | Changes

_NESTED_AS_JSON = "JSON text of the nested value, as in the YAML files"


def table(records: Records) -> tuple[list[Column], list[dict[str, Any]]]:
    """The columns and rows of records of one kind (or of verdicts, or of changes)."""
    if isinstance(records, Changes):
        rows: list[tuple[str, Applicability]] = [("gained", a) for a in records.gained]
        rows += [("lost", a) for a in records.lost]
        rows += [("changed", c.after) for c in records.changed]
        columns, out = _answers([a for _, a in rows])
        for (change, _), row in zip(rows, out, strict=True):
            row["change"] = change
        return [Column("change", ColumnType.TEXT, "gained, lost or changed"), *columns], out
    items = list(records)
    if not items:
        return [], []
    kinds = {type(item) for item in items}
    if len(kinds) > 1:
        raise ArgumentError(f"a table holds one kind of record, got {', '.join(sorted(k.__name__ for k in kinds))}")
    if isinstance(items[0], Applicability):
        return _answers(typing.cast(list[Applicability], items))
    return _records(items)


def _records(items: Sequence[Any]) -> tuple[list[Column], list[dict[str, Any]]]:
    columns, makers = _plan(typing.cast(Any, type(items[0])))
    rows = [{key: value for make in makers for key, value in make(item).items()} for item in items]
    return list(columns), rows


_Maker = typing.Callable[[Any], dict[str, Any]]


@functools.cache
def _plan(cls: Any) -> tuple[tuple[Column, ...], tuple[_Maker, ...]]:
    """The columns of a record class and how to fill them (a regulation's obligations are a table of their own)."""
    hints = typing.get_type_hints(cls)
    columns: list[Column] = []
    makers: list[_Maker] = []
    for field in attrs.fields(cls):
        if field.name != "obligations":
            made, maker = _columns_for(field.name.rstrip("_"), field.name, hints[field.name])
            columns += made
            makers.append(maker)
    if cls is Source:
        columns.append(Column("tier", ColumnType.TEXT, "official, reputable or copy"))
        makers.append(lambda record: {"tier": record.tier.value})
    return tuple(columns), tuple(makers)


def _columns_for(name: str, attribute: str, tp: Any) -> tuple[list[Column], typing.Callable[[Any], dict[str, Any]]]:
    """The columns of one field and how to fill them."""
    optional = typing.get_origin(tp) in (typing.Union, types.UnionType) and type(None) in typing.get_args(tp)
    if optional:
        tp = next(arg for arg in typing.get_args(tp) if arg is not type(None))
    get = _getter(attribute)
    if tp is Names:
        return (
            [Column(f"{name}_en", ColumnType.TEXT), Column(f"{name}_zh", ColumnType.TEXT)],
            lambda r: {f"{name}_en": get(r).en if get(r) else None, f"{name}_zh": get(r).zh if get(r) else None},
        )
    if tp is PartialDate:
        return (
            [
                Column(name, ColumnType.DATE, "the earliest day the date may be"),
                Column(f"{name}_precision", ColumnType.TEXT, "year, month or day: how much of the date is known"),
            ],
            lambda r: {
                name: get(r).earliest if get(r) else None,
                f"{name}_precision": get(r).precision.value if get(r) else None,
            },
        )
    if tp is dt.date:
        return [Column(name, ColumnType.DATE)], lambda r: {name: get(r)}
    if tp is Period:
        return (
            [Column(f"{name}_from", ColumnType.DATE), Column(f"{name}_until", ColumnType.DATE, "exclusive")],
            lambda r: {
                f"{name}_from": get(r).from_.earliest if get(r) and get(r).from_ else None,
                f"{name}_until": get(r).until.earliest if get(r) and get(r).until else None,
            },
        )
    if tp in (str, int, bool, float) or (isinstance(tp, type) and issubclass(tp, enum.Enum)):
        kind = {str: ColumnType.TEXT, int: ColumnType.INT, bool: ColumnType.BOOL, float: ColumnType.FLOAT}.get(
            tp, ColumnType.TEXT
        )
        return [Column(name, kind)], lambda r: {name: _scalar(get(r))}
    if typing.get_origin(tp) is tuple and typing.get_args(tp)[:1] == (str,):
        return [Column(name, ColumnType.TEXT_LIST)], lambda r: {name: list(get(r))}
    return [Column(name, ColumnType.TEXT, _NESTED_AS_JSON)], lambda r: {name: _json(get(r))}


def _getter(attribute: str) -> typing.Callable[[Any], Any]:
    return lambda record: getattr(record, attribute)


def _scalar(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _json(value: Any) -> str | None:
    from cnpolicy._convert import unstructure

    if value is None or value == ():
        return None
    return json.dumps(unstructure(value), ensure_ascii=False, default=str)


_ANSWER_COLUMNS = [
    Column("obligation", ColumnType.TEXT),
    Column("regulation", ColumnType.TEXT),
    Column("on", ColumnType.DATE),
    Column("verdict", ColumnType.TEXT, "applies, undetermined or does_not_apply"),
    Column("in_force", ColumnType.BOOL, "empty where the dates leave it open"),
    Column("articles", ColumnType.TEXT_LIST),
    Column("modality", ColumnType.TEXT),
    Column("duty_bearer", ColumnType.TEXT),
    Column("action", ColumnType.TEXT),
    Column("would_be_decided_by", ColumnType.TEXT_LIST, "the unstated facts that would decide a 'may apply'"),
    Column("caveats", ColumnType.TEXT_LIST),
    Column("condition_complete", ColumnType.BOOL),
    Column("condition", ColumnType.TEXT, "the condition as text"),
    Column("deadline", ColumnType.TEXT),
    Column("penalty", ColumnType.TEXT),
    Column("penalty_articles", ColumnType.TEXT_LIST),
    Column("topics", ColumnType.TEXT_LIST),
    Column("source_urls", ColumnType.TEXT_LIST, "best first"),
    Column("source_tiers", ColumnType.TEXT_LIST, "the tier of each URL"),
    Column("explanation", ColumnType.TEXT, "the verdict of each part of the condition, as JSON"),
]


def _answers(items: Sequence[Applicability]) -> tuple[list[Column], list[dict[str, Any]]]:
    from cnpolicy.export import plain
    from cnpolicy.render import penalty_words

    rows = []
    for item in items:
        o = item.obligation
        rows.append(
            {
                "obligation": o.id,
                "regulation": item.regulation.id,
                "on": item.on,
                "verdict": item.verdict.value,
                "in_force": item.in_force,
                "articles": list(o.articles),
                "modality": o.modality.value,
                "duty_bearer": o.duty_bearer,
                "action": o.action,
                "would_be_decided_by": sorted(item.missing_facts),
                "caveats": list(o.caveats),
                "condition_complete": o.condition_complete,
                "condition": None if o.applies_if is None else str(o.applies_if),
                "deadline": None if o.deadline is None else str(o.deadline),
                "penalty": None if o.penalty is None else penalty_words(o),
                "penalty_articles": list(o.penalty.articles) if o.penalty else [],
                "topics": list(o.topics),
                "source_urls": list(item.citation.urls),
                "source_tiers": [t.value for t in item.citation.tiers],
                "explanation": json.dumps(plain(item)["explanation"], ensure_ascii=False),
            }
        )
    return list(_ANSWER_COLUMNS), rows


def schema_markdown() -> str:
    """The columns of each table, as Markdown (docs/columnar.md keeps a copy, checked by a test)."""
    from cnpolicy.model.kinds import KINDS

    out = []
    wanted = ("regulations", "obligations", "events", "agencies", "sources")
    for name, cls in [(k.name, k.cls) for k in KINDS if k.name in wanted]:
        out += [f"### {name}", "", "| column | type | notes |", "|---|---|---|"]
        columns = _plan(typing.cast(Any, cls))[0]
        out += [f"| `{c.name}` | {c.type.value} | {c.doc} |" for c in columns]
        out.append("")
    out += ["### verdicts (`obligations_for`) and changes (`changes_for`, with a first column `change`)", ""]
    out += ["| column | type | notes |", "|---|---|---|"]
    out += [f"| `{c.name}` | {c.type.value} | {c.doc} |" for c in _ANSWER_COLUMNS]
    return "\n".join(out) + "\n"
