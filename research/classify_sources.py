#!/usr/bin/env python3
"""Classify every source in cnpolicy's data/sources.yaml by the domain of its URL.

Tiers
  official   - a government domain (gov.cn and its subdomains, npc.gov.cn, cac.gov.cn, miit.gov.cn,
               *.gov, *.mil, europa.eu, gov.uk, go.jp, PRC embassies/consulates, TC260, CNCERT).
  secondary  - reputable secondary: recognised translators (DigiChina, China Law Translate, NPC Observer,
               China Copyright and Media, LexisChina, China Law & Practice), law firms and law-firm
               publishing platforms (Mondaq, Lexology, JD Supra), think tanks / trade associations,
               established news media (including Chinese state media, reputable as news), reference works.
  copy       - mirrors, reprints on unrelated domains, SEO/content farms, forums, encyclopedias and wikis,
               GitHub copies, personal blogs, URL proxies, standards-catalogue / vendor sites, and
               sites we could not identify as reputable (the "unvetted" category).

Overrides on top of the domain:
  * kind official_text on a non-government domain -> copy (a copy of an official text is not the text).
  * a host that embeds a government domain inside another domain (e.g. en.npc.gov.cn.cdurl.cn) is a
    URL proxy -> copy.

Output: source_tiers.tsv (id, domain, tier, current kind, suspect_reason, category, cited_by_regulations)
and a report on stdout (duplicate URLs, copies typed official_text, copy-only regulations).

Usage: python3 classify_sources.py [path/to/cnpolicy/data] [out.tsv] [research sources.yaml]
With a research sources.yaml (default: sources.yaml next to this script, if present) the report
also classifies its new_sources and recomputes the copy-only regulations as if the new sources
were cited by the regulations named in their `for:` lists.
"""
import collections
import glob
import os
import re
import sys
from urllib.parse import urlparse

import yaml

DATA = sys.argv[1] if len(sys.argv) > 1 else "/work/main/data"
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "source_tiers.tsv")
NEW = sys.argv[3] if len(sys.argv) > 3 else os.path.join(HERE, "sources.yaml")

# ---- official: suffix rules -------------------------------------------------------------
OFFICIAL_SUFFIXES = [
    "gov.cn", ".gov", ".mil", "europa.eu", "gov.uk", "go.jp",
    "china-embassy.org", "china-consulate.org",   # PRC diplomatic missions
    "tc260.org.cn",                               # national cybersecurity standardisation committee (under SAC)
    "cert.org.cn",                                # CNCERT/CC
]
OFFICIAL_NOTE = {
    "rikaze.xzdw.gov.cn": "government domain, but a local party site reprinting Xinhua - not the issuer",
    "zfw.changzhou.gov.cn": "government domain, but a city political-legal committee reposting news - not the issuer",
    "www.gdnews.gov.cn": "county media-centre site on gov.cn reprinting People's Daily - not the issuer",
    "capetown.china-consulate.org": "consulate site reposting Xinhua - not the issuer",
    "wap.miit.gov.cn": "MIIT domain; page of a provincial communications administration",
}

# ---- secondary: registered domain -> category ---------------------------------------------
SECONDARY = {}
def _sec(cat, *domains):
    for d in domains:
        SECONDARY[d] = cat

_sec("recognised translation/analysis",
     "digichina.stanford.edu", "chinalawtranslate.com", "npcobserver.com",
     "chinacopyrightandmedia.wordpress.com", "lexiscn.com", "chinalawandpractice.com",
     "chinajusticeobserver.com")
_sec("law firm / legal publisher",
     "mondaq.com", "lexology.com", "jdsupra.com", "lexblog.com", "chinalawinsight.com", "kwm.com",
     "twobirds.com", "dlapiper.com", "aoshearman.com", "davispolk.com", "wiley.law",
     "huntonprivacyblog.com", "huntonretailindustryblog.com", "steptoeinternationalcomplianceblog.com",
     "governmentcontractslawblog.com", "insidegovernmentcontracts.com", "faegredrinkerondata.com",
     "perkinsonprivacy.com", "eversheds-sutherland.com", "allenandgledhill.com", "rajahtannasia.com",
     "thompsonhinesmartrade.com", "ustrademonitor.com", "hankunlaw.com", "worldservicesgroup.com",
     "leetsai.com", "glo.com.cn", "allbrightlaw.com", "tahota.com", "kw-legal.com", "gaopenglaw.com",
     "chonglilaw.com", "li-partners.com", "dahuilawyers.com", "shndlaw.com", "watsonband.com",
     "we-ipr.com", "tagalliances.com", "kpmg.com", "pwccn.com", "rajahtann.com", "dwt.com",
     "lehmanlaw.com", "technologylawdispatch.com", "icourt.cc", "magnolia-platform.com", "dataguidance.com", "iapp.org")
