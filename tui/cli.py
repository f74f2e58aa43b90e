"""`implan`: the TUI when called alone, every job as a subcommand for scripts and cron.

Imports stay inside the commands: `implan --help` must be fast, and only `implan` alone may
import Textual.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

TYPE_CHECKING = False  # typing is not imported at run time: see tui/lean.py
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

OUTSTANDING_FORMATS = ("text", "md", "json", "ics")
EXIT_OVERDUE = 3


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("implan")
    except PackageNotFoundError:
        return "ukendt (ikke installeret)"


class _VersionAction(argparse.Action):
    """Looks the version up only when asked: reading package metadata costs start-up time."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"implan {_version()}")
        parser.exit()


class _DateArg:
    """argparse type: a date in dd-mm-åååå or ISO, with a Danish message."""

    __name__ = "dato"

    def __call__(self, text: str) -> date:
        from tui.core.dates import DateError, parse_date

        try:
            parsed = parse_date(text)
        except DateError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        if parsed is None:
            raise argparse.ArgumentTypeError("angiv en dato, fx 01-03-2027")
        return parsed


class _DaysArg:
    """argparse type: a whole number of days, 0 or more."""

    __name__ = "dage"

    def __call__(self, text: str) -> int:
        try:
            days = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"»{text}« er ikke et helt antal dage") from None
        if days < 0:
            raise argparse.ArgumentTypeError("antallet af dage kan ikke være negativt")
        return days


class _PortArg:
    """argparse type: a TCP port."""

    __name__ = "port"

    def __call__(self, text: str) -> int:
        if not text.isdigit() or not 1 <= int(text) <= 65535:
            raise argparse.ArgumentTypeError(f"»{text}« er ikke en port (et tal fra 1 til 65535)")
        return int(text)


class _Commands:
    """Adds the subcommands to the parser. With `only` (the command the arguments name), no
    other command is built: parsing `implan list` needs neither their options nor what their
    help texts import."""

    def __init__(self, sub: Any, context: Any, only: str | None) -> None:
        self.sub, self.context, self.only = sub, context, only

    def wants(self, name: str) -> bool:
        return self.only is None or self.only == name  # "" wants none

    def __call__(self, name: str, help_text: str) -> Any:
        if not self.wants(name):
            return _Ignored()
        return self.sub.add_parser(name, help=help_text, description=help_text, context=self.context)


class _Ignored:
    """Stands in for the parser of a command that is not being parsed."""

    def add_argument(self, *args: Any, **kwargs: Any) -> None:
        pass

    def add_mutually_exclusive_group(self, **kwargs: Any) -> _Ignored:
        return self


