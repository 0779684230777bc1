"""How long a failing property over generated datasets takes to shrink to its minimal example.

    python benchmarks/shrink.py                 # seeds 1-7, without the explain phase
    python benchmarks/shrink.py --explain 1 2 3 # with Hypothesis's default phases

The property fails when a dataset holds three or more obligations (``max_examples=200``). Prints
the time and the number of test calls for each seed; docs/property-testing.md holds the latest.
"""

from __future__ import annotations

import argparse
import time

import hypothesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import cnpolicy


def time_to_minimal(seed: int, *, explain: bool) -> tuple[float, int]:
    calls = 0
    phases = list(Phase) if explain else [Phase.generate, Phase.shrink]

    @settings(max_examples=200, phases=phases, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.from_type(cnpolicy.Dataset))
    def fails_with_three_obligations(ds: cnpolicy.Dataset) -> None:
        nonlocal calls
        calls += 1
        assert len(ds.obligations) < 3

    started = time.perf_counter()
    try:
        hypothesis.seed(seed)(fails_with_three_obligations)()
    except AssertionError:
        pass
    else:  # pragma: no cover - the property always fails within 200 examples
        raise SystemExit(f"seed {seed}: no failing example found")
    return time.perf_counter() - started, calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("seeds", nargs="*", type=int, default=list(range(1, 8)))
    parser.add_argument("--explain", action="store_true", help="keep Hypothesis's explain phase (its default)")
    args = parser.parse_args()
    for seed in args.seeds:
        seconds, calls = time_to_minimal(seed, explain=args.explain)
        print(f"seed {seed}: {seconds:.1f} s to the minimal example, {calls} calls")


if __name__ == "__main__":
    main()
