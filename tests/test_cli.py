"""The command line, run through its entry point with its output checked."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cnpolicy.cli import main
from cnpolicy.render import table

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "src" / "cnpolicy" / "examples" / "platform-operator.yaml"
BASE = ROOT / "tests" / "fixtures" / "base"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_main_job_obligations_explained() -> None:
    code, out, _ = run("obligations", "--profile", str(PROFILE), "--on", "2022-03-01", "--explain")
    assert code == 0
    assert "cybersecurity-review-measures-2021.art7.foreign-listing-review: MAY APPLY on 2022-03-01" in out
    assert "art. 7" in out
    assert "Hong Kong" in out  # the caveat that caps the verdict is printed with it


def test_obligations_table_and_json() -> None:
    code, out, _ = run("obligations", "--profile", str(PROFILE), "--on", "2022-03-01")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("On 2022-03-01: ")
    assert " duties apply and " in lines[0]
    assert lines[1].startswith("Ask first: ")
    header = next(line for line in lines if line.startswith("verdict"))
    assert header.split() == ["verdict", "obligation", "article", "would", "be", "decided", "by"]
    rule = lines[lines.index(header) + 1]  # dashes under each column
    start = rule.index(" -") + 1
    end = rule.index(" -", start)
    rows = [line for line in lines[lines.index(header) + 2 :] if line.startswith(("applies", "may apply"))]
    assert any(line.startswith("may apply") for line in rows)
    assert all("…" not in line[start:end] and line[start:end].strip() for line in rows)  # ids whole
    code, out, _ = run("--json", "obligations", "--profile", str(PROFILE), "--on", "2022-03-01")
    items = json.loads(out)
    listing = next(i for i in items if i["obligation"] == "cybersecurity-review-measures-2021.art7.foreign-listing-review")
    assert listing["verdict"] == "undetermined"
    assert listing["articles"] == ["7"]
    assert listing["condition_complete"] is False


def test_changes() -> None:
    code, out, _ = run("--json", "changes", "--profile", str(PROFILE), "--from", "2021-01-01", "--to", "2023-01-01")
    assert code == 0
    result = json.loads(out)
    assert "cybersecurity-review-measures-2021.art7.foreign-listing-review" in {a["obligation"] for a in result["gained"]}


def test_show_search_list_timeline() -> None:
    code, out, _ = run("show", "网络安全法")
    assert code == 0
    assert "id: csl" in out
    code, out, _ = run("--json", "search", "PIPL")
    assert json.loads(out)[0]["id"] == "pipl"
    code, out, _ = run("list", "regulations", "--in-force-on", "2020-01-01", "--kind", "law")
    assert "csl" in out.split()
    assert "pipl" not in out.split()
    code, out, _ = run("--json", "timeline", "--since", "2014-05", "--until", "2014-09")
    dates = [e["date"] for e in json.loads(out)]
    assert dates == sorted(dates)
    assert all("2014-05" <= d[:7] <= "2014-09" for d in dates if len(d) >= 7)


def test_wide_characters_align() -> None:
    from cnpolicy.render import _width

    lines = table([("网络安全法", "x"), ("CSL", "y")], ("name", "v")).splitlines()
    assert _width(lines[2]) == _width(lines[3])
    assert _width(lines[2][: lines[2].index("x")]) == _width(lines[3][: lines[3].index("y")])


def test_validate_reports_each_problem_and_exits_1(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(BASE, tmp_path / "d")
    law = tmp_path / "d" / "regulations" / "example-law.yaml"
    law.write_text(law.read_text().replace("kind: law", "kind: statute").replace("jurisdiction: CN", "jurisdiction: NO"))
    code, _, err = run("validate", str(tmp_path / "d"))
    assert code == 1
    assert "example-law.yaml:4: kind: 'statute' is not one of" in err
    assert "example-law.yaml:5: jurisdiction: expected a string" in err
    assert err.strip().endswith("2 problems")
    assert run("validate", str(BASE)) == (0, f"{BASE}: ok\n", "")


def test_user_folder_over_bundled() -> None:
    code, out, _ = run("--data", str(BASE), "--json", "show", "example-law")
    assert code == 0
    assert json.loads(out)["id"] == "example-law"


def test_exports() -> None:
    code, out, _ = run("export", "--format", "csv", "--kind", "obligations")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert {"id", "regulation", "articles", "modality"} <= set(rows[0])
    code, out, _ = run("export", "--format", "jsonl", "--kind", "events")
    assert all(json.loads(line)["id"] for line in out.splitlines())
    code, out, _ = run("export", "--format", "json")
    assert set(json.loads(out)) == {"facts", "topics", "agencies", "sources", "regulations", "events"}


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (("show", "no-such-thing-at-all"), "cnpolicy: nothing matches 'no-such-thing-at-all'"),
        (("obligations", "--profile", "/no/such.yaml", "--on", "2022-01-01"), "cannot read profile"),
        (("validate", "/no/such/dir"), "no such data folder"),
    ],
)
def test_user_mistakes_give_messages_not_tracebacks(argv: tuple[str, ...], words: str) -> None:
    code, _, err = run(*argv)
    assert code == 1
    assert words in err
    assert "Traceback" not in err


def test_bad_profile_fact(tmp_path: Path) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text("cii_operater: true\n")
    code, _, err = run("obligations", "--profile", str(profile))
    assert code == 1
    assert "unknown fact 'cii_operater'; did you mean cii_operator" in err


def test_usage_error_exit_2() -> None:
    assert run("obligations", "--on", "yesterday")[0] == 2


def test_python_dash_m_entry_point() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cnpolicy", "--json", "show", "csl"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["title"]["zh"] == "中华人民共和国网络安全法"


def test_show_suggests_close_ids_of_any_kind() -> None:
    code, _, err = run("show", "2022-07-21-cac-fines-didi")
    assert code == 1
    assert "closest: 2022-07-21-cac-didi-fine" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "pipl"],
        ["--json", "show", "PIPL", "--on", "2022-01-01"],
        ["--data", "show", "show", "pipl"],  # a data folder named like a command
        ["search", "数据出境", "--limit", "3"],
        ["list", "events", "--country", "US", "--json"],
        ["timeline", "--since", "2014", "--until", "2016"],
        ["obligations", "--profile", "example:platform-operator", "--on", "2022-03-01"],
        ["changes", "--profile", "example:platform-operator", "--from", "2021-01-01", "--to", "2023-01-01"],
        ["export", "--format", "coverage"],
        ["example-profile"],
    ],
)
def test_the_parser_of_one_command_reads_as_the_whole_parser_does(argv: list[str]) -> None:
    """The CLI builds only the subparser the command line names; it must parse exactly as the full parser."""
    from cnpolicy.cli import _command_in, _parser

    assert _command_in(argv) is not None
    assert vars(_parser(_command_in(argv)).parse_args(argv)) == vars(_parser().parse_args(argv))


def test_the_command_list_is_the_parsers() -> None:
    import argparse

    from cnpolicy.cli import COMMANDS, _command_in, _parser

    sub = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert tuple(sub.choices) == COMMANDS
    assert _command_in(["--help", "show"]) is None  # help before the command: the whole parser, listing every command
    assert _command_in(["shwo"]) is None  # an unknown command: the whole parser, whose error lists the choices