def _command_in(argv: Sequence[str]) -> str | None:
    """The subcommand the arguments name, if they name one before any option but --db; "" when
    they hold nothing but --db (the TUI starts: no command is needed); None for anything else."""
    tokens = iter(argv)
    for token in tokens:
        if token == "--db":
            next(tokens, None)
        elif not token.startswith("--db="):
            return token if token in COMMANDS else None
    return ""


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole parser; given the arguments, only what parsing them needs (see _Commands)."""
    from tui.cli_parser import DanishParser

    parser = DanishParser(
        prog="implan",
        description="Implementeringsplaner i terminalen. Uden kommando startes programmet.",
        epilog="Databasen vælges med --db eller miljøvariablen IMPLAN_DB.",
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="vis versionsnummer og afslut")
    parser.add_argument("--db", metavar="FIL", type=Path, help="databasefil (standard: i din brugermappe)")
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO", title="kommandoer")

    add = _Commands(sub, parser.context, _command_in(argv) if argv is not None else None)
    _add_plan_commands(add)
    _add_followup_commands(add)
    _add_database_commands(add)
    return parser


_TODAY_HELP = "regn som om i dag er denne dato (dd-mm-åååå)"
_AddCommand = _Commands


def _add_plan_commands(add: _AddCommand) -> None:
    add("templates", "vis skabelonerne")
    p = add("list", "vis alle planer")
    p.add_argument("--today", type=_DateArg(), metavar="DATO", help=_TODAY_HELP)
    p = add("new", "opret en ny plan")
    p.add_argument("template", metavar="SKABELON", help="skabelonens id, fx barnets-lov")
    p.add_argument("title", metavar="TITEL", help="planens titel")
    p.add_argument("--organisation", default="", help="kommune, forvaltning eller organisation")
    p.add_argument("--strict", action="store_true", help="afvis planen, hvis teksten ligner et CPR-nummer")
    p = add("show", "vis en plans fremdrift, initiativer og mangler")
    p.add_argument("plan", metavar="PLAN", help="id, begyndelsen af et id eller titel")
    p.add_argument("--today", type=_DateArg(), metavar="DATO", help=_TODAY_HELP)
    if add.wants("export"):
        _add_export_command(add)
    p = add("import", "importér en plan fra en JSON-fil")
    p.add_argument("file", metavar="FIL", type=Path, help="en plan eksporteret med »implan export --format json«")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--copy", action="store_true", help="importér som ny plan, hvis den findes i forvejen")
    group.add_argument("--replace", action="store_true", help="overskriv planen, hvis den findes i forvejen")
    p.add_argument("--strict", action="store_true", help="afvis planen, hvis den har tekst, der ligner et CPR-nummer")


def _add_export_command(add: _AddCommand) -> None:
    from tui.core.formats import DEFAULT, FORMATS, names, spoken

    p = add("export", f"eksportér en plan som {spoken([f.label for f in FORMATS])}")
    p.add_argument("plan", metavar="PLAN", help="id, begyndelsen af et id eller titel")
    p.add_argument("-o", "--output", metavar="FIL", type=Path, help="skriv til denne fil (ellers til skærmen)")
    p.add_argument("--format", choices=names(),
                   help=f"{spoken(names())} (standard: ud fra filnavnet, ellers {DEFAULT.name})")
    p.add_argument("--with-help", action="store_true",
                   help="tag skabelonens vejledning, hjælpespørgsmål og eksempler med")
    p.add_argument("--with-findings", action="store_true",
                   help="list alle mangler i planen (ellers kun en linje, der tæller dem)")
    p.add_argument("--mermaid", action="store_true",
                   help="tidslinjen som Mermaid-diagram (GitHub, GitLab, Obsidian) i stedet for en tabel")
    p.add_argument("--allow-cpr", action="store_true",
                   help="eksportér, selv om planen har tekst, der ligner et CPR-nummer")
    p.add_argument("--today", type=_DateArg(), metavar="DATO", help=_TODAY_HELP)


def _add_followup_commands(add: _AddCommand) -> None:
    p = add("outstanding", "vis udestående initiativer på tværs af planer, grupperet efter deadline")
    p.add_argument("--plan", metavar="PLAN", help="kun denne plan")
    p.add_argument("--responsible", metavar="NAVN", help="kun initiativer med denne ansvarlige (del af navnet er nok)")
    p.add_argument("--overdue", action="store_true", help="kun initiativer med overskredet deadline")
    p.add_argument("--due-within", type=_DaysArg(), metavar="DAGE",
                   help="kun initiativer med deadline inden for så mange dage (overskredne medregnet)")
    p.add_argument("--all", action="store_true", help="tag også gennemførte og udgåede med")
    p.add_argument("--format", choices=OUTSTANDING_FORMATS, default="text",
                   help="text, md (med --responsible: personens egen liste), json eller ics (kalender)")
    p.add_argument("-o", "--output", metavar="FIL", type=Path, help="skriv til denne fil (ellers til skærmen)")
    p.add_argument("--fail-if-overdue", action="store_true",
                   help="afslut med kode 3, hvis et af de viste initiativer er overskredet (til cron)")
    p.add_argument("--today", type=_DateArg(), metavar="DATO", help=_TODAY_HELP)
    p = add("agenda", "dagsorden til opfølgningsmødet som Markdown")
    p.add_argument("plan", metavar="PLAN", help="id, begyndelsen af et id eller titel")
    p.add_argument("--next", type=_DateArg(), metavar="DATO",
                   help="næste mødes dato (standard: den planlagte, ellers om 14 dage)")
    p.add_argument("-o", "--output", metavar="FIL", type=Path,
                   help="skriv til denne fil (ellers til skærmen); .docx og .html giver Word og HTML")
    p.add_argument("--allow-cpr", action="store_true", help="skriv, selv om planen har tekst, der ligner et CPR-nummer")
    p.add_argument("--today", type=_DateArg(), metavar="DATO", help=_TODAY_HELP)
    p = add("timeline", "tidslinje: måneder hen ad, initiativer ned ad")
    p.add_argument("plan", metavar="PLAN", nargs="?",
                   help="id, begyndelsen af et id eller titel (standard: alle planer)")
    p.add_argument("--format", choices=("text", "mermaid"), default="text", help="text eller mermaid (Markdown)")
    p.add_argument("--today", type=_DateArg(), metavar="DATO", help=_TODAY_HELP)
    p = add("meeting", "markér et opfølgningsmøde i en plan")
    p.add_argument("plan", metavar="PLAN", help="id, begyndelsen af et id eller titel")
    p.add_argument("--note", default="", metavar="TEKST", help="en kort note om mødet")
    p.add_argument("--next", type=_DateArg(), metavar="DATO", help="næste mødes dato")
    p = add("changes", "hvad er ændret siden sidste opfølgningsmøde")
    p.add_argument("plan", metavar="PLAN", help="id, begyndelsen af et id eller titel")
    p.add_argument("--today", type=_DateArg(), metavar="DATO", help=_TODAY_HELP)


def _add_database_commands(add: _AddCommand) -> None:
    p = add("demo", "indlæs eksempelplanerne (én for hver skabelon)")
    p.add_argument("--today", type=_DateArg(), metavar="DATO", help=_TODAY_HELP)
    p = add("validate", "kontrollér en skabelon- eller planfil")
    p.add_argument("file", metavar="FIL", type=Path, help="skabelon (.json) eller eksporteret plan (.json)")
    add("backups", "vis sikkerhedskopierne af databasen")
    p = add("restore", "gendan databasen fra en sikkerhedskopi")
    p.add_argument("backup", metavar="KOPI", nargs="?", type=Path, help="standard: den nyeste")
    p = add("set-aside", "vis beskadigede planer, der er lagt til side, og hent dem ud som planfil")
    p.add_argument("number", metavar="NR", nargs="?", help="planens nummer i listen (uden: vis listen)")
    p.add_argument("-o", "--output", metavar="FIL", type=Path, help="skriv planfilen hertil (ellers til skærmen)")
    p.add_argument("--dismiss", action="store_true",
                   help="nævn den ikke mere (den bliver liggende uændret i databasen)")
    p = add("serve", "kør implan i browseren for hele gruppen: én server, én database")
    p.add_argument("--host", default="127.0.0.1", metavar="ADRESSE",
                   help="adressen, serveren lytter på (standard: 127.0.0.1, kun denne maskine; "
                   "en anden adresse kræver --token)")
    p.add_argument("--port", type=_PortArg(), default=8000, help="porten (standard: 8000)")
    p.add_argument("--db", dest="serve_db", metavar="FIL", type=Path, help="databasefil (som --db før kommandoen)")
    p.add_argument("--token", nargs="?", const="", metavar="NØGLE",
                   help="kræv en adgangsnøgle; uden NØGLE laves en og vises én gang "
                   "(eller sæt miljøvariablen IMPLAN_SERVE_TOKEN)")
    p.add_argument("--public-url", metavar="URL",
                   help="adressen, brugerne når serveren på gennem en proxy, fx https://implan.kommune.dk")
    p = add("completion", "vis et script til tab-fuldførelse i skallen")
    p.add_argument("shell", metavar="SKAL", choices=("bash", "zsh", "fish"),
                   help="bash, zsh eller fish (README fortæller, hvor scriptet skal ligge)")


# Commands whose result is what they print: with stdout closed there is nowhere for it to go.
STDOUT_COMMANDS = {"templates", "list", "show", "export", "outstanding", "agenda", "timeline", "changes",
                   "validate", "backups", "completion"}


def main(argv: Sequence[str] | None = None) -> int:
    from tui.core.text import SafeStream

    streams = sys.stdout, sys.stderr
    stdout_closed = sys.stdout is None  # started with fd 1 closed (`implan list >&-`)
    # Nothing from data, a file or an argument reaches the terminal raw (tui/core/text.py).
    sys.stdout = SafeStream(sys.stdout) if sys.stdout is not None else open(os.devnull, "w")  # noqa: SIM115
    if sys.stderr is not None:
        sys.stderr = SafeStream(sys.stderr)
    try:
        args = build_parser(sys.argv[1:] if argv is None else argv).parse_args(argv)
        if args.command is None:
            sys.stdout, sys.stderr = streams  # the TUI writes its own escape sequences
            return _run_ui(args)
        if stdout_closed and args.command in STDOUT_COMMANDS and getattr(args, "output", None) is None:
            print("implan: standardoutput er lukket, så resultatet kan ikke skrives. Send det til en fil "
                  "(> FIL eller -o FIL) eller til /dev/null.", file=sys.stderr)
            return 1
        return _run_command(args)
    finally:
        if sys.stdout is not streams[0] and isinstance(sys.stdout, SafeStream):
            with contextlib.suppress(OSError, ValueError):
                sys.stdout.flush()
        sys.stdout, sys.stderr = streams


def _run_command(args: argparse.Namespace) -> int:
    try:
        code = COMMANDS[args.command](args)
        sys.stdout.flush()  # a full disk or a closed pipe is reported here, not at exit
        return code
    except BrokenPipeError:
        # The reader went away (`implan export X | head`): not an error worth a message.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        from tui.fileio import describe_os_error

        print(f"implan: {describe_os_error(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        # The user's errors are known only here: importing them up front would import the whole
        # core before a command that needs little of it (implan list).
        from tui.core.errors import USER_ERRORS
        from tui.core.text import safe_for_terminal

        if not isinstance(exc, USER_ERRORS):
            raise
        print(f"implan: {safe_for_terminal(describe_error(exc))}", file=sys.stderr)
        return 1


def describe_error(exc: Exception) -> str:
    """A user error as the terminal says it: a store error gets the command or flag that helps."""
    from tui.store import errors

    text = str(exc)
    if isinstance(exc, errors.DatabaseDamaged) and exc.newest_backup:
        return f'{text}\nGendan den med: implan --db "{exc.path}" restore'
    if isinstance(exc, errors.PlanExists):
        return f"{text} Brug --copy for at importere den som en ny plan eller --replace for at overskrive den."
    if isinstance(exc, errors.DatabasePathLoop):
        return f"{text} Ret linket, eller vælg en anden fil med --db."
    return text


def _db_path(args: argparse.Namespace) -> Path:
    from tui.paths import default_db_path

    return args.db.expanduser() if args.db else default_db_path()


def _workspace(args: argparse.Namespace, *, write: bool = False, with_rows: bool = False):
    """The Workspace, its warnings printed; `with_rows`: its overview makes what `implan
    outstanding` reads of each plan (Workspace.with_rows)."""
    from tui.core.workspace import Workspace

    ws = Workspace.open(_db_path(args), write=write)
    ws.with_rows = with_rows
    for err in ws.library.errors:
        print(f"implan: advarsel: {err}", file=sys.stderr)
    for notice in ws.notices():
        print(f"implan: advarsel: {notice}", file=sys.stderr)
    return ws


def _today(args: argparse.Namespace) -> date:
    return getattr(args, "today", None) or date.today()


def _in_browser() -> bool:
    """A session `implan serve` started: Textual talks to the browser over pipes, not a terminal."""
    return bool(os.environ.get("IMPLAN_WEB_SESSION")) and "web_driver" in os.environ.get("TEXTUAL_DRIVER", "")


def _run_ui(args: argparse.Namespace) -> int:
    if _in_browser():
        from tui.app import run

        return run(_db_path(args))
    if sys.stdin is None or sys.stdout is None or not sys.stdin.isatty() or not sys.stdout.isatty():
        print("implan: programmet skal køre i en terminal. Se kommandoerne med: implan --help", file=sys.stderr)
        return 2
    from tui.app import run  # the only place Textual gets imported

    return run(_db_path(args))


# -- commands --------------------------------------------------------------------------------------

def cmd_templates(args: argparse.Namespace) -> int:
    from tui.cli_format import render_table
    from tui.core.templates import load_library

    library = load_library()
    rows = []
    for t in library:
        items = t.item_count()
        counted = f"{items} {'elementer' if items != 1 else 'element'}" if items else "egne elementer"
        rows.append([t.id, t.title, f"{len(t.sections)} {t.sections_label.lower()}", counted, t.version,
                     "" if t.builtin else "egen"])
    sys.stdout.write(render_table(["Id", "Titel", "Afsnit", "Indhold", "Version", ""], rows))
    for err in library.errors:
        print(f"implan: advarsel: {err}", file=sys.stderr)
    return 0


def _overview(args: argparse.Namespace):
    """The plan list, from the cache beside the database when it is valid (then neither the
    database nor the templates are read); its warnings printed."""
    from tui.core.summaries import cached_overview

    db_path = _db_path(args)
    overview = cached_overview(db_path)
    if overview is None:
        from tui.core.workspace import Workspace

        ws = Workspace.open(db_path)
        overview = ws.overview()
        notices = ws.notices(overview)
    else:
        notices = overview.notices_for(db_path)
    for err in overview.library_errors:
        print(f"implan: advarsel: {err}", file=sys.stderr)
    for notice in notices:
        print(f"implan: advarsel: {notice}", file=sys.stderr)
    return overview


def cmd_list(args: argparse.Namespace) -> int:
    from tui.cli_format import render_table
    from tui.core.dates import format_date

    overview = _overview(args)
    for problem in overview.problems:
        print(f"implan: advarsel: {problem}", file=sys.stderr)
    if not overview.plans:
        print("Der er ingen planer endnu. Opret en med »implan new« eller hent eksemplerne med »implan demo«.",
              file=sys.stderr)
        return 0
    today = _today(args)
    rows = [[s.id[:8], s.title, s.template_title, f"{s.progress.summary()} ({s.progress.percent} %)",
             format_date(s.next_deadline(today)) or "–", str(s.overdue_count(today))] for s in overview.plans]
    sys.stdout.write(render_table(["Id", "Titel", "Skabelon", "Fremdrift", "Næste deadline", "Overskredne"], rows,
                                  highlight=[r[-1] != "0" for r in rows]))
    return 0


def _cpr_hits_report(hits) -> None:
    """CPR-like text in a plan, on stderr: where, the number masked."""
    from tui.core.cpr import CPR_WARNING, describe_hits

    lines = "".join(f"\n  {line}" for line in describe_hits(hits))
    print(f"implan: advarsel: tekst, der ligner et CPR-nummer – {CPR_WARNING}:{lines}", file=sys.stderr)


def _cpr_allowed(plan, args: argparse.Namespace, what: str = "Planen »{title}« er ikke eksporteret.") -> bool:
    """An export of a plan with CPR-like text goes only with --allow-cpr; nothing is written."""
    from tui.core.cpr import mask_cpr, plan_cpr_hits

    hits = plan_cpr_hits(plan)
    if not hits:
        return True
    _cpr_hits_report(hits)
    if args.allow_cpr:
        print("implan: skrevet alligevel (--allow-cpr).", file=sys.stderr)
        return True
    print(f"implan: {what.format(title=mask_cpr(plan.title))} Fjern numrene (F2 i planen viser, hvor de står), "
          "eller skriv alligevel med --allow-cpr.", file=sys.stderr)
    return False


def cmd_new(args: argparse.Namespace) -> int:
    from tui.core.cpr import CprHit, find_cpr

    hits = [CprHit(m, where) for text, where in ((args.title, "planens titel"),
                                                (args.organisation, "planens organisation")) for m in find_cpr(text)]
    if hits:
        _cpr_hits_report(hits)
        if args.strict:
            print("implan: planen er ikke oprettet (--strict). Skriv titlen uden nummeret.", file=sys.stderr)
            return 1
    ws = _workspace(args, write=True)
    plan = ws.create(args.template, args.title, args.organisation)
    print(f"Planen »{plan.title}« er oprettet med id {plan.id}.", file=sys.stderr)
    print(plan.id)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from tui.cli_format import render_table
    from tui.core.export_md import INITIATIVE_HEADERS, initiative_rows
    from tui.core.findings import plan_findings
    from tui.core.initiatives import by_deadline, plan_initiatives

    ws = _workspace(args)
    plan = ws.resolve(args.plan)
    today = _today(args)
    out = sys.stdout
    progress = plan.progress()
    out.write(f"{plan.title}\n")
    out.write(f"{plan.organisation or 'Ingen organisation angivet'} · {plan.template.title} · id {plan.id}\n")
    out.write(f"Fremdrift: {progress.summary()} ({progress.percent} %)\n\n")
    out.write(render_table([plan.template.section_label, "Udfyldt", "Elementer"],
                           [[s.section.heading, f"{s.percent} %", str(s.item_count)]
                            for s in progress.sections]))
    inits = by_deadline(plan_initiatives(plan))
    out.write(f"\nInitiativer ({len(inits)}):\n")
    if inits:
        out.write(render_table(INITIATIVE_HEADERS, initiative_rows(inits, today),
                               highlight=[i.is_overdue(today) for i in inits]))
    findings = plan_findings(plan)
    out.write(f"\nMangler ({len(findings)}):\n")
    for finding in findings:
        out.write(f"- {finding.label}: {finding.message}\n")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from tui.core import formats

    fmt = formats.get(args.format) if args.format else None
    if fmt is None and args.output is not None:
        fmt = formats.for_path(args.output)
    fmt = fmt or formats.DEFAULT
    ws = _workspace(args)
    plan = ws.resolve(args.plan)
    if not _cpr_allowed(plan, args):
        return 1
    document = formats.Document(plan.title, plan, today=_today(args), with_help=args.with_help,
                                with_findings=args.with_findings, mermaid=args.mermaid)
    _write_output(fmt.render(document), args.output)
    return 0


def _refuse_if_open(store, plan_ids: list[str] | None, refused: str) -> bool:
    """True (with a Danish message) when a plan that would be replaced is open in a window:
    its editor's typing must not be overwritten behind its back."""
    busy = store.open_elsewhere(plan_ids)
    if not busy:
        return False
    titles = []
    for plan_id in busy:
        stored = store.get_plan(plan_id)
        titles.append(f"»{stored['title']}«" if stored and isinstance(stored.get("title"), str) else "en plan")
    print(f"implan: {refused}: {', '.join(titles)} er åben i implan lige nu. Luk planen dér først "
          "(Esc eller Ctrl+Q), og kør så kommandoen igen.", file=sys.stderr)
    return True


