"""``python -m workshop``: managing workshops from the command line.

Commands::

    demo [--participants N] [--seed S] [--reveal] [--with-plan] [--base-url URL]
        create the sample workshop with N simulated participants who have
        scored round 1 (closed, or revealed with --reveal); prints the join
        code, the facilitator key and the links.  --with-plan also records
        the decision on Bromley's five, sets their indicators (National
        Indicator Set names, illustrative values) with four quarters of
        actuals (``workshop.demo_plan``) and prints each lead's link
    demo --consultation [--participants N] [--per-person K] [--seed S] [--base-url URL]
        the sample workshop with a young people's consultation that ran for
        two weeks and closed yesterday, answered by N simulated respondents
        (default 650), each on a balanced share of K priorities (default 8)
    list
        every workshop: code, created, title, organisation
    export CODE [--key KEY] [--format json|csv|xlsx|html|docx|summary] [--without-names] [-o FILE]
    export CODE [--key KEY] --format performance [--period 2012-Q1] [-o FILE.html|FILE.docx|FILE.xlsx]
        json is the archive (``workshop.archive``); the other formats come
        from ``workshop.exports``.  ``performance`` is the quarterly
        performance report for the period (default: the latest with any
        value), as HTML (the default), Word or Excel by the -o file's ending.  Default format json; default file the
        export's own name, in the current folder.  The archive is the one
        export that holds participants' display names (the others say
        "Participant N"); ``--without-names`` writes it with each called
        "Anonymous N", which imports with the same answers and results
    import FILE [--base-url URL]
        restore an archive as a new workshop; prints its new code and key
    review CODE [--key KEY] [--base-url URL]
    review ARCHIVE.json [--base-url URL]
        start the annual review of last year's workshop (in this database,
        with its facilitator key) or of its JSON archive (no key: the file
        is the record): a new workshop with the same priorities (last
        year's agreed ones marked), criteria and groups, whose board paper
        compares its decision with last year's; prints its code, key and links
    migrate
        apply the database migrations not yet applied

The database is ``--database-url`` if given, else ``DATABASE_URL``, else the
SQLite file ``PRIORITISE_DB_PATH`` (see ``workshop.config``).

Exports need the workshop's facilitator key (``--key`` or the environment
variable ``PRIORITISE_FACILITATOR_KEY``, which keeps it out of the shell's
history): every format but the summary holds each participant's individual scores, under a
pseudonym, which only the facilitator sees in the app.  ``list`` and
``import`` need no key: join codes are not secrets, and importing creates a
new workshop, as anyone may.

Links are printed relative to the app (``/?w=CODE&k=KEY``) unless
``--base-url`` gives the app's address.  Problems exit with status 1 and one
line on stderr (``error: …``), never a traceback; usage mistakes are
argparse's (status 2).  Output is printed only when a command succeeds.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from workshop.archive import dumps, loads, without_names
from workshop.config import Settings
from workshop.db import get_engine, normalize_url
from workshop.demo import DEFAULT_PARTICIPANTS, DEFAULT_SEED, MAX_PARTICIPANTS, create_demo
from workshop.demo_consultation import DEFAULT_PER_PERSON, DEFAULT_RESPONDENTS, create_consultation_demo
from workshop.demo_plan import PlanDemo, create_plan_demo
from workshop.errors import DatabaseError, WorkshopError
from workshop.migrations import MIGRATIONS
from workshop.models import LEAD_PATH, LEAD_TOKEN_PARAMETER, RoundState, Workshop
from workshop.progress import plan_status
from workshop.service import WorkshopService
from workshop.store import Store

KEY_VARIABLE = "PRIORITISE_FACILITATOR_KEY"
FORMATS = ("json", "csv", "xlsx", "html", "docx", "summary", "performance")
PERFORMANCE = "performance"
JOIN_PATH = "join"
RELATIVE_NOTE = "Links are relative: put the app's address in front (e.g. http://localhost:8501), or use --base-url."


class CliError(Exception):
    """A problem to report on one line (exit status 1)."""


@dataclass(frozen=True)
class Written:
    """What ``export`` wrote."""

    path: Path
    size: int


# --------------------------------------------------------------------------- helpers


def _service(args: argparse.Namespace) -> WorkshopService:
    return WorkshopService(Store.open(_database_url(args)))


def _database_url(args: argparse.Namespace) -> str:
    if not args.database_url:
        return Settings.from_env().database_url
    try:
        return normalize_url(args.database_url)
    except ValueError as exc:
        raise CliError(str(exc)) from None


def _links(workshop: Workshop, key: str, base_url: str | None) -> list[str]:
    base = "/" if base_url is None else base_url.rstrip("/") + "/"
    lines = [
        f"Join code:         {workshop.code}",
        f"Facilitator key:   {key}   (shown once: keep it safe)",
        f"Facilitator link:  {base}?{urlencode({'w': workshop.code, 'k': key})}",
        f"Participant link:  {base}{JOIN_PATH}?{urlencode({'code': workshop.code})}",
    ]
    if base_url is None:
        lines.append(RELATIVE_NOTE)
    return lines


def _key(args: argparse.Namespace) -> str:
    key = args.key or os.environ.get(KEY_VARIABLE, "").strip()
    if not key:
        raise CliError(f"give the workshop's facilitator key with --key or the {KEY_VARIABLE} variable")
    return key


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None


def _write(path: Path, data: bytes) -> Written:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror or exc}") from None
    return Written(path, len(data))


def _render_export(service: WorkshopService, key: str, workshop_id: int, fmt: str) -> tuple[str, bytes]:
    """(suggested file name, bytes) from ``workshop.exports.render``.  Until
    that module, or its module for ``fmt``, exists, say so plainly."""
    unavailable = CliError(f"the {fmt} export is not available yet")
    try:
        render = getattr(importlib.import_module("workshop.exports"), "render", None)
        if render is None:
            raise unavailable
        result = render(service, key, workshop_id, fmt)
    except ModuleNotFoundError as exc:
        if (exc.name or "").startswith("workshop.exports"):
            raise unavailable from None
        raise
    except NotImplementedError:
        raise unavailable from None
    return result.filename, result.data


# --------------------------------------------------------------------------- commands


def _lead_lines(found: PlanDemo, base_url: str | None) -> list[str]:
    """What the plan demo adds: the decision, the plan's status in one line, and each lead's link."""
    base = "/" if base_url is None else base_url.rstrip("/") + "/"
    status = plan_status(found.plan)
    counts = Counter(i.status.value for p in status.priorities for i in p.indicators)
    lines = [
        f"Decision recorded on {len(found.plan.agreed)} priorities; {len(found.plan.indicators)} indicators "
        f"(illustrative values) with actuals for {', '.join(p.label for p in found.plan.periods)}: "
        + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())),
    ]
    for link in found.lead_links:
        query = urlencode({LEAD_TOKEN_PARAMETER: link.token})
        lines.append(f"Lead link ({link.priority}):  {base}{LEAD_PATH}?{query}")
    return lines


def run_demo(args: argparse.Namespace) -> str:
    if args.consultation:
        if args.with_plan:
            raise CliError("--with-plan is for the workshop demo, not --consultation")
        return _consultation_demo(args)
    if args.per_person is not None:
        raise CliError("--per-person is for a consultation demo: add --consultation")
    participants = DEFAULT_PARTICIPANTS if args.participants is None else args.participants
    service = _service(args)
    if args.with_plan:
        found = create_plan_demo(service, participants, args.seed)
        demo = found.demo
    else:
        demo = create_demo(service, participants, args.seed, args.reveal)
    first = demo.workshop.rounds[0]
    state = "revealed" if first.state is RoundState.REVEALED else "closed"
    groups = len({p.group for p in demo.participants})
    lines = [
        f"Demo workshop created: {demo.workshop.title}",
        f"{len(demo.participants)} simulated participants from {groups} stakeholder groups scored round 1, "
        f"which is now {state}.",
        *_links(demo.workshop, demo.key, args.base_url),
    ]
    if args.with_plan:
        decision, *leads = _lead_lines(found, args.base_url)
        lines.insert(2, decision)
        at = len(lines) - (lines[-1] == RELATIVE_NOTE)
        lines[at:at] = leads
    return "\n".join(lines) + "\n"


def _consultation_demo(args: argparse.Namespace) -> str:
    if args.reveal:
        raise CliError("--reveal is for the workshop demo, not --consultation")
    respondents = DEFAULT_RESPONDENTS if args.participants is None else args.participants
    per_person = DEFAULT_PER_PERSON if args.per_person is None else args.per_person
    demo = create_consultation_demo(Store.open(_database_url(args)), respondents, per_person, args.seed)
    rnd = next(r for r in demo.workshop.rounds if r.id == demo.round_id)
    lines = [
        f"Demo workshop created: {demo.workshop.title}",
        f"{rnd.label}: {demo.respondents} simulated young people answered {demo.per_person} priorities each "
        f"(a balanced share of {len(rnd.priority_ids)}). {rnd.deadline_sentence}",
        *_links(demo.workshop, demo.key, args.base_url),
    ]
    return "\n".join(lines) + "\n"


def run_list(args: argparse.Namespace) -> str:
    workshops = _service(args).list_workshops()
    if not workshops:
        return "No workshops yet.\n"
    rows = [("CODE", "CREATED", "TITLE", "ORGANISATION")] + [
        (w.code, f"{w.created_at:%Y-%m-%d %H:%M}", w.title, w.organisation) for w in workshops
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)) + "  " + row[3] + "\n"
        for row in rows
    ).replace("  \n", "\n")


def _performance(
    service: WorkshopService, key: str, workshop_id: int, args: argparse.Namespace
) -> tuple[str, bytes, str]:
    """The performance report in the format the output file's ending names (HTML without one)."""
    from workshop.exports.performance import PerformanceFormat, build_performance, render_performance

    suffix = Path(args.output).suffix.lower() if args.output else ""
    fmt = PerformanceFormat.parse(suffix) if suffix else PerformanceFormat.HTML
    content = build_performance(service, key, workshop_id, args.period)
    file = render_performance(content, fmt)
    return file.filename, file.data, f" for {content.period_label} ({fmt.value})"


