"""Indexes built once per dataset so that `Dataset.obligations_for` skips work that cannot matter.

Obligations are kept in order of the earliest day they could take effect, so a day's candidates
are a prefix found by bisection; conditions are numbered once, so an obligation sharing a
condition with another costs no second evaluation; and conditions that require a yes/no fact are
listed under it, so a profile stating that fact false rules them out without evaluating them.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable, Mapping

import attrs

from cnpolicy.applicability import Applicability, Citation, applicability, cite, obligation_in_force, place_key, verdict_rank
from cnpolicy.logic import Explanation, Verdict, evaluate, undecided_facts
from cnpolicy.model import AllOf, Condition, Fact, Obligation, Regulation, Source
from cnpolicy.profile import Profile

__all__ = ["ObligationIndex"]


def _required_facts(condition: Condition | None) -> set[str]:
    """Yes/no facts that must be true for the condition to hold (top-level conjuncts only)."""
    if isinstance(condition, Fact):
        return {condition.fact}
    if isinstance(condition, AllOf):
        return set().union(*(_required_facts(part) for part in condition.parts)) if condition.parts else set()
    return set()


@attrs.frozen(kw_only=True)
class _Entry:
    earliest: dt.date
    obligation: Obligation
    regulation: Regulation
    slot: int
    rank: int  # place in the order of `place_key`
    citation: Citation


@attrs.frozen(kw_only=True)
class ObligationIndex:
    """Obligations by earliest possible start, with numbered conditions and the yes/no facts each requires."""

    entries: tuple[_Entry, ...]
    starts: tuple[dt.date, ...]
    conditions: tuple[Condition | None, ...]
    required: Mapping[str, frozenset[int]]

    @classmethod
    def build(cls, regulations: Iterable[Regulation], sources: Mapping[str, Source]) -> ObligationIndex:
        """Index every obligation of ``regulations``."""
        slots: dict[Condition | None, int] = {}
        pairs = sorted(((o, r) for r in regulations for o in r.obligations), key=lambda pair: place_key(*pair))
        entries = []
        for rank, (obligation, regulation) in enumerate(pairs):
            start = regulation.start
            entries.append(
                _Entry(
                    earliest=dt.date.min if start is None else start.earliest,
                    obligation=obligation,
                    regulation=regulation,
                    slot=slots.setdefault(obligation.applies_if, len(slots)),
                    rank=rank,
                    citation=cite(obligation, regulation, sources),
                )
            )
        entries.sort(key=lambda e: e.earliest)  # stable: equal starts keep their rank order
        required: dict[str, set[int]] = {}
        for condition, slot in slots.items():
            for fact in _required_facts(condition):
                required.setdefault(fact, set()).add(slot)
        return cls(
            entries=tuple(entries),
            starts=tuple(e.earliest for e in entries),
            conditions=tuple(slots),
            required={fact: frozenset(found) for fact, found in required.items()},
        )

    def obligations_for(
        self,
        sources: Mapping[str, Source],
        profile: Profile,
        on: dt.date,
        *,
        include_not_applicable: bool = False,
        keep: Callable[[Obligation, Regulation], bool] | None = None,
    ) -> list[Applicability]:
        """The same answer as `cnpolicy.applicability.obligations_for`, doing less work."""
        ruled_out: set[int] = set()
        for fact, value in profile.items():
            if value is False and fact in self.required:
                ruled_out |= self.required[fact]
        explained: dict[int, tuple[Explanation, frozenset[str]]] = {}
        regulation_in_force: dict[str, bool | None] = {}
        results: list[tuple[int, int, Applicability]] = []
        for entry in self.entries[: bisect.bisect_right(self.starts, on)]:
            obligation, regulation = entry.obligation, entry.regulation
            if keep is not None and not keep(obligation, regulation):
                continue
            repealed = regulation.repealed
            if repealed is not None and repealed.latest <= on:
                continue
            if entry.slot in ruled_out and not include_not_applicable:
                continue
            known = explained.get(entry.slot)
            if known is None:
                evaluated = evaluate(self.conditions[entry.slot], profile)
                known = explained[entry.slot] = (evaluated, undecided_facts(evaluated))
            explanation, missing = known
            if explanation.verdict is Verdict.DOES_NOT_APPLY and not include_not_applicable:
                continue
            if regulation.id not in regulation_in_force:
                regulation_in_force[regulation.id] = regulation.in_force(on)
            in_force = obligation_in_force(obligation, regulation, on, regulation_in_force=regulation_in_force[regulation.id])
            if in_force is False:
                continue
            item = applicability(
                obligation,
                regulation,
                profile,
                on,
                sources,
                explanation=explanation,
                in_force=in_force,
                citation=entry.citation,
                missing=missing,
            )
            results.append((verdict_rank(item.verdict), entry.rank, item))
        results.sort(key=lambda row: row[:2])
        return [item for _, _, item in results]
