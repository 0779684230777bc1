"""Worked examples on the bundled data; each names the article it checks."""

from __future__ import annotations

import datetime as dt

import pytest

import cnpolicy
from cnpolicy import Verdict


@pytest.fixture(scope="module")
def ds() -> cnpolicy.Dataset:
    return cnpolicy.load()


def _verdicts(ds: cnpolicy.Dataset, facts: dict[str, object], on: dt.date, regulation: str) -> dict[str, Verdict]:
    return {a.obligation.id: a.verdict for a in ds.obligations_for(facts, on, regulation=regulation, include_not_applicable=True)}


def test_foreign_listing_review_2021_measures_art7(ds: cnpolicy.Dataset) -> None:
    """Cybersecurity Review Measures 2021, art. 7: platform operators with PI of more than 1 million users
    must apply for review before listing abroad; in force 2022-02-15, so no such duty on 2021-06-01."""
    facts = {"network_platform_operator": True, "personal_info_subjects": 2_000_000, "plans_foreign_listing": True}
    key = "cybersecurity-review-measures-2021.art7.foreign-listing-review"
    # at most "may apply": art. 7 says 国外 (abroad), which the CAC reads as not covering Hong Kong,
    # while plans_foreign_listing covers any listing outside the mainland; the caveat says so
    assert _verdicts(ds, facts, dt.date(2022, 3, 1), "cybersecurity-review-measures-2021")[key] is Verdict.UNDETERMINED
    assert any("Hong Kong" in caveat for caveat in ds.obligations[key].caveats)
    before = ds.obligations_for(facts, dt.date(2021, 6, 1))
    assert not [a for a in before if "listing" in a.obligation.action and a.verdict is Verdict.APPLIES]
    assert key not in {a.obligation.id for a in before}


def test_threshold_is_more_than_not_at_least(ds: cnpolicy.Dataset) -> None:
    """Art. 7 says 超过100万 (more than 1 million): exactly 1,000,000 users is not enough."""
    facts = {"network_platform_operator": True, "personal_info_subjects": 1_000_000, "plans_foreign_listing": True}
    key = "cybersecurity-review-measures-2021.art7.foreign-listing-review"
    assert _verdicts(ds, facts, dt.date(2022, 3, 1), "cybersecurity-review-measures-2021")[key] is Verdict.DOES_NOT_APPLY


def test_cii_data_localisation_csl_art37(ds: cnpolicy.Dataset) -> None:
    """Cybersecurity Law art. 37: CII operators store PI and important data collected in China within China."""
    assert _verdicts(ds, {"cii_operator": True}, dt.date(2018, 1, 1), "csl")["csl.art37.data-localization"] is Verdict.APPLIES
    assert (
        _verdicts(ds, {"cii_operator": False}, dt.date(2018, 1, 1), "csl")["csl.art37.data-localization"]
        is Verdict.DOES_NOT_APPLY
    )
    assert "csl.art37.data-localization" not in _verdicts(ds, {"cii_operator": True}, dt.date(2017, 5, 31), "csl")


def test_unknown_facts_give_may_apply_with_the_deciding_fact(ds: cnpolicy.Dataset) -> None:
    [item] = [
        a
        for a in ds.obligations_for({}, dt.date(2018, 1, 1), regulation="csl")
        if a.obligation.id == "csl.art37.data-localization"
    ]
    assert item.verdict is Verdict.UNDETERMINED
    assert item.missing_facts == {"cii_operator"}
    text = item.explain()
    assert "art. 37" in text
    assert "MAY APPLY" in text
    assert "cii_operator" in text


def test_empty_profile_never_drops_an_in_force_obligation(ds: cnpolicy.Dataset) -> None:
    day = dt.date(2023, 6, 1)
    listed = {a.obligation.id for a in ds.obligations_for({}, day)}
    assert {o.id for o in ds.obligations_in_force(day)} <= listed
    assert all(a.verdict is not Verdict.DOES_NOT_APPLY for a in ds.obligations_for({}, day))


def test_app_store_operators_in_2015(ds: cnpolicy.Dataset) -> None:
    """MIIT 2014 Guiding Opinions (工信部保〔2014〕368号), task 6: app store operators' duties in 2015."""
    found = ds.obligations_for(
        {"app_store_operator": True}, dt.date(2015, 6, 1), regulation="miit-network-security-guiding-opinions-2014"
    )
    # The Opinions' own text was not read (only a law-firm summary and news), and they say MIIT will
    # "urge" app stores: so the task 6 duties may apply, never apply, and each says why.
    assert found
    assert not any(a.verdict is Verdict.APPLIES for a in found)
    assert any("developer" in a.obligation.action for a in found)
    assert all(a.obligation.caveats and not a.obligation.condition_complete for a in found)


def test_us_appropriations_ban_applies_to_commerce_not_to_chinese_firms(ds: cnpolicy.Dataset) -> None:
    us = {"us_federal_agency": True, "us_agency_name": "commerce"}
    on = dt.date(2013, 6, 1)
    found = ds.obligations_for(us, on, regulation="us-fy2013-appropriations-sec516")
    # at most "may apply": section 516 binds only the FY2013 funds of the act, which no fact states
    assert found
    assert all(a.verdict is Verdict.UNDETERMINED and a.obligation.caveats for a in found)
    assert not ds.obligations_for({"us_federal_agency": False}, on, regulation="us-fy2013-appropriations-sec516")


def test_anything_applicable_is_in_force(ds: cnpolicy.Dataset) -> None:
    from cnpolicy.engine import obligation_in_force

    profile = {"network_operator": True, "cii_operator": True, "personal_info_handler": True}
    for day in (dt.date(2010, 1, 1), dt.date(2016, 1, 1), dt.date(2022, 3, 1), dt.date(2026, 6, 1)):
        for item in ds.obligations_for(profile, day):
            if item.verdict is Verdict.APPLIES:
                assert obligation_in_force(item.obligation, item.regulation, day) is True