def cmd_import(args: argparse.Namespace) -> int:
    from tui.core.cpr import plan_cpr_hits
    from tui.core.exchange import read_plan_file

    ws = _workspace(args, write=True)
    data, _anchor = read_plan_file(args.file, ws.library)
    if args.strict and (hits := plan_cpr_hits(ws.wrap(data))):
        _cpr_hits_report(hits)
        print("implan: planen er ikke importeret (--strict). Fjern numrene i filen og prøv igen.", file=sys.stderr)
        return 1
    if args.replace and _refuse_if_open(ws.store, [data["id"]], "Planen er ikke erstattet"):
        return 1
    plan = ws.import_data(data, as_copy=args.copy, replace=args.replace)
    if not args.strict and (hits := plan_cpr_hits(plan)):
        _cpr_hits_report(hits)
        print("implan: planen er importeret; F2 i planen viser, hvor numrene står.", file=sys.stderr)
    print(f"Planen »{plan.title}« er importeret med id {plan.id}.", file=sys.stderr)
    print(plan.id)
    return 0


def _write_output(data: str | bytes, output: Path | None) -> None:
    """A command's result: to the file the user named (atomically; a new file gets the umask's
    mode, an existing one keeps its own), else to stdout. Bytes never go to a terminal."""
    if output is None:
        if isinstance(data, str):
            sys.stdout.write(data)
            return
        if sys.stdout.isatty():
            raise OSError("Filen er binær og kan ikke vises i terminalen; angiv et filnavn med -o FIL.")
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        return
    from tui.fileio import atomic_write_bytes

    target = output.expanduser()
    if target.is_dir():
        raise OSError(f"{target} er en mappe; angiv et filnavn.")
    atomic_write_bytes(target, data.encode("utf-8") if isinstance(data, str) else data, mode=None)
    print(f"Skrevet: {target.resolve()}", file=sys.stderr)


