"""The CLI's tables in a terminal: at 80 columns whole dates and readable names, columns left out
by priority and named, not every column cut to a stub."""

from __future__ import annotations

import io
import re

from tui import cli
from tui.cli_format import Column, fit_columns

ANSI = re.compile(r"\x1b\[[0-9;]*m")
DATE = re.compile(r"\b\d{2}-\d{2}-\d{4}\b")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def as_terminal(monkeypatch) -> Terminal:
    """stdout as an 80-column colour terminal. In the test itself: pytest puts its own capture
    back in sys.stdout between a fixture's setup and the test."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    screen = Terminal()
    monkeypatch.setattr("sys.stdout", screen)
    return screen


def test_columns_give_way_by_priority_and_dates_stay_whole():
    columns = [Column("Initiativ", 0, 20), Column("Deadline", 0, None), Column("Bemærkning", 2, 12),
               Column("Afsnit", 1, 10)]
    rows = [["Et langt initiativ med mange ord i titlen", "09-11-2026", "mangler ansvarlig", "Ledelse og styring"]]
    layout = fit_columns(columns, rows, total=40)
    assert layout.omitted == ["Bemærkning", "Afsnit"]  # the highest number first, then the next
    assert layout.widths == [28, 10]  # the date whole, the rest to the initiative
    assert fit_columns(columns, rows, total=200).omitted == []


def test_outstanding_at_80_columns_is_readable(tmp_path, monkeypatch):
    db = tmp_path / "implan.json"
    assert cli.main(["--db", str(db), "demo", "--today", "22-11-2026"]) == 0
    terminal = as_terminal(monkeypatch)
    assert cli.main(["--db", str(db), "outstanding", "--today", "22-11-2026"]) == 0
    lines = ANSI.sub("", terminal.getvalue()).splitlines()
    assert [line for line in lines if len(line) > 80] == []
    header = next(line for line in lines if line.startswith("Plan"))
    assert header.split() == ["Plan", "Initiativ", "Ansvarlig", "Deadline", "Frist"]
    rows = [line for line in lines if DATE.search(line)]
    assert len(rows) > 20
    assert all("dage" in row for row in rows)  # »23 dage over«, »om 3 dage«: whole, not »5 dage o…«
    # The plan column shows the words that tell the plans apart, not »Implementering af« on each row.
    assert {row.split()[0] for row in rows} >= {"Signs", "Familierådslag…", "Barnets", "Mentorindsatse…"}
    assert any(line.startswith("Ikke vist, så tabellen passer til terminalen: Afsnit, Næste milepæl")
               for line in lines)
