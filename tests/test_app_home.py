"""The app's first screen, driven by keyboard through Textual's Pilot."""

from __future__ import annotations

import threading
from datetime import date

from textual.widgets import DataTable, Static

from tests.conftest import sample_files
from tui.app.app import ImplanApp
from tui.app.screens.confirm import ConfirmScreen
from tui.app.screens.home import HomeScreen
from tui.app.screens.wizard import WizardScreen
from tui.app.workers import finish_workers
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


async def test_the_arrows_move_between_a_questions_buttons_before_enter_answers(tmp_path):
    """Right then Enter means the button to the right, as it looks: not the one focused at first."""
    db = tmp_path / "implan.json"
    app = ImplanApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ConfirmScreen)  # load the examples? Ja / Nej
        assert question.focused is not None and question.focused.id == "yes"
        await pilot.press("right")
        assert question.focused is not None and question.focused.id == "no"
        await pilot.press("left")
        assert question.focused is not None and question.focused.id == "yes"
        await pilot.press("right", "enter")
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


def demo_database_with_its_list_cached(tmp_path):
    """The sample plans, and the plan-list cache beside the database (as any start leaves it)."""
    from tui.core.workspace import Workspace
    from tui.paths import sample_plans_dir

    db = tmp_path / "implan.json"
    Workspace.open(db, write=True).load_demo(sample_plans_dir(), date(2026, 11, 22))
    Workspace.open(db, write=True).overview()
    return db


def held_open(monkeypatch):
    """Opening the database waits until the returned event is set (a slow disk)."""
    import tui.app.app as app_module

    go = threading.Event()
    real = app_module.open_workspace

    def slow(db_path, *, write):
        assert go.wait(30)
        return real(db_path, write=write)

    monkeypatch.setattr(app_module, "open_workspace", slow)
    return go


async def test_the_list_is_shown_from_its_cache_and_enter_waits_for_the_database(tmp_path, monkeypatch):
    db = demo_database_with_its_list_cached(tmp_path)
    go = held_open(monkeypatch)
    app = ImplanApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        titles = [table.get_row_at(n)[0].plain for n in range(table.row_count)]
        assert app.workspace is None and len(titles) == len(sample_files())
        assert "4 planer" in str(app.screen.query_one("#status", Static).render())
        await pilot.press("enter")  # before the database is open: the plan opens once it is
        await pilot.pause(0.2)
        assert isinstance(app.screen, HomeScreen)
        go.set()
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(app.screen, WizardScreen):
                break
        assert isinstance(app.screen, WizardScreen)
        await pilot.pause(1.0)  # the section mounted, before the app closes
        await finish_workers(app.screen, "mount-later")
        assert titles[0].startswith(app.screen.plan.title[:20])
        assert PlanStore(db).open_elsewhere() == [app.screen.plan.id]  # its edit lock is held


async def test_the_first_frame_drawn_is_shown_and_already_lists_the_plans(tmp_path, monkeypatch):
    """Textual drops a frame drawn while it holds its start-up batch, and the next frame only
    paints what changed since: a list drawn then would stay blank until something redraws it."""
    from textual.screen import Screen

    db = demo_database_with_its_list_cached(tmp_path)
    go = held_open(monkeypatch)  # the list comes from the cache alone
    frames: list[tuple[int, int]] = []
    real = Screen._compositor_refresh

    def drawn(screen):
        if isinstance(screen, HomeScreen):
            frames.append((screen.app._batch_count, screen.query_one(DataTable).row_count))
        real(screen)

    monkeypatch.setattr(Screen, "_compositor_refresh", drawn)
    app = ImplanApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        go.set()
        assert frames and frames[0] == (0, len(sample_files()))


async def test_a_read_only_database_shown_from_its_cache_says_so(tmp_path, monkeypatch):
    db = demo_database_with_its_list_cached(tmp_path)
    import tui.app.app as app_module
    from tui.store.errors import DatabaseReadOnly

    real = app_module.open_workspace

    def read_only(db_path, *, write):
        if write:
            raise DatabaseReadOnly(db_path)
        return real(db_path, write=False)

    monkeypatch.setattr(app_module, "open_workspace", read_only)
    app = ImplanApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(100):
            await pilot.pause(0.05)
            if app.workspace is not None:
                break
        assert app.workspace is not None
        assert any(n.title == "Kun læsning" for n in app._notifications)
        assert app.screen.query_one(DataTable).row_count == len(sample_files())


async def test_a_stale_cache_is_not_shown(tmp_path, monkeypatch):
    """A plan changed since the cache was written: the list waits for the database, as without one."""
    db = demo_database_with_its_list_cached(tmp_path)
    store = PlanStore.open(db)
    plan = store.list_plans()[0]
    store.update_plan(plan["id"], lambda p: p.update(title="Ny titel"))
    app = ImplanApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert app.workspace is not None
        assert "Ny titel" in [table.get_row_at(n)[0].plain for n in range(table.row_count)]