def cmd_outstanding(args: argparse.Namespace) -> int:
    from tui.core import outstanding_view

    today = _today(args)
    full, titles = _outstanding_source(args, today)
    view = outstanding_view.select(full, responsible=args.responsible, overdue_only=args.overdue,
                                   due_within=args.due_within, include_closed=args.all, today=today)
    if args.format == "md":
        text = (outstanding_view.my_list_markdown(view, args.responsible, today) if args.responsible else
                outstanding_view.outstanding_markdown(view, today, with_plan=len(titles) > 1))
    elif args.format == "json":
        text = _outstanding_json(view, today)
    elif args.format == "ics":
        from tui.core.ics import initiatives_to_ics

        text = initiatives_to_ics([e.initiative for e in view.entries],
                                  name=titles[0] if len(titles) == 1 else "implan")
    else:
        text = _outstanding_text(view, today, with_plan=len(titles) > 1)
    if not view.entries and not view.decisions and args.format == "text":
        print("Ingen initiativer passer på udvalget.", file=sys.stderr)
    else:
        _write_output(text, args.output)
    return EXIT_OVERDUE if args.fail_if_overdue and view.overdue_count else 0


def _outstanding_source(args: argparse.Namespace, today: date):
    """The outstanding view of the plans asked for, and their titles; the warnings printed as
    _workspace prints them. Read from the summary cache beside the database when it describes
    the database as it is (else the Workspace brings it up to date, building only the plans
    changed since): then neither the database nor the templates are read, and only the plans
    whose rows the filters may show are read from the cache's rows file. A plan the cache
    cannot name alone (none, several, no template) is looked up by the Workspace, which says why."""
    from functools import partial

    from tui.core.summaries import cache_warnings, rows_complete, usable_cache
    from tui.store.summary_cache import read_rows

    db_path = _db_path(args)
    ws = None
    doc = usable_cache(db_path)
    if doc is not None:
        for warning in cache_warnings(doc, db_path):
            print(f"implan: advarsel: {warning}", file=sys.stderr)
    else:
        ws = _workspace(args, with_rows=True)  # its notices read the overview, which writes the cache
        doc = ws.summary_doc
    if ws is None and doc is not None and not rows_complete(doc, db_path):
        # The cache is sound, but the list or home wrote it (they make no rows), or its rows
        # file is gone: the rows of the plans without them are made now.
        from tui.core.workspace import Workspace

        ws = Workspace.open(db_path)
        ws.with_rows = True
        ws.overview(rebuild=True)
        doc = ws.summary_doc
    rows = ws.summary_rows if ws is not None else None
    read = rows.read if rows is not None else partial(read_rows, db_path, doc.get("rows") if doc else None)
    found = None
    with contextlib.suppress(KeyError, TypeError, ValueError, IndexError):
        found = _from_cache(doc, read, args, today) if doc is not None else None
    if found is not None:
        return found
    if ws is None:
        from tui.core.workspace import Workspace

        ws = Workspace.open(db_path)
    plans = [ws.resolve(args.plan)] if args.plan else ws.plans()
    for problem in ws.problems:
        print(f"implan: advarsel: {problem}", file=sys.stderr)
    from tui.core import followup

    return followup.build_outstanding(plans, today), [plan.title for plan in plans]


