"""cnpolicy benchmarks: each result is a ratio against a baseline measured in the same run.

    python benchmarks/run.py            # all benchmarks (a few minutes on 2 cores)
    python benchmarks/run.py --quick    # fewer repetitions and no 100k-obligation step
    python benchmarks/run.py --only startup   # import, lookup and the everyday commands only

Needs cnpolicy installed (``pip install -e .``); the pycountry comparison needs ``pip install pycountry``
(skipped otherwise). Prints a Markdown table; docs/performance.md holds the latest results.
"""

from __future__ import annotations

import argparse
import compileall
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
from cnpolicy._convert import structure
from cnpolicy.model import Regulation

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from oracle import naive_obligations_for  # the tests' naive scan is the baseline

ROWS: list[tuple[str, str, str, str]] = []


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def paired(baseline: Callable[[], object], ours: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    """Run two functions in turns; their median times and the median of the ratios within each turn.

    A busy spell on a shared machine slows both sides of a turn alike, so the ratio within a turn
    moves much less than either time.
    """
    pairs = [(median_time(baseline, 1), median_time(ours, 1)) for _ in range(repeat)]
    return (
        statistics.median(b for b, _ in pairs),
        statistics.median(o for _, o in pairs),
        statistics.median(o / b for b, o in pairs),
    )


def subprocess_times(codes: list[str], repeat: int) -> dict[str, list[float]]:
    """Wall times of ``python -c code`` for each code, the codes run in turns (see `paired`)."""
    times: dict[str, list[float]] = {code: [] for code in codes}
    for _ in range(repeat):
        for code in codes:
            times[code].append(median_time(lambda code=code: run_quietly([sys.executable, "-c", code]), 1))
    return times


def turn_ratio(ours: list[float], baseline: list[float], minus: list[float] | None = None) -> float:
    """The median over turns of ours / baseline, each less ``minus`` of the same turn when given."""
    offsets = minus or [0.0] * len(ours)
    return statistics.median((o - m) / (b - m) for o, b, m in zip(ours, baseline, offsets, strict=True))


def record(name: str, value: float, baseline_name: str, baseline: float, target: str, ratio: float | None = None) -> None:
    if ratio is None:
        ratio = value / baseline if baseline else float("inf")
    ROWS.append((name, f"{value * 1000:.1f} ms", f"{ratio:.2f}x {baseline_name} ({baseline * 1000:.1f} ms)", target))


#: Where `install_wheel` put cnpolicy, as pip installs it from a wheel; the start-up benchmarks run it.
INSTALLED: dict[str, str] = {}


def install_wheel(into: Path) -> dict[str, str]:
    """Build cnpolicy's wheel, unpack it into ``into`` as pip would install it, compile it to bytecode,
    and return the environment that imports it from there (``PYTHONPATH``), ahead of the checkout.

    The start-up benchmarks time what users run: the installed package reads its own compiled
    snapshot as it is, where a checkout also hashes the YAML to check that the snapshot is current.
    """
    root = Path(__file__).resolve().parents[1]
    wheels = into / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(root)],
        check=True,
    )
    site = into / "site"
    shutil.unpack_archive(next(wheels.glob("cnpolicy-*.whl")), site, format="zip")
    compileall.compile_dir(site / "cnpolicy", quiet=1)
    return {**os.environ, "PYTHONPATH": str(site)}


def run_quietly(command: list[str]) -> None:
    """Run ``command`` with the installed wheel (see `install_wheel`), away from the checkout."""
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=INSTALLED or None, cwd=tempfile.gettempdir())


def bench_import(repeat: int) -> None:
    try:
        import pycountry  # noqa: F401

        theirs = "import pycountry; pycountry.countries.lookup('China')"
    except ImportError:
        theirs = ""
    ours = "import cnpolicy; cnpolicy.load().lookup('PIPL')"
    floor = "import cnpolicy.model"  # importing attrs and creating the model's classes, nothing else
    times = subprocess_times([c for c in ("pass", "import attrs", "import cnpolicy", ours, floor, theirs) if c], repeat)
    median = {code: statistics.median(found) for code, found in times.items()}
    bare = median["pass"]
    record(
        "import cnpolicy (above bare startup)",
        median["import cnpolicy"] - bare,
        "import attrs",
        median["import attrs"] - bare,
        "<= 1.2x",
        turn_ratio(times["import cnpolicy"], times["import attrs"], minus=times["pass"]),
    )
    if not theirs:
        ROWS.append(
            ("cold import + load + lookup('PIPL')", f"{median[ours] * 1000:.1f} ms", "pycountry not installed", "<= 1.2x")
        )
        return
    against = "pycountry lookup('China')"
    record(
        "cold import + load + lookup('PIPL')",
        median[ours],
        against,
        median[theirs],
        "<= 1.2x",
        turn_ratio(times[ours], times[theirs]),
    )
    record(
        "  of which: import attrs alone",
        median["import attrs"],
        against,
        median[theirs],
        "(floor)",
        turn_ratio(times["import attrs"], times[theirs]),
    )
    record(
        "  of which: import attrs + the model classes",
        median[floor],
        against,
        median[theirs],
        "(floor)",
        turn_ratio(times[floor], times[theirs]),
    )


