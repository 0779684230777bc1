"""``st.from_type`` draws valid values for every public model class, `Profile` and `Dataset`."""

from __future__ import annotations

import json
import typing
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cnpolicy
from cnpolicy import model
from cnpolicy._convert import structure, unstructure

#: Every attrs class of the model that users meet, and the condition shapes.
MODEL_CLASSES = sorted(
    (getattr(model, name) for name in model.__all__ if attrs.has(getattr(model, name))), key=lambda cls: cls.__name__
)


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda cls: cls.__name__)
def test_from_type_draws_values_that_round_trip_through_the_strict_converter(cls: type[Any]) -> None:
    target: Any = model.Condition if cls in typing.get_args(model.Condition) else cls  # shapes are read as conditions

    @settings(max_examples=10, database=None)
    @given(st.from_type(cls))
    def check(value: Any) -> None:
        assert isinstance(value, cls)
        assert structure(json.loads(json.dumps(unstructure(value))), target) == value

    check()


@settings(max_examples=25, database=None)
@given(st.from_type(cnpolicy.Profile))
def test_from_type_profile_draws_over_the_bundled_vocabulary(profile: cnpolicy.Profile) -> None:
    checked = cnpolicy.load().profile(profile.facts)  # checked against the bundled facts: no ProfileError
    assert checked.stated == profile.facts


@settings(max_examples=10, database=None)
@given(st.from_type(model.Obligation), st.from_type(model.Regulation))
def test_from_type_records_use_the_bundled_vocabulary(obligation: model.Obligation, regulation: model.Regulation) -> None:
    from cnpolicy._checks import check_condition

    facts = cnpolicy.load().facts
    for condition in [obligation.applies_if, *(o.applies_if for o in regulation.obligations)]:
        assert condition is None or list(check_condition(condition, facts)) == []
    assert regulation.id  # never an empty id


@settings(max_examples=10, database=None)
@given(st.from_type(model.Condition))  # type: ignore[arg-type]  # a union: hypothesis draws one of its classes
def test_from_type_resolves_the_condition_union(condition: model.Condition) -> None:
    assert isinstance(condition, model.AllOf | model.AnyOf | model.Not | model.Fact | model.Compare | model.Member)
