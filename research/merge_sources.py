"""Add the sources found by the copy-only helpers (/work/research/sources_*.yaml) to their records."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from merge14 import DATA, SOURCE_KEYS, dump  # noqa: E402


def main(names: list[str]) -> None:
    path = DATA / "sources.yaml"
    existing = yaml.safe_load(path.read_text())
    by_url = {s["url"]: s["id"] for s in existing if s.get("url")}
    ids = {s["id"] for s in existing}
    added = []
    for name in names:
        for entry in yaml.safe_load(Path(f"/work/research/{name}.yaml").read_text()) or []:
            file = DATA / "regulations" / f"{entry['record']}.yaml"
            regulation = yaml.safe_load(file.read_text())
            for source in entry.get("sources") or []:
                if not source.get("url") or source.get("read") == "cited_by":
                    continue
                key = by_url.get(source["url"])
                if key is None:
                    key = source["id"]
                    while key in ids:
                        key += "-b"
                    clean = {k: source[k] for k in SOURCE_KEYS if source.get(k) is not None}
                    clean["id"] = key
                    if "date" in clean:
                        clean["date"] = str(clean["date"])
                    clean.setdefault("last_checked", "2026-12-01")
                    if clean.get("copy") and clean.get("kind") == "official_text":
                        clean["kind"] = "other"
                    if clean.get("language") not in ("en", "zh"):
                        clean["language"] = "en"
                    added.append(clean)
                    ids.add(key)
                    by_url[source["url"]] = key
                if key not in regulation["sources"]:
                    regulation["sources"].append(key)
            if entry.get("zh_title"):
                regulation["title"]["zh"] = entry["zh_title"]
            if entry.get("date_check"):
                note = f"Sources re-checked (2026-12-01): {' '.join(str(entry['date_check']).split())}"
                regulation["notes"] = f"{regulation['notes']} {note}" if regulation.get("notes") else note
            file.write_text(dump(regulation))
            print(f"{name}: {entry['record']}: {len(entry.get('sources') or [])} sources")
    with path.open("a") as out:
        out.write(dump(added))
    print(f"{len(added)} sources added")


if __name__ == "__main__":
    main(sys.argv[1:])
