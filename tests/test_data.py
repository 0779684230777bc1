"""Checks over the bundled data that catch the usual mistakes (beyond the integrity checks at load)."""

from __future__ import annotations

from pathlib import Path

import pytest

import cnpolicy
from cnpolicy.render import coverage_markdown

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ds() -> cnpolicy.Dataset:
    return cnpolicy.load()


def test_minimum_counts(ds: cnpolicy.Dataset) -> None:
    assert len(ds.regulations) >= 45
    assert len(ds.obligations) >= 150
    assert len(ds.agencies) >= 20
    assert len(ds.events) >= 60


SEED_INSTRUMENTS = [
    "miit-network-security-guiding-opinions-2014",
    "mlps-measures-2007",
    "miit-communication-network-security-measures-2010",
    "public-internet-emergency-plan-2009",
    "trojan-botnet-monitoring-mechanism-2009",
    "mobile-malware-monitoring-mechanism-2011",
    "telecom-construction-bidding-measures-2014",
    "telecom-user-personal-info-provisions-2013",
    "network-products-services-security-review-measures-2017",
    "cybersecurity-review-measures-2020",
    "cybersecurity-review-measures-2021",
    "national-cyberspace-security-strategy-2016",
    "twelfth-five-year-plan-2011",
    "csl",
    "dsl",
    "us-fy2013-appropriations-sec516",
]
FRAMEWORK = [
    "national-security-law-2015",
    "counter-terrorism-law-2015",
    "national-intelligence-law-2017",
    "cryptography-law-2019",
    "pipl",
    "cii-regulations-2021",
    "network-product-vulnerability-provisions-2021",
    "data-export-security-assessment-measures-2022",
    "pi-export-standard-contract-measures-2023",
    "cross-border-data-flow-provisions-2024",
    "network-data-security-regulations-2024",
    "algorithm-recommendation-provisions-2021",
    "deep-synthesis-provisions-2022",
    "generative-ai-measures-2023",
    "ai-content-labelling-measures-2025",
    "cybersecurity-incident-reporting-measures-2025",
    "minors-online-protection-regulations-2023",
    "csl-amendment-2025",
    "gb-t-22239-2019",
]
SEED_AGENCIES = [
    "cac",
    "siio",
    "miit",
    "mps",
    "saic",
    "samr",
    "npcsc",
    "state-council",
    "mofa",
    "mnd",
    "us-congress",
    "us-doc",
    "us-doj",
    "fbi",
    "nasa",
    "nsf",
    "central-leading-group-cybersecurity",
    "ccac",
    "ccgp-center",
    "us-state-department",
]


@pytest.mark.parametrize("key", SEED_INSTRUMENTS + FRAMEWORK)
def test_named_instruments_are_present(ds: cnpolicy.Dataset, key: str) -> None:
    assert key in ds.regulations


@pytest.mark.parametrize("key", SEED_AGENCIES)
def test_seed_agencies_are_present(ds: cnpolicy.Dataset, key: str) -> None:
    assert key in ds.agencies


def test_every_seed_is_cited(ds: cnpolicy.Dataset) -> None:
    cited = {s for r in ds.regulations.values() for s in r.sources} | {s for e in ds.events.values() for s in e.sources}
    cited |= {s for o in ds.obligations.values() for s in o.sources} | {s for a in ds.agencies.values() for s in a.sources}
    assert {s for s in ds.sources if s.startswith("seed-")} <= cited


def test_seed_events(ds: cnpolicy.Dataset) -> None:
    """The events of the seed documents, found by what they are rather than by id."""

    def has(kind: str, year: int, *words: str) -> bool:
        return any(
            e.kind.value == kind
            and e.date.year == year
            and all(w.lower() in (e.title + " " + (e.summary or "")).lower() for w in words)
            for e in ds.events.values()
        )

    assert has("enactment", 2013, "appropriations") or has("enactment", 2013, "516")
    assert has("report", 2013, "mandiant")
    assert has("indictment", 2014)
    assert has("raid", 2014, "microsoft")
    assert has("procurement_exclusion", 2014, "windows 8")
    assert has("procurement_exclusion", 2014, "kaspersky")
    assert has("letter", 2015)
    assert any(e.kind.value == "fine" and any(a.name and "didi" in a.name.lower() for a in e.actors) for e in ds.events.values())


def test_obligations_do_not_start_before_their_regulation(ds: cnpolicy.Dataset) -> None:
    for o in ds.obligations.values():
        start = ds.regulations[o.regulation].start
        if o.valid and o.valid.from_ and start:
            assert o.valid.from_.latest >= start.earliest, o.id


def test_events_do_not_precede_their_agencies(ds: cnpolicy.Dataset) -> None:
    for e in ds.events.values():
        for actor in e.actors:
            agency = ds.agencies.get(actor.agency or "")
            if agency and agency.established:
                assert e.date.latest >= agency.established.earliest, (e.id, agency.id)


def test_chinese_instruments_have_chinese_titles(ds: cnpolicy.Dataset) -> None:
    missing = [r.id for r in ds.regulations.values() if r.jurisdiction == "CN" and not r.title.zh]
    assert missing == []


