"""Add the sources found by the copy-only helpers (/work/research/sources_*.yaml) to their records."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from merge14 import DATA, dump, take_source  # noqa: E402


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
                key = take_source(source, by_url, ids, added)
                if key is None:
                    continue
                if key not in regulation["sources"]:
                    regulation["sources"].append(key)
            if entry.get("zh_title"):
                regulation["title"]["zh"] = entry["zh_title"]
            if entry.get("date_check"):
                note = f"Sources re-checked (2026-12-01): {' '.join(str(entry['date_check']).split())}"
                regulation["notes"] = f"{regulation['notes']} {note}" if regulation.get("notes") else note
            file.write_text(dump(regulation))
            print(f"{name}: {entry['record']}: {len(entry.get('sources') or [])} sources")
    if added:
        with path.open("a") as out:
            out.write(dump(added))
    print(f"{len(added)} sources added")


if __name__ == "__main__":
    main(sys.argv[1:])
