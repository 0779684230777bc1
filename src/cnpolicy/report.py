"""The report a counsel hands to a client: a header, a summary, the questions to ask first, each
duty with its article, deadline, penalty, caveats and best source, and what changes between two days.

`Report` holds the answer; `to_markdown`, `to_html`, `to_csv` and `to_json` write it.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from cnpolicy.engine import Applicability, Changes, Question
from cnpolicy.errors import ArgumentError
from cnpolicy.logic import Verdict
from cnpolicy.model import Regulation
from cnpolicy.profile import Profile
from cnpolicy.render import articles_words, penalty_words, summary_words

if TYPE_CHECKING:
    from cnpolicy.dataset import Dataset

__all__ = ["FORMATS", "GROUPINGS", "Report", "build_report"]

#: How duties can be grouped: by the instrument that imposes them, or by their first topic.
GROUPINGS = ("instrument", "topic")
#: The formats a report is written in.
FORMATS = ("md", "html", "csv", "json")


@attrs.frozen(kw_only=True)
class Report:
    """Everything a report shows, computed once; write it with `to_markdown`, `to_html`, `to_csv`, `to_json`."""

    title: str
    profile: Profile
    on: dt.date
    items: tuple[Applicability, ...]
    questions: tuple[Question, ...]
    unrecorded: tuple[Regulation, ...]
    #: the duties gained, lost and changed from ``on`` to the day compared with (None without --compare)
    changes: Changes | None
    group_by: str
    data_version: str
    #: the label of each group key (instrument titles, topic labels)
    labels: dict[str, str] = attrs.field(factory=dict, eq=False)

    @property
    def counts(self) -> dict[str, int]:
        """How many duties apply and how many may apply."""
        return {
            "applies": sum(1 for a in self.items if a.verdict is Verdict.APPLIES),
            "may apply": sum(1 for a in self.items if a.verdict is Verdict.UNDETERMINED),
        }

    def groups(self) -> list[tuple[str, list[Applicability]]]:
        """The duties by group key (instrument id or topic id), in the order of first appearance."""
        grouped: dict[str, list[Applicability]] = {}
        for item in self.items:
            grouped.setdefault(self._key(item), []).append(item)
        return list(grouped.items())

    def _key(self, item: Applicability) -> str:
        return item.regulation.id if self.group_by == "instrument" else _topic_of(item)

    def by_instrument(self) -> list[tuple[Regulation, int, int, int]]:
        """Each instrument with its counts: applies, may apply, carrying caveats."""
        seen: dict[str, list[Applicability]] = {}
        for item in self.items:
            seen.setdefault(item.regulation.id, []).append(item)
        return [
            (
                found[0].regulation,
                sum(1 for a in found if a.verdict is Verdict.APPLIES),
                sum(1 for a in found if a.verdict is Verdict.UNDETERMINED),
                sum(1 for a in found if a.obligation.caveats),
            )
            for found in seen.values()
        ]

    # --- writers --------------------------------------------------------------------------------

    def to_markdown(self) -> str:
        """The report as Markdown (GitHub flavour: tables, headings, lists)."""
        out = [f"# {_md(self.title)}", ""]
        out += [f"- **Day:** {self.on.isoformat()}", f"- **Data:** {_md(self.data_version)}"]
        out.append(f"- **Facts stated:** {_md(_facts_words(self.profile))}")
        if self.profile.implied:
            out.append(f"- **Facts implied:** {_md(_implied_words(self.profile))}")
        out.append("- Facts not stated are unknown: duties that depend on them are listed as *may apply*.")
        counts = self.counts
        out += ["", "## Summary", ""]
        caveated = sum(1 for a in self.items if a.obligation.caveats)
        out.append(summary_words(counts["applies"], counts["may apply"], len(self.by_instrument()), caveated) + ".")
        out += ["", "| instrument | applies | may apply | with caveats |", "|---|---:|---:|---:|"]
        out += [f"| {_md(r.title.en)} (`{r.id}`) | {a} | {m} | {c} |" for r, a, m, c in self.by_instrument()]
        if self.questions:
            out += ["", "## Ask these first", ""]
            out += ["| fact | decides | if yes: apply / out | if no: apply / out | what it means |", "|---|---:|---|---|---|"]
            out += [
                f"| `{q.fact}` | {q.decides} | {_pair(q.if_yes)} | {_pair(q.if_no)} | {_md(q.description)} |"
                for q in self.questions
            ]
        out += ["", f"## Duties by {self.group_by}"]
        for key, items in self.groups():
            out += ["", f"### {_md(self.labels.get(key, key))} (`{key}`)", ""]
            for item in items:
                out += _duty_markdown(item)
        if self.unrecorded:
            out += ["", "## In force, but duties not recorded in this data", ""]
            out += ["These instruments bind on the day; their duties were not checked:", ""]
            out += [f"- {_md(r.title.en)} (`{r.id}`)" for r in self.unrecorded]
        if self.changes is not None:
            out += ["", f"## What changes from {self.changes.start.isoformat()} to {self.changes.end.isoformat()}", ""]
            out += _changes_markdown(self.changes)
        return "\n".join(out) + "\n"

    def to_html(self) -> str:
        """The report as one self-contained HTML file (no scripts, no network), for screen and print."""
        body = [f"<h1>{_h(self.title)}</h1>", '<dl class="meta">']
        body.append(f"<dt>Day</dt><dd>{self.on.isoformat()}</dd><dt>Data</dt><dd>{_h(self.data_version)}</dd>")
        body.append(f"<dt>Facts stated</dt><dd>{_h(_facts_words(self.profile))}</dd>")
        if self.profile.implied:
            body.append(f"<dt>Facts implied</dt><dd>{_h(_implied_words(self.profile))}</dd>")
        body.append("</dl>")
        body.append(
            '<p class="note">Facts not stated are unknown: duties that depend on them are listed as <em>may apply</em>.</p>'
        )
        counts = self.counts
        body.append('<h2 id="summary">Summary</h2>')
        body.append(
            f'<p class="counts"><span class="v applies">{counts["applies"]} apply</span> '
            f'<span class="v undetermined">{counts["may apply"]} may apply</span> '
            f"in {'1 instrument' if len(self.by_instrument()) == 1 else f'{len(self.by_instrument())} instruments'}</p>"
        )
        rows = "".join(
            f'<tr><td><a href="#g-{_h(r.id)}">{_h(r.title.en)}</a> <code>{_h(r.id)}</code></td>'
            f'<td class="n">{a}</td><td class="n">{m}</td><td class="n">{c}</td></tr>'
            for r, a, m, c in self.by_instrument()
        )
        head = '<tr><th>Instrument</th><th class="n">applies</th><th class="n">may apply</th><th class="n">caveats</th></tr>'
        body.append(f"<table><thead>{head}</thead><tbody>{rows}</tbody></table>")
        if self.questions:
            body.append('<h2 id="questions">Ask these first</h2><table><thead><tr><th>Fact</th><th>decides</th>')
            body.append("<th>if yes: apply / out</th><th>if no: apply / out</th><th>What it means</th></tr></thead><tbody>")
            body += [
                f'<tr><td><code>{_h(q.fact)}</code></td><td class="n">{q.decides}</td><td class="n">{_pair(q.if_yes)}</td>'
                f'<td class="n">{_pair(q.if_no)}</td><td>{_h(q.description)}</td></tr>'
                for q in self.questions
            ]
            body.append("</tbody></table>")
        body.append(f'<h2 id="duties">Duties by {_h(self.group_by)}</h2>')
        for key, items in self.groups():
            body.append(
                f'<section class="group" id="g-{_h(key)}"><h3>{_h(self.labels.get(key, key))} <code>{_h(key)}</code></h3>'
            )
            body += [_duty_html(item) for item in items]
            body.append("</section>")
        if self.unrecorded:
            body.append('<h2 id="unrecorded">In force, but duties not recorded in this data</h2><ul>')
            body += [f"<li>{_h(r.title.en)} <code>{_h(r.id)}</code></li>" for r in self.unrecorded]
            body.append("</ul>")
        if self.changes is not None:
            body.append(f'<h2 id="changes">What changes from {self.changes.start} to {self.changes.end}</h2>')
            body.append("".join(f"<p>{_h(line.removeprefix('- '))}</p>" for line in _changes_markdown(self.changes)))
        return _PAGE.format(title=_h(self.title), style=_STYLE, body="\n".join(body))

    def rows(self) -> list[dict[str, str]]:
        """One flat row a duty (the CSV): the duty, the verdict, article, deadline, penalty, caveats and best source."""
        from cnpolicy.export import csv_rows

        group = {item.obligation.id: key for key, items in self.groups() for item in items}
        rows = []
        for item, row in zip(self.items, csv_rows(list(self.items)), strict=True):
            row = {
                "group": group[item.obligation.id],
                **row,
                "penalty": penalty_words(item.obligation) if item.obligation.penalty else "",
            }
            rows.append(row)
        if self.changes is not None:
            column = f"change_to_{self.changes.end.isoformat()}"
            moved = {c.before.obligation.id: "changed: " + "; ".join(c.what) for c in self.changes.changed}
            moved |= {a.obligation.id: "lost" for a in self.changes.lost}
            for row in rows:
                row[column] = moved.get(row["obligation"], "")
            for item, row in zip(self.changes.gained, csv_rows(list(self.changes.gained)), strict=True):
                penalty = penalty_words(item.obligation) if item.obligation.penalty else ""
                rows.append({"group": self._key(item), **row, "penalty": penalty, column: "gained"})
        return rows

    def to_csv(self) -> str:
        """The duties as CSV (formula-like cells neutralised), with the group and, with a comparison, the change."""
        import csv
        import io

        from cnpolicy.export import _inert

        rows = self.rows()
        buffer = io.StringIO()
        if rows:
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows({k: _inert(v) for k, v in row.items()} for row in rows)
        return buffer.getvalue()

    def to_json(self) -> str:
        """The report as JSON: header, counts, questions, duties by group, unrecorded instruments, changes."""
        from cnpolicy.export import plain

        data: dict[str, Any] = {
            "title": self.title,
            "on": self.on.isoformat(),
            "data_version": self.data_version,
            "profile": plain(self.profile),
            "implied": dict(sorted(self.profile.implied.items())),  # each implied fact, with the fact implying it
            "counts": self.counts,
            "questions": plain(list(self.questions)),
            "group_by": self.group_by,
            "groups": [
                {"key": key, "label": self.labels.get(key, key), "duties": [_duty_plain(a) for a in items]}
                for key, items in self.groups()
            ],
            "unrecorded": [{"id": r.id, "title": r.title.en} for r in self.unrecorded],
            "changes": None if self.changes is None else plain(self.changes),
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    def write(self, fmt: str) -> str:
        """The report in one of `FORMATS`."""
        writers = {"md": self.to_markdown, "html": self.to_html, "csv": self.to_csv, "json": self.to_json}
        if fmt not in writers:
            raise ArgumentError(f"a report is written as one of {', '.join(FORMATS)}, not {fmt!r}")
        return writers[fmt]()


def build_report(
    ds: Dataset,
    profile: Profile,
    on: dt.date,
    *,
    compare: dt.date | None = None,
    group_by: str = "instrument",
    title: str | None = None,
    topic: str | None = None,
    regulation: str | Iterable[str] | None = None,
    jurisdiction: str | None = None,
    questions: int = 5,
) -> Report:
    """Work out a report (see `Dataset.report`)."""
    from cnpolicy import __version__

    if group_by not in GROUPINGS:
        raise ArgumentError(f"a report groups by {' or '.join(GROUPINGS)}, not {group_by!r}")
    filters: dict[str, Any] = {"topic": topic, "regulation": regulation, "jurisdiction": jurisdiction}
    items = ds.obligations_for(profile, on, **filters)
    if group_by == "topic":
        items = sorted(items, key=lambda a: (_topic_of(a), items.index(a)))
    labels = (
        {r.id: r.title.en for r in ds.regulations.values()}
        if group_by == "instrument"
        else {t.id: t.label.en for t in ds.topics.values()}
    )
    checked = max((s.last_checked for s in ds.sources.values() if s.last_checked), default=None)
    data_version = f"cnpolicy {__version__}" + (f", sources checked up to {checked}" if checked else "")
    return Report(
        title=title or f"Obligations on {on.isoformat()}",
        profile=profile,
        on=on,
        items=tuple(items),
        questions=tuple(ds.questions(profile, on, limit=questions, **filters)),
        unrecorded=tuple(ds.unrecorded(on)),
        changes=None if compare is None else ds.changes_for(profile, on, compare, **filters),
        group_by=group_by,
        data_version=data_version,
        labels=labels,
    )


def _topic_of(item: Applicability) -> str:
    """The topic a duty is grouped under: its first own topic, else its instrument's first."""
    topics = item.obligation.topics or item.regulation.topics
    return topics[0] if topics else "other"


