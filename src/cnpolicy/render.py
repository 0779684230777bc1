"""What people read: explanations, plain-text tables and the coverage page."""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from cnpolicy.logic import Verdict
from cnpolicy.model import Event, Modality, Obligation, Regulation

if TYPE_CHECKING:
    from cnpolicy.dataset import Dataset
    from cnpolicy.engine import Applicability

__all__ = ["articles_words", "coverage_markdown", "explanation_text", "penalty_words", "summary_words", "table"]


# --- explanations -------------------------------------------------------------------------------


def summary_words(applies: int, may_apply: int, instruments: int, caveated: int) -> str:
    """The answer in one line: "2 duties apply and 1 may apply, in 1 instrument; 1 carries caveats"."""
    duties = "1 duty applies" if applies == 1 else f"{applies} duties apply"
    where = "1 instrument" if instruments == 1 else f"{instruments} instruments"
    caveats = "1 carries caveats" if caveated == 1 else f"{caveated} carry caveats"
    return f"{duties} and {may_apply} may apply, in {where}; {caveats}"


def articles_words(articles: tuple[str, ...]) -> str:
    """``('40',)`` -> ``art. 40``; ``('38', '39')`` -> ``arts. 38, 39``."""
    if not articles:
        return "no article given"
    return ("art. " if len(articles) == 1 else "arts. ") + ", ".join(articles)


def explanation_text(item: Applicability) -> str:
    """A plain-text explanation of one verdict a lawyer can read, naming the articles."""
    o = item.obligation
    modality = {Modality.MUST: "must", Modality.MUST_NOT: "must not", Modality.MAY: "may"}[o.modality]
    word = {Verdict.APPLIES: "APPLIES", Verdict.DOES_NOT_APPLY: "DOES NOT APPLY", Verdict.UNDETERMINED: "MAY APPLY"}
    lines = [
        f"{o.id}: {word[item.verdict]} on {item.on.isoformat()}",
        f"  {item.citation}",
        f"  Duty: {o.duty_bearer} {modality} {_clause(o.action)}.",
    ]
    if o.deadline is not None:
        lines.append(f"  Deadline: {o.deadline}.")
    in_force = {True: "in force", False: "not in force", None: "possibly in force (dates known only in part)"}
    lines.append(f"  Time: {in_force[item.in_force]} that day ({_period_words(item.regulation, o)}).")
    if o.applies_if is None:
        lines.append("  Condition: none; it applies to every duty bearer named.")
    else:
        lines.append("  Condition:")
        lines.append(item.explanation.render("    "))
    if item.missing_facts:
        lines.append(f"  Would be decided by: {', '.join(sorted(item.missing_facts))}.")
    if not o.condition_complete and item.explanation.verdict is Verdict.APPLIES and item.in_force is not False:
        lines.append("  At most MAY APPLY: the article limits its scope in ways the condition cannot state (see the caveats).")
    for caveat in o.caveats:
        lines.append(f"  Caveat: {caveat}")
    if o.penalty is not None and (o.penalty.fines or o.penalty.sanctions):
        lines.append(f"  Penalty ({articles_words(o.penalty.articles)}): {penalty_words(o)}.")
    if item.citation.urls:
        tiers = [tier.value for tier in item.citation.tiers] or [""] * len(item.citation.urls)
        shown = [
            f"[{tier}] {url}" if tier else url for url, tier in list(zip(item.citation.urls, tiers, strict=True))[:_SOURCES_SHOWN]
        ]
        more = len(item.citation.urls) - len(shown)
        lines.append(f"  Sources, best first: {'; '.join(shown)}" + (f" (and {more} more in .citation.urls)" if more else ""))
    return "\n".join(lines)


def _clause(action: str) -> str:
    """An action as the rest of a sentence: "Pass the review." -> "pass the review" (acronyms kept)."""
    text = action.strip().rstrip(".")
    return text[0].lower() + text[1:] if text[:1].isupper() and text[1:2].islower() else text


#: How many source URLs `Applicability.explain` prints (the obligation's own sources come first).
_SOURCES_SHOWN = 3


def _period_words(regulation: Regulation, obligation: Obligation) -> str:
    words = [f"effective {regulation.start}" if regulation.start else "effective date unknown"]
    if regulation.repealed:
        words.append(f"repealed {regulation.repealed}")
    if obligation.valid is not None:
        if obligation.valid.from_:
            words.append(f"this duty from {obligation.valid.from_}")
        if obligation.valid.until:
            words.append(f"until {obligation.valid.until}")
    if obligation.introduced_by:
        words.append(f"introduced by the {obligation.introduced_by} amendment")
    return ", ".join(words)


def penalty_words(obligation: Obligation) -> str:
    assert obligation.penalty is not None
    parts = []
    for fine in obligation.penalty.fines:
        who = "the entity" if fine.target.value == "entity" else "the responsible person"
        if fine.min is not None or fine.max is not None:
            low = f"{fine.min:,}" if fine.min is not None else ""
            high = f"{fine.max:,}" if fine.max is not None else ""
            parts.append(
                f"{who}: {low}{' to ' if low and high else ('up to ' if high else '')}{high} {fine.currency}".replace(":  ", ": ")
            )
        if fine.turnover_share_max is not None:
            parts.append(f"{who}: up to {fine.turnover_share_max:.0%} of the previous year's turnover")
    parts.extend(obligation.penalty.sanctions)
    return "; ".join(parts)


# --- plain-text tables --------------------------------------------------------------------------


def _width(text: str) -> int:
    """Display width in a terminal: East Asian wide and full-width characters take two columns."""
    if text.isascii():
        return len(text)
    return sum(map(_char_width, text))


@functools.lru_cache(maxsize=4096)
def _char_width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 0 if unicodedata.combining(char) else 1


