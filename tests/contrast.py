"""Text contrast read back out of a snapshot SVG: each text's fill against the rect behind it.

Rich writes one <rect fill=…> per background run and one <text class=…> per text run, both on
a grid of 12.2 × 24.4 px cells (rich.console.Console.export_svg); a class's fill is the colour
after dim and reverse are applied. Only letters and digits count as text: borders, scrollbars
and block glyphs are decoration."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

CELL_W, LINE_H = 12.2, 24.4
AA_NORMAL = 4.5  # WCAG 2.x, level AA, normal text

# Snapshots have the unique id rich puts in every class name stripped; a fresh export has it.
_CLASS = re.compile(r"\.(terminal-(?:\d+-)?r\d+) \{ fill: (#[0-9a-f]{6})")
_RECT = re.compile(r'<rect fill="(#[0-9a-f]{6})" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="[\d.]+" '
                   r'shape-rendering="crispEdges"/>')
_TEXT = re.compile(r'<text class="(terminal-(?:\d+-)?r\d+)" x="([\d.]+)" y="([\d.]+)" textLength="[\d.]+" '
                   r'clip-path="url\(#terminal-(?:\d+-)?line-(\d+)\)">([^<]*)</text>')


def luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@dataclass(frozen=True)
class Pair:
    text: str  # the run of text, as shown
    line: int
    column: int
    fg: str
    bg: str

    @property
    def ratio(self) -> float:
        return contrast(self.fg, self.bg)

    def __str__(self) -> str:
        return f"line {self.line + 1}, col {self.column + 1}: {self.text.strip()!r} {self.fg} on {self.bg} " \
               f"= {self.ratio:.2f}:1"


def is_text(char: str) -> bool:
    return unicodedata.category(char)[0] in "LN"


def text_pairs(svg: str) -> list[Pair]:
    """Every run of text in the screenshot with the background behind its first letter."""
    fills = dict(_CLASS.findall(svg))
    backgrounds: dict[tuple[int, int], str] = {}
    for fill, x, y, width in _RECT.findall(svg):
        line = round((float(y) - 1.5) / LINE_H)
        first = round(float(x) / CELL_W)
        for column in range(first, first + round(float(width) / CELL_W)):
            backgrounds[(line, column)] = fill
    pairs = []
    for cls, x, _y, line, raw in _TEXT.findall(svg):
        text = html.unescape(raw)
        letters = [i for i, ch in enumerate(text) if is_text(ch)]
        if not letters or cls not in fills:
            continue
        start = round(float(x) / CELL_W)
        for index in letters:
            bg = backgrounds.get((int(line), start + index))
            if bg is not None:
                pairs.append(Pair(text, int(line), start + index, fills[cls], bg))
                break
    return pairs


def failures(path: Path, least: float = AA_NORMAL) -> list[Pair]:
    return [p for p in text_pairs(path.read_text(encoding="utf-8")) if p.ratio < least]
