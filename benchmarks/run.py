"""cnpolicy benchmarks: each result is a ratio against a baseline measured in the same run.

    python benchmarks/run.py            # all benchmarks (a few minutes on 2 cores)
    python benchmarks/run.py --quick    # fewer repetitions and no 100k-obligation step

Needs cnpolicy installed (``pip install -e .``); the pycountry comparison needs ``pip install pycountry``
(skipped otherwise). Prints a Markdown table; docs/performance.md holds the latest results.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

import cnpolicy
from cnpolicy.applicability import obligations_for as naive_obligations_for
from cnpolicy.io.converter import structure
from cnpolicy.model import Regulation

ROWS: list[tuple[str, str, str, str]] = []


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def subprocess_time(code: str, repeat: int, env: dict[str, str] | None = None) -> float:
    def run() -> None:
        subprocess.run([sys.executable, "-c", code], check=True, env=env)

    return median_time(run, repeat)


def record(name: str, value: float, baseline_name: str, baseline: float, target: str) -> None:
    ratio = value / baseline if baseline else float("inf")
    ROWS.append((name, f"{value * 1000:.1f} ms", f"{ratio:.2f}x {baseline_name} ({baseline * 1000:.1f} ms)", target))


def bench_import(repeat: int) -> None:
    bare = subprocess_time("pass", repeat)
    attrs_time = subprocess_time("import attrs", repeat) - bare
    ours = subprocess_time("import cnpolicy", repeat) - bare
    record("import cnpolicy (above bare startup)", ours, "import attrs", attrs_time, "<= 1.2x")
    cold = subprocess_time("import cnpolicy; cnpolicy.load().lookup('PIPL')", repeat)
    try:
        import pycountry  # noqa: F401
    except ImportError:
        ROWS.append(("cold import + load + lookup('PIPL')", f"{cold * 1000:.1f} ms", "pycountry not installed", "<= 1.0x"))
        return
    theirs = subprocess_time("import pycountry; pycountry.countries.lookup('China')", repeat)
    record("cold import + load + lookup('PIPL')", cold, "pycountry lookup('China')", theirs, "<= 1.0x")


def make_user_folder(root: Path, count: int) -> None:
    """A user folder of ``count`` regulations, cloned from the bundled ones under new ids."""
    bundled = cnpolicy.load()
    plain = bundled.to_records()
    for kind in ("facts", "agencies", "sources"):
        (root / f"{kind}.yaml").write_text(yaml.safe_dump(plain[kind], allow_unicode=True, sort_keys=False))
    (root / "regulations").mkdir()
    templates = [r for r in plain["regulations"] if not r.get("relations")]
    for index in range(count):
        data = json.loads(json.dumps(templates[index % len(templates)]))
        new_id = f"gen-{index:05d}"
        data["id"] = new_id
        for obligation in data.get("obligations", []):
            obligation.pop("regulation", None)
            obligation["id"] = new_id + obligation["id"][obligation["id"].index(".") :]
        dumper = yaml.SafeDumper
        dumper.ignore_aliases = lambda self, data: True  # type: ignore[method-assign]
        (root / "regulations" / f"{new_id}.yaml").write_text(yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False))


def bench_user_folder(repeat: int, count: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="cnpolicy-bench-"))
    os.environ["CNPOLICY_CACHE_DIR"] = str(tmp / "cache")
    root = tmp / "data"
    root.mkdir()
    make_user_folder(root, count)
    files = sorted(root.rglob("*.yaml"))
    size = sum(f.stat().st_size for f in files)
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def bare_parse() -> None:
        for f in files:
            yaml.load(f.read_bytes(), Loader=loader)

    parse = median_time(bare_parse, repeat)

    def first_load() -> None:
        shutil.rmtree(tmp / "cache", ignore_errors=True)
        cnpolicy.load(root, bundled=False)

    first = median_time(first_load, repeat)
    record(f"load {count} regulations ({size / 1e6:.1f} MB), first", first, "bare CSafeLoader parse", parse, "<= 1.2x")
    cnpolicy.load(root, bundled=False)
    warm = median_time(lambda: cnpolicy.load(root, bundled=False), repeat)
    records = cnpolicy.load(root, bundled=False).to_records()
    text = json.dumps(records["regulations"])

    def json_and_structure() -> None:
        for item in json.loads(text):
            structure(item, Regulation)

    baseline = median_time(json_and_structure, repeat)
    record(f"load {count} regulations, from cache", warm, "json.loads + cattrs structuring", baseline, "<= 2x")
    shutil.rmtree(tmp, ignore_errors=True)


def scaled_dataset(target: int) -> cnpolicy.Dataset:
    """A dataset of about ``target`` obligations: the bundled regulations cloned under new ids."""
    bundled = cnpolicy.load()
    plain = bundled.to_records()
    per_copy = len(bundled.obligations)
    regulations = []
    for copy in range(max(1, round(target / per_copy))):
        for reg in plain["regulations"]:
            data = json.loads(json.dumps(reg))
            if copy:  # copy 0 keeps the real ids, which events and relations refer to
                data["id"] = f"{reg['id']}-{copy}"
                data["relations"] = []
            for obligation in data.get("obligations", []):
                obligation["regulation"] = data["id"]
                obligation["id"] = data["id"] + obligation["id"][obligation["id"].index(".") :]
            regulations.append(data)
    return cnpolicy.Dataset.from_plain({**plain, "regulations": regulations})


def bench_engine(repeat: int, sizes: list[int]) -> None:
    day = dt.date(2023, 6, 1)
    previous: float | None = None
    for size in sizes:
        ds = scaled_dataset(size)
        previous = bench_engine_once(ds, day, repeat, previous)


def bench_engine_once(ds: cnpolicy.Dataset, day: dt.date, repeat: int, previous: float | None) -> float:
    gc.freeze()
    profile = ds.profile(
        network_operator=True,
        cii_operator=False,
        network_platform_operator=True,
        personal_info_subjects=2_000_000,
        sector="internet",
    )
    ds.obligations_for(profile, day)  # builds the index once
    ours = median_time(lambda: ds.obligations_for(profile, day), repeat)
    naive = median_time(lambda: naive_obligations_for(ds.regulations.values(), ds.sources, profile, day), repeat)
    record(f"obligations_for, {len(ds.obligations):,} obligations", ours, "naive scan", naive, ">= 3x faster")
    timeline = median_time(lambda: ds.timeline("2014", "2016"), repeat)
    growth = "" if previous is None else f"; {timeline / previous:.1f}x the previous size's time"
    ROWS.append(
        (
            f"timeline 2014-2016, {len(ds.obligations):,} obligations",
            f"{timeline * 1000:.1f} ms",
            f"linear scan{growth}",
            "linear",
        )
    )
    gc.unfreeze()
    return timeline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeat = 3 if args.quick else 7
    bench_import(repeat)
    bench_user_folder(3 if args.quick else 5, 2000)
    bench_engine(repeat, [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000])
    print(
        f"cnpolicy {cnpolicy.__version__}, Python {sys.version.split()[0]}, {os.cpu_count()} cores, "
        f"libyaml: {hasattr(yaml, 'CSafeLoader')}\n"
    )
    print("| benchmark | median | against the baseline | target |")
    print("|---|---|---|---|")
    for row in ROWS:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
