"""Checks across records: references that resolve, sources cited, dates in order, obligations in place.

`check` returns `Problem` records; the loader turns each into a `DataError` at the record's file
and line. References are read from the kind registry, so a new kind's references are checked
without a line here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from cnpolicy.dates import PartialDate
from cnpolicy.errors import DanglingReferenceError, DataError, DateOrderError, DuplicateIdError, PathSegment, SchemaError
from cnpolicy.model import AllOf, AnyOf, Condition, FactSpec, FactType, Not, Regulation, RelationType, Source, SourceKind, Tier
from cnpolicy.model.kinds import FILE_KINDS, KINDS, Kind, Reference, kind_named, references_in
from cnpolicy.model.tiers import tier_of_url, url_host

__all__ = ["Field", "Problem", "check", "check_condition"]

Field = tuple[PathSegment, ...]
#: Merged records: by kind name, then by key.
Records = Mapping[str, Mapping[str, Any]]


@attrs.frozen
class Problem:
    """One problem with one record: the error class, where (kind, key, field path) and why."""

    error: type[DataError]
    kind: str
    key: str
    field: Field
    message: str
    #: for a dangling reference: the kind and key that were not found
    target: tuple[str, str] | None = None


def check(records: Records) -> Iterator[Problem]:
    """Every problem across the records, kind by kind, in record order."""
    hints = _Hints()
    nested: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        if kind.inside is None:
            continue
        found = nested.setdefault(kind.name, {})
        for parent in records.get(kind.location, {}).values():
            for index, child in enumerate(getattr(parent, kind.inside)):
                key = kind.key_of(child)
                if key in found:  # across layers too: a user's record never silently replaces a nested one
                    also = f"{kind_named(kind.location).singular} {found[key].regulation!r}"
                    message = f"duplicate {kind.singular} id {key!r} (also in {also})"
                    yield Problem(DuplicateIdError, kind.location, parent.id, (kind.inside, index, kind.key), message)
                found.setdefault(key, child)
    records = {**records, **nested}
    yield from _duplicate_urls(records.get("sources", {}))
    yield from _supersession_cycles(records.get("regulations", {}))
    for kind in FILE_KINDS:  # nested records are checked inside their parent, where they have a place
        for record in records.get(kind.name, {}).values():
            key = kind.key_of(record)
            bad_key = _bad_key(kind, key)
            if bad_key:
                yield Problem(SchemaError, kind.name, key, (kind.key,), bad_key)
            for problem in _check_record(kind, record, records, hints):
                yield attrs.evolve(problem, kind=kind.name, key=key)


def _check_record(kind: Kind, record: Any, records: Records, hints: _Hints) -> Iterator[Problem]:
    yield from _references(kind.references, record, records, (), hints)
    if isinstance(record, FactSpec):
        yield from _fact(record, records.get("facts", {}))
    elif isinstance(record, Regulation):
        yield from _regulation(record, records, hints)
    elif kind.name == "sources":
        yield from _source(record)
    elif kind.name == "agencies":
        yield from _dates((), [("established", record.established, "dissolved", record.dissolved)])
        yield from _country(record.jurisdiction, ("jurisdiction",))
    elif kind.name == "events":
        for field in ("country", "target_country"):
            if getattr(record, field) is not None:
                yield from _country(getattr(record, field), (field,))
        for index, actor in enumerate(record.actors):
            if (actor.agency is None) == (actor.name is None):
                yield _problem(SchemaError, ("actors", index), "an actor needs exactly one of agency or name")


#: The grammar of keys: ids are lower-case letters, digits, dots and hyphens (an obligation's id is
#: its regulation's id, a dot, and more such parts); fact names are snake_case.
_ID = re.compile(r"[a-z0-9][a-z0-9.-]{0,199}")
_FACT_NAME = re.compile(r"[a-z][a-z0-9_]{0,99}")


_COUNTRY = re.compile(r"[A-Z]{2}")


def _country(code: str, field: Field) -> Iterator[Problem]:
    """A country is an ISO 3166 alpha-2 code in capitals (``CN``, ``US``), or ``EU`` for the European Union."""
    if not _COUNTRY.fullmatch(code):
        yield _problem(SchemaError, field, f"{code[:20]!r} is not a country code: two capital letters (ISO 3166 alpha-2)")


def _bad_key(kind: Kind, key: str) -> str | None:
    """Why a record's key breaks the grammar (letters a user could not type or see, path tricks), or None."""
    pattern, what = (
        (_FACT_NAME, "a fact name: lower-case letters, digits and _")
        if kind.key == "name"
        else (
            _ID,
            "an id: lower-case letters, digits, dots and hyphens, starting with a letter or digit, at most 200 characters",
        )
    )
    if pattern.fullmatch(key) and ".." not in key:
        return None
    return f"{key[:60]!r} is not {what}"


