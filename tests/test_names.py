"""Names people type resolve everywhere: lookup, typed helpers, filters and the CLI (#16)."""

from __future__ import annotations

import io

import pytest

import cnpolicy
from cnpolicy.cli import main

#: (name as people type it, id it names): abbreviations, titles, document numbers and standard
#: numbers in the spellings seen in memos, news and official texts, in both languages.
NAMES = [
    # laws: short names, full and bare titles, presidential order numbers
    ("个保法", "pipl"),
    ("个人信息保护法", "pipl"),
    ("中华人民共和国个人信息保护法", "pipl"),
    ("《个人信息保护法》", "pipl"),
    ("PIPL", "pipl"),
    ("pipl", "pipl"),
    ("Personal Information Protection Law", "pipl"),
    ("Personal Information Protection Law of the People's Republic of China", "pipl"),
    ("主席令第九十一号", "pipl"),
    ("中华人民共和国主席令第91号", "pipl"),
    ("网安法", "csl"),
    ("网络安全法", "csl"),
    ("中华人民共和国网络安全法", "csl"),
    ("CSL", "csl"),
    ("Cybersecurity Law", "csl"),
    ("Cyber Security Law", "csl"),
    ("中华人民共和国主席令第五十三号", "csl"),
    ("主席令第五十三号", "csl"),
    ("主席令第53号", "csl"),
    ("主席令 第 53 号", "csl"),
    ("数安法", "dsl"),
    ("数据安全法", "dsl"),
    ("DSL", "dsl"),
    ("Data Security Law", "dsl"),
    ("主席令第八十四号", "dsl"),
    ("反恐法", "counter-terrorism-law-2015"),
    ("反恐怖主义法", "counter-terrorism-law-2015"),
    ("Counter-Terrorism Law", "counter-terrorism-law-2015"),
    ("主席令第36号", "counter-terrorism-law-2015"),
    ("国家安全法", "national-security-law-2015"),
    ("National Security Law", "national-security-law-2015"),
    ("国家情报法", "national-intelligence-law-2017"),
    ("National Intelligence Law", "national-intelligence-law-2017"),
    ("主席令第六十九号", "national-intelligence-law-2017"),
    ("密码法", "cryptography-law-2019"),
    ("Encryption Law", "cryptography-law-2019"),
    ("Cryptography Law", "cryptography-law-2019"),
    ("反间谍法", "counter-espionage-law-2014"),
    # State Council regulations: short names and order numbers with and without the state prefix
    ("关基条例", "cii-regulations-2021"),
    ("关键信息基础设施安全保护条例", "cii-regulations-2021"),
    ("CII Regulations", "cii-regulations-2021"),
    ("国务院令第745号", "cii-regulations-2021"),
    ("中华人民共和国国务院令第745号", "cii-regulations-2021"),
    ("国务院令第七四五号", "cii-regulations-2021"),
    ("网络数据安全管理条例", "network-data-security-regulations-2024"),
    ("网络数据条例", "network-data-security-regulations-2024"),
    ("国务院令第790号", "network-data-security-regulations-2024"),
    ("Network Data Security Regulations", "network-data-security-regulations-2024"),
    ("未成年人网络保护条例", "minors-online-protection-regulations-2023"),
    ("国务院令第766号", "minors-online-protection-regulations-2023"),
    ("电信条例", "telecom-regulations-2000"),
    ("国务院令第291号", "telecom-regulations-2000"),
    ("互联网信息服务管理办法", "internet-information-services-measures-2000"),
    ("国务院令第292号", "internet-information-services-measures-2000"),
    ("ICP Measures", "internet-information-services-measures-2000"),
    # departmental rules and normative documents
    ("等保", "mlps-measures-2007"),
    ("等保管理办法", "mlps-measures-2007"),
    ("信息安全等级保护管理办法", "mlps-measures-2007"),
    ("公通字〔2007〕43号", "mlps-measures-2007"),
    ("公通字[2007]43号", "mlps-measures-2007"),
    ("公通字(2007)43号", "mlps-measures-2007"),
    ("公通字（2007）43", "mlps-measures-2007"),
    ("工信部保〔2014〕368号", "miit-network-security-guiding-opinions-2014"),
    ("工信部保[2014]368", "miit-network-security-guiding-opinions-2014"),
    ("[2014] 368", "miit-network-security-guiding-opinions-2014"),
    ("工信部联网安〔2021〕66号", "network-product-vulnerability-provisions-2021"),
    ("漏洞管理规定", "network-product-vulnerability-provisions-2021"),
    ("银监办发〔2014〕317号", "cbrc-banking-secure-controllable-guide-2014"),
    ("Document 317", "cbrc-banking-secure-controllable-guide-2014"),
    ("国家网信办令第16号", "cross-border-data-flow-provisions-2024"),
    ("国家互联网信息办公室令第16号", "cross-border-data-flow-provisions-2024"),
    ("数据跨境流动规定", "cross-border-data-flow-provisions-2024"),
    ("数据出境安全评估办法", "data-export-security-assessment-measures-2022"),
    ("国家互联网信息办公室令第11号", "data-export-security-assessment-measures-2022"),
    ("国家网信办令第11号", "data-export-security-assessment-measures-2022"),
    ("标准合同办法", "pi-export-standard-contract-measures-2023"),
    ("China SCC Measures", "pi-export-standard-contract-measures-2023"),
    ("国家网信办令第13号", "pi-export-standard-contract-measures-2023"),
    ("个人信息出境认证办法", "pi-export-certification-measures-2025"),
    ("个保合规审计办法", "pi-protection-compliance-audit-measures-2025"),
    ("国家网信办令第18号", "pi-protection-compliance-audit-measures-2025"),
    ("生成式人工智能服务管理暂行办法", "generative-ai-measures-2023"),
    ("Generative AI Measures", "generative-ai-measures-2023"),
    ("深度合成管理规定", "deep-synthesis-provisions-2022"),
    ("算法推荐管理规定", "algorithm-recommendation-provisions-2021"),
    ("人工智能生成合成内容标识办法", "ai-content-labelling-measures-2025"),
    ("国信办通字〔2025〕2号", "ai-content-labelling-measures-2025"),
    ("证监会公告〔2023〕43号", "csrc-overseas-listing-measures-2023"),
    ("境内企业境外发行证券和上市管理试行办法", "csrc-overseas-listing-measures-2023"),
    ("工业和信息化部令第24号", "telecom-user-personal-info-provisions-2013"),
    ("工信部令第24号", "telecom-user-personal-info-provisions-2013"),
    ("MIIT Order No. 11", "miit-communication-network-security-measures-2010"),
    ("工信部令第十一号", "miit-communication-network-security-measures-2010"),
    # version families: the newest without a day
    ("网络安全审查办法", "cybersecurity-review-measures-2021"),
    ("2020 Cybersecurity Review Measures", "cybersecurity-review-measures-2020"),
    # standards, with and without the year and with the dashes people paste
    ("GB/T 35273", "gb-t-35273-2020"),
    ("GB/T35273", "gb-t-35273-2020"),
    ("GB/T 35273-2020", "gb-t-35273-2020"),
    ("GB/T 35273—2020", "gb-t-35273-2020"),
    ("GB/T 35273-2017", "gb-t-35273-2017"),
    ("个人信息安全规范", "gb-t-35273-2020"),
    ("GB/T 22239", "gb-t-22239-2019"),
    ("GB/T 22239-2008", "gb-t-22239-2008"),
    ("gb/t 22239－2019", "gb-t-22239-2019"),
    ("等保2.0基本要求", "gb-t-22239-2019"),
    # strategies and foreign measures
    ("网络空间安全战略", "national-cyberspace-security-strategy-2016"),
    ("十二五规划", "twelfth-five-year-plan-2011"),
    ("EO 13873", "us-eo-13873-2019"),
    ("Executive Order 13873", "us-eo-13873-2019"),
    ("Section 889", "us-ndaa-fy2019-sec889"),
    ("Public Law 115-232", "us-ndaa-fy2019-sec889"),
    ("Section 516", "us-fy2013-appropriations-sec516"),
    # agencies, in both languages
    ("工信部", "miit"),
    ("工业和信息化部", "miit"),
    ("中华人民共和国工业和信息化部", "miit"),
    ("MIIT", "miit"),
    ("Ministry of Industry and Information Technology", "miit"),
    ("全国人大常委会", "npcsc"),
    ("全国人民代表大会常务委员会", "npcsc"),
    ("NPCSC", "npcsc"),
    ("全国人大", "npc"),
    ("网信办", "cac"),
    ("中央网信办", "cac"),
    ("CAC", "cac"),
    ("Cyberspace Administration of China", "cac"),
    ("公安部", "mps"),
    ("Ministry of Public Security", "mps"),
    ("国安部", "mss"),
    ("国务院", "state-council"),
    ("外交部", "mofa"),
    ("商务部", "mofcom"),
    ("市场监管总局", "samr"),
    ("证监会", "csrc"),
    ("央行", "pboc"),
    ("中国人民银行", "pboc"),
    ("金融监管总局", "nfra"),
    ("信安标委", "tc260"),
    ("TC260", "tc260"),
    ("国家互联网应急中心", "cncert"),
    ("美国商务部", "us-doc"),
    ("美国司法部", "us-doj"),
    ("FCC", "us-fcc"),
    ("美国联邦通信委员会", "us-fcc"),
    ("五角大楼", "us-dod"),
]


