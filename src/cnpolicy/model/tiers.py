"""How far to trust a source: official, reputable secondary, or copy, by rules kept in one place.

The rules read the source's own record: a third-party copy (``copy: true``) is a copy whatever its
site; a government domain is official; recognised translators, law firms, think tanks and
established news media are reputable; every other site (mirrors, reposting and SEO sites, forums,
wikis, community copies on GitHub, URL proxies, sites we could not vet) counts as a copy. A source
typed ``official_text`` must be on an official domain and not a copy (a load check).
"""

from __future__ import annotations

import enum
import functools

__all__ = ["Tier", "tier_of_url"]


class Tier(enum.Enum):
    """How far a source can be relied on, best first."""

    OFFICIAL = "official"
    REPUTABLE = "reputable"
    COPY = "copy"

    @property
    def rank(self) -> int:
        """0 for official, 1 for reputable, 2 for copy: sort by it to cite the best first."""
        return _RANKS[self]


_RANKS = {tier: rank for rank, tier in enumerate(Tier)}

#: Government domains, matched as suffixes of the host: the issuers' own publications.
OFFICIAL_SUFFIXES = (
    ".gov",
    ".mil",
    "bund.de",
    "bundesregierung.de",
    "bundestag.de",
    "canada.ca",
    "cert.org.cn",
    "china-consulate.org",
    "china-embassy.org",
    "china-un.org",
    "europa.eu",
    "gc.ca",
    "go.jp",
    "gov.au",
    "gov.cn",
    "gov.in",
    "gov.uk",
    "government.nl",
    "nic.in",
    "officielebekendmakingen.nl",
    "rijksoverheid.nl",
    "tc260.org.cn",
)

#: Domains of reputable secondary sources, by the registered domain (or the whole host).
REPUTABLE_DOMAINS = frozenset(
    (
        # recognised translation/analysis
        "chinacopyrightandmedia.wordpress.com",
        "chinajusticeobserver.com",
        "chinalawandpractice.com",
        "chinalawtranslate.com",
        "digichina.stanford.edu",
        "lexiscn.com",
        "npcobserver.com",
        # law firm / legal publisher
        "china-briefing.com",
        "en.pkulaw.cn",
        "linklaters.com",
        "pkulaw.com",
        "allbrightlaw.com",
        "allenandgledhill.com",
        "aoshearman.com",
        "chinalawinsight.com",
        "chonglilaw.com",
        "dahuilawyers.com",
        "dandreapartners.com",
        "dataguidance.com",
        "davispolk.com",
        "dlapiper.com",
        "dwt.com",
        "east-concord.com",
        "eversheds-sutherland.com",
        "faegredrinkerondata.com",
        "gaopenglaw.com",
        "glo.com.cn",
        "globalcompliancenews.com",
        "globaltradeandsanctionslaw.com",
        "governmentcontractslawblog.com",
        "hankunlaw.com",
        "hoganlovells.com",
        "huiyelaw.com",
        "huntonak.com",
        "huntonprivacyblog.com",
        "huntonretailindustryblog.com",
        "iapp.org",
        "icourt.cc",
        "insidegovernmentcontracts.com",
        "jdsupra.com",
        "jingtian.com",
        "junhe.com",
        "keglerbrown.com",
        "kpmg.com",
        "kw-legal.com",
        "kwm.com",
        "lawinfochina.com",
        "leetsai.com",
        "lehmanlaw.com",
        "lexblog.com",
        "lexology.com",
        "li-partners.com",
        "magnolia-platform.com",
        "mondaq.com",
        "mwe.com",
        "natlawreview.com",
        "perkinsonprivacy.com",
        "privacylaws.com",
        "pwccn.com",
        "rajahtann.com",
        "rajahtannasia.com",
        "reedsmith.com",
        "shndlaw.com",
        "steptoeinternationalcomplianceblog.com",
        "tagalliances.com",
        "tahota.com",
        "technologylawdispatch.com",
        "thompsonhinesmartrade.com",
        "twobirds.com",
        "ustrademonitor.com",
        "watsonband.com",
        "we-ipr.com",
        "wiley.law",
        "wileyconnect.com",
        "worldservicesgroup.com",
        # think tank / association / academic
        "acec.org",
        "aip.org",
        "ansi.org",
        "camdi.org",
        "chinascope.org",
        "dig.watch",
        "digitalpolicyalert.org",
        "epfl.ch",
        "fas.org",
        "gwu.edu",
        "itechlaw.org",
        "itic.org",
        "netinfo-security.org",
        "privacyinternational.org",
        "sesec.eu",
        "uschina.org",
        "uscib.org",
        "usito.org",
        # reference work
        "americanheritage.com",
        "bva.org",
        "ebsco.com",
        "feri.org",
        "livingnewdeal.org",
        "papersofabrahamlincoln.org",
        "snaccooperative.org",
        # news (international)
        "aimgroup.com",
        "aljazeera.com",
        "americanmilitarynews.com",
        "bbc.co.uk",
        "bbc.com",
        "bloomberg.com",
        "businessinsider.com",
        "businesslive.co.za",
        "channelnewsasia.com",
        "chicagotribune.com",
        "chinabankingnews.com",
        "chinaeconomicreview.com",
        "cleveland.com",
        "defensedaily.com",
        "devdiscourse.com",
        "fcw.com",
        "fortune.com",
        "ft.com",
        "globalpost.com",
        "inform.kz",
        "japantimes.co.jp",
        "legit.ng",
        "localnews8.com",
        "marbridgeconsulting.com",
        "moneycontrol.com",
        "mypaper.sg",
        "nasdaq.com",
        "networkworld.com",
        "nippon.com",
        "nytimes.com",
        "panarmenian.net",
        "phys.org",
        "politico.com",
        "prothomalo.com",
        "publicradioeast.org",
        "reuters.com",
        "scmp.com",
        "seekingalpha.com",
        "straitstimes.com",
        "syncedreview.com",
        "tech360.tv",
        "techlawjournal.com",
        "technode.com",
        "techradar.com",
        "telecomasia.net",
        "theage.com.au",
        "theepochtimes.com",
        "theguardian.com",
        "thehill.com",
        "themessenger.com",
        "theregister.com",
        "thestatesman.com",
        "tradelawdaily.com",
        "weirtondailytimes.com",
        "wsj.com",
        "wuwm.com",
        "yahoo.com",
        "zinioapps.com",
        # news (Chinese / state media, reputable as news)
        "1905.com",
        "bbtnews.com.cn",
        "bjreview.com.cn",
        "caixin.com",
        "cctime.com",
        "cctv.com",
        "china-sd.com",
        "china.com",
        "china.org.cn",
        "chinadaily.com.cn",
        "chinagate.cn",
        "chinanews.com",
        "chinanews.com.cn",
        "cnr.cn",
        "cri.cn",
        "crntt.com",
        "eeo.com.cn",
        "etnet.com.hk",
        "fjsen.com",
        "globaltimes.cn",
        "gmw.cn",
        "hebei.com.cn",
        "hexun.com",
        "news.cn",
        "on.cc",
        "people.cn",
        "people.com.cn",
        "qianlong.com",
        "qzwb.com",
        "scol.com.cn",
        "secrss.com",
        "shine.cn",
        "thepaper.cn",
        "xinhuanet.com",
        "zjol.com.cn",
    )
)

