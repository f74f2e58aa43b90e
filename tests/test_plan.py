"""Plan logic: answers, added items, progress, initiatives, findings. No Textual anywhere."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from tests.conftest import ROOT
from tui.core.dates import DateError
from tui.core.enums import FindingKind
from tui.core.findings import plan_findings
from tui.core.initiatives import outstanding, plan_initiatives, set_milestone_done, set_status
from tui.core.plan import MAX_TEXT_LENGTH, Plan, ValueRefused, new_plan_data

TODAY = date(2027, 3, 1)


def make(library, template_id):
    template = library.get(template_id)
    return Plan(new_plan_data(template, "Testplan", "Testrup Kommune"), template)


def test_plan_logic_never_imports_textual():
    code = (
        "import sys; import tui.core.workspace, tui.core.export_md, tui.core.findings, tui.cli;"
        "from tui.cli import main;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_new_barnets_lov_plan_is_empty_and_not_done(library):
    plan = make(library, "barnets-lov")
    progress = plan.progress()
    assert progress.sections_complete == 0 and progress.percent == 0
    assert progress.summary() == "0 af 4 afsnit udfyldt"
    kinds = {f.kind for f in plan_findings(plan)}
    assert kinds == {FindingKind.TOO_FEW}


def fill_activity(plan, section_id, title, *, deadline="01-06-2027", responsible="Mette Holm"):
    item = plan.add_item(section_id, title)
    plan.set_value(item, "formaal", "Bedre faglige vurderinger")
    plan.set_value(item, "aktiviteter", "- Kursus\n- Sidemandsoplæring")
    plan.set_value(item, "ansvarlige", responsible)
    plan.set_value(item, "milepaele", [{"date": "01-04-2027", "text": "Kursus holdt"}, {"text": "Evaluering"}])
    plan.set_value(item, "maal", "80 % af sagerne har en faglig vurdering")
    plan.set_value(item, "maal-dato", deadline)
    return item


def test_activities_added_moved_removed_and_progress_follows(library):
    plan = make(library, "barnets-lov")
    first = fill_activity(plan, "faglig-vurdering", "Kursus i faglig vurdering")
    second = fill_activity(plan, "faglig-vurdering", "Sparring på teammøder")
    section = plan.section("faglig-vurdering")
    assert [i.id for i in plan.items(section)] == [first, second]
    assert plan.section_progress(section).complete
    assert plan.progress().summary() == "1 af 4 afsnit udfyldt"
    plan.move_item(second, -1)
    assert [i.id for i in plan.items(section)] == [second, first]
    plan.remove_item(second)
    assert [i.id for i in plan.items(section)] == [first]
    assert second not in plan.data["answers"]
    # One activity where two are recommended: not complete, and the review says so.
    assert not plan.section_progress(section).complete
    assert any(f.kind == FindingKind.TOO_FEW and f.section_id == "faglig-vurdering" for f in plan_findings(plan))


def test_own_theme_can_be_added_and_removed(library):
    plan = make(library, "barnets-lov")
    theme = plan.add_section("Overgange til voksenlivet")
    item = plan.add_item(theme, "Overgangsmøder")
    assert plan.section(theme).title == "Overgange til voksenlivet"
    assert [i.id for i in plan.items(theme)] == [item]
    assert len(plan.progress().sections) == 5
    plan.remove_section(theme)
    assert len(plan.sections()) == 4 and item not in plan.data["answers"]


def test_fixed_items_cannot_be_removed(library):
    plan = make(library, "signs-of-safety")
    fixed = plan.template.sections[0].items[0].id
    with pytest.raises(ValueRefused):
        plan.remove_item(fixed)


def test_dates_are_stored_iso_and_invalid_ones_refused_in_danish(library):
    plan = make(library, "signs-of-safety")
    item = plan.template.sections[0].items[0].id
    plan.set_value(item, "deadline", "01-03-2027")
    assert plan.value(item, "deadline") == "2027-03-01"
    assert plan.display_value(item, "deadline") == "01-03-2027"
    with pytest.raises(DateError) as err:
        plan.set_value(item, "deadline", "30-02-2027")
    assert "findes ikke i kalenderen" in str(err.value)
    assert plan.value(item, "deadline") == "2027-03-01"  # the refused value changed nothing


def test_a_typed_date_that_is_not_a_date_is_kept_as_a_draft_and_reported(library):
    from tui.core.plan import split_milestone_dates

    plan = make(library, "barnets-lov")
    item = plan.add_item("faglig-vurdering", "Kursus")
    plan.set_draft(item, "maal-dato", "31-02-2027\x07")
    assert plan.draft(item, "maal-dato") == "31-02-2027"  # control characters never stored
    rows, bad, error = split_milestone_dates([{"date": "1-13-2027", "text": "Holdt", "done": True},
                                              {"date": "02-03-2027", "text": "Evalueret"}])
    assert error.startswith("Milepæl 1:") and list(bad.values()) == ["1-13-2027"]
    plan.set_value(item, "milepaele", rows)
    stored = plan.value(item, "milepaele")
    assert [(m["text"], m["date"], m["done"]) for m in stored] == [("Holdt", "", True), ("Evalueret", "2027-03-02", False)]
    plan.set_draft(item, "milepaele", bad[stored[0]["id"]], stored[0]["id"])
    found = [f for f in plan_findings(plan) if f.item_id == item]
    bad_dates = [f for f in found if f.kind == FindingKind.BAD_DATE]
    messages = " ".join(f.message for f in bad_dates)
    assert len(bad_dates) == 2 and "»31-02-2027«" in messages and "»1-13-2027«" in messages
    # The typed deadline is reported as invalid, not as missing.
    assert not [f for f in found if f.kind in (FindingKind.NO_DEADLINE, FindingKind.NOT_SMART)]
    assert plan.drop_milestone_drafts(item, "milepaele", keep=set()) and plan.draft(item, "milepaele", stored[0]["id"]) is None
    plan.remove_item(item)
    assert plan.data["drafts"] == {}


def test_control_characters_are_removed_and_huge_text_refused(library):
    plan = make(library, "signs-of-safety")
    item = plan.template.sections[0].items[0].id
    stored = plan.set_value(item, "besvarelse", "Linje 1\r\nLinje\x1b[31m 2\x00\x07")
    assert stored == "Linje 1\nLinje[31m 2"
    plan.set_value(item, "besvarelse", "x" * MAX_TEXT_LENGTH)  # at the limit: fine
    with pytest.raises(ValueRefused) as err:
        plan.set_value(item, "besvarelse", "x" * (MAX_TEXT_LENGTH + 1))
    assert "for lang" in str(err.value)
    assert len(plan.value(item, "besvarelse")) == MAX_TEXT_LENGTH


def test_scale_accepts_ids_and_danish_labels_only(library):
    plan = make(library, "ngo-samarbejde")
    item = plan.template.sections[0].items[0].id
    plan.set_value(item, "svar", "i nogen grad")
    assert plan.value(item, "svar") == "i-nogen-grad"
    assert plan.display_value(item, "svar") == "I nogen grad"
    with pytest.raises(ValueRefused) as err:
        plan.set_value(item, "svar", "måske")
    assert "I høj grad" in str(err.value)


def test_ngo_question_becomes_initiative_only_with_an_initiative(library):
    plan = make(library, "ngo-samarbejde")
    item = plan.template.sections[0].items[0].id
    plan.set_value(item, "svar", "slet-ikke")
    plan.set_value(item, "svar-uddybning", "Vi har ikke talt om det.")
    assert plan_initiatives(plan) == []
    assert any(f.kind == FindingKind.GAP and f.item_id == item for f in plan_findings(plan))
    plan.set_value(item, "initiativer", "Fælles workshop om merværdi\nmed begge ledelser")
    [ini] = plan_initiatives(plan)
    assert ini.title == "Fælles workshop om merværdi"
    assert ini.status == "ikke-startet"
    kinds = {f.kind for f in plan_findings(plan) if f.item_id == item}
    assert FindingKind.GAP not in kinds and {FindingKind.NO_RESPONSIBLE, FindingKind.NO_DEADLINE} <= kinds
    plan.set_value(item, "ansvarlig", "Projektleder Ali")
    plan.set_value(item, "deadline", "2027-02-01")
    plan.set_value(item, "gennemfoert", "i-nogen-grad")
    [ini] = plan_initiatives(plan)
    assert ini.status == "i-gang" and ini.is_overdue(TODAY)
    set_status(plan, ini, "gennemfoert")
    [ini] = plan_initiatives(plan)
    assert plan.value(item, "gennemfoert") == "i-hoej-grad"
    assert ini.closed and not ini.is_overdue(TODAY)


def test_overdue_is_strictly_before_today(library):
    plan = make(library, "signs-of-safety")
    ids = [i.id for i in plan.template.sections[0].items[:3]]
    for item, deadline in zip(ids, ["2027-02-28", "2027-03-01", "2027-03-02"], strict=False):
        plan.set_value(item, "deadline", deadline)
        plan.set_value(item, "ansvarlig", "Lone")
    by_item = {i.item_id: i for i in plan_initiatives(plan)}
    assert [by_item[i].is_overdue(TODAY) for i in ids] == [True, False, False]
    assert [i.item_id for i in outstanding(by_item.values(), TODAY, overdue_only=True)] == [ids[0]]


def test_next_open_milestone_and_ticking_it_off(library):
    plan = make(library, "barnets-lov")
    item = fill_activity(plan, "inddragelse", "Børnesamtaler")
    plan.set_value(item, "milepaele", [
        {"date": "2027-05-01", "text": "Evaluering"},
        {"date": "2027-04-01", "text": "Skabelon klar"},
        {"text": "Uden dato"},
    ])
    [ini] = plan_initiatives(plan)
    assert ini.next_open_milestone.text == "Skabelon klar"
    set_milestone_done(plan, ini, ini.next_open_milestone.id, True)
    [ini] = plan_initiatives(plan)
    assert ini.next_open_milestone.text == "Evaluering"
    assert any(f.kind == FindingKind.NOT_SMART and "Uden dato" in f.message for f in plan_findings(plan))


def test_goal_without_date_is_not_smart(library):
    plan = make(library, "barnets-lov")
    item = fill_activity(plan, "kontinuitet", "Faste rådgivere")
    plan.set_value(item, "maal-dato", "")
    findings = [f for f in plan_findings(plan) if f.item_id == item]
    # The goal's date is also the activity's deadline: one finding names it, not two.
    [missing] = [f for f in findings if f.field_id == "maal-dato"]
    assert missing.kind == FindingKind.NO_DEADLINE and "»Dato for mål« er tom" in missing.message
    plan.set_value(item, "maal-dato", "2027-06-01")
    plan.set_value(item, "milepaele", [{"text": "Evaluering uden dato"}])
    assert [f.kind for f in plan_findings(plan) if f.item_id == item] == [FindingKind.NOT_SMART]


def test_unanswered_fields_are_reported_with_their_place(library):
    plan = make(library, "familieraadslagning")
    first = plan.template.sections[0].items[0]
    found = [f for f in plan_findings(plan) if f.item_id == first.id]
    assert {(f.kind, f.field_id) for f in found} == {
        (FindingKind.UNANSWERED, "besvarelse"), (FindingKind.NO_RESPONSIBLE, "ansvarlig"), (FindingKind.NO_DEADLINE, "deadline")}
    assert all(f.section_id == "ledelse" for f in found)


def test_responsible_filter_is_case_insensitive_part_of_name(library):
    plan = make(library, "signs-of-safety")
    a, b = [i.id for i in plan.template.sections[0].items[:2]]
    plan.set_value(a, "ansvarlig", "Mette Holm")
    plan.set_value(b, "ansvarlig", "Ali Hassan")
    hits = outstanding(plan_initiatives(plan), TODAY, responsible="mette")
    assert [i.item_id for i in hits] == [a]
