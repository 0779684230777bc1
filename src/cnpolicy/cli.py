"""The command line: ``cnpolicy`` and ``python -m cnpolicy``."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from cnpolicy.errors import ArgumentError, CnpolicyError, DataError, DataErrors, NotFoundError
from cnpolicy.model.kinds import KINDS
from cnpolicy.render import table

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["UsageError", "main"]


class UsageError(ArgumentError):
    """A command line that asks for something the command does not do (exit status 2)."""


#: The kinds of record, by plural name, as the commands take them (facts are listed by their name).
_KIND_NAMES = [kind.name for kind in KINDS]


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a day as YYYY-MM-DD, got {text!r}") from None


def _partial(text: str) -> str:
    from cnpolicy.dates import PartialDate

    try:
        return str(PartialDate.parse(text))
    except (TypeError, ValueError):
        raise argparse.ArgumentTypeError(f"expected YYYY, YYYY-MM or YYYY-MM-DD, got {text!r}") from None


_PROFILE_HELP = "YAML file of facts, or example:NAME (see example-profile)"


def _path(text: str) -> Path:
    from pathlib import Path  # imported when a command takes a path: most need none

    return Path(text)


def _profile_file(text: str) -> Path:
    """A profile file, or ``example:NAME`` for an example shipped with the package."""
    if text.startswith("example:"):
        from cnpolicy.profile import example_path

        try:
            return example_path(text.removeprefix("example:"))
        except NotFoundError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
    return _path(text)


def _parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with ``only``, just that command's subparser (building all of them costs
    more than some commands take to run)."""

    def wanted(name: str) -> bool:
        return only is None or name == only

    parser = argparse.ArgumentParser(prog="cnpolicy", description="China's cyber and data rules: query the bundled dataset.")
    _global_options(parser, argparse.SUPPRESS)  # given before the command ...
    parser.set_defaults(data=[], no_bundled=False, json=False)
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, argparse.SUPPRESS)  # ... or after it: the same options, whichever place they are in
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    if wanted("show"):
        show = sub.add_parser(
            "show", parents=[common], help="show a regulation, obligation, agency, event or source by id or name"
        )
        show.add_argument("name")
        show.add_argument("--on", type=_day, metavar="DAY", help="for a name used over time: the record of that day")

    if wanted("search"):
        search = sub.add_parser(
            "search", parents=[common], help="ranked search across regulations, obligations, agencies and events"
        )
        search.add_argument("text")
        search.add_argument("--limit", type=_positive, default=10)

    if wanted("list"):
        listing = sub.add_parser("list", parents=[common], help="list records of one kind, with filters")
        listing.add_argument("what", choices=_KIND_NAMES)
        listing.add_argument("--in-force-on", type=_day, metavar="DAY")
        listing.add_argument("--agency")
        listing.add_argument("--kind")
        listing.add_argument("--topic")
        listing.add_argument("--jurisdiction")
        listing.add_argument("--since", type=_partial, metavar="DATE")
        listing.add_argument("--until", type=_partial, metavar="DATE")
        listing.add_argument("--regulation", help="events about an instrument (any of its names)")
        listing.add_argument("--country", help="events: the country that acted (CN, US, ...)")
        listing.add_argument("--target-country", help="events: the country targeted")

    if wanted("timeline"):
        timeline = sub.add_parser(
            "timeline", parents=[common], help="enactments, entries into force, amendments and events in date order"
        )
        timeline.add_argument("--since", type=_partial, metavar="DATE")
        timeline.add_argument("--until", type=_partial, metavar="DATE")
        timeline.add_argument("--agency", help="an agency, by any of its names")
        timeline.add_argument("--regulation", help="an instrument, by any of its names")
        timeline.add_argument("--kind", action="append", help="an event kind (enactment, fine, ban, ...); may be repeated")
        timeline.add_argument("--country", help="the country that acted (CN, US, ...)")
        timeline.add_argument("--topic")
        timeline.add_argument("--format", choices=["text", "svg", "html"], default="text", help="text, or a picture in lanes")
        timeline.add_argument("--lanes", choices=["country", "agency"], default="country", help="for svg and html")
        timeline.add_argument("--title", help="for svg and html")
        timeline.add_argument("--output", type=_path, metavar="FILE", help="write to FILE instead of the terminal")

    if wanted("obligations"):
        obligations = sub.add_parser(
            "obligations", parents=[common], help="which obligations a company profile has on a day, and why"
        )
        obligations.add_argument(
            "--profile", required=True, type=_profile_file, metavar="FILE", help="YAML file of facts, or example:NAME"
        )
        obligations.add_argument("--on", type=_day, default=dt.date.today(), metavar="DAY", help="default: today")
        obligations.add_argument("--explain", action="store_true", help="explain each verdict")
        obligations.add_argument("--topic")
        obligations.add_argument("--regulation")
        obligations.add_argument("--jurisdiction")
        obligations.add_argument("--all", action="store_true", help="include obligations that do not apply")

    if wanted("report"):
        report = sub.add_parser(
            "report", parents=[common], help="a report to hand to a client: summary, questions, each duty, what changes"
        )
        report.add_argument("--profile", required=True, type=_profile_file, metavar="FILE", help=_PROFILE_HELP)
        report.add_argument("--on", type=_day, default=dt.date.today(), metavar="DAY", help="default: today")
        report.add_argument("--compare", type=_day, metavar="DAY2", help="also show what changes from DAY to DAY2")
        report.add_argument("--group-by", choices=["instrument", "topic"], default="instrument")
        report.add_argument("--format", choices=["md", "html", "csv", "json"], default="md")
        report.add_argument("--output", type=_path, metavar="FILE", help="write to FILE instead of the terminal")
        report.add_argument("--title", help="default: the profile's file name and the day")
        report.add_argument("--topic")
        report.add_argument("--regulation")
        report.add_argument("--jurisdiction")

    if wanted("questions"):
        ask = sub.add_parser(
            "questions", parents=[common], help="the facts to ask a client first: those that decide the most 'may apply' duties"
        )
        ask.add_argument("--profile", required=True, type=_profile_file, metavar="FILE", help=_PROFILE_HELP)
        ask.add_argument("--on", type=_day, default=dt.date.today(), metavar="DAY", help="default: today")
        ask.add_argument("--limit", type=_positive, default=10)

    if wanted("changes"):
        changes = sub.add_parser("changes", parents=[common], help="obligations gained, lost and changed between two days")
        changes.add_argument(
            "--profile", required=True, type=_profile_file, metavar="FILE", help="YAML file of facts, or example:NAME"
        )
        changes.add_argument("--from", dest="start", required=True, type=_day, metavar="DAY")
        changes.add_argument("--to", dest="end", required=True, type=_day, metavar="DAY")
        changes.add_argument("--jurisdiction")
        changes.add_argument("--topic")
        changes.add_argument("--regulation")

    if wanted("example-profile"):
        examples = sub.add_parser("example-profile", parents=[common], help="print an example profile (list them without a name)")
        examples.add_argument("name", nargs="?")

    if wanted("validate"):
        validate = sub.add_parser(
            "validate", parents=[common], help="check a data folder; print every problem as file:line: field: message"
        )
        validate.add_argument("path", type=_path)
        validate.add_argument("--with-bundled", action="store_true", help="check it laid over the bundled data")

    if wanted("export"):
        export = sub.add_parser("export", parents=[common], help="export the dataset")
        formats = ["json", "jsonl", "csv", "parquet", "schema", "coverage", "snapshot"]
        export.add_argument("--format", choices=formats, default="json")
        export.add_argument("--output", type=_path, metavar="FILE", help="write to FILE (required for parquet)")
        export.add_argument(
            "--kind",
            choices=[name for name in _KIND_NAMES if name != "facts"],
            default="regulations",
            help="for csv, jsonl and parquet: which records",
        )
    return parser


