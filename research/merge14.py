"""Merge #14 research records (/work/research/<name>.yaml) into data/ (run from the repository root).

Sources: a URL already recorded maps to the existing id; a source only `cited_by` another, or
without a URL, is not cited; copies are never typed official_text. Records left with no source
are dropped and reported. Facts keep only the fields FactSpec has. Prints what it did.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

DATA = Path("data")
SOURCE_KEYS = ("id", "title", "publisher", "date", "url", "language", "kind", "last_checked", "copy", "document", "read", "notes")
FACT_KEYS = ("name", "type", "description", "values", "unit", "minimum", "maximum", "implies", "defined_by")


def plain(value: object) -> object:
    """Dates as ISO text (our loader reads dates as quoted strings)."""
    import datetime as dt

    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def dump(value: object) -> str:
    return yaml.safe_dump(plain(value), allow_unicode=True, sort_keys=False, width=110)


def take_source(source: dict, by_url: dict[str, str], ids: set[str], added: list[dict]) -> str | None:
    """The id a research source is cited by: an existing one (same id or URL), a new one (cleaned
    and appended to ``added``), or None when it is not cited (only `cited_by`, or no URL)."""
    if "existing" in source and "id" not in source:
        return source["existing"]
    key, url = source["id"], source.get("url")
    if url in by_url:
        return by_url[url]
    if not url or source.get("read") == "cited_by":
        return None
    final = key
    while final in ids:
        final += "-b"
    clean = {k: source[k] for k in SOURCE_KEYS if source.get(k) is not None}
    clean["id"] = final
    if "date" in clean:
        clean["date"] = str(clean["date"])
    clean.setdefault("last_checked", "2026-12-01")
    if clean.get("copy") and clean.get("kind") == "official_text":
        clean["kind"] = "other"
    if clean.get("language") not in ("en", "zh"):
        clean["language"] = "en"
    added.append(clean)
    ids.add(final)
    by_url[url] = final
    return final


def main(names: list[str]) -> None:
    sources = yaml.safe_load((DATA / "sources.yaml").read_text())
    by_url = {s["url"]: s["id"] for s in sources if s.get("url")}
    known_ids = {s["id"] for s in sources}
    facts = {f["name"] for f in yaml.safe_load((DATA / "facts.yaml").read_text())}
    agencies = {a["id"] for a in yaml.safe_load((DATA / "agencies.yaml").read_text())}
    regulations = {p.stem for p in (DATA / "regulations").glob("*.yaml")}
    events_known = set()
    for path in (DATA / "events").glob("*.yaml"):
        events_known |= {e["id"] for e in yaml.safe_load(path.read_text()) or []}
    new_sources: list[dict] = []
    new_facts: list[dict] = []
    new_agencies: list[dict] = []
    for name in names:
        record = yaml.safe_load(Path(f"/work/research/{name}.yaml").read_text())
        mapping: dict[str, str | None] = {}
        for source in record.get("sources") or []:
            key = source.get("id") or source["existing"]
            mapping[key] = take_source(source, by_url, known_ids, new_sources)

        def cite(ids: list[str], where: str) -> list[str]:
            out = []
            for key in ids or []:
                target = mapping.get(key, key if key in known_ids else None)
                if target is None:
                    print(f"  {name}: {where}: source {key!r} not cited (cited_by, no URL or unknown)")
                elif target not in out:
                    out.append(target)
            return out

        for fact in record.get("new_facts") or []:
            if fact["name"] not in facts:
                new_facts.append({k: fact[k] for k in FACT_KEYS if fact.get(k) not in (None, [], "")})
                facts.add(fact["name"])
        for agency in record.get("agencies") or []:
            if agency["id"] in agencies:
                print(f"  {name}: agency {agency['id']} exists; skipped")
                continue
            agency["sources"] = cite(agency.get("sources"), agency["id"])
            if agency["sources"]:
                new_agencies.append(agency)
                agencies.add(agency["id"])
        for regulation in record.get("regulations") or []:
            key = regulation["id"]
            if key in regulations:
                print(f"  {name}: regulation {key} exists; skipped")
                continue
            regulation["sources"] = cite(regulation.get("sources"), key)
            for amendment in regulation.get("amendments") or []:
                amendment["sources"] = cite(amendment.get("sources"), f"{key} amendment") or regulation["sources"][:1]
            kept = []
            for obligation in regulation.get("obligations") or []:
                obligation["sources"] = cite(obligation.get("sources"), obligation["id"])
                if obligation["sources"]:
                    kept.append(obligation)
                else:
                    print(f"  {name}: obligation {obligation['id']} dropped: no source left")
            if "obligations" in regulation:
                regulation["obligations"] = kept
            if not regulation["sources"]:
                print(f"  {name}: regulation {key} dropped: no source left")
                continue
            (DATA / "regulations" / f"{key}.yaml").write_text(dump(regulation))
            regulations.add(key)
        for event in record.get("events") or []:
            if event["id"] in events_known:
                print(f"  {name}: event {event['id']} exists; skipped")
                continue
            event["sources"] = cite(event.get("sources"), event["id"])
            if not event["sources"]:
                print(f"  {name}: event {event['id']} dropped: no source left")
                continue
            year = str(event["date"])[:4]
            path = DATA / "events" / f"{year}.yaml"
            text = path.read_text() if path.exists() else ""
            path.write_text(text + ("" if not text or text.endswith("\n") else "\n") + dump([event]))
            events_known.add(event["id"])
        print(f"{name}: merged")
    if new_sources:
        with (DATA / "sources.yaml").open("a") as out:
            out.write(dump(new_sources))
    if new_facts:
        with (DATA / "facts.yaml").open("a") as out:
            out.write(dump(new_facts))
    if new_agencies:
        with (DATA / "agencies.yaml").open("a") as out:
            out.write(dump(new_agencies))
    print(f"{len(new_sources)} sources, {len(new_facts)} facts, {len(new_agencies)} agencies added")


if __name__ == "__main__":
    main(sys.argv[1:])