_sec("think tank / association / academic",
     "digitalpolicyalert.org", "sesec.eu", "uschina.org", "usito.org", "itic.org", "uscib.org",
     "acec.org", "aip.org", "fas.org", "gwu.edu", "ansi.org", "privacyinternational.org", "chinascope.org",
     "itechlaw.org", "dig.watch", "netinfo-security.org", "camdi.org", "epfl.ch")
_sec("reference work",
     "ebsco.com", "americanheritage.com", "papersofabrahamlincoln.org", "snaccooperative.org",
     "livingnewdeal.org", "feri.org", "bva.org")
_sec("news (international)",
     "reuters.com", "bloomberg.com", "nytimes.com", "ft.com", "wsj.com", "scmp.com", "bbc.com", "bbc.co.uk",
     "theguardian.com", "aljazeera.com", "straitstimes.com", "channelnewsasia.com", "politico.com",
     "thehill.com", "fortune.com", "businessinsider.com", "theregister.com", "techradar.com",
     "networkworld.com", "fcw.com", "defensedaily.com", "technode.com", "syncedreview.com",
     "tradelawdaily.com", "mypaper.sg", "thestatesman.com", "prothomalo.com", "moneycontrol.com",
     "nasdaq.com", "chicagotribune.com", "yahoo.com", "cleveland.com", "phys.org", "wuwm.com",
     "publicradioeast.org", "localnews8.com", "businesslive.co.za", "globalpost.com", "inform.kz",
     "telecomasia.net", "techlawjournal.com", "marbridgeconsulting.com", "aimgroup.com", "legit.ng",
     "seekingalpha.com", "themessenger.com", "theepochtimes.com", "tech360.tv", "americanmilitarynews.com",
     "weirtondailytimes.com", "zinioapps.com", "panarmenian.net", "devdiscourse.com", "chinaeconomicreview.com",
     "chinabankingnews.com")
_sec("news (Chinese / state media, reputable as news)",
     "xinhuanet.com", "news.cn", "people.cn", "people.com.cn", "chinadaily.com.cn", "cctv.com", "cri.cn",
     "cnr.cn", "china.org.cn", "chinagate.cn", "gmw.cn", "thepaper.cn", "globaltimes.cn", "bjreview.com.cn",
     "chinanews.com", "chinanews.com.cn", "china.com", "hebei.com.cn", "zjol.com.cn", "scol.com.cn",
     "fjsen.com", "qianlong.com", "china-sd.com", "qzwb.com", "bbtnews.com.cn", "cctime.com", "eeo.com.cn",
     "hexun.com", "crntt.com", "on.cc", "etnet.com.hk", "shine.cn", "caixin.com", "1905.com", "secrss.com")

SECONDARY_NOTE = {
    "wiki.china.org.cn": "encyclopedia section of a state news portal",
    "secrss.com": "industry media that also reposts WeChat articles",
    "www.secrss.com": "industry media that also reposts WeChat articles",
    "prod.hsf-prod.magnolia-platform.com": "law-firm page on a non-canonical CMS host",
    "www.devdiscourse.com": "aggregator republishing wire copy",
    "www.theepochtimes.com": "partisan outlet",
    "seekingalpha.com": "investor platform",
    "www.chinascope.org": "media-monitoring organisation with an editorial line",
    "chinascope.org": "media-monitoring organisation with an editorial line",
    "en.we-ipr.com": "IP agency newsletter",
    "www.icourt.cc": "legal-tech company content",
}

# ---- copy tier: known categories (everything not matched above falls to copy/unvetted) ---------
COPY_CAT = {}
def _copy(cat, *domains):
    for d in domains:
        COPY_CAT[d] = cat
_copy("GitHub copy", "github.com", "github5.com")
_copy("encyclopedia / wiki", "wikipedia.org", "wikiwand.com", "wikimili.com", "kfd.me", "movatter.jp",
      "memim.com", "baike.com", "baiducontent.com", "fandom.com", "aizhan.com", "baikeworld.com",
      "wikisource.org", "kuaisou.com")
