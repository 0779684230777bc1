"""The report a counsel hands over (#15): content, formats, comparison, grouping, CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import cnpolicy
from cnpolicy.cli import main
from cnpolicy.profile import Profile


@pytest.fixture(scope="module")
def report(bundled: cnpolicy.Dataset) -> cnpolicy.Report:
    profile = Profile.example("platform-operator", bundled.facts)
    return bundled.report(profile, "2025-12-01", compare="2026-01-01", title="Platform operator")


def test_the_report_holds_the_answer(bundled: cnpolicy.Dataset, report: cnpolicy.Report) -> None:
    profile = Profile.example("platform-operator", bundled.facts)
    assert list(report.items) == bundled.obligations_for(profile, "2025-12-01")
    assert report.counts["applies"] + report.counts["may apply"] == len(report.items)
    assert [q.fact for q in report.questions] == [q.fact for q in bundled.questions(profile, "2025-12-01", limit=5)]
    assert report.changes == bundled.changes_for(profile, "2025-12-01", "2026-01-01")
    assert report.changes  # the CSL amendment changes this profile's duties


def test_markdown_has_every_part(report: cnpolicy.Report) -> None:
    text = report.to_markdown()
    for heading in (
        "# Platform operator",
        "## Summary",
        "## Ask these first",
        "## Duties by instrument",
        "## What changes from 2025-12-01 to 2026-01-01",
    ):
        assert heading in text
    assert "- **Day:** 2025-12-01" in text
    assert "sources checked up to" in text
    # every duty appears with its id whole, its verdict and its best source
    for item in report.items:
        assert f"`{item.obligation.id}`" in text
    assert "  - Penalty: " in text
    assert "  - Source: [official] " in text
    assert "  - Caveat: " in text


def test_csv_is_one_row_a_duty_with_every_field(report: cnpolicy.Report) -> None:
    rows = list(csv.DictReader(io.StringIO(report.to_csv())))
    assert report.changes is not None
    gained = [a.obligation.id for a in report.changes.gained]
    assert [r["obligation"] for r in rows] == [a.obligation.id for a in report.items] + gained
    assert {"group", "verdict", "articles", "deadline", "penalty", "caveats", "best_source", "change_to_2026-01-01"} <= set(
        rows[0]
    )
    marks = {r["obligation"]: r["change_to_2026-01-01"] for r in rows}
    assert all(marks[c.before.obligation.id].startswith("changed: ") for c in report.changes.changed)
    assert all(marks[key] == "gained" for key in gained)
    assert all(marks[a.obligation.id] == "lost" for a in report.changes.lost)


def test_json_round_trips(report: cnpolicy.Report) -> None:
    data = json.loads(report.to_json())
    assert data["on"] == "2025-12-01"
    assert sum(len(g["duties"]) for g in data["groups"]) == len(report.items)
    first = data["groups"][0]["duties"][0]
    assert {"obligation", "verdict", "penalty", "deadline", "best_source", "best_source_tier", "caveats"} <= set(first)
    assert data["changes"]["from"] == "2025-12-01"


def test_html_is_one_self_contained_page(report: cnpolicy.Report) -> None:
    page = report.to_html()
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page
    assert "http://" not in page.split("<main>")[0]
    assert "<link" not in page
    assert page.count('<article class="duty') == len(report.items)
    assert "@media print" in page


def test_text_from_the_data_is_escaped(bundled: cnpolicy.Dataset) -> None:
    page = bundled.report({"network_operator": True}, "2024-01-01", title="<script>x</script> | a").to_html()
    assert "<script>x</script>" not in page
    assert "&lt;script&gt;" in page


def test_group_by_topic(bundled: cnpolicy.Dataset) -> None:
    made = bundled.report({"network_operator": True}, "2024-01-01", group_by="topic")
    keys = [key for key, _ in made.groups()]
    assert len(keys) == len(set(keys))  # each topic once
    assert set(keys) <= set(bundled.topics) | {"other"}
    with pytest.raises(cnpolicy.ArgumentError):
        bundled.report({}, "2024-01-01", group_by="agency")


def test_cli_report_writes_each_format(tmp_path: Path) -> None:
    for fmt in ("md", "csv", "html", "json"):
        target = tmp_path / f"report.{fmt}"
        out = io.StringIO()
        argv = ["report", "--profile", "example:small-exporter", "--on", "2026-03-01", "--format", fmt, "--output", str(target)]
        assert main(argv, stdout=out) == 0
        assert out.getvalue().startswith(f"wrote {target} (")
        assert target.read_text(encoding="utf-8")
    assert (tmp_path / "report.md").read_text(encoding="utf-8").startswith("# Obligations of small-exporter on 2026-03-01")


def test_cli_report_refuses_an_unwritable_output(tmp_path: Path) -> None:
    err = io.StringIO()
    argv = ["report", "--profile", "example:small-exporter", "--output", str(tmp_path / "no" / "such" / "dir.md")]
    assert main(argv, stdout=io.StringIO(), stderr=err) == 2
    assert "cannot write" in err.getvalue()


def test_the_readme_main_job_prints_the_report() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    first = next(line for line in readme.splitlines() if line.startswith("python3") and "cnpolicy " in line)
    argv = first.split(".venv/bin/cnpolicy ", 1)[1].split()
    out = io.StringIO()
    assert main(argv, stdout=out) == 0
    text = out.getvalue()
    assert text.startswith("# Obligations of platform-operator on 2022-03-01\n")
    assert "## Summary" in text
    assert "## Ask these first" in text


def test_the_picture_in_the_docs_is_current() -> None:
    """docs/reports.md shows docs/timeline-2013-2016.svg: regenerate it with the command below when the data changes."""
    out = io.StringIO()
    title = "China's cyber and data rules, 2013-2016, by country"
    assert main(["timeline", "--since", "2013", "--until", "2016", "--format", "svg", "--title", title], stdout=out) == 0
    assert out.getvalue() == (Path(__file__).parents[1] / "docs" / "timeline-2013-2016.svg").read_text(encoding="utf-8")


def test_the_summary_line_agrees_in_number() -> None:
    from cnpolicy.render import summary_words

    assert summary_words(1, 0, 1, 1) == "1 duty applies and 0 may apply, in 1 instrument; 1 carries caveats"
    assert summary_words(2, 3, 4, 0) == "2 duties apply and 3 may apply, in 4 instruments; 0 carry caveats"


def test_the_report_tells_stated_facts_from_implied_ones() -> None:
    ds = cnpolicy.load()
    profile = ds.profile(cii_operator=True)
    report = ds.report(profile, "2024-06-01")
    md = report.to_markdown()
    assert "- **Facts stated:** cii_operator=yes\n" in md
    assert "- **Facts implied:** network_operator=yes (implied by cii_operator)" in md
    assert "<dt>Facts implied</dt><dd>network_operator=yes (implied by cii_operator)" in report.to_html()
    assert json.loads(report.to_json())["implied"] == {"network_operator": "cii_operator"}
