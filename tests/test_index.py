"""The indexed `Dataset.obligations_for` gives exactly the naive scan's answer."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

import cnpolicy
from cnpolicy import Dataset, Profile
from cnpolicy.engine import Applicability
from cnpolicy.strategies import VOCABULARY, datasets, days, profiles
from oracle import naive_obligations_for


def _summary(items: list[Applicability]) -> list[tuple[str, str, bool | None, frozenset[str]]]:
    return [(a.obligation.id, a.verdict.value, a.in_force, a.missing_facts) for a in items]


def index_agrees_with_naive_scan(ds: Dataset, profile: Profile, day: dt.date, everything: bool) -> None:
    naive = naive_obligations_for(ds.regulations.values(), ds.sources, profile, day, include_not_applicable=everything)
    assert _summary(ds.obligations_for(profile, day, include_not_applicable=everything)) == _summary(naive)


@given(profiles(VOCABULARY), days(1985, 2040))
def test_index_agrees_on_a_fixed_dataset_with_shared_conditions(profile: Profile, day: dt.date) -> None:
    ds = cnpolicy.load("tests/fixtures/base", bundled=False, cache=False)
    checked = Profile(facts={k: v for k, v in profile.items() if k in ds.facts and ds.facts[k].check(v) is None})
    naive = naive_obligations_for(ds.regulations.values(), ds.sources, checked, day, include_not_applicable=True)
    assert _summary(ds.obligations_for(checked, day, include_not_applicable=True)) == _summary(naive)


def test_bundled_data_index_agrees_on_worked_days() -> None:
    ds = cnpolicy.load()
    for facts in (
        {},
        {"cii_operator": False, "network_operator": True},  # (CII and not a network operator contradicts the implications)
        {"network_platform_operator": True, "personal_info_subjects": 2_000_000},
    ):
        profile = ds.profile(facts)
        for day in (dt.date(2010, 1, 1), dt.date(2017, 6, 1), dt.date(2022, 3, 1), dt.date(2026, 1, 1)):
            naive = naive_obligations_for(ds.regulations.values(), ds.sources, profile, day)
            assert _summary(ds.obligations_for(profile, day)) == _summary(naive)


def anything_applicable_on_a_day_is_in_force_that_day(ds: Dataset, profile: Profile, day: dt.date) -> None:
    from cnpolicy.engine import obligation_in_force

    for item in ds.obligations_for(profile, day, include_not_applicable=True):
        assert obligation_in_force(item.obligation, item.regulation, day) is not False
        if item.verdict is cnpolicy.Verdict.APPLIES:
            assert obligation_in_force(item.obligation, item.regulation, day) is True


def empty_profile_lists_every_obligation_in_force(ds: Dataset, day: dt.date) -> None:
    from cnpolicy.logic import evaluate

    listed = {a.obligation.id: a.verdict for a in ds.obligations_for(Profile(), day)}
    # Only a condition that is false whatever the facts (such as ``any: []``) may leave an obligation out.
    decidable = {
        o.id for o in ds.obligations_in_force(day) if evaluate(o.applies_if, {}).verdict is not cnpolicy.Verdict.DOES_NOT_APPLY
    }
    assert decidable <= set(listed)
    assert cnpolicy.Verdict.DOES_NOT_APPLY not in listed.values()


def in_force_index_agrees_with_a_scan(ds: Dataset, day: dt.date) -> None:
    assert {r.id for r in ds.in_force(day)} == {r.id for r in ds.regulations.values() if r.in_force(day) is True}


def changes_agree_with_two_scans(ds: Dataset, profile: Profile, start: dt.date, end: dt.date) -> None:
    before = {a.obligation.id: a.verdict for a in naive_obligations_for(ds.regulations.values(), ds.sources, profile, start)}
    after = {a.obligation.id: a.verdict for a in naive_obligations_for(ds.regulations.values(), ds.sources, profile, end)}
    changes = ds.changes_for(profile, start, end)
    assert [a.obligation.id for a in changes.gained] == [key for key in after if key not in before]
    assert [a.obligation.id for a in changes.lost] == [key for key in before if key not in after]
    assert [(c.before.verdict, c.after.verdict) for c in changes.changed] == [
        (before[key], verdict) for key, verdict in after.items() if key in before and before[key] is not verdict
    ]


@settings(max_examples=settings().max_examples // 2)  # whole datasets and two days: among the heaviest
@given(datasets(VOCABULARY), profiles(VOCABULARY), days(1985, 2040), days(1985, 2040), st.booleans())
def test_indexes_agree_with_scans(ds: Dataset, profile: Profile, day: dt.date, other: dt.date, everything: bool) -> None:
    """The properties above, over one drawn dataset each (drawing a whole dataset is the costly part)."""
    index_agrees_with_naive_scan(ds, profile, day, everything)
    changes_agree_with_two_scans(ds, profile, day, other)
    anything_applicable_on_a_day_is_in_force_that_day(ds, profile, day)
    empty_profile_lists_every_obligation_in_force(ds, day)
    in_force_index_agrees_with_a_scan(ds, day)
