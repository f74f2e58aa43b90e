"""Tables for the terminal: aligned and coloured on a tty, tab-separated when piped."""

from __future__ import annotations

import os
import sys
import unicodedata

from tui.lean import NamedTuple

TYPE_CHECKING = False  # typing is not imported at run time: see tui/lean.py
if TYPE_CHECKING:
    from typing import TextIO

BOLD, RED, DIM, RESET = "\033[1m", "\033[31m", "\033[2m", "\033[0m"


def is_pretty(stream: TextIO) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR")


def terminal_columns(fallback: int = 120) -> int:
    """The terminal's width as shutil.get_terminal_size gives it ($COLUMNS first), without
    importing shutil: it imports the compression modules, which `implan list` has no use for."""
    try:
        columns = int(os.environ.get("COLUMNS", 0))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or fallback


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in text)


def _fit(text: str, width: int) -> str:
    if _width(text) <= width:
        return text + " " * (width - _width(text))
    out = ""
    for ch in text:
        if _width(out + ch) > width - 1:
            break
        out += ch
    return out + "…" + " " * (width - _width(out) - 1)


def clean_rows(rows: list[list[str]]) -> list[list[str]]:
    """One line per cell; a control or bidi character in data shows as an escape (\\x1b), never raw."""
    from tui.core.text import safe_for_terminal

    return [[safe_for_terminal(" ".join(str(c).split()), one_line=True) for c in row] for row in rows]


class Column(NamedTuple):
    """A column of a terminal table. When the terminal is too narrow, the columns with the
    highest `drop` are left out first (0: never), and the rest are cut, but none below `least`
    characters; `least=None` is shown whole (a date, »om 12 dage«). (NamedTuples, not
    dataclasses: importing dataclasses costs `implan list` more than drawing its table.)"""
    header: str
    drop: int = 0
    least: int | None = 8


class Layout(NamedTuple):
    shown: list[int]  # indices of the columns shown, in order
    widths: list[int]  # one per shown column
    omitted: list[str]  # headers of the columns left out


def fit_columns(columns: list[Column], rows: list[list[str]], total: int | None = None) -> Layout:
    """Which columns fit `total` characters (the terminal's width), and how wide each is."""
    total = total or terminal_columns()
    natural = [max([_width(c.header)] + [_width(r[i]) for r in rows]) for i, c in enumerate(columns)]

    def least(i: int) -> int:
        floor = columns[i].least
        return natural[i] if floor is None else min(natural[i], max(floor, _width(columns[i].header)))

    shown = list(range(len(columns)))
    while sum(least(i) for i in shown) + GAP * (len(shown) - 1) > total and any(columns[i].drop for i in shown):
        shown.remove(max(shown, key=lambda i: columns[i].drop))
    widths = {i: natural[i] for i in shown}
    # Cut the column furthest above its least, one character at a time, until the table fits.
    while sum(widths.values()) + GAP * (len(shown) - 1) > total:
        cuttable = [i for i in shown if widths[i] > least(i)]
        if not cuttable:
            break
        widest = max(cuttable, key=lambda i: (widths[i] - least(i), widths[i]))
        widths[widest] -= 1
    return Layout(shown, [widths[i] for i in shown], [c.header for i, c in enumerate(columns) if i not in shown])


GAP = 2  # spaces between columns


def render_table(headers: list[str] | list[Column], rows: list[list[str]], stream: TextIO | None = None,
                 highlight: list[bool] | None = None, layout: Layout | None = None) -> str:
    """Plain: header + rows, tab-separated. Pretty: aligned to the terminal width (columns left
    out or cut as `layout`, else `fit_columns`, says), header bold, highlighted rows (e.g.
    overdue) red."""
    columns = [h if isinstance(h, Column) else Column(h) for h in headers]
    rows = clean_rows(rows)
    if not is_pretty(stream or sys.stdout):  # looked up now: the CLI wraps sys.stdout after import
        return "\n".join("\t".join(r) for r in [[c.header for c in columns], *rows]) + "\n"
    layout = layout or fit_columns(columns, rows)

    def line(cells: list[str]) -> str:
        cells = cells + [""] * (len(columns) - len(cells))
        return (" " * GAP).join(_fit(cells[i], w) for i, w in zip(layout.shown, layout.widths, strict=True)).rstrip()

    out = [BOLD + line([c.header for c in columns]) + RESET]
    for index, row in enumerate(rows):
        text = line(row)
        if highlight and highlight[index]:
            text = RED + text + RESET
        out.append(text)
    return "\n".join(out) + "\n"
