"""The app's first screen, driven by keyboard through Textual's Pilot."""

from __future__ import annotations

from textual.widgets import DataTable

from tests.conftest import sample_files
from tui.app.app import ImplanApp
from tui.app.screens.confirm import ConfirmScreen
from tui.app.screens.home import HomeScreen
from tui.store import PlanStore


async def test_empty_database_offers_the_demo_plans(tmp_path):
    db = tmp_path / "implan.json"
    app = ImplanApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == len(sample_files())
    assert len(PlanStore(db).list_plans()) == len(sample_files())


async def test_declining_the_demo_leaves_an_empty_database(tmp_path):
    db = tmp_path / "implan.json"
    app = ImplanApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one(DataTable).row_count == 0
    assert PlanStore(db).list_plans() == []


async def test_damaged_database_offers_the_newest_backup(tmp_path):
    db = tmp_path / "implan.json"
    store = PlanStore.open(db)
    store.add_plan({"id": "p1", "title": "Reddet plan", "template": {"id": "barnets-lov", "version": "1.0.0"},
                    "answers": {}})
    PlanStore.open(db)  # backup
    db.write_text("{ødelagt", encoding="utf-8")
    app = ImplanApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "beskadiget" in app.screen.question
        await pilot.press("enter")  # Gendan
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
    assert PlanStore(db).get_plan("p1")["title"] == "Reddet plan"