def test_the_table_is_large_and_in_both_languages() -> None:
    chinese = [name for name, _ in NAMES if any("\u4e00" <= char <= "\u9fff" for char in name)]
    assert len(NAMES) >= 100
    assert len(chinese) >= 50
    assert len(NAMES) - len(chinese) >= 40


@pytest.mark.parametrize(("name", "expected"), NAMES)
def test_every_name_resolves(bundled: cnpolicy.Dataset, name: str, expected: str) -> None:
    assert bundled.lookup(name).id == expected


def test_typed_helpers_keep_to_their_kind(bundled: cnpolicy.Dataset) -> None:
    assert bundled.regulation("个保法").title.zh == "中华人民共和国个人信息保护法"
    assert bundled.agency("工信部").id == "miit"
    with pytest.raises(cnpolicy.NotFoundError):
        bundled.regulation("工信部")  # an agency is not a regulation
    with pytest.raises(cnpolicy.NotFoundError):
        bundled.agency("个保法")


def test_a_shared_name_is_ambiguous_and_says_so(bundled: cnpolicy.Dataset) -> None:
    with pytest.raises(cnpolicy.AmbiguousNameError) as caught:
        bundled.lookup("国家互联网信息办公室")
    assert isinstance(caught.value, LookupError)
    assert [key for key, _ in caught.value.candidates] == ["siio", "cac"]
    assert "2011-05 to 2014" in str(caught.value)
    assert "from 2014" in str(caught.value)
    assert bundled.get("国家互联网信息办公室") is None