def _from_cache(doc: dict[str, Any], read: Callable[[list[Any]], list[bytes] | None], args: argparse.Namespace,
                today: date):
    """_outstanding_source's view from the cache (`read`: records from its rows file at the
    places given), or None when it cannot say."""
    from tui.core import outstanding_view

    plans = outstanding_view.cached_plans(doc)
    if plans is not None and args.plan:
        chosen = outstanding_view.resolve_cached(plans, args.plan)
        plans = [chosen] if chosen is not None and chosen.missing is None else None
    if plans is None:
        return None
    shown = [p for p in plans if p.may_show(today, overdue_only=args.overdue, due_within=args.due_within)]
    if args.responsible:
        who = read([p.who for p in shown])
        if who is None:
            return None
        shown = [p for p, names in zip(shown, who, strict=True)
                 if outstanding_view.has_responsible(names, args.responsible)]
    records = read([p.place for p in shown])
    if records is None:
        return None
    full = outstanding_view.from_cached(zip(shown, records, strict=True), today)
    for problem in [] if args.plan else [p.missing for p in plans if p.missing is not None]:
        print(f"implan: advarsel: {problem}", file=sys.stderr)
    return full, [p.title for p in plans if p.missing is None]


# At 80 columns not all fit: the columns with the highest number give way first, and none is
# cut below its least width (None: whole, as a date is).
OUTSTANDING_FIT = {"Plan": (2, 14), "Afsnit": (5, 10), "Initiativ": (0, 20), "Ansvarlig": (1, 12),
                   "Deadline": (0, None), "Frist": (3, None), "Næste milepæl": (6, 16), "Status": (4, None),
                   "Bemærkning": (7, 12)}