_copy("URL proxy", "cdurl.cn")
_copy("standards catalogue / vendor", "chinesestandard.net", "chinesestandards.org", "chinesestandard.us",
      "codeofchina.com", "gb-gbt.com", "guifanku.com", "appinchina.co", "csrcare.com", "global-regulation.com",
      "chinadataregulation.com", "icpbanli.com", "007swz.com", "zpedu.com", "west.cn")
_copy("vendor / SEO content", "saidot.ai", "aryaxai.com", "centerconsulting.com", "comparativeai.org",
      "compliancert.com", "justai.in", "toolnavs.com", "zippia.com", "famousdaily.com", "legalflip.com",
      "invictusterra.com", "laitimes.com", "econotimes.com", "atozmarkets.com", "aviacaonoticias.com",
      "israelchinabusiness.com", "chinatrademonitor.com", "scholarmate.com", "123dok.com", "enread.com",
      "hxen.com", "4ll.net", "whygutenberg.com", "mychesco.com", "ballotpedia.org")
_copy("personal blog", "dirkdeklein.net", "blogspot.com", "eastisread.com")
_copy("mailing-list copy", "fsr.com")
_copy("machine-rewritten reprint", "exbulletin.com", "budrigannews.com", "am1.news", "hotmobilepress.com",
      "cyberreport.io", "comfastcdn.com", "intmul.com")
_copy("forum", "keyfc.net", "mala.cn", "cqtnw.cn", "bkbbs.net")
_copy("CDN copy", "cloudfront.net")
_copy("document-sharing / flipbook", "flipbuilder.com")
_copy("self-media repost", "163.com", "careerengine.us")

MULTI_SUFFIX = ("com.cn", "org.cn", "gov.cn", "edu.cn", "net.cn", "co.za", "com.hk", "co.uk", "stanford.edu",
                "wordpress.com", "blogspot.com")


def regdomain(host):
    parts = host.split(".")
    for suf in ("chinacopyrightandmedia.wordpress.com", "digichina.stanford.edu"):
        if host.endswith(suf):
            return suf
    if len(parts) >= 3 and ".".join(parts[-2:]) in MULTI_SUFFIX:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def is_official(host):
    if re.search(r"\.gov\.cn\.", host) or re.search(r"\.gov\.[a-z]+\.cn$", host):
        return False
    for suf in OFFICIAL_SUFFIXES:
        s = suf.lstrip(".")
        if host == s or host.endswith("." + s):
            return True
    return False


def classify(src):
    url = src.get("url")
    kind = src.get("kind")
    reasons = []
    if not url:
        # seed documents in shared/seeds/: tier by their (named) publisher
        return "", "secondary", "seed document (no URL)", ["seed document without URL; cite by title/publisher/date"]
    host = (urlparse(url).hostname or "").rstrip(".").lower()
    rd = regdomain(host)
    if re.search(r"\.gov\.cn\.", host):
        tier, cat = "copy", "URL proxy"
        reasons.append("URL proxy presenting a government domain (%s) inside a third-party domain" % host)
    elif is_official(host):
        tier, cat = "official", "government"
        if host in OFFICIAL_NOTE:
            reasons.append(OFFICIAL_NOTE[host])
        notes = (src.get("notes") or "")
        if "not opened" in notes or "saved copy" in notes or "repository" in notes:
            reasons.append("official URL but the page was not opened (read from a copy): re-verify")
    elif rd in SECONDARY or host in SECONDARY:
        tier, cat = "secondary", SECONDARY.get(host, SECONDARY.get(rd))
        if host in SECONDARY_NOTE:
            reasons.append(SECONDARY_NOTE[host])
        pub = src.get("publisher", "")
        if re.search(r"\b(via|reprint|repost|mirror|copy)\b", pub, re.I):
            reasons.append("syndicated or reposted copy of another outlet's report")
    else:
        tier = "copy"
        cat = COPY_CAT.get(rd) or COPY_CAT.get(host) or "unvetted site / mirror / reprint"
        if cat == "GitHub copy":
            reasons.append("community copy on GitHub")
        elif cat == "encyclopedia / wiki":
            reasons.append("encyclopedia or wiki, not a primary or reputable secondary source")
        else:
            reasons.append(cat)
    if kind == "official_text" and tier != "official":
        reasons.append("typed official_text on a non-government domain: a copy, not the official text")
        tier = "copy"
    return host, tier, cat, reasons


