from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import cnpolicy
from cnpolicy import NotFoundError
from cnpolicy.query import normalize

BASE = Path(__file__).parent / "fixtures" / "base"


@pytest.fixture(scope="module")
def ds() -> cnpolicy.Dataset:
    return cnpolicy.load(BASE, bundled=False)


@pytest.mark.parametrize(
    "name",
    [
        "example-law",
        "EL",
        "示例",
        "示例法",
        "Example Law",
        "example law",
        "示例令〔2016〕5号",
        "示例令[2016]5号",
        "示例令 (2016) 5",
        "[2016] 5",
        "2016,5",
    ],
)
def test_lookup_regulation_by_any_name(ds: cnpolicy.Dataset, name: str) -> None:
    assert ds.lookup(name).id == "example-law"


def test_lookup_agency(ds: cnpolicy.Dataset) -> None:
    assert ds.lookup("ER").id == "regulator"
    assert ds.lookup("示例立法机关").id == "legislature"


def test_lookup_miss_lists_candidates(ds: cnpolicy.Dataset) -> None:
    with pytest.raises(NotFoundError) as info:
        ds.lookup("Example Lawz")
    assert "example" in str(info.value).lower()
    assert isinstance(info.value, LookupError)
    assert ds.get("Example Lawz") is None
    assert ds.get("Example Lawz", "fallback") == "fallback"


def test_search_ranks_exact_first(ds: cnpolicy.Dataset) -> None:
    hits = ds.search("example law")
    assert hits[0].id == "example-law"
    assert hits[0].score == 1.0
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert ds.search("store data")[0].kind == "obligation"
    assert ds.search("   ") == []


def test_filters(ds: cnpolicy.Dataset) -> None:
    assert [r.id for r in ds.regulations_where(kind="departmental_rule")] == ["example-rule"]
    assert [r.id for r in ds.regulations_where(agency="legislature")] == ["example-law"]
    assert [r.id for r in ds.regulations_where(in_force_on=dt.date(2021, 1, 1))] == ["example-law"]
    assert [r.id for r in ds.regulations_where(topic="data")] == ["example-law"]
    assert ds.issued_by("regulator")[0].id == "example-rule"


def test_events_between_partial_dates(ds: cnpolicy.Dataset) -> None:
    assert len(ds.events_between("2014", "2014")) == 1
    assert len(ds.events_between("2014-05", "2014-05")) == 1
    assert ds.events_between("2014-06") == []
    assert len(ds.events_between(actor="regulator")) == 1
    assert len(ds.events_between(actor="Example Corp", kind="statement")) == 1
    assert ds.events_between(kind="fine") == []


def test_timeline_merges_and_orders(ds: cnpolicy.Dataset) -> None:
    entries = ds.timeline()
    assert [e.date for e in entries] == sorted(e.date for e in entries)
    kinds = {(e.kind, tuple(e.regulations)) for e in entries}
    assert ("enactment", ("example-law",)) in kinds
    assert ("amendment", ("example-law",)) in kinds
    assert ("repeal", ("example-rule",)) in kinds
    assert [e.event for e in ds.timeline("2014-05", "2014-05") if e.event] == ["2014-05-22-example-announcement"]
    assert all(e.date.year == 2014 for e in ds.timeline("2014", "2014"))


def test_relations_both_directions(ds: cnpolicy.Dataset) -> None:
    assert [str(r) for r in ds.related("example-law")] == ["implemented by example-rule"]
    assert [str(r) for r in ds.related("example-rule")] == ["implements example-law"]
    with pytest.raises(NotFoundError):
        ds.related("nope")


def test_normalize() -> None:
    assert normalize(" 《个人信息 保护法》 ") == "个人信息保护法"
    assert normalize("ＰＩＰＬ") == "pipl"


def test_bundled_lookups() -> None:
    ds = cnpolicy.load()
    assert ds.lookup("网络安全法").id == "csl"
    assert ds.lookup("PIPL").id == "pipl"
    assert ds.lookup("Cybersecurity Law of the People's Republic of China").id == "csl"
    assert ds.lookup("工信部保〔2014〕368号").id == "miit-network-security-guiding-opinions-2014"
    assert ds.lookup("CAC").id == "cac"
    chain = [r.id for r in ds.version_chain("cybersecurity-review-measures-2020")]
    assert chain == [
        "network-products-services-security-review-measures-2017",
        "cybersecurity-review-measures-2020",
        "cybersecurity-review-measures-2021",
    ]
    implementing = {str(r) for r in ds.related("csl")}
    assert any(r.startswith("implemented by") or r.startswith("basis of") for r in implementing)


def test_events_between_agrees_with_a_full_scan() -> None:
    from hypothesis import given

    from cnpolicy.query import events_between
    from cnpolicy.strategies import partial_dates

    bundled = cnpolicy.load()

    @given(partial_dates(2005, 2027), partial_dates(2005, 2027))
    def check(start: cnpolicy.PartialDate, end: cnpolicy.PartialDate) -> None:
        assert bundled.events_between(start, end) == events_between(bundled.events.values(), start, end)
        assert bundled.events_between(start) == events_between(bundled.events.values(), start)
        assert bundled.events_between(None, end) == events_between(bundled.events.values(), None, end)

    check()


@pytest.mark.parametrize(
    ("name", "ident"),
    [
        ("个保法", "pipl"),
        ("网安法", "csl"),
        ("数安法", "dsl"),
        ("反恐法", "counter-terrorism-law-2015"),
        ("等保", "mlps-measures-2007"),
        ("中华人民共和国主席令第五十三号", "csl"),
        ("主席令第五十三号", "csl"),
        ("国务院令第745号", "cii-regulations-2021"),
    ],
)
def test_names_people_type_resolve(name: str, ident: str) -> None:
    assert cnpolicy.load().lookup(name).id == ident
