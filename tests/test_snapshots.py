"""What each screen looks like, at 80×24 and at a wide size. Update deliberately with
`pytest tests/test_snapshots.py --snapshot-update`, then look at the SVGs before committing."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest

from tui.app.app import ImplanApp
from tui.core.workspace import Workspace
from tui.paths import sample_plans_dir

DEMO_DAY = date(2026, 11, 22)  # the sample plans' anchor: the demo looks the same every day
SIZES = {"80x24": (80, 24), "wide": (140, 42)}


@pytest.fixture
def demo_db():
    # A fixed path: the home screen shows it, and the snapshot must not change with tmp names.
    folder = Path(tempfile.gettempdir()) / "implan-snapshots"
    shutil.rmtree(folder, ignore_errors=True)
    db = folder / "implan.json"
    Workspace.open(db, write=True).load_demo(sample_plans_dir(), DEMO_DAY)
    yield db
    shutil.rmtree(folder, ignore_errors=True)


def app_for(db):
    return ImplanApp(db, today=DEMO_DAY, steady_cursor=True)


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare, demo_db, size):
    assert snap_compare(app_for(demo_db), terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
def test_new_plan(snap_compare, demo_db, size):
    assert snap_compare(app_for(demo_db), press=["n", "_"], terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
def test_wizard_barnets_lov(snap_compare, demo_db, size):
    # The home list is sorted by creation; the barnets-lov sample is first.
    assert snap_compare(app_for(demo_db), press=["enter", "_", "_"], terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
def test_wizard_method_guide_milestone_help(snap_compare, demo_db, size):
    async def open_signs_of_safety(pilot):
        from textual.widgets import DataTable

        table = pilot.app.screen.query_one(DataTable)
        for row in range(table.row_count):
            if "Signs of Safety" in str(table.get_row_at(row)[1]):
                table.move_cursor(row=row)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(app_for(demo_db), run_before=open_signs_of_safety, terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
def test_review(snap_compare, demo_db, size):
    async def open_ngo_review(pilot):
        from textual.widgets import DataTable

        table = pilot.app.screen.query_one(DataTable)
        for row in range(table.row_count):
            if "NGO" in str(table.get_row_at(row)[1]):
                table.move_cursor(row=row)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()

    assert snap_compare(app_for(demo_db), run_before=open_ngo_review, terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
def test_export(snap_compare, demo_db, size, monkeypatch):
    monkeypatch.chdir(demo_db.parent)
    assert snap_compare(app_for(demo_db), press=["x", "_", "_"], terminal_size=SIZES[size])
