"""The outstanding-initiatives screen driven by keyboard: filter, change in place, open, meet."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, OptionList, SelectionList

from tests.conftest import DEMO_TODAY
from tui.app.app import ImplanApp
from tui.app.screens.choice import ChoiceScreen, MilestonesScreen
from tui.app.screens.confirm import ConfirmScreen
from tui.app.screens.export import ExportScreen
from tui.app.screens.outstanding import OutstandingScreen
from tui.app.screens.timeline import TimelineScreen
from tui.app.screens.wizard import WizardScreen
from tui.app.widgets.fields import FieldEditor
from tui.app.workers import finish_workers
from tui.core import followup
from tui.core.history import since_last_meeting
from tui.core.initiatives import plan_initiatives
from tui.core.workspace import Workspace

TODAY = DEMO_TODAY  # the day demo_db loads the examples as on
SIZE = (120, 40)


def initiative_rows(screen: OutstandingScreen) -> list[str]:
    return [key for key in screen._rows if key.startswith("ini:")]


async def put_cursor_on(pilot, screen: OutstandingScreen, key: str) -> None:
    table = screen.query_one(DataTable)
    table.move_cursor(row=list(screen._rows).index(key))
    await pilot.pause()


async def open_outstanding(pilot, app) -> OutstandingScreen:
    await pilot.pause()
    await pilot.press("u")
    await pilot.pause()
    assert isinstance(app.screen, OutstandingScreen)
    return app.screen


async def test_grouped_list_filters_as_you_type(demo_db):
    app = ImplanApp(demo_db, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_outstanding(pilot, app)
        everything = initiative_rows(screen)
        assert next(iter(screen._rows)) == "group:overskredet"
        assert len(everything) == len(followup.select(screen.view, today=TODAY).entries)
        await pilot.press("slash", *"kasper")
        await pilot.pause(0.4)
        filtered = initiative_rows(screen)
        assert 0 < len(filtered) < len(everything)
        assert all("kasper" in screen._rows[k].initiative.responsible.lower() for k in filtered)
        await pilot.press("escape")  # clears the filter first
        await pilot.pause(0.4)
        assert len(initiative_rows(screen)) == len(everything)
        await pilot.press("a")  # completed ones too
        await pilot.pause()
        assert len(initiative_rows(screen)) > len(everything)


async def test_a_long_list_is_all_there_and_filters_by_plan_name_and_by_owner(demo_db):
    import copy

    ws = Workspace.open(demo_db, write=True)
    for plan in ws.plans():
        for n in range(3):
            data = copy.deepcopy(plan.data)
            data["title"] = f"Kopinr{n} af {plan.title}"
            ws.import_data(data, as_copy=True)
    app = ImplanApp(demo_db, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_outstanding(pilot, app)
        everything = initiative_rows(screen)
        # Every row, not only the screenfuls the terminal shows.
        assert len(everything) == len(followup.select(screen.view, today=TODAY).entries) > 2 * SIZE[1]
        await pilot.press("slash", *"kopinr2")
        await pilot.pause(0.4)
        by_plan = initiative_rows(screen)
        assert 0 < len(by_plan) < len(everything)
        assert all(screen._rows[k].initiative.plan_title.startswith("Kopinr2 af") for k in by_plan)
        owner = screen._rows[by_plan[0]].initiative.responsible.split()[0]
        await pilot.press("escape", "slash", *owner)  # Esc clears the filter
        await pilot.pause(0.4)
        by_owner = initiative_rows(screen)
        assert len(by_owner) >= 4 and by_plan[0] in by_owner  # every copy of the plan has the row
        assert all(owner.casefold() in screen._rows[k].search_text() for k in by_owner)
        await pilot.press("escape")


async def test_status_and_milestone_change_in_place_and_are_saved(demo_db):
    app = ImplanApp(demo_db, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_outstanding(pilot, app)
        entry = next(e for e in screen.shown.entries if e.initiative.milestones
                     and any(not m.done for m in e.initiative.milestones))
        ini = entry.initiative
        await put_cursor_on(pilot, screen, f"ini:{ini.plan_id}:{ini.item_id}")
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MilestonesScreen)
        open_index = next(i for i, m in enumerate(ini.milestones) if not m.done)
        selection = app.screen.query_one(SelectionList)

        def marks() -> list[str]:  # the mark in each row's box: its shape tells done from not done
            return [selection.render_line(row).text[1] for row in range(selection.option_count)]

        assert marks() == ["✓" if m.done else " " for m in ini.milestones]
        selection.highlighted = open_index
        await pilot.press("space")
        await pilot.pause()
        await finish_workers(app.screen, "milestones")
        assert marks()[open_index] == "✓"
        # Said in the dialog, over nothing: a toast would lie over the list it reports on.
        assert str(app.screen.query_one("#milestones-saved").render()) == "Milepæl udført. Gemt."
        assert not app._notifications
        await pilot.press("escape")
        await pilot.pause()
        stored = Workspace.open(demo_db).get(ini.plan_id)
        after = next(i for i in plan_initiatives(stored) if i.item_id == ini.item_id)
        assert after.milestones[open_index].done
        assert stored.data["history"][-1]["kind"] == "milepael-udfoert"

        await put_cursor_on(pilot, screen, f"ini:{ini.plan_id}:{ini.item_id}")
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("home", "down", "down", "enter")  # Ikke startet, I gang, Gennemført
        await pilot.pause()
        stored = Workspace.open(demo_db).get(ini.plan_id)
        assert next(i for i in plan_initiatives(stored) if i.item_id == ini.item_id).status == "gennemfoert"
        assert f"ini:{ini.plan_id}:{ini.item_id}" not in screen._rows  # completed: hidden now


async def test_status_kept_as_an_ngo_answer_is_changed_only_when_the_user_says_so(demo_db):
    """NGO: the status is the answer to »Er initiativerne gennemført?«. S → Gennemført asks
    first; »Nej« leaves »I nogen grad« as it was, »Ja« makes it »I høj grad«."""
    app = ImplanApp(demo_db, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_outstanding(pilot, app)
        entry = next(e for e in screen.shown.entries
                     if e.initiative.template_id == "ngo-samarbejde" and e.initiative.status == "i-gang")
        ini = entry.initiative
        key = f"ini:{ini.plan_id}:{ini.item_id}"

        def stored_answer() -> str:
            return Workspace.open(demo_db).get(ini.plan_id).value(ini.item_id, ini.status_field)

        assert stored_answer() == "i-nogen-grad"
        for answer in ("n", "j"):
            await put_cursor_on(pilot, screen, key)
            await pilot.press("s")
            await pilot.pause()
            choices = [o.prompt.strip("● ") for o in app.screen.query_one(OptionList).options]
            assert choices == ["Ikke startet", "I gang", "Gennemført"]  # no »Udgået«: the scale has no answer for it
            await pilot.press("end", "enter")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            assert "»I nogen grad« til »I høj grad«" in app.screen.question
            await pilot.press(answer)
            await pilot.pause()
            assert isinstance(app.screen, OutstandingScreen)
            if answer == "n":
                assert stored_answer() == "i-nogen-grad"
        assert stored_answer() == "i-hoej-grad"


async def test_every_milestone_ticked_is_saved_though_the_dialog_closes_at_once(demo_db):
    """Ticks are saved one after another in the dialog's workers; Esc straight after them must
    not close it before they are saved (removing it would cancel a tick still waiting)."""
    app = ImplanApp(demo_db, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_outstanding(pilot, app)
        entry = next(e for e in screen.shown.entries if sum(not m.done for m in e.initiative.milestones) >= 2)
        ini = entry.initiative
        await put_cursor_on(pilot, screen, f"ini:{ini.plan_id}:{ini.item_id}")
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MilestonesScreen)
        open_ones = [i for i, m in enumerate(ini.milestones) if not m.done][:2]
        selection = app.screen.query_one(SelectionList)
        keys = []
        for index in open_ones:
            keys += ["down"] * (index - (keys.count("down"))) + ["space"]
        selection.highlighted = 0
        await pilot.press(*keys, "escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        stored = Workspace.open(demo_db).get(ini.plan_id)
        after = next(i for i in plan_initiatives(stored) if i.item_id == ini.item_id)
        assert all(after.milestones[i].done for i in open_ones)


async def test_enter_opens_the_plan_at_the_item(demo_db):
    app = ImplanApp(demo_db, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_outstanding(pilot, app)
        key = initiative_rows(screen)[-1]
        ini = screen._rows[key].initiative
        await put_cursor_on(pilot, screen, key)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen)
        assert app.screen.current_section.id == ini.section_id
        focused_editor = next(a for a in app.focused.ancestors if isinstance(a, FieldEditor))
        assert focused_editor.key == (ini.item_id, ini.deadline_field)
        content = app.screen.query_one("#content")
        for _ in range(100):  # the section settles: text areas take their height, moving the field
            await pilot.pause(0.1)
            if app.screen.keeping_in_view is None:
                break
        assert content.region.contains_region(app.focused.region)  # in view, not below the fold
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OutstandingScreen)


async def test_meeting_then_changes_show_since_last_meeting(demo_db):
    app = ImplanApp(demo_db, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_outstanding(pilot, app)
        key = initiative_rows(screen)[0]
        ini = screen._rows[key].initiative
        await put_cursor_on(pilot, screen, key)
        await pilot.press("f")
        await pilot.pause()
        await pilot.press(*"06-12-2026", "enter")
        await pilot.pause()
        plan = Workspace.open(demo_db).get(ini.plan_id)
        meeting = since_last_meeting(plan, TODAY).meeting
        assert meeting is not None and meeting.next_date == date(2026, 12, 6)
        await put_cursor_on(pilot, screen, key)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("down", "enter")  # from I gang to Gennemført
        await pilot.pause()
        plan = Workspace.open(demo_db).get(ini.plan_id)
        lines = [c.describe() for c in since_last_meeting(plan, TODAY).changes]
        assert lines == [f"»{ini.title}«: status I gang → Gennemført"]


async def test_wizard_f9_lists_the_plans_initiatives_and_returns(demo_db):
    app = ImplanApp(demo_db, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        wizard = app.screen
        assert isinstance(wizard, WizardScreen)
        await pilot.press("f9")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, OutstandingScreen) and screen.plan_id == wizard.plan.id
        assert {screen._rows[k].initiative.plan_id for k in initiative_rows(screen)} == {wizard.plan.id}
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)
        await pilot.press("escape", "g")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen) and app.screen.markdown.startswith("# Dagsorden")
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.screen is wizard


async def test_command_palette_offers_the_meeting_documents(demo_db):
    app = ImplanApp(demo_db, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_outstanding(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Dagsorden")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert app.screen.markdown.startswith("# Dagsorden")


async def test_the_fast_table_draws_every_line_as_datatable_does():
    """FastRowTable makes plain cells' segments itself: what it draws must be DataTable's own
    drawing, to the segment, cursor row, styled, full-width, wide-character and fallback cells alike."""
    from rich.text import Text
    from textual.app import App
    from textual.containers import Horizontal

    from tui.app.widgets.basics import FastRowTable, RowTable

    rows = [
        [Text("! Overskredet", style="bold red"), Text("Line Bach"), Text("01-02-2026", style="red")],
        [Text("Udført for længe siden", style="dim"), Text(""), Text("–")],
        [Text("Præcis så bred"), Text("ÆØÅ中文字"), Text("1234567890")],  # fills its cell / wide characters
        [Text("Alt for lang til sin kolonne, skåret"), "[b]markup[/b]", Text("For lang") + Text(" med stil", "bold")],
        ["", Text("tab\tter"), Text("to\nlinjer")],
        [Text("▰▰▰", style="green") + Text("▱▱", style="dim") + Text(" 3/5"), Text("a") + Text("b", style="bold"),
         Text("12", style="red") + Text("–")],  # home's progress bar: styled parts
    ]

    class Tables(App):
        def compose(self):
            with Horizontal():
                yield RowTable(id="slow", cursor_type="row")
                yield FastRowTable(id="fast", cursor_type="row")

    app = Tables()
    async with app.run_test(size=(120, 12)) as pilot:
        for table in app.query(RowTable):
            for name, width in (("Initiativ", 14), ("Ansvarlig", 9), ("Deadline", 10)):
                table.add_column(name, width=width, key=name)
            for n, cells in enumerate(rows):
                table.add_row(*cells, key=str(n))
            table.move_cursor(row=2)
        app.set_focus(None)  # focus changes the colours: alike for both
        await pilot.pause()
        slow, fast = app.query_one("#slow", RowTable), app.query_one("#fast", FastRowTable)
        assert fast.virtual_size == slow.virtual_size
        for y in range(len(rows) + 1):
            assert list(fast.render_line(y)) == list(slow.render_line(y)), y
        assert FastRowTable.shortcuts  # drawn by the shortcuts, not by falling back after an error


async def test_udestaaende_reads_the_rows_kept_beside_the_database_and_a_change_since(demo_db):
    """The plan list brings the rows Udestående reads up to date after its first frame; `u` shows
    what building every plan would; a change made since (here by another window) is shown."""
    from tui.core.initiatives import set_status
    from tui.core.summaries import rows_complete
    from tui.store.summary_cache import read_cache

    app = ImplanApp(demo_db, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(200):
            doc = read_cache(demo_db)
            if doc is not None and rows_complete(doc, demo_db):
                break
            await pilot.pause(0.02)
        assert doc is not None and rows_complete(doc, demo_db)  # made by the plan list, not by `u`
        screen = await open_outstanding(pilot, app)
        built = followup.build_outstanding(Workspace.open(demo_db).plans(), TODAY)
        assert screen.view.entries == built.entries

        def said(decisions):
            return [(d.plan_id, d.finding.kind, d.finding.section_id, d.finding.item_id, d.finding.field_id,
                     d.finding.message) for d in decisions]

        assert said(screen.view.decisions) == said(built.decisions) != []
        entry = screen.shown.entries[0]
        ini = entry.initiative
        await pilot.press("escape")
        await pilot.pause()

        def close(plan):
            set_status(plan, next(i for i in plan_initiatives(plan) if i.item_id == ini.item_id), "gennemfoert")

        Workspace.open(demo_db, write=True).update(ini.plan_id, close)  # another window
        screen = await open_outstanding(pilot, app)
        for _ in range(200):
            if screen._rows:
                break
            await pilot.pause(0.02)
        assert f"ini:{ini.plan_id}:{ini.item_id}" not in screen._rows  # closed: hidden (A shows it)
        assert entry not in screen.view.entries


async def test_typing_on_in_the_filter_finds_what_the_whole_list_would(demo_db):
    """Each keystroke that lengthens the query selects among the rows the shorter one found: the
    result must be the whole list's, also after a deletion, a sort and a change of plan data."""
    app = ImplanApp(demo_db, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_outstanding(pilot, app)
        await pilot.press("slash")
        steps = [*"an", "space", "m", "backspace", "backspace", "backspace", "n"]
        for key in steps:
            await pilot.press(key)
            await pilot.pause(0.1)
            query = screen.query_one("#filter").value
            expected = followup.select(screen.view, query=query, sort=screen.sort, today=TODAY)
            assert screen.shown.entries == expected.entries and screen.shown.decisions == expected.decisions, query
        assert 0 < len(screen.shown.entries) < len(screen.view.entries)
