"""Verdicts a lawyer can rely on: implied facts, caveats, capped verdicts, duties over time, no silent gaps, topics."""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import cnpolicy
from cnpolicy import Profile, ProfileError, Verdict
from cnpolicy.cli import main
from cnpolicy.strategies import bundled_vocabulary, fact_values

DAY = dt.date(2027, 1, 1)


EXTRA = """\
id: extra
title: {en: Extra Rule}
kind: departmental_rule
jurisdiction: CN
issued_by: [regulator]
effective: '2015-01-01'
sources: [src-law]
obligations:
"""


def _folder(base_copy: Callable[[], Path], facts: str = "", obligations: str = "") -> Path:
    """The base fixture with more facts (YAML text appended to facts.yaml) and a regulation ``extra`` with these obligations."""
    root = base_copy()
    if facts:
        with (root / "facts.yaml").open("a") as handle:
            handle.write(textwrap.dedent(facts))
    if obligations:
        (root / "regulations" / "extra.yaml").write_text(EXTRA + textwrap.indent(textwrap.dedent(obligations), "  "))
    return root


IMPLYING = """\
- name: platform_operator
  type: bool
  description: Runs a platform.
  implies: [network_operator]
- name: network_operator
  type: bool
  description: Runs a network.
- name: large_platform
  type: bool
  description: Runs a large platform.
  implies: [platform_operator]
"""


def test_true_facts_imply_others_and_explanations_say_so(base_copy: Callable[[], Path]) -> None:
    root = _folder(
        base_copy,
        IMPLYING,
        """\
          - id: extra.art1.network
            articles: ['1']
            modality: must
            duty_bearer: network operators
            action: keep logs
            applies_if: {fact: network_operator}
            sources: [src-law]
        """,
    )
    ds = cnpolicy.load(root, bundled=False, cache=False)
    profile = ds.profile(large_platform=True)
    assert profile["network_operator"] is True
    assert profile.implied["network_operator"] == "platform_operator"
    assert profile.stated == {"large_platform": True}
    (item,) = [a for a in ds.obligations_for(profile, DAY) if a.obligation.id == "extra.art1.network"]
    assert item.verdict is Verdict.APPLIES
    assert "network_operator = True, implied by platform_operator" in item.explain()


def test_a_false_fact_rules_out_what_implies_it(base_copy: Callable[[], Path]) -> None:
    ds = cnpolicy.load(_folder(base_copy, IMPLYING), bundled=False, cache=False)
    profile = ds.profile(network_operator=False)
    assert profile["platform_operator"] is False
    assert profile["large_platform"] is False


def test_a_stated_fact_that_contradicts_an_implication_is_a_profile_error(base_copy: Callable[[], Path]) -> None:
    ds = cnpolicy.load(_folder(base_copy, IMPLYING), bundled=False, cache=False)
    with pytest.raises(ProfileError, match="'network_operator' is false, but 'platform_operator' is true and implies it"):
        ds.profile(large_platform=True, network_operator=False)


def test_bundled_implications_never_contradict_each_other() -> None:
    facts = cnpolicy.load().facts
    for spec in facts.values():
        if spec.type.value == "bool":
            for value in (True, False):
                Profile(facts={spec.name: value}).check(facts)  # raises ProfileError on a contradiction


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_stating_more_facts_never_flips_a_definite_verdict(data: st.DataObject) -> None:
    """Monotone with implications: a verdict that is definite stays so when the profile learns more."""
    ds = cnpolicy.load()
    specs = list(bundled_vocabulary().values())
    chosen = data.draw(st.lists(st.sampled_from(specs), unique_by=lambda s: s.name, max_size=8))
    more = data.draw(st.lists(st.sampled_from(specs), unique_by=lambda s: s.name, max_size=8))
    stated = {s.name: data.draw(fact_values(s)) for s in chosen}
    extra = {s.name: data.draw(fact_values(s)) for s in more if s.name not in stated}
    try:
        small = ds.profile(stated)
        large = ds.profile({**stated, **extra})
    except ProfileError:
        assume(False)  # a contradictory profile is refused, not answered
    day = data.draw(st.sampled_from([dt.date(2017, 6, 1), dt.date(2022, 9, 1), dt.date(2026, 2, 1)]))
    before = {a.obligation.id: a.verdict for a in ds.obligations_for(small, day, include_not_applicable=True)}
    after = {a.obligation.id: a.verdict for a in ds.obligations_for(large, day, include_not_applicable=True)}
    for key, verdict in before.items():
        if verdict.definite:
            assert after[key] is verdict, key


