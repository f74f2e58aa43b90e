"""Tables for the terminal: aligned and coloured on a tty, tab-separated when piped."""

from __future__ import annotations

import os
import shutil
import sys
import unicodedata
from typing import TextIO

BOLD, RED, DIM, RESET = "\033[1m", "\033[31m", "\033[2m", "\033[0m"


def is_pretty(stream: TextIO) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR")


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


def render_table(headers: list[str], rows: list[list[str]], stream: TextIO = sys.stdout,
                 highlight: list[bool] | None = None) -> str:
    """Plain: header + rows, tab-separated. Pretty: aligned to the terminal width, header bold,
    highlighted rows (e.g. overdue) red."""
    from tui.core.text import safe_for_terminal

    # One line per cell; a control or bidi character in data shows as an escape (\x1b), never raw.
    rows = [[safe_for_terminal(" ".join(str(c).split()), one_line=True) for c in row] for row in rows]
    if not is_pretty(stream):
        return "\n".join("\t".join(r) for r in [headers, *rows]) + "\n"
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    total = shutil.get_terminal_size((120, 24)).columns
    gap = 2
    while sum(widths) + gap * (len(widths) - 1) > total and max(widths) > 8:
        widest = widths.index(max(widths))
        widths[widest] -= 1

    def line(cells: list[str]) -> str:
        return (" " * gap).join(_fit(c, w) for c, w in zip(cells, widths, strict=False)).rstrip()

    out = [BOLD + line(headers) + RESET]
    for index, row in enumerate(rows):
        text = line(row)
        if highlight and highlight[index]:
            text = RED + text + RESET
        out.append(text)
    return "\n".join(out) + "\n"