# --- pieces ---------------------------------------------------------------------------------------


def _facts_words(profile: Profile) -> str:
    stated = [f"{name}={_value(value)}" for name, value in sorted(profile.stated.items())]
    return ", ".join(stated) or "none"


def _implied_words(profile: Profile) -> str:
    implied = [f"{name}={_value(profile[name])} (implied by {source})" for name, source in sorted(profile.implied.items())]
    return ", ".join(implied)


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, frozenset):
        return "{" + ", ".join(sorted(str(v) for v in value)) + "}"
    return str(value)


def _pair(counts: tuple[int, int] | None) -> str:
    return "" if counts is None else f"{counts[0]} / {counts[1]}"


def _md(text: str) -> str:
    """Text safe inside Markdown table cells and headings."""
    return text.replace("|", "\\|").replace("\n", " ")


def _h(text: object) -> str:
    return html.escape(str(text), quote=True)


def _best_source(item: Applicability) -> tuple[str, str]:
    urls, tiers = item.citation.urls, item.citation.tiers
    return (urls[0], tiers[0].value if tiers else "") if urls else ("", "")


def _duty_fields(item: Applicability) -> list[tuple[str, str]]:
    """The labelled facts of one duty, in reading order."""
    o = item.obligation
    fields = [("Who", o.duty_bearer)]
    if item.missing_facts:
        fields.append(("Decided by", ", ".join(sorted(item.missing_facts))))
    if o.deadline is not None:
        fields.append(("Deadline", str(o.deadline)))
    if o.penalty is not None:
        where = f" ({articles_words(o.penalty.articles)})" if o.penalty.articles else ""
        fields.append(("Penalty", penalty_words(o) + where))
    for caveat in o.caveats:
        fields.append(("Caveat", caveat))
    url, tier = _best_source(item)
    if url:
        fields.append(("Source", f"[{tier}] {url}" if tier else url))
    return fields


