"""A timeline picture: instruments and events on a time axis, in lanes by country or by agency,
coloured by kind. `timeline_svg` draws it; `timeline_html` wraps it in a page that shows each
mark's details on hover (no network, no libraries).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Mapping, Sequence

from cnpolicy.errors import ArgumentError
from cnpolicy.query import TimelineEntry

__all__ = ["KIND_COLOURS", "LANES", "timeline_html", "timeline_svg"]

#: What a lane stands for.
LANES = ("country", "agency")

#: The colour of each group of kinds, and the kinds in it (the legend, in this order).
KIND_COLOURS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("#1f5fbf", "enactment, amendment, repeal", ("enactment", "amendment", "repeal", "draft_for_comment", "publication")),
    ("#2e8b57", "entry into force", ("entry_into_force",)),
    ("#c0392b", "enforcement, fine, review, raid", ("enforcement", "fine", "review", "raid")),
    ("#8e44ad", "ban, exclusion, indictment", ("ban", "procurement_exclusion", "indictment")),
    ("#d68910", "statement, letter, report", ("statement", "letter", "report")),
    ("#7f8c8d", "other", ("other",)),
)
_COLOUR = {kind: colour for colour, _, kinds in KIND_COLOURS for kind in kinds}

_LEFT, _RIGHT, _TOP, _LANE, _AXIS, _LEGEND = 250, 30, 56, 46, 34, 30


def timeline_svg(
    entries: Sequence[TimelineEntry],
    *,
    lanes: str = "country",
    title: str = "Timeline",
    names: Mapping[str, str] | None = None,
    width: int = 1200,
) -> str:
    """The entries as an SVG picture: one lane per country (or agency), one mark per entry.

    ``names`` gives lane labels (agency or country names by code); each mark carries a
    ``<title>`` (shown on hover) with its date, kind and title.
    """
    if lanes not in LANES:
        raise ArgumentError(f"lanes are by {' or '.join(LANES)}, not {lanes!r}")
    if not 400 <= width <= 10_000:
        raise ArgumentError(f"a picture is 400 to 10000 pixels wide, got {width}")
    key: Callable[[TimelineEntry], str] = (
        (lambda e: e.country or "?") if lanes == "country" else (lambda e: e.agencies[0] if e.agencies else "(no agency)")
    )
    order: dict[str, int] = {}
    for entry in sorted(entries, key=lambda e: e.date):
        order.setdefault(key(entry), len(order))
    names = names or {}
    days = [e.date.earliest for e in entries] + [e.date.latest for e in entries]
    first = min(days, default=dt.date(2000, 1, 1))
    last = max(days, default=first + dt.timedelta(days=365))
    start, end = dt.date(first.year, 1, 1), dt.date(last.year + 1, 1, 1)
    span = (end - start).days or 1
    inner = width - _LEFT - _RIGHT
    height = _TOP + _LANE * max(len(order), 1) + _AXIS + 3 * _LEGEND

    def x(day: dt.date) -> float:
        return _LEFT + inner * (day - start).days / span

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{_e(title)}" font-family="system-ui, sans-serif" font-size="13">',
        f"<title>{_e(title)}</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{_LEFT}" y="28" font-size="18" font-weight="600" fill="#1d2430">{_e(title)}</text>',
    ]
    bottom = _TOP + _LANE * max(len(order), 1)
    years = range(start.year, end.year + 1)
    step = max(1, len(years) // 12)
    for year in years:
        gx = x(dt.date(year, 1, 1))
        parts.append(f'<line x1="{gx:.1f}" y1="{_TOP}" x2="{gx:.1f}" y2="{bottom}" stroke="#e3e7ee"/>')
        if (year - start.year) % step == 0 and year < end.year:
            parts.append(f'<text x="{gx + 3:.1f}" y="{bottom + 18}" fill="#5b6575">{year}</text>')
    for lane, row in order.items():
        y = _TOP + _LANE * row
        parts.append(f'<g class="lane" data-lane="{_e(lane)}">')
        parts.append(f'<rect x="{_LEFT}" y="{y}" width="{inner}" height="{_LANE}" fill="{"#f6f8fb" if row % 2 else "#ffffff"}"/>')
        label = names.get(lane, lane)
        parts.append(
            f'<text x="{_LEFT - 10}" y="{y + _LANE / 2 + 4:.1f}" text-anchor="end" fill="#1d2430">{_e(_short(label))}</text>'
        )
        parts.append("</g>")
    seen: dict[tuple[str, int], int] = {}
    for entry in entries:
        row = order[key(entry)]
        mid = entry.date.earliest + (entry.date.latest - entry.date.earliest) / 2
        cx = x(mid)
        slot = seen.get((key(entry), round(cx / 6)), 0)
        seen[(key(entry), round(cx / 6))] = slot + 1
        cy = _TOP + _LANE * row + _LANE / 2 + ((slot % 3) - 1) * 11
        colour = _COLOUR.get(entry.kind, "#7f8c8d")
        detail = f"{entry.date}  {entry.kind.replace('_', ' ')}: {entry.title}"
        ident = entry.event or ", ".join(entry.regulations)
        shape = (
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5.5" fill="{colour}"/>'
            if entry.event
            else f'<rect x="{cx - 5:.1f}" y="{cy - 5:.1f}" width="10" height="10" fill="{colour}" '
            f'transform="rotate(45 {cx:.1f} {cy:.1f})"/>'
        )
        parts.append(
            f'<g class="mark" data-kind="{_e(entry.kind)}" data-id="{_e(ident)}" data-detail="{_e(detail)}">'
            f"<title>{_e(detail)}</title>{shape}</g>"
        )
    lx: float = _LEFT
    ly = bottom + _AXIS + 8
    for colour, words, _ in KIND_COLOURS:
        item = 26 + 7.8 * len(words)
        if lx + item > width - _RIGHT:  # wrap the legend
            lx, ly = _LEFT, ly + 22
        parts.append(f'<circle cx="{lx + 5}" cy="{ly}" r="5" fill="{colour}"/>')
        parts.append(f'<text x="{lx + 14}" y="{ly + 4}" fill="#1d2430">{_e(words)}</text>')
        lx += item
    note = "circle: an event; diamond: a date of the instrument itself (adopted, in force, amended, repealed)"
    parts.append(f'<text x="{_LEFT}" y="{ly + 26}" fill="#5b6575">{note}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def timeline_html(
    entries: Sequence[TimelineEntry],
    *,
    lanes: str = "country",
    title: str = "Timeline",
    names: Mapping[str, str] | None = None,
    width: int = 1200,
) -> str:
    """The SVG picture (see `timeline_svg`) in a self-contained page; hovering a mark shows its date, kind, title and id."""
    svg = timeline_svg(entries, lanes=lanes, title=title, names=names, width=width)
    return _PAGE.format(title=_e(title), svg=svg, count=len(entries))


def _short(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font: 14px/1.45 system-ui, sans-serif; color: #1d2430; margin: 1.5rem; }}
#detail {{ min-height: 2.6em; margin: .4rem 0 1rem; padding: .4rem .7rem; background: #f6f8fb; border-left: 4px solid #1f5fbf; }}
.mark {{ cursor: pointer; }} .mark:hover circle, .mark:hover rect {{ stroke: #1d2430; stroke-width: 2; }}
svg {{ max-width: 100%; height: auto; }}
@media print {{ #detail {{ display: none; }} }}
</style>
</head>
<body>
<p id="detail">{count} entries. Point at a mark to see its date, kind and title.</p>
{svg}
<script>
document.querySelectorAll('.mark').forEach(function (mark) {{
  mark.addEventListener('mouseenter', function () {{
    document.getElementById('detail').textContent = mark.dataset.detail + '  [' + mark.dataset.id + ']';
  }});
}});
</script>
</body>
</html>
"""