def test_chinese_agencies_have_chinese_names(ds: cnpolicy.Dataset) -> None:
    assert [a.id for a in ds.agencies.values() if a.jurisdiction == "CN" and not a.name.zh] == []


def test_unverified_articles_are_explained(ds: cnpolicy.Dataset) -> None:
    """An obligation without an article number must say why in its notes."""
    assert [o.id for o in ds.obligations.values() if not o.articles and not o.notes] == []


def test_sources_have_urls_except_seeds(ds: cnpolicy.Dataset) -> None:
    assert [s.id for s in ds.sources.values() if not s.url and not s.id.startswith("seed-")] == []


def test_no_unused_sources(ds: cnpolicy.Dataset) -> None:
    cited = {s for r in ds.regulations.values() for s in r.sources}
    cited |= {s for r in ds.regulations.values() for a in r.amendments for s in a.sources}
    cited |= {s for o in ds.obligations.values() for s in o.sources}
    cited |= {s for e in ds.events.values() for s in e.sources} | {s for a in ds.agencies.values() for s in a.sources}
    assert sorted(set(ds.sources) - cited) == []


def test_every_fact_is_used_or_documented(ds: cnpolicy.Dataset) -> None:
    from cnpolicy.model.conditions import facts_used

    used = {f for o in ds.obligations.values() if o.applies_if for f in facts_used(o.applies_if)}
    assert all(spec.description for spec in ds.facts.values())
    assert used <= set(ds.facts)


def test_coverage_page_is_current(ds: cnpolicy.Dataset) -> None:
    """Regenerate with: cnpolicy export --format coverage > docs/coverage.md"""
    assert (ROOT / "docs" / "coverage.md").read_text() == coverage_markdown(ds)


def test_file_names_match_ids() -> None:
    for path in (ROOT / "data" / "regulations").glob("*.yaml"):
        assert path.read_text().startswith(f"id: {path.stem}\n"), path.name


def test_actions_are_clauses(ds: cnpolicy.Dataset) -> None:
    """An action continues "<duty bearer> must ...": no leading capital (acronyms aside), no final full stop."""
    bad = [
        o.id for o in ds.obligations.values() if (o.action[:1].isupper() and o.action[1:2].islower()) or o.action.endswith(".")
    ]
    assert bad == []


def test_notes_point_at_nothing_users_lack() -> None:
    """Notes must not send readers to the maintainers' scratch files (staging/), which are not shipped."""
    assert [p.name for p in (ROOT / "data").rglob("*.yaml") if "staging/" in p.read_text()] == []


def test_no_two_versions_of_a_duty_share_an_article_on_one_day(ds: cnpolicy.Dataset) -> None:
    """On any day, the duties in force under one article of one instrument come from one version of its text."""
    import datetime as dt
    from collections import defaultdict

    days = sorted({dt.date(year, month, 1) for year in range(2000, 2028) for month in (1, 7)} | {dt.date(2026, 1, 1)})
    for day in days:
        versions: dict[tuple[str, str], set[str | None]] = defaultdict(set)
        for obligation in ds.obligations_in_force(day):
            for article in obligation.articles:
                versions[(obligation.regulation, article)].add(obligation.introduced_by)
        assert {key: found for key, found in versions.items() if len(found) > 1} == {}, day


def test_the_cybersecurity_law_across_its_2026_amendment_changes_duties_rather_than_losing_them(ds: cnpolicy.Dataset) -> None:
    import datetime as dt

    profile = ds.profile(cii_operator=True, personal_info_handler=True, network_platform_operator=True)
    changes = ds.changes_for(profile, dt.date(2025, 12, 1), dt.date(2026, 2, 1), regulation="csl")
    assert changes.lost == ()
    assert len(changes.changed) >= 20
    assert [a.obligation.id for a in changes.gained] == ["csl.art42.pi-handling-compliance"]  # the one new duty
    pairs = {c.before.obligation.id: c.after.obligation.id for c in changes.changed}
    assert pairs["csl.art37.data-localization"] == "csl.art39.data-localization"


def test_continued_duties_point_at_earlier_ones(ds: cnpolicy.Dataset) -> None:
    from cnpolicy.engine import obligation_in_force

    for obligation in ds.obligations.values():
        if obligation.continues is not None:
            earlier = ds.obligations[obligation.continues]
            start = (
                obligation.valid.from_
                if obligation.valid and obligation.valid.from_
                else ds.regulations[obligation.regulation].start
            )
            assert start is not None, obligation.id
            day = start.earliest
            assert obligation_in_force(earlier, ds.regulations[earlier.regulation], day) is not True, obligation.id


def test_no_note_admits_a_condition_broader_than_its_article(ds: cnpolicy.Dataset) -> None:
    """Issue #11: where a condition is wider than the text, that is a caveat the reader sees (and the
    verdict is capped), never an aside in `notes`."""
    import re

    admits = re.compile(r"\b(broader|wider) than\b|\bover-?broad\b|\btoo broad\b", re.IGNORECASE)
    assert [o.id for o in ds.obligations.values() if o.notes and admits.search(o.notes)] == []
    # and a caveat that says so always comes with a capped verdict
    wide = [o for o in ds.obligations.values() if any(re.search(r"condition is (broader|wider)", c) for c in o.caveats)]
    assert [o.id for o in wide if o.condition_complete] == []