def _supersession_cycles(regulations: Mapping[str, Regulation]) -> Iterator[Problem]:
    """A chain of versions has a first and a last: "supersedes" never leads back to where it started."""
    earlier = {r.id: [rel.target for rel in r.relations if rel.type is RelationType.SUPERSEDES] for r in regulations.values()}
    reported: set[str] = set()
    for start in earlier:
        seen, current = [start], earlier[start]
        while current:
            target = current[0]
            if target == start and start not in reported:
                reported.update(seen)
                index = next(i for i, rel in enumerate(regulations[seen[-1]].relations) if rel.target == start)
                message = f"versions supersede each other in a cycle: {' -> '.join([*seen, start])}"
                yield Problem(SchemaError, "regulations", seen[-1], ("relations", index, "target"), message)
                break
            if target in seen or target not in earlier:
                break
            seen.append(target)
            current = earlier[target]


def _source(source: Source) -> Iterator[Problem]:
    if source.url is not None and not source.url.startswith(("http://", "https://")):
        yield _problem(SchemaError, ("url",), f"url must start with http:// or https://, got {source.url!r}")
    elif source.url is not None and url_host(source.url) is None:
        yield _problem(SchemaError, ("url",), f"url has no host a browser could reach: {source.url[:80]!r}")
    elif source.kind is SourceKind.OFFICIAL_TEXT and source.tier is not Tier.OFFICIAL:
        where = "is marked as a copy" if source.copy else "is not on an official (government) site"
        message = f"official_text {where}: a copy of an official text is kind other (or translation) with copy: true"
        yield _problem(SchemaError, ("kind",), message)
    if source.official_url is not None and tier_of_url(source.official_url, copy=False) is not Tier.OFFICIAL:
        message = f"official_url must be on the issuer's own (government) site, got {source.official_url[:80]!r}"
        yield _problem(SchemaError, ("official_url",), message)


def _duplicate_urls(sources: Mapping[str, Source]) -> Iterator[Problem]:
    """One URL, one source: a second source with the same URL is a problem of the second."""
    first: dict[str, str] = {}
    for source in sources.values():
        if source.url is None:
            continue
        if source.url in first:
            message = f"the URL is cited already as source {first[source.url]!r}: cite that id instead"
            yield Problem(DuplicateIdError, "sources", source.id, ("url",), message)
        first.setdefault(source.url, source.id)


def _problem(error: type[DataError], field: Field, message: str, target: tuple[str, str] | None = None) -> Problem:
    """A problem of the record being checked (`check` fills in its kind and key)."""
    return Problem(error, "", "", field, message, target)


def _references(
    references: Iterable[Reference], record: Any, records: Records, prefix: Field, hints: _Hints
) -> Iterator[Problem]:
    for reference in references:
        if reference.path[-1] == "sources":
            yield from _cited(record, reference.path, prefix)
        known = records.get(reference.target, {})
        what = kind_named(reference.target).singular
        for field, ref in references_in(record, reference.path):
            if ref not in known:
                hint = _suggestion(ref, known, hints)
                yield _problem(
                    DanglingReferenceError, (*prefix, *field), f"unknown {what} {ref!r}{hint}", (reference.target, ref)
                )


class _Hints:
    """A budget of "did you mean" hints for one run of the checks: each costs a scan of the candidates."""

    __slots__ = ("left",)

    def __init__(self, left: int = 50) -> None:
        self.left = left


