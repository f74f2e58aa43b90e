"""CPR-like numbers in the wizard, driven by keyboard through Pilot: warned at once where typed,
offered for removal when the field is left, listed first by the review, asked about before
export. The database is checked after."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from tests.test_app_wizard import SIZE, create_plan, start, stored_plans, type_into
from tui.app.app import ImplanApp
from tui.app.screens.export import ExportScreen
from tui.app.screens.review import ReviewScreen
from tui.app.widgets.cpr_guard import CprQuestion
from tui.app.widgets.fields import FieldEditor
from tui.app.workers import finish_workers


def error_line(editor) -> str:
    return str(editor.query_one(".field-error").render())


async def new_activity(pilot, app, title="CPR"):
    await start(pilot, app)
    await create_plan(pilot, app, "barnets-lov", title)
    await pilot.press("f4")
    await pilot.pause()
    [item] = app.screen.plan.items("faglig-vurdering")
    await pilot.press(*"Kursus", "tab")  # the new activity's title, then on to its first field
    await pilot.pause()
    return item


async def test_cpr_typed_is_warned_at_once_and_removed_on_leaving(tmp_path):
    db = tmp_path / "implan.json"
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        item = await new_activity(pilot, app)
        editor = await type_into(pilot, app, item.id, "ansvarlige", "Anna 010203-123")
        await pilot.pause()
        assert not editor.has_class("-cpr")  # nine digits: not yet
        await pilot.press("4")
        await pilot.pause()
        assert editor.has_class("-cpr")  # the tenth digit: at once
        assert "Ligner et CPR-nummer (010203-XXXX)" in error_line(editor)
        assert not isinstance(app.screen, CprQuestion)  # no dialog while typing
        await pilot.press(*" ringer")
        await pilot.press("tab")
        await pilot.pause()
        await pilot.pause()
        question = app.screen
        assert isinstance(question, CprQuestion)
        assert "010203-XXXX" in question.question and "1234" not in question.question
        await pilot.press("enter")  # Fjern is the default
        await pilot.pause()
        assert not isinstance(app.screen, CprQuestion)
        assert editor.query_one(Input).value == "Anna ringer"
        assert app.screen.plan.value(item.id, "ansvarlige") == "Anna ringer"
        assert not editor.has_class("-cpr")
        await pilot.press("ctrl+q")
    [plan] = stored_plans(db)
    [item] = plan.items("faglig-vurdering")
    assert plan.value(item.id, "ansvarlige") == "Anna ringer"
    assert "0102031234" not in str(plan.data).replace("-", "")


async def test_kept_cpr_is_asked_once_listed_first_by_review_and_export_asks(tmp_path):
    db = tmp_path / "implan.json"
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        item = await new_activity(pilot, app, "Beholdt")
        wizard = app.screen
        editor = await type_into(pilot, app, item.id, "formaal", "Barnet 0102031234 er flyttet")
        await pilot.press("tab")  # a text area: Tab leaves it
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CprQuestion)
        await pilot.press("escape")  # Behold
        await pilot.pause()
        assert wizard.plan.value(item.id, "formaal") == "Barnet 0102031234 er flyttet"
        assert editor.has_class("-cpr")
        # Back into the field and out again: the same number is not asked about twice.
        editor.focus_input()
        await pilot.pause()
        await pilot.press("end", *" nu", "tab")
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(app.screen, CprQuestion)

        await pilot.press("f2")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        first = review.findings[0]
        assert first.kind == "cpr-nummer" and (first.item_id, first.field_id) == (item.id, "formaal")
        assert "010203-XXXX" in first.message and "en plan må ikke indeholde personnumre" in first.message
        assert "CPR-nummer" in str(review.query_one("#review-cpr").render())
        await pilot.press("enter")  # the first finding is highlighted: jump to it
        await pilot.pause()
        await pilot.pause()
        assert app.screen is wizard
        editor = wizard.query_one(f"#field--{item.id}--formaal", FieldEditor)  # the section is shown anew
        assert app.focused is editor.query_one(TextArea) and editor.has_class("-cpr")

        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        export = app.screen
        export.query_one("#path", Input).value = str(tmp_path / "plan")
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, CprQuestion)
        assert "010203-XXXX" in app.screen.question
        await pilot.press("enter")  # Fortryd is the default here
        await pilot.pause()
        assert app.screen is export and not (tmp_path / "plan.md").exists()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, CprQuestion)
        await pilot.press("tab", "enter")  # over to "Gem alligevel"
        await pilot.pause()
        await finish_workers(export, "export-write")  # the file is written in a thread
        assert "0102031234" in (tmp_path / "plan.html").read_text(encoding="utf-8")
        await pilot.press("ctrl+t")  # asked once per visit
        await pilot.pause()
        assert not isinstance(app.screen, CprQuestion)
        await finish_workers(export, "export-write")
        assert (tmp_path / "plan.md").exists()
        await pilot.press("escape", "ctrl+q")
    [plan] = stored_plans(db)
    assert plan.value(item.id, "formaal") == "Barnet 0102031234 er flyttet nu"


async def test_milestone_text_and_activity_title_are_offered_too(tmp_path):
    from textual.widgets import Button

    db = tmp_path / "implan.json"
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, app)
        await create_plan(pilot, app, "barnets-lov", "Titler")
        await pilot.press("f4")
        await pilot.pause()
        wizard = app.screen
        [item] = wizard.plan.items("faglig-vurdering")
        await pilot.press(*"Sagen 010203-1234")
        await pilot.pause()
        editor = wizard.query_one(f"#item--{item.id}")
        assert editor.has_class("-cpr") and "010203-XXXX" in str(editor.query_one(".item-title-cpr").render())
        await pilot.press("tab")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CprQuestion)
        await pilot.press("enter")
        await pilot.pause()
        assert wizard.plan.item_title(wizard.plan.find_item(item.id)[1]) == "Sagen"
        assert not editor.has_class("-cpr")

        milestones = wizard.query_one(f"#field--{item.id}--milepaele", FieldEditor)
        milestones.query_one(".ms-add", Button).press()
        await pilot.pause()
        await pilot.press(*"01-03-2027", "tab", *"Møde om 020304 1234")
        await pilot.pause()
        assert milestones.has_class("-cpr") and "020304-XXXX" in error_line(milestones)
        await pilot.press("tab")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CprQuestion)
        await pilot.press("enter")
        await pilot.pause()
        [row] = wizard.plan.value(item.id, "milepaele")
        assert row["text"] == "Møde om" and row["date"] == "2027-03-01"
        await pilot.press("ctrl+q")
    [plan] = stored_plans(db)
    [item] = plan.items("faglig-vurdering")
    assert item.title == "Sagen" and plan.value(item.id, "milepaele")[0]["text"] == "Møde om"


async def test_phone_and_case_numbers_are_not_flagged(tmp_path):
    db = tmp_path / "implan.json"
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        item = await new_activity(pilot, app, "Numre")
        text = "Tlf. 12 34 56 78 / 12345678, sag 2024-012345, konto 1234-5678901234, 01-03-2027, 320103-1234"
        editor = await type_into(pilot, app, item.id, "ansvarlige", text)
        await pilot.press("tab")
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(app.screen, CprQuestion)
        assert not editor.has_class("-cpr")
        await pilot.press("f2")
        await pilot.pause()
        assert not any(f.kind == "cpr-nummer" for f in app.screen.findings)
        await pilot.press("escape", "ctrl+q")
    [plan] = stored_plans(db)
    assert plan.value(plan.items("faglig-vurdering")[0].id, "ansvarlige") == text


async def test_new_plan_title_with_cpr_is_offered_for_removal(tmp_path):
    from tui.app.screens.new_plan import NewPlanScreen
    from tui.app.screens.wizard import WizardScreen

    db = tmp_path / "implan.json"
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NewPlanScreen)
        await pilot.press("enter", *"Plan om 010203-1234", "enter", *"Testrup", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CprQuestion) and "Titlen indeholder noget, der ligner et CPR-nummer (010203-XXXX)" in app.screen.question
        await pilot.press("enter")  # Fjern
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen) and app.screen.plan.title == "Plan om"
        await pilot.press("ctrl+q")
    [plan] = stored_plans(db)
    assert plan.title == "Plan om"


async def test_review_jumps_to_a_kept_title_and_names_the_plan_title(tmp_path):
    db = tmp_path / "implan.json"
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, app)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("enter", *"Plan 0203041234", "enter", "enter")
        await pilot.pause()
        await pilot.press("escape")  # Behold: the plan is made with it
        await pilot.pause()
        await pilot.pause()
        wizard = app.screen
        await pilot.press("f4")
        await pilot.pause()
        [_item] = wizard.plan.items("faglig-vurdering")
        await pilot.press(*"Sagen 010203-1234", "tab")
        await pilot.pause()
        await pilot.pause()
        await pilot.press("escape")  # Behold
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        review = app.screen
        cpr = [f for f in review.findings if f.kind == "cpr-nummer"]
        assert [f.message.split(" – ")[0] for f in cpr] == [
            "020304-XXXX i planens titel", "010203-XXXX i titlen på udviklingsaktivitet »Sagen 010203-XXXX«"]
        assert review.findings[:2] == cpr
        await pilot.press("enter")  # the plan's title: not a field here, said so, the review stays
        await pilot.pause()
        assert app.screen is review
        await pilot.press("down", "enter")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is wizard
        assert app.focused.has_class("item-title") and app.focused.value == "Sagen 010203-1234"
        await pilot.press("ctrl+q")


async def test_renaming_a_plan_to_a_title_with_cpr_warns(tmp_path):
    db = tmp_path / "implan.json"
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, app)
        await create_plan(pilot, app, "barnets-lov", "Plan")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("end", *" 010203-1234", "enter")
        await pilot.pause()
        await pilot.pause()
        notes = [n.message for n in app._notifications]
        assert any("Ligner et CPR-nummer (010203-XXXX)" in n for n in notes), notes
        await pilot.press("ctrl+q")
    [plan] = stored_plans(db)
    assert plan.title == "Plan 010203-1234"


async def test_importing_a_plan_with_cpr_in_the_app_warns(tmp_path):
    from tests.test_cpr import sample_with

    path = sample_with(tmp_path, "Barnet har cpr 0102031234.")
    db = tmp_path / "implan.json"
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, app)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press(*str(path), "enter")
        await pilot.pause()
        await pilot.pause()
        notes = [n.message for n in app._notifications]
        assert any("ligner et CPR-nummer (010203-XXXX i »Fælles faglig" in n for n in notes), notes
        assert not any("0102031234" in n for n in notes)
        await pilot.press("ctrl+q")
    assert len(stored_plans(db)) == 1


async def test_a_document_with_cpr_asks_before_it_is_saved_or_copied(tmp_path):
    db = tmp_path / "implan.json"
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, app)
        app.push_screen(ExportScreen(markdown="# Dagsorden\n\n- Anna (010203-1234) ringer\n", heading="Dagsorden",
                                     filename="dagsorden", folder=tmp_path))
        await pilot.pause()
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert isinstance(app.screen, CprQuestion) and app.screen.question.startswith("Dokumentet indeholder")
        assert "010203-XXXX i dokumentet" in app.screen.question and app.screen.yes == "Kopiér alligevel"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("enter")  # Fortryd
        await pilot.pause()
        assert not (tmp_path / "dagsorden.md").exists()
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("shift+tab", "enter")  # Gem alligevel
        await pilot.pause()
        await finish_workers(app.screen, "export-write")  # the file is written in a thread
        assert "010203-1234" in (tmp_path / "dagsorden.md").read_text(encoding="utf-8")


async def test_the_warning_stays_when_the_field_is_shown_again_after_a_change_elsewhere(tmp_path):
    """The wizard composes a field again when another window changed it; its warning line with it."""
    db = tmp_path / "implan.json"
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        item = await new_activity(pilot, app)
        editor = await type_into(pilot, app, item.id, "ansvarlige", "Anna 010203-1234")
        await pilot.pause()
        assert "Ligner et CPR-nummer (010203-XXXX)" in error_line(editor)
        await editor.recompose()
        await pilot.pause()
        await pilot.pause()
        assert editor.has_class("-cpr")
        assert "Ligner et CPR-nummer (010203-XXXX)" in error_line(editor)
        await pilot.press("ctrl+q")
