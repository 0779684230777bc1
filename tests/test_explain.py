"""`Applicability.explain()`: a plain-text explanation a lawyer can read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import cnpolicy


def test_explain_reads_as_sentences(base_copy: Callable[[], Path]) -> None:
    root = base_copy()
    law = root / "regulations" / "example-law.yaml"
    law.write_text(law.read_text().replace("action: store data in China", "action: Store data in China."))
    ds = cnpolicy.load(root, bundled=False)
    [item] = [a for a in ds.obligations_for({"cii_operator": True}, dt.date(2020, 1, 1)) if a.obligation.articles == ("37",)]
    text = item.explain()
    assert "Duty: CII operators must store data in China." in text
    assert "Example Law (示例法), art. 37" in text
    assert "cii_operator: yes (cii_operator = True)" in text


def test_explain_names_deadline_penalty_and_missing_facts(base_copy: Callable[[], Path]) -> None:
    ds = cnpolicy.load(base_copy(), bundled=False)
    [item] = [a for a in ds.obligations_for({}, dt.date(2026, 6, 1)) if a.obligation.articles == ("7",)]
    text = item.explain()
    assert "MAY APPLY on 2026-06-01" in text
    assert "Deadline: within 1 hour after an incident." in text
    assert "Penalty (art. 59): the entity: 10,000 to 100,000 CNY." in text
    assert "Would be decided by: sector, users." in text
    assert "introduced by the 2025 amendment" in text


def test_explain_lists_a_few_sources_and_counts_the_rest() -> None:
    ds = cnpolicy.load()
    item = next(
        a for a in ds.obligations_for({"cii_operator": True}, dt.date(2018, 1, 1), regulation="csl") if len(a.citation.urls) > 3
    )
    line = next(line for line in item.explain().splitlines() if line.strip().startswith("Sources, best first:"))
    assert line.count("http") == 3
    assert f"and {len(item.citation.urls) - 3} more" in line


def test_explain_cites_the_best_tier_first() -> None:
    ds = cnpolicy.load()
    for item in ds.obligations_for({"cii_operator": True}, dt.date(2018, 1, 1)):
        ranks = [tier.rank for tier in item.citation.tiers]
        assert ranks == sorted(ranks), item.obligation.id
        line = next(line for line in item.explain().splitlines() if line.strip().startswith("Sources, best first:"))
        assert line.split(": ", 1)[1].startswith(f"[{item.citation.tiers[0].value}] ")
