"""A Markdown table of what the dataset covers: counts by kind, agency and year, and fields filled."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cnpolicy.dataset import Dataset

__all__ = ["coverage_markdown"]


def _table(header: tuple[str, ...], rows: Iterable[tuple[object, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(str(c) for c in row) + " |" for row in rows)
    return [*lines, ""]


def _most_first(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])


def _share(count: int, total: int) -> str:
    return f"{count}/{total} ({100 * count / total:.0f}%)" if total else "0/0"


def coverage_markdown(ds: Dataset) -> str:
    """The coverage page (``docs/coverage.md``); a test keeps the checked-in copy current."""
    regs = list(ds.regulations.values())
    obls = list(ds.obligations.values())
    events = list(ds.events.values())
    by_agency: list[tuple[str, int]] = sorted(Counter(a for r in regs for a in r.issued_by).items(), key=_most_first)
    out = [
        "# Coverage of the bundled data",
        "",
        "Generated from the data by `cnpolicy export --format coverage`; a test fails when it is out of date.",
        "",
        *_table(
            ("records", "count"),
            [
                ("regulations", len(regs)),
                ("obligations", len(obls)),
                ("agencies", len(ds.agencies)),
                ("events", len(events)),
                ("sources", len(ds.sources)),
                ("facts", len(ds.facts)),
            ],
        ),
        "## Regulations by kind",
        "",
        *_table(
            ("kind", "regulations", "obligations"),
            sorted(
                (k, n, sum(len(r.obligations) for r in regs if r.kind.value == k))
                for k, n in Counter(r.kind.value for r in regs).items()
            ),
        ),
        "## Regulations by issuing agency",
        "",
        *_table(
            ("agency", "regulations"),
            by_agency,
        ),
        "## Records by year",
        "",
        *_table(
            ("year", "regulations taking effect", "events"),
            [
                (y, sum(1 for r in regs if r.start and r.start.year == y), sum(1 for e in events if e.date.year == y))
                for y in sorted({r.start.year for r in regs if r.start} | {e.date.year for e in events})
            ],
        ),
        "## Fields filled",
        "",
        *_table(
            ("field", "filled"),
            [
                ("regulation: Chinese title", _share(sum(1 for r in regs if r.title.zh), len(regs))),
                ("regulation: document number", _share(sum(1 for r in regs if r.document_number), len(regs))),
                ("regulation: adopted or promulgated", _share(sum(1 for r in regs if r.adopted or r.promulgated), len(regs))),
                ("regulation: effective date", _share(sum(1 for r in regs if r.effective), len(regs))),
                (
                    "regulation: effective date to the day",
                    _share(sum(1 for r in regs if r.effective and r.effective.day), len(regs)),
                ),
                ("obligation: article cited", _share(sum(1 for o in obls if o.articles), len(obls))),
                ("obligation: condition", _share(sum(1 for o in obls if o.applies_if), len(obls))),
                ("obligation: deadline", _share(sum(1 for o in obls if o.deadline), len(obls))),
                ("obligation: penalty", _share(sum(1 for o in obls if o.penalty), len(obls))),
                ("event: date to the day", _share(sum(1 for e in events if e.date.day), len(events))),
                ("agency: Chinese name", _share(sum(1 for a in ds.agencies.values() if a.name.zh), len(ds.agencies))),
                ("source: URL", _share(sum(1 for s in ds.sources.values() if s.url), len(ds.sources))),
            ],
        ),
    ]
    return "\n".join(out).rstrip() + "\n"
