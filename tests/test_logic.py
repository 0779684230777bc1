"""Laws of the three-valued logic, property-tested with cnpolicy.strategies."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cnpolicy import Profile, Verdict
from cnpolicy.logic import evaluate, missing_facts
from cnpolicy.model import AllOf, AnyOf, Compare, Condition, Fact, Member, Not, Operator
from cnpolicy.strategies import VOCABULARY, conditions, fact_values, profiles

CONDITIONS = conditions(VOCABULARY, 3)
PROFILES = profiles(VOCABULARY)


def verdict(condition: Condition, profile: Profile) -> Verdict:
    return evaluate(condition, profile).verdict


@given(CONDITIONS, PROFILES)
def test_double_negation(condition: Condition, profile: Profile) -> None:
    assert verdict(Not(Not(condition)), profile) is verdict(condition, profile)


@given(st.lists(CONDITIONS, max_size=4), PROFILES)
def test_de_morgan(parts: list[Condition], profile: Profile) -> None:
    negated = tuple(Not(p) for p in parts)
    assert verdict(Not(AllOf(tuple(parts))), profile) is verdict(AnyOf(negated), profile)
    assert verdict(Not(AnyOf(tuple(parts))), profile) is verdict(AllOf(negated), profile)


@given(PROFILES)
def test_empty_all_applies_empty_any_does_not(profile: Profile) -> None:
    assert verdict(AllOf(()), profile) is Verdict.APPLIES
    assert verdict(AnyOf(()), profile) is Verdict.DOES_NOT_APPLY


@given(CONDITIONS, PROFILES, st.data())
def test_refinement_is_monotone(condition: Condition, profile: Profile, data: st.DataObject) -> None:
    """Stating one more fact never turns a definite verdict into another; it may only decide an undetermined one."""
    unstated = [s for s in VOCABULARY.values() if s.name not in profile]
    before = verdict(condition, profile)
    for spec in unstated:
        refined = profile.with_facts({spec.name: data.draw(fact_values(spec))})
        after = verdict(condition, refined)
        if before.definite:
            assert after is before


@given(CONDITIONS, PROFILES, st.data())
def test_answering_missing_facts_decides(condition: Condition, profile: Profile, data: st.DataObject) -> None:
    missing = missing_facts(condition, profile)
    if verdict(condition, profile).definite:
        assert missing == frozenset()
    answers = {name: data.draw(fact_values(VOCABULARY[name])) for name in sorted(missing)}
    assert verdict(condition, profile.with_facts(answers)).definite


@given(CONDITIONS, profiles(VOCABULARY, allow_unknown=False))
def test_full_profile_is_always_definite(condition: Condition, profile: Profile) -> None:
    assert verdict(condition, profile).definite
    assert missing_facts(condition, profile) == frozenset()


@given(CONDITIONS, PROFILES)
def test_explanation_names_every_fact_it_tested(condition: Condition, profile: Profile) -> None:
    for node in evaluate(condition, profile).walk():
        if node.fact is not None:
            assert (node.fact in profile) != (node.verdict is Verdict.UNDETERMINED and repr(node.stated) == "MISSING") or (
                node.fact in profile
            )


def test_examples() -> None:
    profile = Profile(facts={"users": 2_000_000, "sector": "finance", "services": ["cloud"], "is_operator": False})
    assert verdict(Compare("users", Operator.GT, 1_000_000), profile) is Verdict.APPLIES
    assert verdict(Compare("users", Operator.GT, 2_000_000), profile) is Verdict.DOES_NOT_APPLY
    assert verdict(Compare("users", Operator.GE, 2_000_000), profile) is Verdict.APPLIES
    assert verdict(Member("sector", ("telecom", "finance")), profile) is Verdict.APPLIES
    assert verdict(Member("services", ("app", "cloud")), profile) is Verdict.APPLIES
    assert verdict(Member("services", ("search",)), profile) is Verdict.DOES_NOT_APPLY
    assert verdict(Fact("is_operator"), profile) is Verdict.DOES_NOT_APPLY
    assert verdict(Fact("is_platform"), profile) is Verdict.UNDETERMINED
    assert verdict(AnyOf((Fact("is_platform"), Member("sector", ("finance",)))), profile) is Verdict.APPLIES
    assert verdict(AllOf((Fact("is_platform"), Fact("is_operator"))), profile) is Verdict.DOES_NOT_APPLY
    assert missing_facts(AllOf((Fact("is_platform"), Compare("level", Operator.GE, 3))), profile) == {"is_platform", "level"}


def test_explanation_renders_missing_and_stated() -> None:
    profile = Profile(facts={"users": 5})
    text = evaluate(AllOf((Compare("users", Operator.GT, 1_000_000), Fact("is_platform"))), profile).render()
    assert "users > 1000000: no (users = 5)" in text
    assert "is_platform: unknown (is_platform not stated)" in text