#: The commands, in the order `cnpolicy --help` lists them.
COMMANDS = (
    *("show", "search", "list", "timeline", "obligations", "report", "questions", "changes"),
    *("example-profile", "validate", "export"),
)


def _command_in(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names, if it names a known one before any help flag; else None (build them all)."""
    values = False
    for arg in argv:
        if values:  # the value of --data
            values = False
        elif arg == "--data":
            values = True
        elif arg in ("-h", "--help"):
            return None
        elif not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def _global_options(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument(
        "--data", action="append", default=default, metavar="DIR", help="lay a user data folder over the bundled data"
    )
    parser.add_argument("--no-bundled", action="store_true", default=default, help="read only the --data folders")
    parser.add_argument("--json", action="store_true", default=default, help="print JSON instead of tables")


def _load(args: argparse.Namespace) -> Any:
    import cnpolicy

    if args.data:
        return cnpolicy.load(args.data[0], extra=args.data[1:], bundled=not args.no_bundled)
    return cnpolicy.load()


def _emit(out: TextIO, args: argparse.Namespace, value: Any, rows: Sequence[Sequence[str]], header: Sequence[str]) -> None:
    """Print ``value`` as JSON with ``--json`` (a function giving it, where making it costs), else ``rows`` as a table."""
    if args.json:
        from cnpolicy.export import to_json

        out.write(to_json(value() if callable(value) else value) + "\n")
    elif rows:
        ids = [i for i, name in enumerate(header) if name in ("id", "obligation")]  # ids are never cut
        out.write(table(rows, header, whole=ids) + "\n")
    else:
        out.write("nothing found\n")


def _example(args: argparse.Namespace, out: TextIO) -> None:
    from cnpolicy.profile import example_path

    out.write(example_path(args.name).read_text(encoding="utf-8"))


def _show(ds: Any, name: str, out: TextIO, as_json: bool, on: dt.date | None = None) -> None:
    from cnpolicy._snapshot import LazyRecords

    found = next((kind for kind in KINDS if name in getattr(ds, kind.name)), None)
    if found is None:
        try:
            record = ds.lookup(name, on=on)
        except NotFoundError:
            from difflib import get_close_matches

            close = [hit.id for hit in ds.search(name, limit=3)] or get_close_matches(name, list(ds.events), n=3, cutoff=0.5)
            raise NotFoundError(name, close) from None
        found = next(kind for kind in KINDS if isinstance(record, kind.cls))
        name = found.key_of(record)
    records = getattr(ds, found.name)
    # The bundled records' plain data is what unstructuring them gives (tested): no need to build them.
    plain = records.plain(name) if isinstance(records, LazyRecords) else None
    if plain is None:
        from cnpolicy._convert import unstructure

        plain = unstructure(records[name])
    if as_json:
        out.write(json.dumps(plain, ensure_ascii=False, indent=2) + "\n")
        return
    from cnpolicy._yamlwrite import dump

    out.write(dump(plain))
    if found.name == "regulations":
        for item in ds.related(name):
            out.write(f"# {item}\n")
    if found.name == "sources":
        out.write(f"# tier: {records[name].tier.value}\n")


def _run(args: argparse.Namespace, out: TextIO) -> int:
    from cnpolicy.profile import Profile

    if args.command == "example-profile" and args.name is None:
        from cnpolicy.profile import example_profiles

        out.write("".join(f"example:{name}\n" for name in example_profiles()))
        return 0
    if args.command == "validate":
        import cnpolicy

        cnpolicy.load(args.path, bundled=args.with_bundled, cache=False)  # validate reads every YAML file, never a cache
        out.write(f"{args.path}: ok\n")
        return 0
    ds = _load(args)
    if args.command == "example-profile":
        _example(args, out)
    elif args.command == "show":
        _show(ds, args.name, out, args.json, args.on)
    elif args.command == "search":
        hits = ds.search(args.text, limit=args.limit)
        _emit(out, args, hits, [(f"{h.score:.2f}", h.kind, h.id, h.label) for h in hits], ("score", "kind", "id", "label"))
    elif args.command == "list":
        _list(ds, args, out)
    elif args.command == "timeline":
        entries = ds.timeline(
            args.since,
            args.until,
            agency=args.agency,
            regulation=args.regulation,
            kind=args.kind,
            country=args.country,
            topic=args.topic,
        )
        if args.format == "text":
            rows = [(str(e.date), e.kind.replace("_", " "), e.title, e.event or ", ".join(e.regulations)) for e in entries]
            _emit(out, args, entries, rows, ("date", "kind", "what", "id"))
        else:
            _picture(ds, args, entries, out)
    elif args.command == "obligations":
        profile = Profile.from_yaml(args.profile, ds.facts)
        found = ds.obligations_for(
            profile,
            args.on,
            topic=args.topic,
            regulation=args.regulation,
            jurisdiction=args.jurisdiction,
            include_not_applicable=args.all,
        )
        if not args.json:
            from cnpolicy.engine import deciding_facts

            _summary(args.on, found, deciding_facts(found, 3), out)
        if args.explain and not args.json:
            out.write("\n\n".join(a.explain() for a in found) + "\n" if found else "nothing found\n")
        elif args.json or not found:
            _emit(out, args, found, [], ())
        else:
            _grouped(found, out)
            if not args.json:
                _caveat_notes(found, out)
        if not args.json:
            _unrecorded_note(ds, args.on, out)
    elif args.command == "report":
        _report(ds, args, out)
    elif args.command == "questions":
        profile = Profile.from_yaml(args.profile, ds.facts)
        asked = ds.questions(profile, args.on, limit=args.limit)
        table_rows = [(q.fact, str(q.decides), _answer(q.if_yes), _answer(q.if_no), q.description) for q in asked]
        _emit(out, args, asked, table_rows, ("fact", "decides", "if yes: apply / out", "if no: apply / out", "what it means"))
    elif args.command == "changes":
        profile = Profile.from_yaml(args.profile, ds.facts)
        result = ds.changes_for(
            profile, args.start, args.end, jurisdiction=args.jurisdiction, topic=args.topic, regulation=args.regulation
        )
        moves: list[tuple[str, str, str]] = [("gained", a.obligation.id, a.verdict.words) for a in result.gained]
        moves += [("lost", a.obligation.id, a.verdict.words) for a in result.lost]
        for c in result.changed:
            before, after = c.before.obligation.id, c.after.obligation.id
            which = after if before == after else f"{before} -> {after}"
            moves.append(("changed", which, f"{c.before.verdict.words} -> {c.after.verdict.words}"))
        _emit(out, args, result, moves, ("change", "obligation", "verdict"))
    elif args.command == "export":
        _export(ds, args, out)
    return 0


def _picture(ds: Any, args: argparse.Namespace, entries: Sequence[Any], out: TextIO) -> None:
    from cnpolicy.picture import timeline_html, timeline_svg

    if not entries:
        raise UsageError("nothing to draw: no entries match the filters")
    span = f"{entries[0].date.year}-{entries[-1].date.year}"
    title = args.title or f"China's cyber and data rules, {span}: by {args.lanes}"
    names = {
        a.id: a.abbreviations[0] if a.abbreviations and a.abbreviations[0].isascii() else a.name.en for a in ds.agencies.values()
    }
    draw = timeline_svg if args.format == "svg" else timeline_html
    _write(draw(entries, lanes=args.lanes, title=title, names=names), args.output, f"{len(entries)} entries, {args.format}", out)


def _write(text: str, output: Path | None, what: str, out: TextIO) -> None:
    """Print ``text``, or write it to ``output`` and say so."""
    if output is None:
        out.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from None
    out.write(f"wrote {output} ({what})\n")


def _report(ds: Any, args: argparse.Namespace, out: TextIO) -> None:
    from cnpolicy.profile import Profile

    profile = Profile.from_yaml(args.profile, ds.facts)
    title = args.title or f"Obligations of {args.profile.stem} on {args.on.isoformat()}"
    made = ds.report(
        profile,
        args.on,
        compare=args.compare,
        group_by=args.group_by,
        title=title,
        topic=args.topic,
        regulation=args.regulation,
        jurisdiction=args.jurisdiction,
    )
    _write(made.write(args.format), args.output, f"{len(made.items)} duties, {args.format}", out)


def _grouped(found: Sequence[Any], out: TextIO) -> None:
    """The verdicts as one aligned table, grouped by instrument (in the engine's order), ids whole."""
    groups: dict[str, list[Any]] = {}
    for item in found:
        groups.setdefault(item.regulation.id, []).append(item)
    ordered = [item for items in groups.values() for item in items]
    rows = [
        (
            a.verdict.words + (" *" if a.obligation.caveats else ""),
            a.obligation.id,
            ", ".join(a.obligation.articles),
            ", ".join(sorted(a.missing_facts)),
        )
        for a in ordered
    ]
    lines = table(rows, ("verdict", "obligation", "article", "would be decided by"), whole=[1]).split("\n")
    out.write("\n".join(lines[:2]) + "\n")
    at = 2
    for items in groups.values():
        regulation = items[0].regulation
        applies = sum(1 for a in items if a.verdict.value == "applies")
        out.write(f"\n{regulation.title.en} ({regulation.id}): {applies} apply, {len(items) - applies} may apply\n")
        out.write("\n".join(lines[at : at + len(items)]) + "\n")
        at += len(items)


def _summary(on: dt.date, found: Sequence[Any], asked: Sequence[tuple[str, int]], out: TextIO) -> None:
    """The answer first: how many duties apply or may apply, in how many instruments, and the facts to
    ask first (with how many verdicts each could decide)."""
    counts = {verdict: sum(1 for a in found if a.verdict.value == verdict) for verdict in ("applies", "undetermined")}
    instruments = len({a.regulation.id for a in found})
    caveated = sum(1 for a in found if a.obligation.caveats)
    from cnpolicy.render import summary_words

    line = summary_words(counts["applies"], counts["undetermined"], instruments, caveated)
    out.write(f"On {on.isoformat()}: {line} (marked *, listed below the table).\n")
    if asked:
        first = ", ".join(f"{fact} (decides {decides})" for fact, decides in asked)
        out.write(f"Ask first: {first}. See cnpolicy questions.\n\n")
    else:
        out.write("\n")


def _caveat_notes(found: Sequence[Any], out: TextIO) -> None:
    """The footnote to a table of verdicts: each marked obligation's caveats."""
    marked = [a for a in found if a.obligation.caveats]
    if marked:
        out.write("\n* Caveats: read these before relying on the verdict\n")
        for a in marked:
            for caveat in a.obligation.caveats:
                out.write(f"  {a.obligation.id}: {caveat}\n")


def _unrecorded_note(ds: Any, on: dt.date, out: TextIO) -> None:
    """Say which binding instruments in force that day have no duties in the data, so none drops out unseen."""
    missing = ds.unrecorded(on)
    if missing:
        out.write(f"\nIn force on {on.isoformat()} but with no duties recorded in this data (not checked):\n")
        for regulation in missing:
            out.write(f"  {regulation.id}: {regulation.title.en}\n")


#: The filters each kind of record takes in ``cnpolicy list``; any other filter is refused, never ignored.
_LIST_FILTERS = {
    "regulations": {"in_force_on", "kind", "agency", "jurisdiction", "topic"},
    "obligations": {"in_force_on", "agency", "jurisdiction", "topic"},
    "events": {"since", "until", "kind", "agency", "topic", "regulation", "country", "target_country"},
    "agencies": {"jurisdiction"},
    "sources": set(),
    "facts": set(),
    "topics": set(),
}


def _list(ds: Any, args: argparse.Namespace, out: TextIO) -> None:
    what = args.what
    filters = (
        "in_force_on",
        "agency",
        "kind",
        "topic",
        "jurisdiction",
        "since",
        "until",
        "regulation",
        "country",
        "target_country",
    )
    given = {name for name in filters if getattr(args, name)}
    refused = sorted(given - _LIST_FILTERS[what])
    if refused:
        allowed = ", ".join("--" + name.replace("_", "-") for name in sorted(_LIST_FILTERS[what])) or "none"
        flags = ", ".join("--" + name.replace("_", "-") for name in refused)
        raise UsageError(f"list {what} does not filter by {flags} (its filters: {allowed})")
    from cnpolicy._snapshot import peek  # a table reads a few fields: a bundled record is not built for it

    if what == "regulations":
        keys = ds._matching_regulations(
            in_force_on=args.in_force_on, kind=args.kind, agency=args.agency, jurisdiction=args.jurisdiction, topic=args.topic
        )
        regs = [peek(ds.regulations, key) for key in keys]
        rows = [(r.id, r.kind.value, str(r.start or ""), r.title.zh or r.title.en) for r in regs]
        _emit(out, args, lambda: [ds.regulations[key] for key in keys], rows, ("id", "kind", "effective", "title"))
    elif what == "obligations":
        regs = ds.regulations_where(
            in_force_on=args.in_force_on, agency=args.agency, jurisdiction=args.jurisdiction, topic=args.topic
        )
        topics = None if args.topic is None else ds.topic_and_narrower(args.topic)
        obls = [
            o
            for r in regs
            for o in r.obligations
            if topics is None or not topics.isdisjoint(o.topics) or not topics.isdisjoint(r.topics)
        ]
        if args.in_force_on is not None:
            keep = {o.id for o in ds.obligations_in_force(args.in_force_on)}
            obls = [o for o in obls if o.id in keep]
        rows = [(o.id, ", ".join(o.articles), o.modality.value, o.duty_bearer) for o in obls]
        _emit(out, args, obls, rows, ("id", "article", "modality", "duty bearer"))
    elif what == "events":
        keys = ds._matching_events(
            args.since,
            args.until,
            kind=args.kind,
            actor=args.agency,
            topic=args.topic,
            regulation=args.regulation,
            country=args.country,
            target_country=args.target_country,
        )
        event_rows = [(str(e.date), e.kind.value, _countries(e), e.id, e.title) for e in (peek(ds.events, k) for k in keys)]
        _emit(out, args, lambda: [ds.events[key] for key in keys], event_rows, ("date", "kind", "country", "id", "title"))
    elif what == "agencies":
        wanted = None if args.jurisdiction is None else args.jurisdiction.upper()
        agencies = [a for a in ds.agencies.values() if wanted is None or a.jurisdiction == wanted]
        rows = [(a.id, a.jurisdiction, a.name.zh or "", a.name.en) for a in agencies]
        _emit(out, args, agencies, rows, ("id", "jurisdiction", "name (zh)", "name"))
    elif what == "sources":
        sources = list(ds.sources.values())
        _emit(
            out,
            args,
            sources,
            [(s.id, s.kind.value, str(s.date or ""), s.title) for s in sources],
            ("id", "kind", "date", "title"),
        )
    elif what == "topics":
        topics = list(ds.topics.values())
        rows = [(t.id, t.broader or "", t.label.zh or "", t.label.en) for t in topics]
        _emit(out, args, topics, rows, ("id", "broader", "label (zh)", "label"))
    else:
        facts = list(ds.facts.values())
        rows = [(f.name, f.type.value, _fact_values(f), f.description) for f in facts]
        _emit(out, args, facts, rows, ("name", "type", "values / implies", "description"))


def _countries(event: Any) -> str:
    """``US -> CN``: the country that acted and the one targeted."""
    return f"{event.country or '?'} -> {event.target_country}" if event.target_country else event.country or ""


def _answer(counts: tuple[int, int] | None) -> str:
    return "" if counts is None else f"{counts[0]} / {counts[1]}"


def _fact_values(spec: Any) -> str:
    """What a fact can be: its values, its unit and range, or the facts it implies."""
    if spec.values:
        return ", ".join(spec.values)
    if spec.implies:
        return "implies " + ", ".join(spec.implies)
    return spec.unit or ""


def _export(ds: Any, args: argparse.Namespace, out: TextIO) -> None:
    from cnpolicy import export

    records = getattr(ds, args.kind)
    if args.format == "parquet":
        if args.output is None:
            raise UsageError("export --format parquet writes a file: give --output FILE")
        try:
            export.to_parquet(records.values(), args.output)
        except OSError as error:
            raise UsageError(f"cannot write {args.output}: {error.strerror or error}") from None
        out.write(f"wrote {args.output} ({len(records)} {args.kind}, parquet)\n")
        return
    if args.output is not None:
        buffer = io.StringIO()
        _export_text(ds, args, records, buffer)
        _write(buffer.getvalue(), args.output, f"{args.kind}, {args.format}", out)
        return
    _export_text(ds, args, records, out)


def _export_text(ds: Any, args: argparse.Namespace, records: Any, out: TextIO) -> None:
    from cnpolicy import export

    if args.format == "json":
        out.write(export.to_json(ds) + "\n")
    elif args.format == "jsonl":
        out.write(export.to_jsonl(records.values()))
    elif args.format == "csv":
        out.write(export.to_csv(records.values()))
    elif args.format == "snapshot":
        from cnpolicy._load import compile_bundled_snapshot

        out.write(compile_bundled_snapshot() + "\n")
    elif args.format == "coverage":
        from cnpolicy.render import coverage_markdown

        out.write(coverage_markdown(ds))
    else:
        out.write(json.dumps(export.json_schema(), ensure_ascii=False, indent=2) + "\n")


#: Characters never written raw to a terminal: C0 and C1 controls but tab and newline, DEL, and the
#: bidirectional overrides and isolates that can make text read differently from what it is.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class _Clean:
    """A text stream that escapes control sequences (``\x1b`` is written as the four characters ``\x1b``)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(_UNSAFE.sub(lambda m: repr(m.group())[1:-1], text))

    def flush(self) -> None:
        self._stream.flush()


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 10_000:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 to 10000, got {text!r}")
    return value


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 data or lookup problem, 2 usage, 70 internal error).

    Everything printed has its control sequences escaped, and no error prints a traceback.
    """
    out: Any = _Clean(stdout or sys.stdout)
    err: Any = _Clean(stderr or sys.stderr)
    try:
        args = _parser(_command_in(sys.argv[1:] if argv is None else argv)).parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        return _run(args, out)
    except DataErrors as error:
        for problem in error.errors:
            err.write(f"{problem}\n")
        err.write(f"{len(error.errors)} problems\n")
        return 1
    except DataError as error:
        err.write(f"{error}\n")
        return 1
    except UsageError as error:
        err.write(f"cnpolicy: {error}\n")
        return 2
    except CnpolicyError as error:
        err.write(f"cnpolicy: {error}\n")
        return 1
    except BrokenPipeError:  # e.g. piped into head
        return 0
    except Exception as error:  # a bug of ours: one line that says so, never a traceback
        err.write(f"cnpolicy: internal error ({type(error).__name__}: {error}); please report it\n")
        return 70