def _headline(item: Applicability) -> str:
    o = item.obligation
    where = articles_words(o.articles) if o.articles else "article not recorded"
    return f"{item.verdict.words}: {o.modality.value.replace('_', ' ')} {o.action} ({where})"


def _duty_markdown(item: Applicability) -> list[str]:
    o = item.obligation
    lines = [
        f"- **{item.verdict.words}** `{o.id}`{' (caveats)' if o.caveats else ''}: "
        + _md(_headline(item).split(": ", 1)[1])
    ]
    lines += [f"  - {label}: {_md(text)}" for label, text in _duty_fields(item)]
    return lines


def _duty_html(item: Applicability) -> str:
    o = item.obligation
    fields = "".join(f"<dt>{_h(label)}</dt><dd>{_h(text)}</dd>" for label, text in _duty_fields(item))
    return (
        f'<article class="duty {item.verdict.value}" id="{_h(o.id)}"><p class="head">'
        f'<span class="v {item.verdict.value}">{item.verdict.words}</span> <code>{_h(o.id)}</code></p>'
        f"<p>{_h(_headline(item).split(': ', 1)[1])}</p><dl>{fields}</dl></article>"
    )


def _duty_plain(item: Applicability) -> dict[str, Any]:
    from cnpolicy.export import plain

    url, tier = _best_source(item)
    return {
        **plain(item),
        "deadline": None if item.obligation.deadline is None else str(item.obligation.deadline),
        "penalty": None if item.obligation.penalty is None else penalty_words(item.obligation),
        "best_source": url or None,
        "best_source_tier": tier or None,
    }