def _fit(text: str, width: int) -> str:
    used = _width(text)
    if used <= width:
        return text + " " * (width - used)
    out, used = "", 0
    for char in text:
        if used + _char_width(char) > width - 1:
            break
        out += char
        used += _char_width(char)
    return out + "…" + " " * (width - used - 1)


def table(rows: Sequence[Sequence[str]], header: Sequence[str], *, max_width: int = 60, whole: Iterable[int] = ()) -> str:
    """A plain-text table with columns aligned for wide (Chinese) characters.

    Cells longer than ``max_width`` are cut with "…", except in the ``whole`` columns (ids, which
    must stay whole to be pasted into ``cnpolicy show``).
    """
    keep = set(whole)
    widths = []
    for i, h in enumerate(header):
        widest = max([_width(h)] + [_width(r[i]) for r in rows])
        widths.append(widest if i in keep else min(max_width, widest))
    lines = ["  ".join(_fit(h, w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(_fit(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows)
    return "\n".join(lines)


# --- the coverage page --------------------------------------------------------------------------


def _table(header: tuple[str, ...], rows: Iterable[tuple[object, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(str(c) for c in row) + " |" for row in rows)
    return [*lines, ""]


def _most_first(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])


def _share(count: int, total: int) -> str:
    return f"{count}/{total} ({100 * count / total:.0f}%)" if total else "0/0"


def _rests_on_copies(ds: Dataset, source_ids: Iterable[str]) -> bool:
    return all(ds.sources[sid].tier.value == "copy" for sid in source_ids)


def _copies_only(ds: Dataset) -> list[str]:
    """The regulations, and the count of obligations, that rest only on copies."""
    regs = [r for r in ds.regulations.values() if _rests_on_copies(ds, r.sources)]
    obls = [o for o in ds.obligations.values() if _rests_on_copies(ds, (*o.sources, *ds.regulations[o.regulation].sources))]
    lines = [
        f"Resting only on copies: {_share(len(regs), len(ds.regulations))} regulations, "
        f"{_share(len(obls), len(ds.obligations))} obligations.",
        "",
    ]
    if regs:
        lines += ["Regulations resting only on copies (better sources wanted):", ""]
        lines += [f"- `{r.id}`: {r.title.en}" for r in regs]
        lines.append("")
    return lines


def _by_jurisdiction(regs: list[Regulation], events: list[Event]) -> list[tuple[str, int, int, int, int]]:
    codes = {r.jurisdiction for r in regs} | {e.country for e in events if e.country}
    rows = [
        (
            code,
            sum(1 for r in regs if r.jurisdiction == code),
            sum(len(r.obligations) for r in regs if r.jurisdiction == code),
            sum(1 for e in events if e.country == code),
            sum(1 for e in events if e.target_country == code),
        )
        for code in codes
    ]
    return sorted(rows, key=lambda row: (-row[1] - row[3], row[0]))


def _not_covered(ds: Dataset) -> list[str]:
    """What the data does not cover yet, worked out from the records (so the list stays true)."""
    unrecorded = [r for r in ds.regulations.values() if r.duties_unrecorded]
    unread = [o for o in ds.obligations.values() if not o.reviewed]
    no_article = [o for o in ds.obligations.values() if not o.articles]
    kinds = {r.kind.value for r in ds.regulations.values()}
    copies = [s for s in ds.sources.values() if s.copy]
    verified = sum(1 for s in copies if s.official_url)
    lines = [
        "## What is not covered yet",
        "",
        "- Scope: national instruments of the People's Republic of China and selected foreign measures aimed at",
        "  Chinese technology. "
        + ("No local regulations. " if "local_regulation" not in kinds else "")
        + ("No judicial interpretations. " if "judicial_interpretation" not in kinds else "")
        + "Hong Kong, Macao and Taiwan law is not covered.",
        f"- Binding instruments whose duties are not recorded ({len(unrecorded)}); answers list them as unchecked:",
        *[f"  - `{r.id}`: {r.title.en}" for r in unrecorded],
        f"- Obligations whose condition has not been read again against the article since it was first recorded:"
        f" {_share(len(unread), len(ds.obligations))} (their records have no `reviewed` date).",
        f"- Obligations recorded without an article number (the notes say why): {_share(len(no_article), len(ds.obligations))}.",
        f"- Copies whose document was also opened on its issuer's own site (`official_url`): {_share(verified, len(copies))}.",
        "- Standards: recommended national standards (GB/T) are recorded as instruments; only some carry duties,",
        "  as practice under the laws that refer to them.",
        "",
    ]
    return lines


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
        "## By jurisdiction",
        "",
        "Events count by the country that acted and by the country targeted.",
        "",
        *_table(
            ("jurisdiction", "regulations", "obligations", "events (acted)", "events (targeted)"),
            _by_jurisdiction(regs, events),
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
        "## Sources by tier",
        "",
        "A source's tier is derived from its record by the rules in `cnpolicy.model.tiers`: a third-party copy, or a",
        "site we could not vet, is a copy; a government site is official; recognised translators, law firms, think",
        "tanks and established news media are reputable. An obligation rests on copies only when its own sources and",
        "its instrument's sources are all copies.",
        "",
        *_table(
            ("tier", *sorted({s.kind.value for s in ds.sources.values()}), "all"),
            [
                (
                    tier,
                    *(
                        sum(1 for s in ds.sources.values() if s.tier.value == tier and s.kind.value == k)
                        for k in sorted({s.kind.value for s in ds.sources.values()})
                    ),
                    sum(1 for s in ds.sources.values() if s.tier.value == tier),
                )
                for tier in ("official", "reputable", "copy")
            ],
        ),
        *_copies_only(ds),
        *_not_covered(ds),
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