def _outstanding_text(view, today: date, *, with_plan: bool) -> str:
    from tui.cli_format import BOLD, RESET, Column, clean_rows, fit_columns, is_pretty, render_table, terminal_columns
    from tui.core import outstanding_view as followup
    from tui.core.enums import Group

    headers = (["Plan"] if with_plan else []) + followup.ROW_HEADERS
    if not is_pretty(sys.stdout):
        # Piped: one table, the group as its first column, so scripts can cut and sort.
        rows = [[e.group.label, *followup.entry_row(e, today, with_plan=with_plan)]
                for _, entries in view.grouped() for e in entries]
        for d in view.decisions:
            row = ["Kræver beslutning", *([d.plan_title] if with_plan else []), "", d.finding.message]
            rows.append(row + [""] * (len(headers) + 1 - len(row)))
        return render_table(["Gruppe", *headers], rows)
    columns = [Column(h, *OUTSTANDING_FIT.get(h, (0, 8))) for h in headers]
    groups = [(group, entries, clean_rows([followup.entry_row(e, today, with_plan=with_plan) for e in entries]))
              for group, entries in view.grouped()]
    # One layout for every group, so the columns line up from group to group.
    layout = fit_columns(columns, [row for _, _, rows in groups for row in rows])
    if with_plan and view.entries and 0 in layout.shown and \
            layout.widths[0] < max(len(e.initiative.plan_title) for e in view.entries):
        # A cut title shows its own words, not »Implementering …« on every row.
        for _, _, rows in groups:
            for row in rows:
                row[0] = followup.short_plan_title(row[0])
        layout = fit_columns(columns, [row for _, _, rows in groups for row in rows])
    out = []
    for group, entries, rows in groups:
        out.append(f"{BOLD}{group.label} ({len(entries)}){RESET}")
        out.append(render_table(columns, rows, layout=layout, highlight=[e.group == Group.OVERDUE for e in entries]))
    import textwrap

    width = terminal_columns()
    if view.decisions:
        out.append(f"{BOLD}Kræver beslutning ({len(view.decisions)}){RESET}")
        out.append("".join(textwrap.fill(f"- {d.plan_title}: {d.finding.message}", width, subsequent_indent="  ")
                           + "\n" for d in view.decisions))
    if layout.omitted:
        note = (f"Ikke vist, så tabellen passer til terminalen: {', '.join(layout.omitted)} "
                "(se dem med --format md eller i et bredere vindue).")
        out.append(textwrap.fill(note, width) + "\n")
    return "\n".join(out)