def _suggestion(name: str, known: Mapping[str, Any], hints: _Hints) -> str:
    """A "(did you mean ...?)" hint for an unknown name, among candidates of a similar length; "" past the budget."""
    if hints.left <= 0:
        return ""
    hints.left -= 1
    from difflib import get_close_matches

    near = [key for key in known if len(name) / 2 <= len(key) <= 2 * len(name)]
    close = get_close_matches(name, near, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _cited(record: Any, path: tuple[str, ...], prefix: Field) -> Iterator[Problem]:
    """Every record and part of one that has sources cites at least one."""
    if len(path) == 1:
        if not getattr(record, path[0]):
            yield _problem(SchemaError, (*prefix, path[0]), "at least one source is required")
        return
    for index, part in enumerate(getattr(record, path[0])):
        yield from _cited(part, path[1:], (*prefix, path[0], index))


def _out_of_order(earlier: PartialDate | None, later: PartialDate | None) -> bool:
    """Surely out of order: ``later`` ends before ``earlier`` can start."""
    return earlier is not None and later is not None and later.latest < earlier.earliest


def _dates(prefix: Field, pairs: Iterable[tuple[str, PartialDate | None, str, PartialDate | None]]) -> Iterator[Problem]:
    for first_name, first, second_name, second in pairs:
        if _out_of_order(first, second):
            yield _problem(DateOrderError, (*prefix, second_name), f"{second_name} {second} is before {first_name} {first}")


def _fact(spec: FactSpec, facts: Mapping[str, FactSpec]) -> Iterator[Problem]:
    for index, implied in enumerate(spec.implies):
        other = facts.get(implied)
        where: Field = ("implies", index)
        if spec.type not in (FactType.BOOL, FactType.INT):
            message = f"{spec.name!r} is {spec.type.value}: only a yes/no fact or a count implies others"
            yield _problem(SchemaError, where, message)
        elif other is not None and other.type is not FactType.BOOL:
            yield _problem(SchemaError, where, f"{implied!r} is {other.type.value}: only yes/no facts can be implied")
        elif implied == spec.name:
            yield _problem(SchemaError, ("implies", index), "a fact cannot imply itself")
    if spec.type in (FactType.CHOICE, FactType.SET) and not spec.values:
        yield _problem(SchemaError, ("values",), f"a {spec.type.value} fact needs its allowed values")
    if spec.minimum is not None and spec.maximum is not None and spec.minimum > spec.maximum:
        yield _problem(SchemaError, ("maximum",), "maximum is below minimum")


def check_condition(
    condition: Condition, facts: Mapping[str, FactSpec], field: Field = (), hints: _Hints | None = None
) -> Iterator[Problem]:
    """Every fact a condition tests is declared, and every test fits the fact's type."""
    if isinstance(condition, AllOf | AnyOf):
        word = "all" if isinstance(condition, AllOf) else "any"
        for index, part in enumerate(condition.parts):
            yield from check_condition(part, facts, (*field, word, index), hints)
        return
    if isinstance(condition, Not):
        yield from check_condition(condition.part, facts, (*field, "not"), hints)
        return
    spec = facts.get(condition.fact)
    if spec is None:
        hint = _suggestion(condition.fact, facts, hints or _Hints())
        message = f"fact {condition.fact!r} is not declared in facts.yaml{hint}"
        yield _problem(DanglingReferenceError, (*field, "fact"), message, ("facts", condition.fact))
        return
    problem = condition.fits(spec)
    if problem:
        yield _problem(SchemaError, field, problem)


def _regulation(regulation: Regulation, records: Records, hints: _Hints) -> Iterator[Problem]:
    key = regulation.id
    yield from _dates(
        (),
        [
            ("adopted", regulation.adopted, "effective", regulation.effective),
            ("promulgated", regulation.promulgated, "effective", regulation.effective),
            ("adopted", regulation.adopted, "promulgated", regulation.promulgated),
            ("effective", regulation.start, "repealed", regulation.repealed),
        ],
    )
    yield from _country(regulation.jurisdiction, ("jurisdiction",))
    for index, relation in enumerate(regulation.relations):
        if relation.target == key:
            yield _problem(SchemaError, ("relations", index, "target"), "a regulation cannot relate to itself")
    amendments: dict[str, int] = {}
    for index, amendment in enumerate(regulation.amendments):
        prefix: Field = ("amendments", index)
        if amendment.id in amendments:
            message = f"duplicate amendment id {amendment.id!r} (also amendments[{amendments[amendment.id]}])"
            yield _problem(DuplicateIdError, (*prefix, "id"), message)
        amendments.setdefault(amendment.id, index)
        yield from _dates(prefix, [("adopted", amendment.adopted, "effective", amendment.effective)])
        yield from _dates(prefix, [("regulation's start", regulation.start, "effective", amendment.effective)])
    nested = kind_named("obligations")
    facts = records.get("facts", {})
    for index, obligation in enumerate(regulation.obligations):
        prefix = ("obligations", index)
        yield from _references(nested.references, obligation, records, prefix, hints)
        if obligation.regulation != key:
            message = f"obligation says regulation {obligation.regulation!r} but sits in {key!r}"
            yield _problem(SchemaError, (*prefix, "regulation"), message)
        if not obligation.id.startswith(key + "."):
            yield _problem(SchemaError, (*prefix, "id"), f"obligation id {obligation.id!r} must start with {key + '.'!r}")
        if obligation.introduced_by is not None and obligation.introduced_by not in amendments:
            yield _problem(DanglingReferenceError, (*prefix, "introduced_by"), f"unknown amendment {obligation.introduced_by!r}")
        if obligation.valid is not None:
            yield from _dates((*prefix, "valid"), [("from", obligation.valid.from_, "until", obligation.valid.until)])
        if obligation.deadline is not None and obligation.deadline.within < 1:
            yield _problem(
                SchemaError, (*prefix, "deadline", "within"), f"a deadline is at least 1, got {obligation.deadline.within}"
            )
        for fine_index, fine in enumerate(obligation.penalty.fines if obligation.penalty else ()):
            where: Field = (*prefix, "penalty", "fines", fine_index)
            if any(amount is not None and amount < 0 for amount in (fine.min, fine.max)):
                yield _problem(SchemaError, where, "a fine is never negative")
            elif fine.min is not None and fine.max is not None and fine.min > fine.max:
                yield _problem(SchemaError, (*where, "max"), f"max {fine.max} is below min {fine.min}")
            if fine.turnover_share_max is not None and not 0 < fine.turnover_share_max <= 1:
                yield _problem(SchemaError, (*where, "turnover_share_max"), "a share of turnover is above 0 and at most 1")
        if obligation.applies_if is not None:
            yield from check_condition(obligation.applies_if, facts, (*prefix, "applies_if"), hints)
