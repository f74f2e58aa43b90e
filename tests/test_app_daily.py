"""Small things a daily user relies on, driven through Pilot: Home/End in lists, the cursor at
the end of a filled text, the theme remembered, the palette in Danish, exports saved to the
documents folder with the full path said, and a status kept as an answer asked about."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import DataTable, Input, Static, TextArea

from tests.conftest import DEMO_TODAY, ROOT
from tui.app.app import NO_MATCHES, ImplanApp
from tui.app.screens.export import ExportScreen
from tui.app.screens.wizard import WizardScreen
from tui.app.theme import DEFAULT_THEME
from tui.app.workers import finish_workers
from tui.settings import load_settings, save_setting, saved_theme, settings_path

TODAY = DEMO_TODAY  # the day demo_db loads the examples as on
SIZE = (120, 40)


async def test_end_and_home_go_to_the_last_and_first_row(demo_db):
    app = ImplanApp(demo_db, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == 4 and table.cursor_row == 0
        await pilot.press("end")
        assert table.cursor_row == 3
        await pilot.press("home")
        assert table.cursor_row == 0
        await pilot.press("u")  # Udestående: many rows
        await pilot.pause()
        rows = app.screen.query_one(DataTable)
        await pilot.press("end")
        assert rows.cursor_row == rows.row_count - 1


async def test_a_filled_text_area_is_entered_with_the_cursor_at_the_end(demo_db):
    app = ImplanApp(demo_db, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # the first plan
        await pilot.pause(0.5)
        assert isinstance(app.screen, WizardScreen)
        area = next(a for a in app.screen.query(TextArea) if a.text.strip())
        for _ in range(40):  # Tab along to it, as a user would
            if app.focused is area:
                break
            await pilot.press("tab")
        assert app.focused is area
        assert area.cursor_location == area.document.end
        await pilot.press(*" Tilføjet")
        assert area.text.endswith(" Tilføjet")


async def test_the_chosen_theme_is_there_after_a_restart(tmp_path):
    db = tmp_path / "implan.json"
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == DEFAULT_THEME
        app.theme = "nord"
        await pilot.pause()
        await finish_workers(app, "settings")
    assert saved_theme() == "nord"
    again = ImplanApp(db)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.theme == "nord"


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b'{"theme": "no-such-theme"}', b"\xff\xfe"])
async def test_a_damaged_settings_file_gives_the_defaults(tmp_path, content):
    settings_path().parent.mkdir(parents=True)
    settings_path().write_bytes(content)
    app = ImplanApp(tmp_path / "implan.json")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == DEFAULT_THEME
        app.theme = "gruvbox"
        await pilot.pause()
        await finish_workers(app, "settings")
    assert load_settings() == {"theme": "gruvbox"}  # replaced by a good one


def test_settings_are_written_atomically_and_nothing_is_made_at_import(tmp_path):
    config = tmp_path / "config"
    code = "import tui.settings, tui.paths, tui.cli; import tui.app.app"
    env = {**os.environ, "IMPLAN_CONFIG_DIR": str(config)}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not config.exists()
    save_setting("theme", "nord", config / "settings.json")
    assert load_settings(config / "settings.json") == {"theme": "nord"}
    assert [p.name for p in config.iterdir()] == ["settings.json"]  # no temp file left behind


async def palette_options(pilot, app, query: str) -> list[str]:
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert CommandPalette.is_open(app)
    await pilot.press(*query)
    await pilot.pause(0.9)  # the palette searches, then waits half a second before "no matches"
    options = app.screen.query_one(CommandList).options
    return [str(option.prompt.plain if hasattr(option.prompt, "plain") else option.prompt) for option in options]


async def test_the_palette_finds_the_theme_as_farvetema_and_says_no_match_in_danish(tmp_path):
    app = ImplanApp(tmp_path / "implan.json")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        found = await palette_options(pilot, app, "farve")
        assert any("Farvetema" in text for text in found), found
        await pilot.press("escape")
        await pilot.pause()
        nothing = await palette_options(pilot, app, "qqqzzz")
        assert nothing and all("No matches" not in text for text in nothing)
        rendered = app.screen.query_one(CommandList).get_option_at_index(0).prompt
        assert NO_MATCHES in str(getattr(rendered, "renderable", rendered))


async def test_an_export_from_the_tui_goes_to_the_documents_folder_with_its_full_path_said(demo_db, tmp_path):
    documents = Path(os.environ["IMPLAN_EXPORT_DIR"])
    assert not documents.exists()  # made when the first file goes there
    work = tmp_path / "started-here"
    work.mkdir()
    os.chdir(work)  # tmp_path's own folder: pytest puts the working folder back
    app = ImplanApp(demo_db, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        path = screen.query_one("#path", Input).value
        assert Path(path).parent == documents
        await pilot.press("ctrl+t")  # Markdown
        await pilot.pause()
        await finish_workers(screen, "export-write")
        await pilot.pause()
        written = str(screen.query_one("#written", Static).render())
        [md] = documents.glob("*.md")
        assert f"Skrevet: {md.resolve()}" in written
        assert not list(work.iterdir())


async def test_the_help_beside_a_goal_and_the_review_say_what_the_smart_check_checks(demo_db):
    from tui.app.screens.review import ReviewScreen
    from tui.app.widgets.fields import FieldEditor
    from tui.core.refs import FieldRef

    app = ImplanApp(demo_db, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        row = next(i for i in range(table.row_count)
                   if "barnets lov" in str(table.get_row_at(i)[0]).casefold())
        table.move_cursor(row=row)
        await pilot.press("enter")
        await pilot.pause(0.5)
        wizard = app.screen
        assert isinstance(wizard, WizardScreen)
        item = wizard.plan.items(wizard.current_section)[0]
        wizard.plan.set_value(item.id, "maal", "Bedre kontinuitet")  # not measurable
        await wizard.goto(FieldRef(wizard.plan.id, wizard.current_section.id, item.id, "maal"))
        await pilot.pause(0.5)
        assert app.focused is wizard.query_one(f"#field--{item.id}--maal", FieldEditor).query_one(TextArea)
        help_text = wizard.query_one("#help-text").source
        assert "SMART-tjek" in help_text and "ansvarlig" in help_text and "et tal" in help_text
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "SMART-tjekket" in str(app.screen.query_one("#review-smart").render())
        assert any(f.kind == "ikke-smart" and f.item_id == item.id for f in app.screen.findings)