def test_a_day_picks_the_body_and_the_version_of_the_day(bundled: cnpolicy.Dataset) -> None:
    assert bundled.lookup("国家互联网信息办公室", on="2012-06-01").id == "siio"
    assert bundled.lookup("国家互联网信息办公室", on="2013-06-01").id == "siio"
    with pytest.raises(cnpolicy.AmbiguousNameError):  # SIIO ended and CAC began in 2014: the data has the year only
        bundled.lookup("国家互联网信息办公室", on="2014-06-01")
    assert bundled.lookup("国家互联网信息办公室", on="2015-01-01").id == "cac"
    assert bundled.lookup("网络安全审查办法", on="2021-01-01").id == "cybersecurity-review-measures-2020"
    assert bundled.lookup("网络安全审查办法", on="2023-01-01").id == "cybersecurity-review-measures-2021"
    assert bundled.lookup("GB/T 35273", on="2019-01-01").id == "gb-t-35273-2017"
    assert bundled.lookup("GB/T 35273", on="2021-01-01").id == "gb-t-35273-2020"


def test_nothing_found_names_the_closest(bundled: cnpolicy.Dataset) -> None:
    with pytest.raises(cnpolicy.NotFoundError) as caught:
        bundled.lookup("个人信息保护")
    assert "pipl" in caught.value.candidates


def test_filters_take_names_not_only_ids(bundled: cnpolicy.Dataset) -> None:
    profile = {"personal_info_handler": True}
    by_name = bundled.obligations_for(profile, "2024-01-01", regulation="PIPL")
    assert by_name
    assert by_name == bundled.obligations_for(profile, "2024-01-01", regulation="pipl")
    assert {r.id for r in bundled.regulations_where(agency="网信办")} == {r.id for r in bundled.regulations_where(agency="cac")}
    assert bundled.issued_by("工信部") == bundled.issued_by("miit")
    # a version family names every version: the review events of both sets of measures
    reviews = bundled.events_between(regulation="网络安全审查办法", kind="review")
    assert {"cybersecurity-review-measures-2020", "cybersecurity-review-measures-2021"} <= {
        r for e in reviews for r in e.regulations
    }
    # a name used by SIIO and then CAC names both bodies in a filter
    siio_and_cac = bundled.timeline("2014", "2014", agency="国家互联网信息办公室")
    assert {"siio", "cac"} <= {a for e in siio_and_cac for a in e.agencies}


