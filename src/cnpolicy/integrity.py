"""Checks across records: unique ids, references that resolve, dates in order, sources cited."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from cnpolicy.dates import PartialDate
from cnpolicy.errors import DanglingReferenceError, DateOrderError, DuplicateIdError, SchemaError
from cnpolicy.io.paths import PathSegment
from cnpolicy.model import (
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Event,
    Fact,
    FactSpec,
    FactType,
    Member,
    Not,
    Operator,
    Regulation,
)

__all__ = ["Records", "Reporter", "check"]

Field = tuple[PathSegment, ...]
#: report(error class, record kind, record id, field path, message, **attributes of the error)
Reporter = Callable[..., None]


class Records:
    """The merged records of a load, by kind and id (insertion order kept)."""

    def __init__(
        self,
        facts: Mapping[str, FactSpec],
        agencies: Mapping[str, Any],
        sources: Mapping[str, Any],
        regulations: Mapping[str, Regulation],
        events: Mapping[str, Event],
    ) -> None:
        self.facts = facts
        self.agencies = agencies
        self.sources = sources
        self.regulations = regulations
        self.events = events


def _out_of_order(earlier: PartialDate | None, later: PartialDate | None) -> bool:
    """Surely out of order: ``later`` ends before ``earlier`` can start."""
    return earlier is not None and later is not None and later.latest < earlier.earliest


def _dates(
    report: Reporter, kind: str, key: str, prefix: Field, pairs: Iterable[tuple[str, PartialDate | None, str, PartialDate | None]]
) -> None:
    for first_name, first, second_name, second in pairs:
        if _out_of_order(first, second):
            report(DateOrderError, kind, key, (*prefix, second_name), f"{second_name} {second} is before {first_name} {first}")


_PLURAL = {"agency": "agencies", "source": "sources", "regulation": "regulations", "fact": "facts"}


def _refs(
    report: Reporter, kind: str, key: str, field: Field, ids: Iterable[str | None], known: Mapping[str, Any], what: str
) -> None:
    for index, ref in enumerate(ids):
        if ref is not None and ref not in known:
            from difflib import get_close_matches

            close = get_close_matches(ref, list(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            path = (
                field
                if isinstance(field[-1], str) and field[-1] in ("parent", "introduced_by", "target", "agency")
                else (*field, index)
            )
            report(
                DanglingReferenceError, kind, key, path, f"unknown {what} {ref!r}{hint}", target_kind=_PLURAL[what], target=ref
            )


def _sources(report: Reporter, kind: str, key: str, prefix: Field, sources: tuple[str, ...], known: Mapping[str, Any]) -> None:
    if not sources:
        report(SchemaError, kind, key, (*prefix, "sources"), "at least one source is required")
    _refs(report, kind, key, (*prefix, "sources"), sources, known, "source")


def check_condition(condition: Condition, facts: Mapping[str, FactSpec], field: Field, emit: Callable[..., None]) -> None:
    """Every fact a condition tests is declared, and every test fits the fact's type."""
    if isinstance(condition, AllOf | AnyOf):
        word = "all" if isinstance(condition, AllOf) else "any"
        for index, part in enumerate(condition.parts):
            check_condition(part, facts, (*field, word, index), emit)
        return
    if isinstance(condition, Not):
        check_condition(condition.part, facts, (*field, "not"), emit)
        return
    spec = facts.get(condition.fact)
    if spec is None:
        from difflib import get_close_matches

        close = get_close_matches(condition.fact, list(facts), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        message = f"fact {condition.fact!r} is not declared in facts.yaml{hint}"
        emit(DanglingReferenceError, (*field, "fact"), message, target_kind="facts", target=condition.fact)
        return
    problem = _fits(condition, spec)
    if problem:
        emit(SchemaError, field, problem)


def _fits(condition: Fact | Compare | Member, spec: FactSpec) -> str | None:
    if isinstance(condition, Fact):
        return (
            None
            if spec.type is FactType.BOOL
            else f"fact {spec.name!r} is {spec.type.value}, not yes/no: give a test (gt, eq, in...)"
        )
    if isinstance(condition, Member):
        if spec.type not in (FactType.CHOICE, FactType.SET):
            return f"'in' needs a choice or set fact; {spec.name!r} is {spec.type.value}"
        unknown = [value for value in condition.values if value not in spec.values]
        return f"{unknown[0]!r} is not a value of {spec.name!r} ({', '.join(spec.values)})" if unknown else None
    if spec.type is FactType.INT:
        return None if isinstance(condition.value, int) else f"{spec.name!r} is a number; compare it with a number"
    if spec.type is FactType.CHOICE and condition.operator is Operator.EQ:
        if condition.value not in spec.values:
            return f"{condition.value!r} is not a value of {spec.name!r} ({', '.join(spec.values)})"
        return None
    return f"{condition.operator.value!r} cannot test {spec.type.value} fact {spec.name!r}"


def _check_regulation(regulation: Regulation, records: Records, report: Reporter) -> None:
    key = regulation.id
    _refs(report, "regulation", key, ("issued_by",), regulation.issued_by, records.agencies, "agency")
    _sources(report, "regulation", key, (), regulation.sources, records.sources)
    _dates(
        report,
        "regulation",
        key,
        (),
        [
            ("adopted", regulation.adopted, "effective", regulation.effective),
            ("promulgated", regulation.promulgated, "effective", regulation.effective),
            ("adopted", regulation.adopted, "promulgated", regulation.promulgated),
            ("effective", regulation.start, "repealed", regulation.repealed),
        ],
    )
    for index, relation in enumerate(regulation.relations):
        _refs(report, "regulation", key, ("relations", index, "target"), [relation.target], records.regulations, "regulation")
        if relation.target == key:
            report(SchemaError, "regulation", key, ("relations", index, "target"), "a regulation cannot relate to itself")
    amendments: dict[str, int] = {}
    for index, amendment in enumerate(regulation.amendments):
        prefix: Field = ("amendments", index)
        if amendment.id in amendments:
            report(
                DuplicateIdError,
                "regulation",
                key,
                (*prefix, "id"),
                f"duplicate amendment id {amendment.id!r} (also amendments[{amendments[amendment.id]}])",
            )
        amendments.setdefault(amendment.id, index)
        _sources(report, "regulation", key, prefix, amendment.sources, records.sources)
        _dates(report, "regulation", key, prefix, [("adopted", amendment.adopted, "effective", amendment.effective)])
        _dates(report, "regulation", key, prefix, [("regulation's start", regulation.start, "effective", amendment.effective)])
    for index, obligation in enumerate(regulation.obligations):
        prefix = ("obligations", index)
        if obligation.regulation != key:
            report(
                SchemaError,
                "regulation",
                key,
                (*prefix, "regulation"),
                f"obligation says regulation {obligation.regulation!r} but sits in {key!r}",
            )
        if not obligation.id.startswith(key + "."):
            report(
                SchemaError, "regulation", key, (*prefix, "id"), f"obligation id {obligation.id!r} must start with {key + '.'!r}"
            )
        _sources(report, "regulation", key, prefix, obligation.sources, records.sources)
        if obligation.introduced_by is not None and obligation.introduced_by not in amendments:
            report(
                DanglingReferenceError,
                "regulation",
                key,
                (*prefix, "introduced_by"),
                f"unknown amendment {obligation.introduced_by!r}",
            )
        if obligation.valid is not None:
            _dates(
                report, "regulation", key, (*prefix, "valid"), [("from", obligation.valid.from_, "until", obligation.valid.until)]
            )
        if obligation.applies_if is not None:
            check_condition(
                obligation.applies_if,
                records.facts,
                (*prefix, "applies_if"),
                lambda cls, field, message, **extra: report(cls, "regulation", key, field, message, **extra),
            )


def check(records: Records, report: Reporter) -> None:
    """Run every cross-record check, reporting each problem found."""
    for spec in records.facts.values():
        if spec.type in (FactType.CHOICE, FactType.SET) and not spec.values:
            report(SchemaError, "fact", spec.name, ("values",), f"a {spec.type.value} fact needs its allowed values")
        if spec.minimum is not None and spec.maximum is not None and spec.minimum > spec.maximum:
            report(SchemaError, "fact", spec.name, ("maximum",), "maximum is below minimum")
    for source in records.sources.values():
        if source.url is not None and not source.url.startswith(("http://", "https://")):
            report(SchemaError, "source", source.id, ("url",), f"url must start with http:// or https://, got {source.url!r}")
    for agency in records.agencies.values():
        key = agency.id
        _refs(report, "agency", key, ("parent",), [agency.parent], records.agencies, "agency")
        _refs(report, "agency", key, ("predecessors",), agency.predecessors, records.agencies, "agency")
        _refs(report, "agency", key, ("successors",), agency.successors, records.agencies, "agency")
        _sources(report, "agency", key, (), agency.sources, records.sources)
        _dates(report, "agency", key, (), [("established", agency.established, "dissolved", agency.dissolved)])
    for regulation in records.regulations.values():
        _check_regulation(regulation, records, report)
    for event in records.events.values():
        _sources(report, "event", event.id, (), event.sources, records.sources)
        _refs(report, "event", event.id, ("regulations",), event.regulations, records.regulations, "regulation")
        for index, actor in enumerate(event.actors):
            if (actor.agency is None) == (actor.name is None):
                report(SchemaError, "event", event.id, ("actors", index), "an actor needs exactly one of agency or name")
            _refs(report, "event", event.id, ("actors", index, "agency"), [actor.agency], records.agencies, "agency")