def main():
    sources = yaml.safe_load(open(os.path.join(DATA, "sources.yaml"), encoding="utf-8"))
    regs = {}
    for f in sorted(glob.glob(os.path.join(DATA, "regulations", "*.yaml"))):
        r = yaml.safe_load(open(f, encoding="utf-8"))
        regs[r["id"]] = r

    cited = collections.defaultdict(set)
    for rid, r in regs.items():
        for sid in r.get("sources") or []:
            cited[sid].add(rid)
        for a in r.get("amendments") or []:
            for sid in a.get("sources") or []:
                cited[sid].add(rid)
        for o in r.get("obligations") or []:
            for sid in o.get("sources") or []:
                cited[sid].add(rid)

    rows, tier_of = [], {}
    byurl = collections.defaultdict(list)
    for s in sources:
        host, tier, cat, reasons = classify(s)
        tier_of[s["id"]] = tier
        if s.get("url"):
            byurl[s["url"]].append(s["id"])
        rows.append((s["id"], host, tier, s.get("kind", ""), "; ".join(reasons), cat,
                     ",".join(sorted(cited.get(s["id"], ())))))
    dups = [(v, u) for u, v in byurl.items() if len(v) > 1]
    for ids, u in dups:
        for r_i, r in enumerate(rows):
            if r[0] in ids:
                other = [i for i in ids if i != r[0]]
                rows[r_i] = r[:4] + ((r[4] + "; " if r[4] else "") + "same URL as " + ",".join(other),) + r[5:]

    with open(OUT, "w", encoding="utf-8") as fh:
        fh.write("id\tdomain\ttier\tcurrent_kind\tsuspect_reason\tcategory\tcited_by_regulations\n")
        for r in rows:
            fh.write("\t".join(x.replace("\t", " ") for x in r) + "\n")

    print("sources:", len(sources))
    print("by tier:", dict(collections.Counter(tier_of.values())))
    print("\nduplicate URLs (%d):" % len(dups))
    for ids, u in dups:
        print("  ", ids, u)
    otc = [r[0] for r in rows if r[3] == "official_text" and r[2] != "official"]
    print("\nofficial_text on non-government domains (%d):" % len(otc))
    for i in otc:
        print("  ", i)

    print("\nregulations:")
    copy_only = []
    for rid, r in regs.items():
        top = r.get("sources") or []
        allsrc = set(top)
        for a in r.get("amendments") or []:
            allsrc |= set(a.get("sources") or [])
        obl = r.get("obligations") or []
        for o in obl:
            allsrc |= set(o.get("sources") or [])
        top_tiers = collections.Counter(tier_of.get(x, "?") for x in top)
        only_copy_top = all(tier_of.get(x) == "copy" for x in top)
        has_official = any(tier_of.get(x) == "official" for x in allsrc)
        obl_copy_only = [o["id"] for o in obl if all(tier_of.get(x) == "copy" for x in (o.get("sources") or []))]
        if only_copy_top:
            copy_only.append(rid)
        print("  %-55s top=%s copy_only=%s any_official=%s obligations_copy_only=%d/%d" % (
            rid, dict(top_tiers), only_copy_top, has_official, len(obl_copy_only), len(obl)))
    print("\ncopy-only regulations (%d): %s" % (len(copy_only), copy_only))
    tot = sum(len(r.get("obligations") or []) for r in regs.values())
    oc = sum(1 for r in regs.values() for o in (r.get("obligations") or [])
             if all(tier_of.get(x) == "copy" for x in (o.get("sources") or [])))
    print("obligations resting only on copies: %d of %d" % (oc, tot))

    if os.path.exists(NEW):
        res = yaml.safe_load(open(NEW, encoding="utf-8")) or {}
        extra = collections.defaultdict(set)
        print("\nnew sources in %s:" % NEW)
        for ns in res.get("new_sources") or []:
            sid = ns.get("id") or ns.get("existing")
            if ns.get("existing"):
                tier = tier_of.get(sid, "?")
            else:
                _, tier, _, reasons = classify(ns)
                if ns.get("copy"):
                    tier = "copy"
                tier_of[sid] = tier
            regs_for = [f for f in (ns.get("for") or []) if f in regs]
            print("   %-58s %-9s for=%s" % (sid, tier, ",".join(regs_for)))
            for f in regs_for:
                extra[f].add(sid)
        after = [rid for rid, r in regs.items()
                 if all(tier_of.get(x) == "copy" for x in list(r.get("sources") or []) + sorted(extra.get(rid, ())))]
        print("\ncopy-only regulations after adding new sources (%d): %s" % (len(after), after))


if __name__ == "__main__":
    main()
