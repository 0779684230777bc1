"""Sources a lawyer can cite: tiers by rules in one place, no copy typed as official text, one URL one source."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

import cnpolicy
from cnpolicy import Tier
from cnpolicy.model.tiers import tier_of_url


@pytest.mark.parametrize(
    ("url", "copy", "tier"),
    [
        ("http://www.npc.gov.cn/npc/c30834/202108/a8c4e3672c74491a80b53a172bb753fe.shtml", False, Tier.OFFICIAL),
        ("https://www.cac.gov.cn/2022-07/07/c_1658811536396503.htm", False, Tier.OFFICIAL),
        ("https://www.federalregister.gov/documents/2019/05/17/x", False, Tier.OFFICIAL),
        ("https://digichina.stanford.edu/work/translation-personal-information-protection-law/", False, Tier.REPUTABLE),
        ("https://www.chinalawtranslate.com/en/anti-espionage/", False, Tier.REPUTABLE),
        ("https://www.reuters.com/article/x", False, Tier.REPUTABLE),
        ("http://en.npc.gov.cn.cdurl.cn/2021-12/29/c_694559.htm", False, Tier.COPY),  # a proxy, not the NPC
        ("https://github.com/LawRefBook/Laws/blob/main/x.md", False, Tier.COPY),
        ("http://www.keyfc.net/bbs/showtopic-1.aspx", False, Tier.COPY),
        ("https://www.cac.gov.cn/x.htm", True, Tier.COPY),  # a saved copy of an official page is a copy
        (None, False, Tier.REPUTABLE),  # a seed document, known by its publisher
    ],
)
def test_tier_rules(url: str | None, copy: bool, tier: Tier) -> None:
    assert tier_of_url(url, copy=copy) is tier


def test_no_copy_is_typed_as_the_official_text_and_no_url_has_two_ids() -> None:
    ds = cnpolicy.load()
    assert [s.id for s in ds.sources.values() if s.kind.value == "official_text" and s.tier is not Tier.OFFICIAL] == []
    urls = [s.url for s in ds.sources.values() if s.url]
    assert len(urls) == len(set(urls))


def test_at_most_five_percent_of_records_rest_only_on_copies() -> None:
    ds = cnpolicy.load()

    def copies_only(ids: tuple[str, ...]) -> bool:
        return all(ds.sources[i].tier is Tier.COPY for i in ids)

    regulations = [r for r in ds.regulations.values() if copies_only(r.sources)]
    obligations = [o for o in ds.obligations.values() if copies_only((*o.sources, *ds.regulations[o.regulation].sources))]
    assert len(regulations) <= 0.05 * len(ds.regulations)
    assert len(obligations) <= 0.05 * len(ds.obligations)


def test_citations_never_show_a_copy_first_when_a_better_source_is_recorded() -> None:
    ds = cnpolicy.load()
    for item in ds.obligations_for(ds.profile(), dt.date(2024, 1, 1)):
        tiers = item.citation.tiers
        assert list(tiers) == sorted(tiers, key=lambda t: t.rank), item.obligation.id
        if any(t is not Tier.COPY for t in tiers):
            assert tiers[0] is not Tier.COPY


@pytest.mark.parametrize(
    ("replace", "by", "words"),
    [
        (
            "url: https://www.example.gov.cn/law",
            "url: https://mirror.example.org/law",
            r"official_text is not on an official \(government\) site",
        ),
        ("  kind: official_text\n", "  kind: official_text\n  copy: true\n", "official_text is marked as a copy"),
        (
            "  kind: news\n",
            "  kind: news\n  url: https://www.example.gov.cn/law\n",
            "the URL is cited already as source 'src-law'",
        ),
    ],
)
def test_bad_sources_are_load_errors(base_copy: Callable[[], Path], replace: str, by: str, words: str) -> None:
    root = base_copy()
    path = root / "sources.yaml"
    assert replace in path.read_text()
    path.write_text(path.read_text().replace(replace, by, 1))
    with pytest.raises(cnpolicy.DataError, match=words) as info:
        cnpolicy.load(root, bundled=False, cache=False)
    assert info.value.file.endswith("sources.yaml")
    assert info.value.line is not None


def test_exports_and_explanations_show_the_tier() -> None:
    from cnpolicy import export

    ds = cnpolicy.load()
    source = next(iter(ds.sources.values()))
    assert export.plain(source)["tier"] == source.tier.value
    assert "tier" in export.csv_rows([source])[0]
    item = ds.obligations_for(ds.profile(cii_operator=True), dt.date(2022, 3, 1), regulation="csl")[0]
    assert export.plain(item)["sources"][0]["tier"] == item.citation.tiers[0].value
