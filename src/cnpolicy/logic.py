"""Three-valued (Kleene) evaluation of conditions against a profile, with explanations."""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping

import attrs

from cnpolicy.model.conditions import AllOf, AnyOf, Condition, Not
from cnpolicy.model.facts import FactValue

__all__ = ["MISSING", "Explanation", "Verdict", "evaluate", "missing_facts", "undecided_facts", "verdict_and"]


class Verdict(enum.Enum):
    """Whether an obligation (or a condition) applies: yes, no, or not known from the facts given."""

    APPLIES = "applies"
    UNDETERMINED = "undetermined"
    DOES_NOT_APPLY = "does_not_apply"

    @classmethod
    def of(cls, value: bool | None) -> Verdict:
        """True -> APPLIES, False -> DOES_NOT_APPLY, None -> UNDETERMINED."""
        if value is None:
            return cls.UNDETERMINED
        return cls.APPLIES if value else cls.DOES_NOT_APPLY

    @property
    def definite(self) -> bool:
        """True unless undetermined."""
        return self is not Verdict.UNDETERMINED

    @property
    def words(self) -> str:
        """How answers put it to a reader: "applies", "may apply" or "does not apply"."""
        return "may apply" if self is Verdict.UNDETERMINED else self.value.replace("_", " ")

    def __invert__(self) -> Verdict:
        return {Verdict.APPLIES: Verdict.DOES_NOT_APPLY, Verdict.DOES_NOT_APPLY: Verdict.APPLIES}.get(self, self)


class _Missing(enum.Enum):
    MISSING = "missing"

    def __repr__(self) -> str:
        return "MISSING"


#: The stated value of a fact the profile does not state.
MISSING = _Missing.MISSING


def verdict_and(*verdicts: Verdict) -> Verdict:
    """Kleene conjunction: any no gives no; else any unknown gives unknown; else yes."""
    if Verdict.DOES_NOT_APPLY in verdicts:
        return Verdict.DOES_NOT_APPLY
    return Verdict.UNDETERMINED if Verdict.UNDETERMINED in verdicts else Verdict.APPLIES


def _verdict_or(verdicts: list[Verdict]) -> Verdict:
    if Verdict.APPLIES in verdicts:
        return Verdict.APPLIES
    return Verdict.UNDETERMINED if Verdict.UNDETERMINED in verdicts else Verdict.DOES_NOT_APPLY


@attrs.frozen
class Explanation:
    """How a condition (node) was decided: the fact tested, the value stated, the outcome, the parts."""

    condition: Condition
    verdict: Verdict
    fact: str | None = None
    stated: FactValue | _Missing | None = None
    parts: tuple[Explanation, ...] = ()
    #: where the value was not stated but implied: the fact that implies it
    implied_by: str | None = None

    def walk(self) -> Iterator[Explanation]:
        """This node and every node below it, depth first."""
        yield self
        for part in self.parts:
            yield from part.walk()

    def render(self, indent: str = "") -> str:
        """An indented plain-text tree."""
        lines = [f"{indent}{describe_condition(self.condition, shallow=True)}: {_label(self)}"]
        lines.extend(part.render(indent + "  ") for part in self.parts)
        return "\n".join(lines)


def _label(node: Explanation) -> str:
    word = {Verdict.APPLIES: "yes", Verdict.DOES_NOT_APPLY: "no", Verdict.UNDETERMINED: "unknown"}[node.verdict]
    if node.fact is None:
        return word
    if node.stated is MISSING:
        return f"{word} ({node.fact} not stated)"
    stated = sorted(node.stated) if isinstance(node.stated, frozenset) else node.stated
    implied = f", implied by {node.implied_by}" if node.implied_by else ""
    return f"{word} ({node.fact} = {stated!r}{implied})"


def describe_condition(condition: Condition, *, shallow: bool = False) -> str:
    """The condition in words, e.g. ``personal_info_subjects > 1000000``."""
    if isinstance(condition, AllOf | AnyOf):
        word = "all of" if isinstance(condition, AllOf) else "any of"
        if shallow:
            return word
        return f"{word} ({'; '.join(describe_condition(part) for part in condition.parts)})"
    if isinstance(condition, Not):
        return "not" if shallow else f"not ({describe_condition(condition.part)})"
    return str(condition)


def evaluate(condition: Condition | None, facts: Mapping[str, FactValue]) -> Explanation:
    """Evaluate ``condition`` over the stated ``facts`` (a `Profile` or any mapping); absent facts are unknown.

    ``None`` (no condition) always applies.
    """
    if condition is None:
        return Explanation(AllOf(()), Verdict.APPLIES)
    if isinstance(condition, AllOf | AnyOf):
        parts = tuple(evaluate(part, facts) for part in condition.parts)
        verdicts = [part.verdict for part in parts]
        verdict = verdict_and(*verdicts) if isinstance(condition, AllOf) else _verdict_or(verdicts)
        return Explanation(condition, verdict, parts=parts)
    if isinstance(condition, Not):
        inner = evaluate(condition.part, facts)
        return Explanation(condition, ~inner.verdict, parts=(inner,))
    if condition.fact not in facts:
        return Explanation(condition, Verdict.UNDETERMINED, fact=condition.fact, stated=MISSING)
    value = facts[condition.fact]
    implied_by = getattr(facts, "implied", {}).get(condition.fact)
    return Explanation(condition, Verdict.of(condition.holds(value)), fact=condition.fact, stated=value, implied_by=implied_by)


def missing_facts(condition: Condition | None, facts: Mapping[str, FactValue]) -> frozenset[str]:
    """The unstated facts in the undecided parts of ``condition``: the answers that could still change the verdict.

    Empty when the verdict is definite; stating all of them always gives a definite verdict.
    """
    return undecided_facts(evaluate(condition, facts))


def undecided_facts(explanation: Explanation) -> frozenset[str]:
    """The unstated facts in the undecided parts of an evaluated condition (see `missing_facts`)."""
    return frozenset(_undecided_facts(explanation))


def _undecided_facts(node: Explanation) -> Iterator[str]:
    if node.verdict is not Verdict.UNDETERMINED:
        return
    if node.fact is not None and node.stated is MISSING:
        yield node.fact
    for part in node.parts:
        yield from _undecided_facts(part)