def _outstanding_json(view, today: date) -> str:
    import json

    from tui.core.enums import Group

    def milestone(ini):
        nxt = ini.next_milestone(today)
        return None if nxt is None else {"date": nxt.date.isoformat() if nxt.date else None, "text": nxt.text}

    rows = [{
        "group": e.group, "plan_id": e.initiative.plan_id, "plan": e.initiative.plan_title,
        "section": e.initiative.section_title, "item_id": e.initiative.item_id, "initiative": e.initiative.title,
        "responsible": e.initiative.responsible,
        "deadline": e.initiative.deadline.isoformat() if e.initiative.deadline else None,
        "days_left": e.initiative.days_left(today), "overdue": e.group == Group.OVERDUE,
        "status": e.initiative.status, "status_label": e.initiative.status_label,
        "next_milestone": milestone(e.initiative), "notes": list(e.notes),
    } for e in view.entries]
    decisions = [{"plan_id": d.plan_id, "plan": d.plan_title, "item_id": d.finding.item_id,
                  "message": d.finding.message} for d in view.decisions]
    return json.dumps({"today": today.isoformat(), "initiatives": rows, "decisions": decisions},
                      ensure_ascii=False, indent=2) + "\n"


def cmd_agenda(args: argparse.Namespace) -> int:
    from tui.core.followup import agenda_markdown

    plan = _workspace(args).resolve(args.plan)
    if not _cpr_allowed(plan, args, "Dagsordenen til »{title}« er ikke skrevet."):
        return 1
    markdown = agenda_markdown(plan, _today(args), args.next)
    _write_output(_document_for_path(f"Dagsorden: {plan.title}", markdown, args.output), args.output)
    return 0


def _document_for_path(title: str, markdown: str, output: Path | None) -> str | bytes:
    """A ready Markdown document in the format its file name asks for (.docx, .html), else Markdown."""
    from tui.core import formats

    fmt = formats.for_path(output) if output is not None else None
    if fmt is None or fmt.plan_only:
        return markdown
    return fmt.render(formats.Document(title, markdown=markdown))


def cmd_timeline(args: argparse.Namespace) -> int:
    from tui.core.initiatives import all_initiatives
    from tui.core.timeline import build_timeline, mermaid_gantt, timeline_text

    ws = _workspace(args)
    plans = [ws.resolve(args.plan)] if args.plan else ws.plans()
    initiatives = all_initiatives(plans)
    today = _today(args)
    if args.format == "mermaid":
        text = mermaid_gantt(initiatives, today, plans[0].title if len(plans) == 1 else "Tidslinje")
        if text:
            sys.stdout.write(text + "\n")
    else:
        timeline = build_timeline(initiatives, today)
        if timeline.rows:
            sys.stdout.write(timeline_text(timeline))
    if not any(i.deadline or any(m.date for m in i.milestones) for i in initiatives):
        print("Ingen initiativer har en deadline eller en dateret milepæl.", file=sys.stderr)
    return 0


def cmd_meeting(args: argparse.Namespace) -> int:
    from tui.core.dates import format_date
    from tui.core.history import mark_meeting

    ws = _workspace(args, write=True)
    plan = ws.resolve(args.plan)
    ws.update(plan.id, lambda p: mark_meeting(p, args.note, args.next))
    when = f" Næste møde: {format_date(args.next)}." if args.next else ""
    print(f"Opfølgningsmøde markeret i »{plan.title}«.{when}", file=sys.stderr)
    return 0


