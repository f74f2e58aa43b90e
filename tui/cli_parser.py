"""argparse in Danish, through its supported hooks only: a HelpFormatter subclass for "brug: ", our
own -h/--help and argument groups for the help's headings, and error() for the messages.

argparse builds its error messages in English; error() receives them formatted and turns the ones
a user meets into Danish (MESSAGES). A message not listed stays as argparse wrote it.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence

TYPE_CHECKING = False  # typing is not imported at run time: see tui/lean.py
if TYPE_CHECKING:
    from typing import Any, NoReturn

USAGE = "brug: "
ARGUMENTS = "argumenter"
OPTIONS = "tilvalg"
HELP = "vis denne hjælp og afslut"

# argparse's messages (Python 3.11 to 3.13), as patterns over the formatted text, and their Danish.
MESSAGES: list[tuple[str, str]] = [
    (r"the following arguments are required: (?P<names>.*)", "disse argumenter mangler: {names}"),
    (r"unrecognized arguments: (?P<args>.*)", "ukendte argumenter: {args}"),
    (r"invalid choice: (?P<value>.*?) \(choose from (?P<choices>.*)\)",
     "ugyldigt valg: {value} (vælg mellem {choices})"),
    (r"expected one argument", "forventer én værdi"),
    (r"not allowed with argument (?P<other>.*)", "kan ikke bruges sammen med {other}"),
    (r"ambiguous option: (?P<option>\S+) could match (?P<matches>.*)",
     "flertydigt tilvalg: {option} kan betyde {matches}"),
    (r"invalid \S+ value: (?P<value>.*)", "ugyldig værdi: {value}"),
    (r"one of the arguments (?P<names>.*) is required", "et af disse argumenter mangler: {names}"),
]
_ARGUMENT = r"argument (?P<name>\S+): (?P<message>.*)"  # compiled by re when an error needs it

DASH_HINT = ("Tip: en værdi, der begynder med »-«, læses som et tilvalg. Skriv »--« foran titlen eller "
             "planen, med tilvalgene før »--«: implan new barnets-lov -- \"-Min plan\", "
             "implan show -- \"-Min plan\". Til et tilvalg bruges =, fx --organisation=-Nord.")


def danish(message: str) -> str:
    """argparse's English error message in Danish, where we know it."""
    argument = re.fullmatch(_ARGUMENT, message, re.DOTALL)
    if argument:
        return f"argument {argument['name']}: {danish(argument['message'])}"
    for pattern, text in MESSAGES:
        found = re.fullmatch(pattern, message, re.DOTALL)
        if found:
            return text.format(**found.groupdict())
    return message


class DanishHelpFormatter(argparse.HelpFormatter):
    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        # argparse's own default, without importing shutil: every add_argument makes a formatter.
        if width is None:
            from tui.cli_format import terminal_columns

            width = terminal_columns(fallback=80) - 2
        super().__init__(prog, indent_increment, max_help_position, width)

    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, USAGE if prefix is None else prefix)


class ParseContext:
    """Shared by a parser and its subcommands' parsers: what is being parsed, which options exist.
    (A plain class: importing dataclasses costs the CLI's start-up more than all its parsing.)"""

    def __init__(self) -> None:
        self.argv: list[str] = []
        self.options: set[str] = set()


class DanishParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are Danish, with a hint when a value starting with
    '-' was taken for an option. Subcommands' parsers (add_subparsers().add_parser) are of this
    class too and share the context: pass `context=parser.context` to add_parser."""

    def __init__(self, *args: Any, context: ParseContext | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", DanishHelpFormatter)
        kwargs["add_help"] = False  # ours, with a Danish help text, below
        super().__init__(*args, **kwargs)
        self.context = context or ParseContext()
        self._arguments = self.add_argument_group(ARGUMENTS)
        self._options = self.add_argument_group(OPTIONS)
        self.add_argument("-h", "--help", action="help", help=HELP)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        """Into the Danish group: positional arguments under "argumenter", options under "tilvalg"."""
        optional = bool(args) and isinstance(args[0], str) and args[0][:1] in self.prefix_chars
        action = (self._options if optional else self._arguments).add_argument(*args, **kwargs)
        self.context.options.update(action.option_strings)
        return action

    def add_mutually_exclusive_group(self, **kwargs: Any) -> Any:
        """Under "tilvalg" too; its options are recorded like add_argument's."""
        return _ExclusiveGroup(self._options.add_mutually_exclusive_group(**kwargs), self.context)

    def parse_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:  # type: ignore[override]
        self.context.argv = list(sys.argv[1:] if args is None else args)
        return super().parse_args(args, namespace)

    def error(self, message: str) -> NoReturn:
        message = danish(message)
        if dash_value_given(self.context.argv, self.context.options):
            message = f"{message}\n{DASH_HINT}"
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fejl: {message}\n")


class _ExclusiveGroup:
    def __init__(self, group: argparse._MutuallyExclusiveGroup, context: ParseContext) -> None:
        self.group = group
        self.context = context

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        action = self.group.add_argument(*args, **kwargs)
        self.context.options.update(action.option_strings)
        return action


def dash_value_given(argv: Sequence[str], known: set[str]) -> bool:
    """Is there, before any '--', an argument starting with '-' that is no option implan has?"""
    for arg in argv:
        if arg == "--":
            return False
        if arg.startswith("-") and len(arg) > 1 and not arg[1:].replace(".", "").isdigit():
            name = arg.split("=", 1)[0]
            if name not in known and not (name.startswith("--") and any(k.startswith(name) for k in known)):
                return True
    return False