#: The everyday commands, each timed as a whole process against pycountry's whole cold lookup.
CLI_COMMANDS = {
    "show pipl": ["show", "pipl"],
    "search 数据出境": ["search", "数据出境"],
    "list regulations": ["list", "regulations"],
    "timeline 2014-2016": ["timeline", "--since", "2014", "--until", "2016"],
    "obligations (example profile)": ["obligations", "--profile", "example:platform-operator", "--on", "2022-03-01"],
    "changes (example profile)": [
        "changes",
        "--profile",
        "example:platform-operator",
        "--from",
        "2021-01-01",
        "--to",
        "2023-01-01",
    ],
}


def bench_cli(repeat: int) -> None:
    """Each command as a user runs it (``python -m cnpolicy ...``), in turns with pycountry's cold lookup."""
    try:
        import pycountry  # noqa: F401
    except ImportError:
        ROWS.append(("cnpolicy commands", "skipped", "pycountry not installed", "<= 1.2x"))
        return
    theirs = [sys.executable, "-c", "import pycountry; pycountry.countries.lookup('China')"]
    runs = {name: [sys.executable, "-m", "cnpolicy", *argv] for name, argv in CLI_COMMANDS.items()}
    times: dict[str, list[float]] = {name: [] for name in ["pycountry", *runs]}

    for _ in range(repeat):
        times["pycountry"].append(median_time(lambda: run_quietly(theirs), 1))
        for name, command in runs.items():
            times[name].append(median_time(lambda command=command: run_quietly(command), 1))
    baseline = statistics.median(times["pycountry"])
    for name in runs:
        record(
            f"cnpolicy {name}",
            statistics.median(times[name]),
            "pycountry lookup",
            baseline,
            "<= 1.2x",
            turn_ratio(times[name], times["pycountry"]),
        )


def make_user_folder(root: Path, count: int) -> None:
    """A user folder of ``count`` regulations, cloned from the bundled ones under new ids."""
    bundled = cnpolicy.load()
    plain = bundled.to_records()
    for kind in ("facts", "topics", "agencies", "sources"):
        (root / f"{kind}.yaml").write_text(yaml.safe_dump(plain[kind], allow_unicode=True, sort_keys=False))
    (root / "regulations").mkdir()
    templates = [r for r in plain["regulations"] if not r.get("relations")]
    for index in range(count):
        data = json.loads(json.dumps(templates[index % len(templates)]))
        data_id, new_id = data["id"], f"gen-{index:05d}"
        data["id"] = new_id
        for obligation in data.get("obligations", []):
            obligation.pop("regulation", None)
            obligation["id"] = new_id + obligation["id"][obligation["id"].index(".") :]
            continued = obligation.get("continues", "")
            if continued.startswith(data_id + "."):  # a duty continuing one of the same regulation: same clone
                obligation["continues"] = new_id + continued[len(data_id) :]
            else:
                obligation.pop("continues", None)
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

    def first_load() -> None:
        shutil.rmtree(tmp / "cache", ignore_errors=True)
        cnpolicy.load(root, bundled=False, cache=True)

    parse, first, ratio = paired(bare_parse, first_load, repeat)
    name = f"load {count} regulations ({size / 1e6:.1f} MB), first"
    record(name, first, "bare CSafeLoader parse", parse, "<= 1.2x", ratio)
    records = cnpolicy.load(root, bundled=False, cache=True).to_records()  # the cache is warm from here on
    text = json.dumps(records["regulations"])

    def json_and_structure() -> None:
        for item in json.loads(text):
            structure(item, Regulation)

    baseline, warm, ratio = paired(json_and_structure, lambda: cnpolicy.load(root, bundled=False, cache=True), repeat)
    record(f"load {count} regulations, from cache", warm, "json.loads + cattrs structuring", baseline, "<= 2x", ratio)
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
    ROWS.append(
        (
            f"obligations_for, {len(ds.obligations):,} obligations",
            f"{ours * 1000:.1f} ms",
            f"{naive / ours:.1f}x faster than a naive scan ({naive * 1000:.1f} ms)",
            ">= 3x faster",
        )
    )
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
    parser.add_argument(
        "--only", action="append", choices=["startup", "folder", "engine"], help="run only these groups (repeatable)"
    )
    args = parser.parse_args()
    groups = set(args.only or ["startup", "folder", "engine"])
    repeat = 3 if args.quick else 7
    if "startup" in groups:
        with tempfile.TemporaryDirectory() as scratch:
            INSTALLED.update(install_wheel(Path(scratch)))
            bench_import(repeat)
            bench_cli(repeat)
    if "folder" in groups:
        bench_user_folder(3 if args.quick else 9, 2000)
    if "engine" in groups:
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
