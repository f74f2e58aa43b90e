"""Text users write is shown as written: square brackets in a title, an answer or a name are not
Textual markup. Before, a plan titled »Plan [/]« ended the app with a MarkupError on the home
screen, and »[@click=app.quit]« in a title was a link that ran an action."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import DataTable

from tui.app.app import ImplanApp
from tui.app.screens.confirm import ConfirmScreen
from tui.app.screens.export import ExportScreen
from tui.app.screens.outstanding import OutstandingScreen
from tui.app.screens.review import ReviewScreen
from tui.app.screens.timeline import TimelineScreen
from tui.app.screens.wizard import WizardScreen
from tui.core.history import mark_meeting
from tui.core.workspace import Workspace

TODAY = date(2026, 11, 22)
HOSTILE = ["[/]", "[bold]fed[/bold", "[@click=app.quit]klik[/]", "[link='x']y[/link]", "\\[", "[red"]


def hostile_db(tmp_path, text: str):
    db = tmp_path / "implan.json"
    ws = Workspace.open(db, write=True)
    plan = ws.create("barnets-lov", f"Plan {text}", f"Org {text}")

    def fill(p):
        section_id = p.add_section(f"Eget tema {text}")
        for section in (p.sections()[0].id, section_id):
            item_id = p.add_item(section, f"Aktivitet {text}")
            p.set_value(item_id, "formaal", f"Formål {text}")
            p.set_value(item_id, "ansvarlige", f"Mette {text}")
            p.set_value(item_id, "milepaele", [{"date": "01-12-2026", "text": f"Milepæl {text}", "done": False}])
            p.set_value(item_id, "status", "i-gang")
        mark_meeting(p, f"Møde {text}")

    ws.update(plan.id, fill)
    return db, plan.id


@pytest.mark.parametrize("text", HOSTILE)
async def test_every_screen_shows_brackets_as_written(tmp_path, text):
    db, _ = hostile_db(tmp_path, text)
    app = ImplanApp(db, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert text in str(table.get_row_at(0)[0])
        await pilot.press("r")  # rename: the prompt shows the old title
        await pilot.pause()
        await pilot.press("escape")
        await pilot.press("d")  # delete: the question names the plan
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen)
        await app.workers.wait_for_complete()
        await pilot.press("f8", "f8", "f8", "f8")  # to the theme the plan added
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("escape")
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("escape")
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, OutstandingScreen)
        await pilot.press("c")  # since the last meeting
        await pilot.pause()
        await pilot.press("escape")
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)
        await pilot.press("escape")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f6")  # the section picker at this width is the list; narrow shows a picker
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code in (0, None)
    assert not app.is_running
