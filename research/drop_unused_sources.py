"""Drop sources no record cites (run from the repository root after a merge)."""

from __future__ import annotations

import re
from pathlib import Path

import cnpolicy

ds = cnpolicy.load(cache=False)
cited = {s for r in ds.regulations.values() for s in r.sources}
cited |= {s for r in ds.regulations.values() for a in r.amendments for s in a.sources}
cited |= {s for o in ds.obligations.values() for s in o.sources}
cited |= {s for e in ds.events.values() for s in e.sources} | {s for a in ds.agencies.values() for s in a.sources}
unused = set(ds.sources) - cited
path = Path("data/sources.yaml")
parts = re.split(r"(?m)^(?=- id: )", path.read_text())
kept = [p for p in parts if not (m := re.match(r"- id: (\S+)\n", p)) or m.group(1) not in unused]
path.write_text("".join(kept))
print(f"dropped {len(parts) - len(kept)} unused sources: {sorted(unused)}")
