"""The naive obligation scan: the plain reading of the engine's rules, the oracle the index is tested against.

Not shipped: `cnpolicy.engine.ObligationIndex` is the library's only ``obligations_for``. The
benchmarks use this scan as the baseline the index must beat.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from cnpolicy import Profile, Verdict
from cnpolicy.engine import Applicability, applicability, cite, place_key, verdict_rank
from cnpolicy.model import Regulation, Source


def naive_obligations_for(
    regulations: Iterable[Regulation],
    sources: Mapping[str, Source],
    profile: Profile,
    on: dt.date,
    *,
    include_not_applicable: bool = False,
) -> list[Applicability]:
    """Every obligation in force (or possibly in force) on the day that applies or may apply, evaluated one by one."""
    results = []
    for regulation in regulations:
        if regulation.in_force(on) is False:
            continue
        for obligation in regulation.obligations:
            item = applicability(obligation, regulation, profile, on, cite(obligation, regulation, sources))
            if item.in_force is False:
                continue
            if item.verdict is Verdict.DOES_NOT_APPLY and not include_not_applicable:
                continue
            results.append(item)
    results.sort(key=lambda item: (verdict_rank(item.verdict), *place_key(item.obligation, item.regulation)))
    return results