def run_export(args: argparse.Namespace) -> str:
    if args.period and args.format != PERFORMANCE:
        raise CliError("--period is for --format performance")
    key = _key(args)
    service = _service(args)
    workshop = service.workshop(args.code)
    note = ""
    if args.format == "json":
        archive = service.export_archive(key, workshop.id)
        if args.without_names:
            archive, note = without_names(archive), "; participants as 'Anonymous N', without their names"
        else:
            note = "; it holds participants' display names (--without-names leaves them out)"
        suffix = "-without-names" if args.without_names else ""
        filename, data = f"prioritise-{workshop.code}{suffix}.json", dumps(archive).encode()
    elif args.format == PERFORMANCE:
        filename, data, note = _performance(service, key, workshop.id, args)
    else:
        filename, data = _render_export(service, key, workshop.id, args.format)
    written = _write(Path(args.output or filename), data)
    return (
        f"Wrote {written.path} ({written.size:,} bytes): {args.format} export of {workshop.code}, "
        f"{workshop.title}{note}\n"
    )


def run_import(args: argparse.Namespace) -> str:
    archive = loads(_read(args.file))
    workshop, key = _service(args).import_archive(archive)
    lines = [
        f"Imported {workshop.title} (archived as {archive.code}) as a new workshop.",
        *_links(workshop, key, args.base_url),
        "Its participants' answers are kept, but they cannot resume their places: archives hold no tokens.",
    ]
    return "\n".join(lines) + "\n"