def test_filters_refuse_what_they_cannot_read(bundled: cnpolicy.Dataset) -> None:
    with pytest.raises(cnpolicy.NotFoundError):
        bundled.obligations_for({}, "2024-01-01", regulation="no such law")
    with pytest.raises(cnpolicy.NotFoundError):
        bundled.timeline(agency="no such agency")
    with pytest.raises(cnpolicy.ArgumentError):
        bundled.events_between(country="China")
    with pytest.raises(cnpolicy.NotFoundError):
        bundled.timeline(kind="nope")


def test_every_event_names_the_country_that_acted(bundled: cnpolicy.Dataset) -> None:
    assert all(e.country for e in bundled.events.values())
    us_on_cn = bundled.events_between(country="us", target_country="CN")
    assert us_on_cn
    assert all(e.country == "US" and e.target_country == "CN" for e in us_on_cn)
    assert "2019-05-16-us-doc-huawei-entity-list" in {e.id for e in us_on_cn}
    assert {e.country for e in bundled.timeline(country="US")} == {"US"}


def test_an_enactment_is_shown_once(bundled: cnpolicy.Dataset) -> None:
    """Each instrument's enactment appears once: an enactment event on the day of adoption,
    promulgation or publication stands for the instrument's own date."""
    enactments: dict[str, int] = {}
    for entry in bundled.timeline():
        if entry.kind == "enactment":
            for key in entry.regulations:
                enactments[key] = enactments.get(key, 0) + 1
    assert {key: n for key, n in enactments.items() if n > 1} == {}


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def test_cli_names_and_days() -> None:
    code, out, _ = _run("show", "国家互联网信息办公室", "--on", "2012-01-01")
    assert code == 0
    assert out.startswith("id: siio\n")
    code, _, err = _run("show", "国家互联网信息办公室")
    assert code == 1
    assert "siio (agency, 2011-05 to 2014); cac (agency, from 2014)" in err
    code, out, _ = _run("list", "events", "--country", "US", "--target-country", "CN", "--since", "2019", "--until", "2019")
    assert code == 0
    assert "2019-05-16-us-doc-huawei-entity-list" in out
    assert "US -> CN" in out
    code, out, _ = _run("timeline", "--regulation", "网络安全审查办法", "--kind", "review", "--kind", "fine")
    kinds = {line.split()[1] for line in out.splitlines()[2:]}
    assert code == 0
    assert kinds == {"review", "fine"}
    code, _, err = _run("list", "agencies", "--since", "2014")
    assert code == 2
    assert "does not filter by --since" in err


def test_example_profiles_ship_with_the_package(capsys: pytest.CaptureFixture[str]) -> None:
    from cnpolicy.profile import Profile, example_path, example_profiles

    assert {"platform-operator", "cloud-provider", "small-exporter"} <= set(example_profiles())
    code, out, _ = _run("example-profile")
    assert code == 0
    assert "example:cloud-provider" in out.split()
    code, out, _ = _run("example-profile", "small-exporter")
    assert code == 0
    assert out == example_path("small-exporter").read_text(encoding="utf-8")
    code, out, _ = _run("obligations", "--profile", "example:cloud-provider", "--on", "2026-03-01")
    assert code == 0
    assert out.startswith("On 2026-03-01: ")
    code, _, _ = _run("obligations", "--profile", "example:nope")
    assert code == 2
    assert "example:platform-operator" in capsys.readouterr().err
    assert Profile.example("cloud-provider").facts["cloud_or_idc_service_provider"] is True


def test_search_puts_what_the_resolver_finds_first(bundled: cnpolicy.Dataset) -> None:
    assert [(m.id, m.score) for m in bundled.search("主席令第53号")][:1] == [("csl", 1.0)]
    editions = [m.id for m in bundled.search("GB/T 35273") if m.score == 1.0]
    assert editions[:2] == ["gb-t-35273-2020", "gb-t-35273-2017"]  # the current edition first
    assert bundled.search("工信部")[0].id == "miit"