def _changes_markdown(changes: Changes) -> list[str]:
    if not changes:
        return ["- Nothing changes for this profile."]
    lines = [f"- gained: `{a.obligation.id}` ({a.verdict.words}) {_md(a.obligation.action)}" for a in changes.gained]
    lines += [f"- lost: `{a.obligation.id}` {_md(a.obligation.action)}" for a in changes.lost]
    for change in changes.changed:
        name = change.after.obligation.id
        if change.before.obligation.id != name:
            name = f"{change.before.obligation.id} -> {name}"
        lines.append(f"- changed: `{name}`: {_md('; '.join(change.what))}")
    return lines


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""

_STYLE = """
:root { --ink: #1d2430; --muted: #5b6575; --line: #d9dee7; --applies: #b3261e; --may: #9a6700; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "PingFang SC", "Microsoft YaHei", sans-serif;
  color: var(--ink); margin: 0; background: #fff; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
h1 { font-size: 1.7rem; margin: 0 0 1rem; }
h2 { border-bottom: 2px solid var(--line); padding-bottom: .2rem; margin-top: 2.2rem; }
h3 { margin: 1.6rem 0 .6rem; font-size: 1.1rem; }
code { font: .85em ui-monospace, Menlo, Consolas, monospace; color: var(--muted); }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
dl.meta dt { font-weight: 600; }
.note { color: var(--muted); } table { border-collapse: collapse; width: 100%; margin: .6rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
.n { text-align: right; white-space: nowrap; }
.counts { font-size: 1.15rem; } .v { font-weight: 700; border-radius: .25rem; padding: .05rem .4rem; }
.v.applies { color: #fff; background: var(--applies); }
.v.undetermined { color: #fff; background: var(--may); }
article.duty { border-left: 4px solid var(--line); padding: .3rem .9rem; margin: .8rem 0; break-inside: avoid; }
article.duty.applies { border-color: var(--applies); } article.duty.undetermined { border-color: var(--may); }
article.duty p { margin: .2rem 0; }
article.duty dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .8rem; margin: .3rem 0; }
article.duty dt { color: var(--muted); } article.duty dd { margin: 0; overflow-wrap: anywhere; }
@media print { body { font-size: 11pt; }
main { max-width: none; padding: 0; }
a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; } h3 { break-after: avoid; } }
"""
