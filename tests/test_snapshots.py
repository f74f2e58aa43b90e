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


def select_plan_of_template(pilot, template_id: str) -> None:
    """Put the home list's cursor on the demo plan of a template, whatever columns are shown."""
    from textual.widgets import DataTable

    table = pilot.app.screen.query_one(DataTable)
    for row in range(table.row_count):
        plan_id = table.coordinate_to_cell_key((row, 0)).row_key.value
        if pilot.app.screen.workspace.get(plan_id).template.id == template_id:
            table.move_cursor(row=row)
            return
    raise AssertionError(f"no demo plan of {template_id}")


async def settle(pilot) -> None:
    """Wait until a long section has mounted all its items (they follow the first frame)."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def app_for(db):
    return ImplanApp(db, today=DEMO_DAY, steady_cursor=True)


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare, demo_db, size):
    assert snap_compare(app_for(demo_db), terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
def test_new_plan(snap_compare, demo_db, size):
    async def open_new_plan(pilot):
        await pilot.press("n")
        await pilot.pause()

    assert snap_compare(app_for(demo_db), run_before=open_new_plan, terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
def test_wizard_barnets_lov(snap_compare, demo_db, size):
    async def open_barnets_lov(pilot):
        select_plan_of_template(pilot, "barnets-lov")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app_for(demo_db), run_before=open_barnets_lov, terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
def test_wizard_method_guide_milestone_help(snap_compare, demo_db, size):
    async def open_signs_of_safety(pilot):
        select_plan_of_template(pilot, "signs-of-safety")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app_for(demo_db), run_before=open_signs_of_safety, terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
def test_wizard_ngo_question_written_out(snap_compare, demo_db, size):
    """A template's question is shown in full inside its item, not cut in the border."""
    async def open_ngo(pilot):
        select_plan_of_template(pilot, "ngo-samarbejde")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app_for(demo_db), run_before=open_ngo, terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
def test_review(snap_compare, demo_db, size):
    async def open_ngo_review(pilot):
        select_plan_of_template(pilot, "ngo-samarbejde")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f2")
        await pilot.pause()

    assert snap_compare(app_for(demo_db), run_before=open_ngo_review, terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
def test_export(snap_compare, demo_db, size, monkeypatch):
    monkeypatch.setenv("IMPLAN_EXPORT_DIR", str(demo_db.parent / "Dokumenter"))  # shown: a fixed path
    async def open_export(pilot):
        await pilot.press("x")
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(app_for(demo_db), run_before=open_export, terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
def test_outstanding(snap_compare, demo_db, size):
    async def open_outstanding(pilot):
        await pilot.press("u")
        await pilot.pause()

    assert snap_compare(app_for(demo_db), run_before=open_outstanding, terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
def test_timeline(snap_compare, demo_db, size):
    async def open_timeline(pilot):
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(app_for(demo_db), run_before=open_timeline, terminal_size=SIZES[size])


async def open_plan_of(pilot, template_id: str) -> None:
    select_plan_of_template(pilot, template_id)
    await pilot.press("enter")
    await settle(pilot)


async def press_and_settle(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await pilot.pause()
    await settle(pilot)


# The main screens as they look in colour (every other snapshot is taken under NO_COLOR);
# tests/test_contrast.py measures the text in both.
IN_COLOUR = {
    "home": lambda pilot: settle(pilot),
    "new_plan": lambda pilot: press_and_settle(pilot, "n"),
    "wizard_barnets_lov": lambda pilot: open_plan_of(pilot, "barnets-lov"),
    "wizard_signs_of_safety": lambda pilot: open_plan_of(pilot, "signs-of-safety"),
    "outstanding": lambda pilot: press_and_settle(pilot, "u"),
    "timeline": lambda pilot: press_and_settle(pilot, "u", "t"),
    "export": lambda pilot: press_and_settle(pilot, "x"),
}


@pytest.mark.parametrize("screen", IN_COLOUR)
def test_in_colour(snap_compare, demo_db, screen, monkeypatch):
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("IMPLAN_EXPORT_DIR", str(demo_db.parent / "Dokumenter"))  # the export screen shows it
    assert snap_compare(app_for(demo_db), run_before=IN_COLOUR[screen], terminal_size=SIZES["80x24"])
