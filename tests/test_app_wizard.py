"""Whole wizard flows driven by keyboard through Textual's Pilot; the database is checked after."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select, TextArea

from tui.app.app import ImplanApp
from tui.app.screens.confirm import ConfirmScreen
from tui.app.screens.export import ExportScreen
from tui.app.screens.home import HomeScreen
from tui.app.screens.new_plan import NewPlanScreen
from tui.app.screens.review import ReviewScreen
from tui.app.screens.wizard import WizardScreen
from tui.app.widgets.fields import FieldEditor
from tui.app.workers import finish_workers
from tui.core.plan import Plan
from tui.core.refs import FieldRef
from tui.core.templates import load_library
from tui.store import PlanStore

SIZE = (120, 40)


def stored_plans(db):
    library = load_library()
    return [Plan(d, library.get(d["template"]["id"])) for d in PlanStore(db).list_plans()]


async def start(pilot, app):
    await pilot.pause()
    if isinstance(app.screen, ConfirmScreen):  # the demo offer on an empty database
        await pilot.press("n")
        await pilot.pause()


async def create_plan(pilot, app, template_id: str, title: str):
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(app.screen, NewPlanScreen)
    template_index = [t.id for t in app.screen.templates].index(template_id)
    for _ in range(template_index):
        await pilot.press("down")
    await pilot.press("enter")  # choose the template: focus moves to the title
    await pilot.press(*title)
    await pilot.press("enter")
    await pilot.press(*"Testrup Kommune")
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, WizardScreen)


async def type_into(pilot, app, item_id: str, field_id: str, text: str):
    await app.screen.reveal_item(item_id)  # an item out of sight is a stub until it is scrolled to
    editor = app.screen.query_one(f"#field--{item_id}--{field_id}", FieldEditor)
    editor.focus_input()
    await pilot.pause()
    await pilot.press(*text)
    return editor


async def activity_with_a_new_milestone(pilot, app, title: str):
    """A new barnets-lov plan with one activity and an empty milestone row, its date focused."""
    from textual.widgets import Button

    await start(pilot, app)
    await create_plan(pilot, app, "barnets-lov", title)
    await pilot.press("f4")
    await pilot.pause()
    [item] = app.screen.plan.items("faglig-vurdering")
    editor = app.screen.query_one(f"#field--{item.id}--milepaele", FieldEditor)
    editor.query_one(".ms-add", Button).press()
    await pilot.pause()
    return item, editor


async def test_barnets_lov_activities_typed_saved_and_found_again(tmp_path):
    db = tmp_path / "implan.json"
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, app)
        await create_plan(pilot, app, "barnets-lov", "Barnets lov i Testrup")
        wizard = app.screen
        assert wizard.plan.template.id == "barnets-lov"
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press(*"Kursus i faglig vurdering")
        [item] = wizard.plan.items("faglig-vurdering")
        await type_into(pilot, app, item.id, "formaal", "Bedre vurderinger")
        await type_into(pilot, app, item.id, "ansvarlige", "Mette Holm")
        await type_into(pilot, app, item.id, "maal-dato", "01-06-2027")
        await pilot.press("tab")  # leaving the date field checks and stores it
        await pilot.pause()
        await pilot.press("f8")  # next theme
        await pilot.pause()
        assert wizard.current_section.id == "inddragelse"
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press(*"Børnesamtaler")
        await pilot.press("f7")
        await pilot.pause()
        assert wizard.current_section.id == "faglig-vurdering"
        await pilot.press("ctrl+q")  # quitting mid-pause still saves
    [plan] = stored_plans(db)
    [first] = plan.items("faglig-vurdering")
    assert first.title == "Kursus i faglig vurdering"
    assert plan.value(first.id, "formaal") == "Bedre vurderinger"
    assert plan.value(first.id, "ansvarlige") == "Mette Holm"
    assert plan.value(first.id, "maal-dato") == "2027-06-01"
    assert [i.title for i in plan.items("inddragelse")] == ["Børnesamtaler"]

    # Start again: everything is there on screen too.
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen)
        editor = app.screen.query_one(f"#field--{first.id}--formaal", FieldEditor)
        assert editor.query_one(TextArea).text == "Bedre vurderinger"
        assert app.screen.query_one(f"#field--{first.id}--maal-dato", FieldEditor).query_one(Input).value == "01-06-2027"


async def test_invalid_date_is_kept_flagged_and_not_stored(tmp_path):
    db = tmp_path / "implan.json"
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, app)
        await create_plan(pilot, app, "barnets-lov", "Datoer")
        await pilot.press("f4")
        await pilot.pause()
        [item] = app.screen.plan.items("faglig-vurdering")
        editor = await type_into(pilot, app, item.id, "maal-dato", "31-02-2027")
        await pilot.press("tab")
        await pilot.pause()
        assert editor.has_class("-invalid")
        assert "findes ikke i kalenderen" in str(editor.query_one(".field-error").render())
        assert editor.query_one(Input).value == "31-02-2027"  # what was typed stays
        assert app.screen.plan.value(item.id, "maal-dato") == ""
        editor.query_one(Input).value = "28-02-2027"
        editor.focus_input()
        await pilot.press("tab")
        await pilot.pause()
        assert not editor.has_class("-invalid")
        assert app.screen.plan.value(item.id, "maal-dato") == "2027-02-28"


async def test_invalid_dates_survive_quit_and_restart_flagged_and_milestone_text_is_kept(tmp_path):
    """Nothing typed is lost: a date that is not a date is saved as typed (the answer stays empty),
    flagged again after a restart and listed by the review; text typed beside it is saved."""
    db = tmp_path / "implan.json"
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        item, milestones = await activity_with_a_new_milestone(pilot, app, "Kladder")
        await pilot.press(*"32-13-2027", "tab")  # the new row's date, then its text
        await pilot.pause()
        assert app.focused.has_class("ms-text")
        await pilot.press(*"Første kursus holdt")
        assert milestones.has_class("-invalid")
        await type_into(pilot, app, item.id, "maal-dato", "1-14-2027")
        await pilot.press("ctrl+q")  # quitting while still in the date field
    [plan] = stored_plans(db)
    [item] = plan.items("faglig-vurdering")
    assert plan.value(item.id, "maal-dato") == ""
    assert plan.draft(item.id, "maal-dato") == "1-14-2027"
    [row] = plan.value(item.id, "milepaele")
    assert row["text"] == "Første kursus holdt" and row["date"] == ""
    assert plan.draft(item.id, "milepaele", row["id"]) == "32-13-2027"

    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        wizard = app.screen
        date_editor = wizard.query_one(f"#field--{item.id}--maal-dato", FieldEditor)
        assert date_editor.query_one(Input).value == "1-14-2027"
        assert date_editor.has_class("-invalid")
        ms_editor = wizard.query_one(f"#field--{item.id}--milepaele", FieldEditor)
        assert ms_editor.query_one(".ms-date", Input).value == "32-13-2027"
        assert ms_editor.query_one(".ms-text", Input).value == "Første kursus holdt"
        await pilot.press("f2")
        await pilot.pause()
        review = app.screen
        bad = [f for f in review.findings if f.kind == "ugyldig-dato"]
        assert {f.milestone_id for f in bad} == {None, row["id"]}
        [finding] = [f for f in bad if f.milestone_id]
        review.dismiss(FieldRef(review.plan.id, finding.section_id, finding.item_id, finding.field_id,
                                finding.milestone_id))
        await pilot.pause()
        await pilot.pause()
        # The jump lands in that milestone's date, with the milestone help beside it.
        ms_editor = wizard.query_one(f"#field--{item.id}--milepaele", FieldEditor)
        assert app.focused is ms_editor.query_one(".ms-date", Input)
        assert "Milepæle" in wizard.query_one("#help-text").source
        date_editor = wizard.query_one(f"#field--{item.id}--maal-dato", FieldEditor)
        date_editor.query_one(Input).value = "01-04-2027"
        date_editor.focus_input()
        await pilot.press("tab")
        await pilot.pause()
        assert not date_editor.has_class("-invalid")
        await pilot.press("ctrl+q")
    [plan] = stored_plans(db)
    assert plan.value(item.id, "maal-dato") == "2027-04-01" and plan.draft(item.id, "maal-dato") is None


async def test_activity_removed_after_confirmation(tmp_path):
    db = tmp_path / "implan.json"
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, app)
        await create_plan(pilot, app, "barnets-lov", "Fjern")
        for title in ("Første", "Anden"):
            await pilot.press("f4")
            await pilot.pause()
            await pilot.press(*title)
        wizard = app.screen
        first, _second = wizard.plan.items("faglig-vurdering")
        wizard.query_one(f"#item--{first.id} .item-remove").press()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert [i.title for i in wizard.plan.items("faglig-vurdering")] == ["Anden"]
        await pilot.press("ctrl+q")
    [plan] = stored_plans(db)
    assert [i.title for i in plan.items("faglig-vurdering")] == ["Anden"]


async def test_ngo_answers_scale_and_review_jumps_to_the_field(tmp_path):
    db = tmp_path / "implan.json"
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, app)
        await create_plan(pilot, app, "ngo-samarbejde", "NGO-samarbejde")
        wizard = app.screen
        assert wizard.plan.template.id == "ngo-samarbejde"
        first = wizard.plan.template.sections[0].items[0]
        select = wizard.query_one(f"#field--{first.id}--svar", FieldEditor).query_one(Select)
        select.value = "slet-ikke"
        await pilot.pause()
        assert wizard.plan.value(first.id, "svar") == "slet-ikke"
        await pilot.press("f2")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        gap = next(i for i, f in enumerate(review.findings) if f.kind == "gab")
        finding = review.findings[gap]
        review.dismiss(FieldRef(review.plan.id, finding.section_id, finding.item_id, finding.field_id,
                                finding.milestone_id))
        await pilot.pause()
        await pilot.pause()
        focused = app.focused
        assert focused is not None
        editor = next(a for a in focused.ancestors if isinstance(a, FieldEditor))
        assert editor.key == (first.id, "initiativer")
        await pilot.press(*"Workshop om merværdi")
        await pilot.press("ctrl+q")
    [plan] = stored_plans(db)
    assert plan.value(first.id, "initiativer") == "Workshop om merværdi"


async def test_export_writes_the_markdown_and_the_word_file(tmp_path, monkeypatch):
    db = tmp_path / "implan.json"
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, app)
        await create_plan(pilot, app, "barnets-lov", "Eksport: Æbleø / 2027")
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one("#path", Input).value = str(tmp_path / "min-plan")
        await pilot.press("ctrl+t")  # Markdown
        await pilot.pause()
        await finish_workers(app.screen, "export-write")  # the file is written in a thread
        written = tmp_path / "min-plan.md"
        assert written.read_text(encoding="utf-8").startswith("# Eksport: Æbleø / 2027")
        assert "Mangler i planen" not in written.read_text(encoding="utf-8")
        app.screen.query_one("#with-findings").focus()
        await pilot.press("space")  # "Med alle mangler"
        app.screen.query_one("#with-help").focus()
        await pilot.press("space")  # "Med skabelonens vejledning"
        await pilot.pause()
        hint = str(app.screen.query_one("#options-hint").render())
        assert "skabelonens vejledning og alle mangler" in hint
        await pilot.press("ctrl+t")
        await pilot.pause()
        await finish_workers(app.screen, "export-write")
        await pilot.press("ctrl+s")  # Word
        await pilot.pause()
        await finish_workers(app.screen, "export-write")
        assert "## Vejledning til planen" in written.read_text(encoding="utf-8")
        assert "## Mangler i planen" in written.read_text(encoding="utf-8")

        # A name typed with another format's ending gets the chosen one instead, in a terminal ...
        written.unlink()
        app.screen.query_one("#path", Input).value = str(tmp_path / "min-plan.docx")
        await pilot.press("ctrl+t")
        await pilot.pause()
        await finish_workers(app.screen, "export-write")
        assert written.is_file() and not (tmp_path / "min-plan.docx.md").exists()
        # ... and in a browser, where the file is a download
        delivered: list[str] = []
        with monkeypatch.context() as browser:
            browser.setattr(ImplanApp, "is_web", property(lambda self: True))
            browser.setattr("tui.app.screens.export.deliver", lambda app, name, data: delivered.append(name))
            await pilot.press("ctrl+t")
            await pilot.pause()
            await finish_workers(app.screen, "export-write")
        assert delivered == ["min-plan.md"]
    import docx

    word = docx.Document(str(tmp_path / "min-plan.docx"))
    assert [p.text for p in word.paragraphs if p.style.name == "Title"] == ["Eksport: Æbleø / 2027"]
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert "Vejledning til planen" in headings and "Mangler i planen" in headings


def test_safe_default_file_name():
    from tui.fileio import safe_filename

    assert safe_filename("Barnets lov i Ærø – 2027/28") == "barnets-lov-i-aeroe-2027-28"
    assert safe_filename("../../etc") == "etc"
    assert safe_filename("???") == "implementeringsplan"


async def test_second_window_on_the_same_plan_is_refused(tmp_path):
    db = tmp_path / "implan.json"
    store = PlanStore.open(db)
    library = load_library()
    from tui.core.plan import new_plan_data

    data = store.add_plan(new_plan_data(library.get("barnets-lov"), "Delt plan"))
    lock = store.edit_lock(data["id"], "Delt plan", "Anna Holm")
    try:
        app = ImplanApp(db)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("enter")
            for _ in range(100):
                if isinstance(app.screen, ConfirmScreen):
                    break
                await pilot.pause(0.05)
            # Not opened a second time: the message names the plan and who has it open.
            assert isinstance(app.screen, ConfirmScreen)
            assert "»Delt plan« er allerede åben hos Anna Holm (siden kl." in app.screen.question
            await pilot.press("j")  # "Læs planen": the plan as a document, nothing to edit
            for _ in range(100):
                if isinstance(app.screen, ExportScreen):
                    break
                await pilot.pause(0.05)
            assert isinstance(app.screen, ExportScreen)
            assert app.screen.title == "Kun læsning: Delt plan – åben hos Anna Holm"
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
    finally:
        lock.release()
    # Once the holder let go, the plan opens for editing as usual.
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        for _ in range(100):
            if isinstance(app.screen, WizardScreen):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, WizardScreen)


@pytest.mark.parametrize("template_id", ["barnets-lov", "ngo-samarbejde", "signs-of-safety", "familieraadslagning"])
async def test_every_template_filled_section_by_section_survives_a_restart(tmp_path, template_id):
    """Create a plan from the template, write in every section going forward with F8, go back
    with F7, quit; after a restart every answer is stored and on screen."""
    db = tmp_path / "implan.json"
    typed: dict[tuple[str, str], str] = {}
    app = ImplanApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot, app)
        await create_plan(pilot, app, template_id, f"Plan efter {template_id}")
        wizard = app.screen
        for number, section in enumerate(wizard.sections, start=1):
            assert wizard.current_section.id == section.id
            if not wizard.plan.items(section):
                await pilot.press("f4")
                await pilot.pause()
                await pilot.press(*f"Aktivitet {number}")
            item = wizard.plan.items(section)[0]
            field = next(f for f in wizard.plan.item_type(item).fields
                         if f.kind in ("long_text", "short_text", "responsible"))
            text = f"Svar i afsnit {number}: æøå"
            await type_into(pilot, app, item.id, field.id, text)
            typed[(item.id, field.id)] = text
            await pilot.press("f8")
            await pilot.pause()
        for _ in wizard.sections:
            await pilot.press("f7")
            await pilot.pause()
        assert wizard.section_index == 0
        await pilot.press("ctrl+q")
    [plan] = stored_plans(db)
    assert {key: plan.value(*key) for key in typed} == typed

    app = ImplanApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        wizard = app.screen
        for index in range(len(wizard.sections)):
            await wizard.show_section(index)
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            for (item_id, field_id), text in typed.items():
                found = wizard.query(f"#field--{item_id}--{field_id}")
                if found:
                    widget = found.first().query_one("TextArea, Input")
                    assert getattr(widget, "text", None) == text or getattr(widget, "value", None) == text
        await pilot.press("ctrl+q")


async def test_removing_a_milestone_with_content_asks_first(tmp_path):
    from textual.widgets import Button

    db = tmp_path / "implan.json"
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        item, editor = await activity_with_a_new_milestone(pilot, app, "Milepæle")
        await pilot.press(*"01-03-2027", "tab", *"Kursus holdt")
        editor.query_one(".ms-remove", Button).press()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # Behold
        await pilot.pause()
        assert [m["text"] for m in app.screen.plan.value(item.id, "milepaele")] == ["Kursus holdt"]
        editor.query_one(".ms-remove", Button).press()
        await pilot.pause()
        await pilot.press("j")  # Fjern
        await pilot.pause()
        assert app.screen.plan.value(item.id, "milepaele") == []
        await pilot.press("ctrl+q")
    [plan] = stored_plans(db)
    assert plan.value(plan.items("faglig-vurdering")[0].id, "milepaele") == []


# -- the template's guidance for the whole plan, and its reference material -------------------------

NOTE_2022 = "Tidspunkterne er fra Socialstyrelsens materiale, senest opdateret 01-07-2022."


def template_json(template_id: str) -> dict:
    """The template as its file has it: what the screens show is checked against the file."""
    import json

    from tests.conftest import SCHEMAS

    return json.loads((SCHEMAS / f"{template_id}.json").read_text(encoding="utf-8"))


async def keys_listed(pilot, app) -> dict[str, str]:
    """What F1 lists for the screen, description -> key; F1 is closed again."""
    from tui.app.screens.keys import KeysScreen

    await pilot.press("f1")
    await pilot.pause()
    assert isinstance(app.screen, KeysScreen)
    listed = {what: key for key, what in app.screen.screen_keys}
    await pilot.press("escape")
    await pilot.pause()
    return listed


def palette_commands(app) -> list[str]:
    return [command.title for command in app.get_system_commands(app.screen)]


@pytest.mark.parametrize(("template_id", "titles"), [
    ("barnets-lov", ["Om implementeringsplanen", "Hvem?", "Hvornår?", "Hvad?", "Overordnet udviklingsaktivitet",
                     "SMART-sikring"]),
    ("familieraadslagning", ["Hvad er implementeringsvejledningen?", "De fem hjørnesten", "De tre trin"]),
])
async def test_plan_guidance_is_read_in_the_wizard(tmp_path, template_id, titles):
    from textual.widgets import Markdown

    from tui.app.screens.guide import GuidanceScreen

    assert titles == [b["title"] for b in template_json(template_id)["guidance_blocks"]]
    app = ImplanApp(tmp_path / "implan.json")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, app)
        await create_plan(pilot, app, template_id, "Vejledning")
        await pilot.pause(0.3)
        assert (await keys_listed(pilot, app))["Vejledning til planen"] == "F10"
        assert "Vejledning til planen" in palette_commands(app)
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, GuidanceScreen)
        text = app.screen.query_one("#guidance-text", Markdown)
        await pilot.pause(0.3)
        assert [(level, label) for level, label, _ in text.table_of_contents] == [(2, t) for t in titles]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen)
        await pilot.press("ctrl+q")


async def test_first_screen_of_a_new_plan_points_to_the_guidance(tmp_path):
    app = ImplanApp(tmp_path / "implan.json")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, app)
        await create_plan(pilot, app, "barnets-lov", "Vejledning")
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        help_text = app.screen.query_one("#help-text").source
        assert "**F10**: vejledning til hele planen – »Om implementeringsplanen«, »Hvem?«" in help_text
        assert "**F12**: nationale støttetilbud" in help_text
        await pilot.press("ctrl+q")


async def test_national_support_offer_becomes_an_activity_of_the_current_theme(tmp_path):
    from textual.widgets import ContentSwitcher, Markdown, OptionList, Static

    from tui.app.screens.guide import ReferenceScreen

    offers = template_json("barnets-lov")["reference"]
    db = tmp_path / "implan.json"
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, app)
        await create_plan(pilot, app, "barnets-lov", "Støtte")
        await pilot.press("f8")  # Tema 2
        await pilot.pause()
        wizard = app.screen
        assert wizard.current_section.id == "inddragelse"
        assert (await keys_listed(pilot, app))["Forslag til aktiviteter"] == "F12"
        assert "Nationale støttetilbud" in palette_commands(app)
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, ReferenceScreen)
        listed = app.screen.query_one("#reference-list", OptionList)
        assert [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)] == \
            [o["title"] for o in offers]
        note = app.screen.query_one("#reference-note", Static)
        assert str(note.render()) == NOTE_2022 and note.region.height > 0
        await pilot.press("down", "down")
        await pilot.pause()
        shown = app.screen.query_one(ContentSwitcher).visible_content
        assert shown is not None
        assert "Workshopdagene afholdes i januar 2023" in shown.query_one(Markdown).source
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is wizard
        [item] = wizard.plan.items("inddragelse")
        assert item.title == offers[2]["title"] == "Workshops og tværkommunale erfaringsnetværk"
        assert wizard.plan.items("faglig-vurdering") == []
        assert f"field--{item.id}--aktiviteter" in [a.id for a in app.focused.ancestors]
        area = wizard.query_one(f"#field--{item.id}--aktiviteter", FieldEditor).query_one(TextArea)
        assert area.text.startswith(NOTE_2022 + "\n\nPrimo 2023 inviteres")
        # Autosaved as any other change, without leaving the plan.
        for _ in range(30):
            stored = stored_plans(db)
            if stored and stored[0].items("inddragelse"):
                break
            await pilot.pause(0.1)
        [plan] = stored_plans(db)
        [saved] = plan.items("inddragelse")
        assert saved.title == "Workshops og tværkommunale erfaringsnetværk"
        assert plan.value(saved.id, "aktiviteter").startswith(NOTE_2022)
        assert "januar 2023" in plan.value(saved.id, "aktiviteter")
        await pilot.press("ctrl+q")


@pytest.mark.parametrize("template_id", ["ngo-samarbejde", "signs-of-safety", "familieraadslagning"])
async def test_templates_without_reference_offer_no_suggestions(tmp_path, template_id):
    from tui.app.screens.guide import ReferenceScreen

    assert "reference" not in template_json(template_id)
    app = ImplanApp(tmp_path / "implan.json")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, app)
        await create_plan(pilot, app, template_id, "Uden forslag")
        wizard = app.screen
        # Every section of these templates is checked in tests/test_guide.py; here the screen's.
        assert "Forslag til aktiviteter" not in await keys_listed(pilot, app)
        assert "Referencemateriale" not in palette_commands(app)
        await pilot.press("f12")
        await pilot.pause()
        assert app.screen is wizard
        assert not any(isinstance(s, ReferenceScreen) for s in app.screen_stack)
        wizard.show_section_help()
        await app.workers.wait_for_complete()
        help_text = wizard.query_one("#help-text").source
        assert "**F10**" in help_text and "F12" not in help_text
        await pilot.press("ctrl+q")


async def test_tab_and_scrolling_reach_every_question_of_a_long_section(tmp_path):
    """The questions out of sight are drawn as stand-ins until they are reached; Tab goes on into
    the next question's first field, Shift+Tab back into the last field of the one above, and
    scrolling to the end shows the last question's fields."""
    from tui.app.widgets.item_editor import ItemStub

    db = tmp_path / "implan.json"
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, app)
        await create_plan(pilot, app, "ngo-samarbejde", "Lang sektion")
        wizard = app.screen
        items = wizard.plan.items(wizard.current_section)
        assert len(items) > 3 and wizard.query(ItemStub)  # not every question's fields at once

        def focused_key():
            editor = next((a for a in app.focused.ancestors if isinstance(a, FieldEditor)), None)
            return editor.key if editor else None

        last_field = wizard.plan.item_type(items[0]).fields[-1].id
        wizard.query_one(f"#field--{items[0].id}--{last_field}", FieldEditor).focus_input()
        await pilot.pause()
        await pilot.press("tab")
        await app.workers.wait_for_complete()
        await pilot.pause()
        first_field = wizard.plan.item_type(items[1]).fields[0].id
        assert focused_key() == (items[1].id, first_field)
        await pilot.press("shift+tab")
        await pilot.pause()
        assert focused_key() == (items[0].id, last_field)

        wizard.query_one("#content").scroll_end(animate=False)
        for _ in range(200):  # the stand-ins scrolled into view become the questions' fields
            await app.workers.wait_for_complete()
            await pilot.pause(0.05)
            if wizard.query(f"#field--{items[-1].id}--{first_field}"):
                break
        assert wizard.query(f"#field--{items[-1].id}--{first_field}")
        await pilot.press("ctrl+q")


