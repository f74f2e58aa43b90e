"""Issue 8, dates in the app: a date out of range is refused where it is typed, and a stored one
(an old database, a hand edit) takes neither the timeline (T) nor the calendar (K) down."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input

from tui.app.app import ImplanApp
from tui.app.screens.outstanding import OutstandingScreen
from tui.app.screens.prompt import PromptScreen
from tui.app.screens.timeline import TimelineScreen
from tui.app.screens.wizard import WizardScreen
from tui.app.widgets.fields import FieldEditor
from tui.core.workspace import Workspace

SIZE = (120, 40)
TODAY = date(2027, 1, 15)
RANGE = "01-01-1900 til 31-12-2200"


def plan_with_an_activity(db):
    ws = Workspace.open(db, write=True)
    plan = ws.create("barnets-lov", "Datoer")
    item_id = plan.add_item("faglig-vurdering", "Kursus")
    plan.set_value(item_id, "milepaele", [{"text": "Start", "date": "2027-02-01"}])
    ws.save(plan)
    return plan.id, item_id


async def test_a_date_out_of_range_typed_in_the_wizard_gets_the_range_message(tmp_path):
    db = tmp_path / "implan.json"
    _, item_id = plan_with_an_activity(db)
    app = ImplanApp(db, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen)
        editor = app.screen.query_one(f"#field--{item_id}--maal-dato", FieldEditor)
        editor.focus_input()
        await pilot.pause()
        await pilot.press(*"31-12-9999", "tab")
        await pilot.pause()
        assert editor.has_class("-invalid")
        message = str(editor.query_one(".field-error").render())
        assert "31-12-9999" in message and RANGE in message
        assert app.screen.plan.value(item_id, "maal-dato") == ""  # not stored as a date

        milestones = app.screen.query_one(f"#field--{item_id}--milepaele", FieldEditor)
        date_input = milestones.query_one(".ms-date", Input)
        date_input.focus()
        await pilot.pause()
        date_input.value = ""
        await pilot.press(*"01-01-0001", "tab")
        await pilot.pause()
        assert RANGE in str(milestones.query_one(".field-error").render())
        assert [m["date"] for m in app.screen.plan.value(item_id, "milepaele")] == [""]
        assert app.is_running


async def test_timeline_and_calendar_keys_survive_a_stored_date_out_of_range(tmp_path):
    db = tmp_path / "implan.json"
    plan_id, item_id = plan_with_an_activity(db)

    def far(data):  # as a database written before dates had a range could hold it
        data["answers"][item_id]["maal-dato"] = "9999-12-31"
        data["answers"][item_id]["milepaele"][0]["date"] = "9999-12-31"

    Workspace.open(db, write=True).store.update_plan(plan_id, far)
    calendar = tmp_path / "kalender.ics"
    app = ImplanApp(db, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, OutstandingScreen)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen) and app.is_running
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        app.screen.query_one(Input).value = str(calendar)
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, OutstandingScreen)
    text = calendar.read_text(encoding="utf-8")
    assert text.startswith("BEGIN:VCALENDAR") and "9999" not in text