def cmd_changes(args: argparse.Namespace) -> int:
    from tui.core.followup import since_heading, since_lines
    from tui.core.history import since_last_meeting

    plan = _workspace(args).resolve(args.plan)
    since = since_last_meeting(plan, _today(args))
    heading = since_heading(since)
    out = [f"{plan.title}: {heading[0].lower()}{heading[1:]}"]
    groups = since_lines(since)
    if not groups:
        out.append("Intet er ændret.")
    for label, lines in groups:
        out.append(f"\n{label}:")
        out += [f"- {line}" for line in lines]
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from tui.paths import sample_plans_dir

    ws = _workspace(args, write=True)
    added, skipped = ws.load_demo(sample_plans_dir(), _today(args))
    for plan in added:
        print(f"Indlæst: {plan.title}", file=sys.stderr)
    for title in skipped:
        print(f"Findes allerede: {title}", file=sys.stderr)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from tui.core.exchange import FORMAT as PLAN_FORMAT
    from tui.core.exchange import read_plan_file
    from tui.core.templates import MAX_PLAN_FILE_BYTES, load_library, load_template_file, read_json_file

    data: Any = read_json_file(args.file, "Filen", limit=MAX_PLAN_FILE_BYTES)
    if isinstance(data, dict) and data.get("format") == PLAN_FORMAT:
        plan, _ = read_plan_file(args.file, load_library())
        print(f"Planfilen er gyldig: »{plan['title']}« (skabelon {plan['template']['id']}).")
        return 0
    template = load_template_file(args.file, validate_schema=True)
    print(f"Skabelonen er gyldig: {template.id} – {template.title}, "
          f"{len(template.sections)} {template.sections_label.lower()}, {template.item_count()} faste elementer.")
    return 0


def cmd_backups(args: argparse.Namespace) -> int:
    from tui.store import PlanStore

    store = PlanStore(_db_path(args))
    found = store.backups()
    for warning in store.warnings:
        print(f"implan: advarsel: {warning}", file=sys.stderr)
    if not found:
        print("Der er ingen sikkerhedskopier.", file=sys.stderr)
    for path in found:
        print(path)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from tui.store import PlanStore

    store = PlanStore(_db_path(args))
    if args.backup is not None and not args.backup.is_file():
        print(f"implan: sikkerhedskopien {args.backup} findes ikke. Se kopierne med: implan backups", file=sys.stderr)
        return 1
    if _refuse_if_open(store, None, "Databasen er ikke gendannet"):
        return 1
    try:
        used = store.restore(args.backup)
    finally:
        for warning in store.warnings:  # a backup folder that is not used, and why
            print(f"implan: advarsel: {warning}", file=sys.stderr)
    print(f"Databasen er gendannet fra {used}.", file=sys.stderr)
    return 0


def cmd_set_aside(args: argparse.Namespace) -> int:
    from tui.core.exchange import FORMAT as PLAN_FORMAT
    from tui.core.workspace import Workspace

    ws = Workspace.open(_db_path(args), write=True)  # damaged records found now are set aside too
    implan = ws.command()
    entries = ws.store.set_aside_entries()
    if args.number is None:
        return _list_set_aside(entries, implan)
    chosen = dict(entries).get(args.number.strip())
    if chosen is None:
        print(f"implan: der er ingen plan lagt til side med nummer »{args.number}«. Se dem med: {implan} set-aside",
              file=sys.stderr)
        return 1
    if args.dismiss:
        ws.store.mark_set_aside([args.number.strip()], "dismissed")
        print("Planen nævnes ikke mere. Den ligger stadig uændret i databasen og kan hentes ud med: "
              f"{implan} set-aside {args.number.strip()} -o plan.json", file=sys.stderr)
        return 0
    record = ws.store.set_aside_json(chosen).replace("\n", "\n  ")
    text = f'{{\n  "format": "{PLAN_FORMAT}",\n  "plan": {record}\n}}\n'
    _write_output(text, args.output)
    target = args.output or Path("plan.json")
    print(f"Ret filen (se fejlene med: {implan} validate {target}), og importér den med: {implan} import {target}",
          file=sys.stderr)
    return 0


def _list_set_aside(entries: list[tuple[str, dict[str, Any]]], implan: str) -> int:
    from tui.core.dates import format_date
    from tui.core.records import record_name

    if not entries:
        print("Ingen planer er lagt til side.", file=sys.stderr)
        return 0
    for number, entry in entries:
        state = (" (hentet tilbage)" if entry.get("restored") else
                 " (nævnes ikke mere)" if entry.get("dismissed") else "")
        name = record_name(entry.get("record"), str(entry.get("doc_id", "?")))
        at = format_date(str(entry.get("at", ""))[:10])
        print(f"{number}  {name}, lagt til side {at}: {entry.get('reason', 'ukendt fejl')}{state}")
    print(f"Hent en plan ud med: {implan} set-aside NR -o plan.json – ret filen (se fejlene med: "
          f"{implan} validate plan.json), og importér den med: {implan} import plan.json", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from tui.serve.run import serve

    db_path = args.serve_db.expanduser() if args.serve_db else _db_path(args)
    return serve(db_path, args.host, args.port, args.token, args.public_url)


def cmd_completion(args: argparse.Namespace) -> int:
    from tui.completion import script

    sys.stdout.write(script(args.shell))
    return 0


COMMANDS = {
    "templates": cmd_templates,
    "list": cmd_list,
    "new": cmd_new,
    "show": cmd_show,
    "export": cmd_export,
    "import": cmd_import,
    "outstanding": cmd_outstanding,
    "agenda": cmd_agenda,
    "timeline": cmd_timeline,
    "meeting": cmd_meeting,
    "changes": cmd_changes,
    "demo": cmd_demo,
    "validate": cmd_validate,
    "backups": cmd_backups,
    "restore": cmd_restore,
    "set-aside": cmd_set_aside,
    "serve": cmd_serve,
    "completion": cmd_completion,
}
