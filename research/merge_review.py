"""Apply review records (/work/research/review_*.yaml, agencies_time.yaml) to data/ (run from the repository root).

Obligation patches replace the keys given (`applies_if: null` removes the condition), `sources_add`
appends; new obligations are appended to their regulation; regulation patches set fields,
`notes_add` appends to the notes; agency patches likewise; sources go through the same rules as
merge14.py (a known URL maps to the existing id, `cited_by` and URL-less sources are not cited).
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from merge14 import DATA, FACT_KEYS, dump, take_source  # noqa: E402

OBLIGATION_KEYS = ("reviewed", "articles", "applies_if", "condition_complete", "caveats", "deadline", "penalty", "action", "duty_bearer", "valid", "topics", "modality", "notes")
REGULATION_KEYS = ("notes", "document_number", "adopted", "promulgated", "published", "effective", "repealed", "imposes_no_duties", "title", "aliases")
AGENCY_KEYS = ("established", "dissolved", "predecessors", "successors", "parent", "name", "level", "jurisdiction")


def main(names: list[str]) -> None:
    path = DATA / "sources.yaml"
    existing = yaml.safe_load(path.read_text())
    by_url = {s["url"]: s["id"] for s in existing if s.get("url")}
    ids = {s["id"] for s in existing}
    added: list[dict] = []
    files = {p.stem: p for p in (DATA / "regulations").glob("*.yaml")}
    loaded: dict[str, dict] = {}
    facts = yaml.safe_load((DATA / "facts.yaml").read_text())
    fact_names = {f["name"] for f in facts}
    new_facts: list[dict] = []
    agencies = yaml.safe_load((DATA / "agencies.yaml").read_text())
    agency_by_id = {a["id"]: a for a in agencies}

    def regulation(key: str) -> dict:
        if key not in loaded:
            loaded[key] = yaml.safe_load(files[key].read_text())
        return loaded[key]

    def owner(obligation_id: str) -> str:
        return max((k for k in files if obligation_id.startswith(k + ".")), key=len)

    for name in names:
        record = yaml.safe_load(Path(f"/work/research/{name}.yaml").read_text())
        mapping: dict[str, str | None] = {}
        for source in record.get("sources") or []:
            key = source.get("id") or source["existing"]
            mapping[key] = take_source(source, by_url, ids, added)

        def cite(keys: list[str] | None) -> list[str]:
            out = []
            for key in keys or []:
                target = mapping.get(key, key if key in ids else None)
                if target is None:
                    print(f"  {name}: source {key!r} not cited")
                elif target not in out:
                    out.append(target)
            return out

        for fact in record.get("new_facts") or []:
            if fact["name"] not in fact_names:
                new_facts.append({k: fact[k] for k in FACT_KEYS if fact.get(k) not in (None, [], "")})
                fact_names.add(fact["name"])
        for patch in record.get("patches") or []:
            key = patch["id"]
            if key in agency_by_id:  # an agency patch
                agency = agency_by_id[key]
                for field in AGENCY_KEYS:
                    if field in patch:
                        agency[field] = patch[field]
                extra = [a for a in patch.get("abbreviations_add") or [] if a not in agency.get("abbreviations", [])]
                if extra:
                    agency["abbreviations"] = [*agency.get("abbreviations", []), *extra]
                agency["sources"] = [*agency["sources"], *[s for s in cite(patch.get("sources_add")) if s not in agency["sources"]]]
                if patch.get("notes_add"):
                    agency["notes"] = f"{agency.get('notes') or ''} {patch['notes_add']}".strip()
                continue
            reg = regulation(owner(key))
            target = next((o for o in reg.get("obligations") or [] if o["id"] == key), None)
            if target is None:
                print(f"  {name}: no obligation {key!r}; patch skipped")
                continue
            for field in OBLIGATION_KEYS:
                if field in patch:
                    if patch[field] is None:
                        target.pop(field, None)
                    else:
                        target[field] = patch[field]
            target["sources"] = [*target["sources"], *[s for s in cite(patch.get("sources_add")) if s not in target["sources"]]]
            if patch.get("notes_add"):
                target["notes"] = f"{target.get('notes') or ''} {patch['notes_add']}".strip()
        for obligation in record.get("new_obligations") or []:
            key = obligation.pop("regulation", None) or owner(obligation["id"])
            obligation["sources"] = cite(obligation.get("sources"))
            if not obligation["sources"]:
                print(f"  {name}: new obligation {obligation['id']} dropped: no source")
                continue
            reg = regulation(key)
            if any(o["id"] == obligation["id"] for o in reg.get("obligations") or []):
                print(f"  {name}: obligation {obligation['id']} exists; skipped")
                continue
            reg.setdefault("obligations", []).append(obligation)
        for patch in record.get("regulation_patches") or []:
            reg = regulation(patch["id"])
            for field in REGULATION_KEYS:
                if field in patch:
                    reg[field] = patch[field]
            if patch.get("notes_add"):
                reg["notes"] = f"{reg.get('notes') or ''} {patch['notes_add']}".strip()
            reg["sources"] = [*reg["sources"], *[s for s in cite(patch.get("sources_add")) if s not in reg["sources"]]]
        for agency in record.get("new_agencies") or []:
            if agency["id"] not in agency_by_id:
                agency["sources"] = cite(agency.get("sources"))
                agencies.append(agency)
                agency_by_id[agency["id"]] = agency
        print(f"{name}: merged")
    for key, reg in loaded.items():
        files[key].write_text(dump(reg))
    if added:
        with path.open("a") as out:
            out.write(dump(added))
    if new_facts:
        with (DATA / "facts.yaml").open("a") as out:
            out.write(dump(new_facts))
    (DATA / "agencies.yaml").write_text(dump(agencies))
    print(f"{len(added)} sources, {len(new_facts)} facts; {len(loaded)} regulation files rewritten")


if __name__ == "__main__":
    main(sys.argv[1:])