CAVEATED = """\
- id: extra.art2.capped
  articles: ['2']
  modality: must
  duty_bearer: operators above a threshold the regulator has not set
  action: appoint an officer
  applies_if: {fact: users, gt: 0}
  condition_complete: false
  caveats: [The regulator has not set the number of users; until it does, no count decides this duty.]
  reviewed: '2026-12-01'
  sources: [src-law]
"""


def test_an_incomplete_condition_caps_the_verdict_at_may_apply_and_shows_its_caveat(base_copy: Callable[[], Path]) -> None:
    ds = cnpolicy.load(_folder(base_copy, obligations=CAVEATED), bundled=False, cache=False)
    (item,) = [a for a in ds.obligations_for(ds.profile(users=5), DAY) if a.obligation.id == "extra.art2.capped"]
    assert item.verdict is Verdict.UNDETERMINED
    text = item.explain()
    assert "At most MAY APPLY" in text
    assert "Caveat: The regulator has not set the number of users" in text
    assert item.obligation.reviewed == dt.date(2026, 12, 1)
    no_users = ds.obligations_for(ds.profile(users=0), DAY, include_not_applicable=True)
    assert {a.obligation.id: a.verdict for a in no_users}["extra.art2.capped"] is Verdict.DOES_NOT_APPLY


def test_caveats_reach_the_json_and_csv_exports(base_copy: Callable[[], Path]) -> None:
    from cnpolicy import export

    ds = cnpolicy.load(_folder(base_copy, obligations=CAVEATED), bundled=False, cache=False)
    found = [a for a in ds.obligations_for(ds.profile(users=5), DAY) if a.obligation.caveats]
    assert export.plain(found[0])["caveats"] == list(found[0].obligation.caveats)
    assert "regulator has not set" in export.to_csv([ds.obligations["extra.art2.capped"]])


def test_the_cli_table_marks_caveats_and_lists_them_below(base_copy: Callable[[], Path], tmp_path: Path) -> None:
    root = _folder(base_copy, obligations=CAVEATED)
    profile = tmp_path / "p.yaml"
    profile.write_text("users: 5\n")
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["--data", str(root), "--no-bundled", "obligations", "--profile", str(profile), "--on", "2027-01-01"],
        stdout=out,
        stderr=err,
    )
    assert code == 0, err.getvalue()
    text = out.getvalue()
    assert "may apply *" in text
    assert "undetermined" not in text  # the table says it as the summary does
    assert "* Caveats: read these before relying on the verdict" in text
    assert "extra.art2.capped: The regulator has not set" in text


def test_a_continued_duty_is_a_change_not_a_loss_and_a_gain(base_copy: Callable[[], Path]) -> None:
    root = _folder(
        base_copy,
        obligations="""\
          - id: extra.art3.old
            articles: ['3']
            modality: must
            duty_bearer: CII operators
            action: report yearly
            applies_if: {fact: cii_operator}
            valid: {until: '2026-01-01'}
            sources: [src-law]
          - id: extra.art5.new
            articles: ['5']
            modality: must
            duty_bearer: CII operators
            action: report yearly to the regulator
            applies_if: {fact: cii_operator}
            valid: {from: '2026-01-01'}
            continues: extra.art3.old
            sources: [src-law]
        """,
    )
    ds = cnpolicy.load(root, bundled=False, cache=False)
    changes = ds.changes_for(ds.profile(cii_operator=True), dt.date(2025, 6, 1), dt.date(2026, 6, 1))
    ids = lambda items: {a.obligation.id for a in items}  # noqa: E731
    assert "extra.art3.old" not in ids(changes.lost)
    assert "extra.art5.new" not in ids(changes.gained)
    (change,) = [c for c in changes.changed if c.after.obligation.id == "extra.art5.new"]
    assert change.before.obligation.id == "extra.art3.old"
    assert change.what == ("articles", "action")


def test_a_dangling_continues_is_a_load_error(base_copy: Callable[[], Path]) -> None:
    root = _folder(
        base_copy,
        obligations="""\
          - id: extra.art5.new
            articles: ['5']
            modality: must
            duty_bearer: anyone
            action: act
            continues: extra.art3.nope
            sources: [src-law]
        """,
    )
    with pytest.raises(cnpolicy.DanglingReferenceError, match=r"continues: unknown obligation 'extra\.art3\.nope'"):
        cnpolicy.load(root, bundled=False, cache=False)