#: Public suffixes of two labels, so that ``www.npc.gov.cn`` registers as ``npc.gov.cn``.
_TWO_LABEL_SUFFIXES = (
    "blogspot.com",
    "co.uk",
    "co.za",
    "com.au",
    "com.cn",
    "com.hk",
    "edu.cn",
    "gov.cn",
    "net.cn",
    "org.cn",
    "stanford.edu",
    "wordpress.com",
)


def _registered_domain(host: str) -> str:
    parts = host.split(".")
    for suffix in ("chinacopyrightandmedia.wordpress.com", "digichina.stanford.edu"):
        if host.endswith(suffix):
            return suffix
    if len(parts) >= 3 and ".".join(parts[-2:]) in _TWO_LABEL_SUFFIXES:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def _official_host(host: str) -> bool:
    if ".gov.cn." in host:  # a proxy presenting a government domain inside another one (en.npc.gov.cn.cdurl.cn)
        return False
    return host in _OFFICIAL_HOSTS or host.endswith(_OFFICIAL_ENDINGS)


#: `OFFICIAL_SUFFIXES` as whole hosts and as endings (``gov.cn`` and ``.gov.cn``), for one C-level test each.
_OFFICIAL_HOSTS = frozenset(suffix.lstrip(".") for suffix in OFFICIAL_SUFFIXES)
_OFFICIAL_ENDINGS = tuple("." + suffix.lstrip(".") for suffix in OFFICIAL_SUFFIXES)


@functools.lru_cache(maxsize=4096)
def url_host(url: str) -> str | None:
    """The host of an http(s) URL, lower-case, or None when the text is not a URL with a host."""
    from urllib.parse import urlsplit

    try:
        host = urlsplit(url).hostname
    except ValueError:  # e.g. an unclosed "[" in the host ("Invalid IPv6 URL")
        return None
    return host.rstrip(".").lower() if host else None


def tier_of_url(url: str | None, *, copy: bool = False) -> Tier:
    """The tier of a source at ``url`` (None: a seed document, known by its publisher; reputable)."""
    if copy:
        return Tier.COPY
    if url is None:
        return Tier.REPUTABLE
    host = url_host(url)
    if host is None:  # not a URL anyone can open: nothing vouches for it
        return Tier.COPY
    if _official_host(host):
        return Tier.OFFICIAL
    if host in REPUTABLE_DOMAINS or _registered_domain(host) in REPUTABLE_DOMAINS:
        return Tier.REPUTABLE
    return Tier.COPY