async def test_a_section_opens_with_its_answers_at_their_full_height(demo_db, monkeypatch):
    """Nothing moves after the first frame of a section: the long answers there already have the
    height their wrapped text needs (a text area wrapped only after it, and every answer below
    it moved down a frame or two later)."""
    from textual.screen import Screen
    from textual.widgets import DataTable

    frames: list[dict[str, int]] = []
    real = Screen._compositor_refresh

    def heights(screen: WizardScreen) -> dict[str, int]:
        return {str(editor.id): editor.query_one(TextArea).region.height
                for editor in screen.query(FieldEditor) if editor.query(TextArea)}

    def drawn(screen):
        if isinstance(screen, WizardScreen) and screen is screen.app.screen:
            frames.append(heights(screen))
        real(screen)

    app = ImplanApp(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=next(i for i in range(table.row_count)
                                   if "barnets lov" in str(table.get_row_at(i)[0]).casefold()))
        monkeypatch.setattr(Screen, "_compositor_refresh", drawn)
        await pilot.press("enter")
        await pilot.pause(0.5)
        wizard = app.screen
        assert isinstance(wizard, WizardScreen)
        settled = heights(wizard)
        assert any(height > 4 for height in settled.values())  # some answer wraps past the least height
        assert frames[0] == settled


async def test_a_review_that_finds_nothing_is_a_small_box_saying_so(demo_db, monkeypatch):
    """Not a screen-sized frame round an empty list."""
    from textual.containers import Vertical
    from textual.widgets import DataTable, OptionList

    import tui.app.screens.review as review_module

    monkeypatch.setattr(review_module, "plan_findings", lambda plan: [])
    app = ImplanApp(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen.query_one(DataTable), DataTable)
        await pilot.press("enter")
        await pilot.pause(0.3)
        wizard = app.screen
        assert isinstance(wizard, WizardScreen)
        await pilot.press("f2")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert "ingen mangler fundet" in str(review.query_one("#review-title").render())
        assert not review.query(OptionList)
        box = review.query_one(Vertical)
        assert box.region.height <= SIZE[1] // 3
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is wizard


async def test_a_new_plan_without_a_title_says_so_beside_the_button_not_over_it(tmp_path):
    from textual.widgets import Button, Label

    app = ImplanApp(tmp_path / "implan.json")
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, app)
        await pilot.press("n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, NewPlanScreen)
        screen.query_one("#create", Button).press()
        await pilot.pause()
        hint = screen.query_one("#hint", Label)
        assert "Giv planen en titel" in str(hint.render())
        assert not app._notifications  # a toast would lie over »Opret plan«
        assert isinstance(app.focused, Input) and app.focused.id == "title"
        await pilot.press(*"Plan")
        await pilot.pause()
        assert "Giv planen en titel" not in str(hint.render())
        assert app.screen is screen