def test_binding_instruments_in_force_without_duties_are_listed() -> None:
    ds = cnpolicy.load()
    missing = ds.unrecorded(dt.date(2026, 3, 1))
    assert all(r.kind.binding and not r.obligations and not r.imposes_no_duties for r in missing)
    assert "csl-amendment-2025" not in {r.id for r in missing}  # it says it imposes none of its own
    out = io.StringIO()
    assert main(["obligations", "--profile", "example:platform-operator", "--on", "2026-03-01"], stdout=out) == 0
    assert "but with no duties recorded in this data" in out.getvalue()
    for regulation in missing:
        assert f"  {regulation.id}: " in out.getvalue()


def test_a_topic_filter_finds_narrower_topics_and_refuses_unknown_ones() -> None:
    ds = cnpolicy.load()
    assert "data-localization" in ds.topic_and_narrower("cross-border-data")
    cii = ds.profile(cii_operator=True, network_operator=True, personal_info_handler=True)
    found = {a.obligation.id for a in ds.obligations_for(cii, dt.date(2022, 3, 1), topic="cross-border-data")}
    assert "csl.art37.data-localization" in found  # filed under data-localization, narrower than cross-border-data
    assert {r.id for r in ds.regulations_where(topic="data-localization")} <= {
        r.id for r in ds.regulations_where(topic="cross-border-data")
    }
    with pytest.raises(cnpolicy.NotFoundError, match="data-exprot"):
        ds.obligations_for(cii, dt.date(2022, 3, 1), topic="data-exprot")


def test_the_questions_to_ask_first_are_ranked_by_how_many_duties_they_decide() -> None:
    ds = cnpolicy.load()
    profile = ds.profile(network_platform_operator=True, personal_info_handler=True)
    day = dt.date(2022, 3, 1)
    asked = ds.questions(profile, day)
    undecided = [a for a in ds.obligations_for(profile, day) if a.verdict is Verdict.UNDETERMINED]
    assert asked
    assert [q.decides for q in asked] == sorted((q.decides for q in asked), reverse=True)
    for question in asked[:3]:
        assert question.decides == sum(question.fact in a.missing_facts for a in undecided)
        assert question.description == ds.facts[question.fact].description
        if ds.facts[question.fact].type.value == "bool" and question.if_yes is not None:
            answered = ds.obligations_for(ds.profile({**profile.stated, question.fact: True}), day)
            ids = {a.obligation.id for a in undecided}
            assert question.if_yes[0] == sum(1 for a in answered if a.obligation.id in ids and a.verdict is Verdict.APPLIES)
    assert all(q.fact not in profile for q in asked)  # never a fact already stated or implied


def test_the_obligations_summary_asks_what_the_questions_rank_first() -> None:
    """`cnpolicy obligations` names the facts to ask first without the what-if answers: the same
    facts and counts as `questions`, with --all too (facts that do not apply decide nothing)."""
    from cnpolicy.engine import deciding_facts

    ds = cnpolicy.load()
    profile = ds.profile(network_platform_operator=True, personal_info_handler=True)
    day = dt.date(2022, 3, 1)
    ranked = [(q.fact, q.decides) for q in ds.questions(profile, day, limit=3)]
    assert len(ranked) == 3
    assert deciding_facts(ds.obligations_for(profile, day), 3) == ranked
    assert deciding_facts(ds.obligations_for(profile, day, include_not_applicable=True), 3) == ranked
    out, err = io.StringIO(), io.StringIO()
    argv = ["obligations", "--profile", "example:platform-operator", "--on", "2022-03-01"]
    assert main(argv, stdout=out, stderr=err) == 0, err.getvalue()
    from cnpolicy.profile import example_path

    example = Profile.from_yaml(example_path("platform-operator"), ds.facts)
    first = ", ".join(f"{q.fact} (decides {q.decides})" for q in ds.questions(example, day, limit=3))
    assert out.getvalue().splitlines()[1] == f"Ask first: {first}. See cnpolicy questions."


def test_the_cli_lists_the_questions() -> None:
    out, err = io.StringIO(), io.StringIO()
    argv = ["questions", "--profile", "example:platform-operator", "--on", "2022-03-01", "--limit", "3"]
    assert main(argv, stdout=out, stderr=err) == 0, err.getvalue()
    lines = out.getvalue().splitlines()
    assert lines[0].split()[:2] == ["fact", "decides"]
    assert len(lines) == 2 + 3
