"""The keys in the Footer: right on every screen, and not made again when nothing changed
(each time costs a layout and a frame, and a covered screen's frame is painted over the one in
front)."""

from __future__ import annotations

import gc

from textual.widgets import DataTable, Input
from textual.widgets._footer import FooterKey

from tests.conftest import DEMO_TODAY
from tui.app import memory
from tui.app.app import ImplanApp
from tui.app.screens.home import HomeScreen
from tui.app.screens.outstanding import OutstandingScreen
from tui.app.screens.wizard import WizardScreen
from tui.app.widgets.fields import FieldEditor
from tui.app.widgets.footer import FittingFooter

TODAY = DEMO_TODAY  # the day demo_db loads the examples as on
SIZE = (120, 40)


def footer_keys(screen) -> list[FooterKey]:
    return list(screen.query_one(FittingFooter).query(FooterKey))


def descriptions(screen) -> list[str]:
    return [key.description for key in footer_keys(screen)]


async def test_the_keys_follow_the_focus_where_it_changes_them_and_stay_put_where_not(demo_db):
    app = ImplanApp(demo_db, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        home_keys = footer_keys(home)
        assert {"Ny plan", "Slet", "Eksportér", "Udestående"} <= {k.description for k in home_keys}

        await pilot.press("enter")  # the first plan
        await pilot.pause()
        wizard = app.screen
        assert isinstance(wizard, WizardScreen)
        await pilot.pause(0.3)
        assert {"Forrige", "Næste", "Tilføj", "Udestående"} <= set(descriptions(wizard))
        shown = footer_keys(wizard)
        fields = list(wizard.query(FieldEditor))
        for _ in range(3):  # field to field: the focus changes, the keys do not
            await pilot.press("tab")
            await pilot.pause()
        assert wizard.focused is not None and wizard.focused not in fields[0].query("*")
        assert footer_keys(wizard) == shown

        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is home
        # Covered and uncovered with the same keys: the same key widgets, nothing made again.
        assert footer_keys(home) == home_keys

        await pilot.press("u")
        await pilot.pause()
        outstanding = app.screen
        assert isinstance(outstanding, OutstandingScreen)
        assert {"Status", "Møde", "Dagsorden"} <= set(descriptions(outstanding))
        await pilot.press("slash")  # letters belong to the filter while it has focus
        await pilot.pause()
        assert isinstance(outstanding.focused, Input)
        assert "Status" not in descriptions(outstanding)
        await pilot.press("down")  # back to the list: its letter keys again
        await pilot.pause()
        assert isinstance(outstanding.focused, DataTable)
        assert {"Status", "Møde", "Dagsorden"} <= set(descriptions(outstanding))


async def test_the_collector_paused_for_the_start_runs_again_after_the_first_frame(demo_db):
    """`implan` pauses Python's cycle collector from launch to the first frame; left off, every
    cycle of objects the app lets go of would stay in memory until it quits."""
    assert gc.isenabled()
    memory.pause_for_start()
    try:
        assert not gc.isenabled()
        app = ImplanApp(demo_db, today=TODAY)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            assert gc.isenabled()
            assert gc.get_freeze_count() > 10_000  # the start's objects: left out of later walks
    finally:
        gc.enable()
        gc.unfreeze()


async def test_at_60_columns_every_footer_shows_whole_keys_and_f1(demo_db):
    """Keys that do not fit are left out whole (F1 lists them all), never cut at the edge."""
    app = ImplanApp(demo_db, today=TODAY)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        for opened_by in (None, "f9"):  # home, then Udestående (F9 is Udestående everywhere)
            if opened_by:
                await pilot.press(opened_by)
                await pilot.pause()
            screen = app.screen
            keys = footer_keys(screen)
            assert "Taster" in [k.description for k in keys]
            assert len(keys) >= 3
            assert sum(len(k.key_display) + len(k.description) + 2 for k in keys) <= 60
        assert isinstance(app.screen, OutstandingScreen)
        narrow = descriptions(app.screen)
        await pilot.resize_terminal(120, 40)  # wider: the keys left out come back
        await pilot.pause()
        assert set(narrow) < set(descriptions(app.screen))