def run_review(args: argparse.Namespace) -> str:
    service = _service(args)
    source = args.source
    if source.lower().endswith(".json") or Path(source).is_file():
        workshop, key = service.start_review_from_archive(loads(_read(source)))
    else:
        last = service.workshop(source)
        workshop, key = service.start_review(_key(args), last.id)
    basis = service.review_basis(workshop.id)
    assert basis is not None  # the review was just started with it
    agreed = "; ".join(p.name for p in basis.agreed)
    lines = [
        f"Started {workshop.title} as a new workshop.",
        f"It reviews {basis.label}: {len(basis.agreed)} agreed then ({agreed}).",
        *_links(workshop, key, args.base_url),
    ]
    return "\n".join(lines) + "\n"


def run_migrate(args: argparse.Namespace) -> str:
    applied = Store(get_engine(_database_url(args))).migrate()
    latest = MIGRATIONS[-1].version
    if not applied:
        return f"The database is up to date (migration {latest}).\n"
    return f"Applied migration{'s' if len(applied) > 1 else ''} {', '.join(map(str, applied))}; now at {latest}.\n"


# --------------------------------------------------------------------------- parser


def _participants(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if not 1 <= value <= MAX_PARTICIPANTS:
        raise argparse.ArgumentTypeError(f"must be 1 to {MAX_PARTICIPANTS}, not {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m workshop", description="Manage Prioritise workshops.")
    parser.add_argument("--database-url", help="database URL (default: DATABASE_URL, else PRIORITISE_DB_PATH)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, run: Callable[[argparse.Namespace], str], help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(run=run)
        return sub

    demo = command("demo", run_demo, "create the sample workshop with a simulated room that has scored round 1")
    demo.add_argument(
        "--participants",
        type=_participants,
        metavar="N",
        help=f"simulated participants (default {DEFAULT_PARTICIPANTS}; with --consultation {DEFAULT_RESPONDENTS})",
    )
    demo.add_argument(
        "--consultation",
        action="store_true",
        help="a closed young people's consultation instead, each respondent answering a balanced share of the list",
    )
    demo.add_argument(
        "--per-person",
        type=int,
        metavar="K",
        help=f"with --consultation: priorities each respondent answers (default {DEFAULT_PER_PERSON})",
    )
    demo.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="S", help="seed of the simulated room")
    demo.add_argument("--reveal", action="store_true", help="reveal round 1's results (default: leave it closed)")
    demo.add_argument(
        "--with-plan",
        action="store_true",
        help="also record the decision on five priorities, their indicators and four quarters of actuals "
        "(round 1 revealed), and print each lead's link",
    )
    demo.add_argument("--base-url", metavar="URL", help="the app's address, to print absolute links")

    command("list", run_list, "list every workshop")

    export = command(
        "export",
        run_export,
        "export a workshop (json: the archive that import reads, the one export that holds participants' "
        "display names; the others say 'Participant N')",
    )
    export.add_argument("code", metavar="CODE", help="the workshop's join code")
    export.add_argument("--key", help=f"the facilitator key (default: the {KEY_VARIABLE} variable)")
    export.add_argument("--format", choices=FORMATS, default="json")
    export.add_argument(
        "--without-names",
        action="store_true",
        help="json: leave out participants' display names (each is 'Anonymous N'; imports with the same answers)",
    )
    export.add_argument(
        "--period", metavar="PERIOD", help="performance: the quarter or month reported (2012-Q1, 2012-03)"
    )
    export.add_argument("-o", "--output", metavar="FILE", help="where to write (default: the export's own name)")

    restore = command("import", run_import, "restore an archive as a new workshop (new code and key)")
    restore.add_argument("file", metavar="FILE", help="a JSON archive written by export")
    restore.add_argument("--base-url", metavar="URL", help="the app's address, to print absolute links")

    review = command(
        "review",
        run_review,
        "start the annual review of last year's workshop (its code, with --key) or of its JSON archive",
    )
    review.add_argument("source", metavar="CODE|ARCHIVE.json", help="last year's join code, or its archive file")
    review.add_argument("--key", help=f"last year's facilitator key (default: the {KEY_VARIABLE} variable)")
    review.add_argument("--base-url", metavar="URL", help="the app's address, to print absolute links")

    command("migrate", run_migrate, "apply the database migrations not yet applied")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command: 0 on success, 1 on a problem (one line on stderr),
    2 on a usage mistake."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, or a usage mistake argparse has already reported
        return exc.code if isinstance(exc.code, int) else 2
    try:
        output = args.run(args)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except CliError as exc:
        return _fail(str(exc))
    except WorkshopError as exc:
        return _fail(exc.message)
    except DatabaseError as exc:
        return _fail(f"the database could not be used: {exc}")
    except Exception as exc:  # the promise is one line, never a traceback
        return _fail(f"unexpected {type(exc).__name__}: {exc}")
    sys.stdout.write(output)
    return 0


def _fail(message: str, status: int = 1) -> int:
    print(f"error: {' '.join(str(message).split())}", file=sys.stderr)
    return status
