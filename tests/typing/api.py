"""Typed use of the public API, checked by ``mypy --strict`` (not run by pytest)."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

import cnpolicy
from cnpolicy import strategies as cst


def use() -> None:
    ds: cnpolicy.Dataset = cnpolicy.load()
    regulation: cnpolicy.Regulation = ds.regulations["csl"]
    found: cnpolicy.Regulation | cnpolicy.Agency = ds.lookup("PIPL")
    maybe: cnpolicy.Regulation | cnpolicy.Agency | None = ds.get("nothing")
    profile: cnpolicy.Profile = ds.profile(cii_operator=True).with_facts(personal_info_subjects=10)
    items: list[cnpolicy.Applicability] = ds.obligations_for(profile, dt.date(2022, 3, 1), jurisdiction="CN")
    verdict: cnpolicy.Verdict = items[0].verdict
    text: str = items[0].explain()
    hits: list[cnpolicy.Match] = ds.search("网络安全")
    entries: list[cnpolicy.TimelineEntry] = ds.timeline("2014-05", "2014-09", agency="cac")
    day: cnpolicy.PartialDate = cnpolicy.PartialDate.parse("2014-05")
    strategy: st.SearchStrategy[cnpolicy.PartialDate] = cst.partial_dates()
    profiles: st.SearchStrategy[cnpolicy.Profile] = cst.profiles(ds.facts)
    datasets: st.SearchStrategy[cnpolicy.Dataset] = cst.datasets()
    changes: cnpolicy.Changes = ds.changes_for(profile, dt.date(2021, 1, 1), dt.date(2022, 1, 1))
    why: cnpolicy.Explanation = items[0].explanation
    cited: cnpolicy.Citation = items[0].citation
    related: list[cnpolicy.Related] = ds.related("csl")
    try:
        ds.lookup("nothing")
    except* cnpolicy.NotFoundError:
        pass
    try:
        cnpolicy.load("my_data/", bundled=False)
    except cnpolicy.DataError as error:
        where: tuple[str, int | None, str] = (error.file, error.line, error.path)
        del where
    del regulation, found, maybe, verdict, text, hits, entries, day, strategy, profiles, datasets, changes, why, cited, related
