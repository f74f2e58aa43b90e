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
from tui.core.initiatives import (
    answer_change,
    outstanding,
    plan_initiatives,
    set_milestone_done,
    set_status,
    status_choices,
)
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
    plan.set_value(item, "milepaele", [{"date": "01-04-2027", "text": "Kursus holdt"}, {"date": "01-05-2027", "text": "Evaluering"}])
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
    change = answer_change(plan, ini, "gennemfoert")  # the status is the answer: the user is asked
    assert (change.before, change.after) == ("I nogen grad", "I høj grad")
    assert answer_change(plan, ini, "i-gang") is None
    assert "udgaaet" not in status_choices(plan, ini)
    with pytest.raises(ValueRefused):  # no answer on the scale means »Udgået«: it would empty the answer
        set_status(plan, ini, "udgaaet")
    assert plan.value(item, "gennemfoert") == "i-nogen-grad"
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
    assert ini.next_milestone(TODAY).text == "Skabelon klar"
    set_milestone_done(plan, ini, ini.next_milestone(TODAY).id, True)
    [ini] = plan_initiatives(plan)
    assert ini.next_milestone(TODAY).text == "Evaluering"
    assert any(f.kind == FindingKind.NOT_SMART and "Uden dato" in f.message for f in plan_findings(plan))


def test_section_is_not_done_while_the_review_lists_something_in_it(library):
    """An invalid date, a missing owner or a gap: never "100 %" (nor ✓) while F2 names it."""
    plan = make(library, "barnets-lov")
    for title in ("Kursus", "Sparring"):
        item = fill_activity(plan, "faglig-vurdering", title)
    section = plan.section("faglig-vurdering")
    assert plan.section_progress(section).percent == 100 and plan.section_progress(section).complete
    plan.set_draft(item, "maal-dato", "31-02-2027")  # typed, not a date
    assert [f.kind for f in plan_findings(plan) if f.section_id == section.id] == [FindingKind.BAD_DATE]
    here = plan.section_progress(section)
    assert here.percent < 100 and not here.complete
    assert plan.progress().sections[0] == here and plan.progress().percent < 100
    plan.set_draft(item, "maal-dato", None)
    plan.set_value(item, "milepaele", [{"text": "Evaluering"}])  # a milestone without a date
    assert not plan.section_progress(section).complete

    ngo = make(library, "ngo-samarbejde")
    phase = ngo.template.sections[0]
    for question in phase.items:
        ngo.set_value(question.id, "svar", "i-hoej-grad")
        ngo.set_value(question.id, "svar-uddybning", "Det gør vi.")
    assert ngo.section_progress(phase).percent == 100
    ngo.set_value(phase.items[0].id, "svar", "i-nogen-grad")  # a gap, and no initiative closes it
    assert ngo.section_progress(phase).percent < 100 and not ngo.section_progress(phase).complete
    ngo.set_value(phase.items[0].id, "initiativer", "Workshop")  # an initiative with no owner or deadline
    assert not ngo.section_progress(phase).complete
    ngo.set_value(phase.items[0].id, "ansvarlig", "Ali")
    ngo.set_value(phase.items[0].id, "deadline", "01-06-2027")
    ngo.set_value(phase.items[0].id, "milepaele", [{"date": "01-05-2027", "text": "Workshop holdt"}])
    assert ngo.section_progress(phase).complete


def test_progress_bar_and_count_are_one_measure(library):
    plan = make(library, "barnets-lov")
    for title in ("Kursus", "Sparring"):
        fill_activity(plan, "faglig-vurdering", title)
    progress = plan.progress()
    assert progress.summary() == "1 af 4 afsnit udfyldt"
    assert progress.bar_cells(8) == 2 and not progress.complete
    assert make(library, "barnets-lov").progress().bar_cells(8) == 0


def test_next_milestone_is_one_not_yet_reached(library):
    """A milestone whose date has passed is overdue, not "next" (03-10-2026 on 25-11-2026)."""
    plan = make(library, "barnets-lov")
    item = fill_activity(plan, "inddragelse", "Børnesamtaler")
    plan.set_value(item, "milepaele", [
        {"date": "2026-10-03", "text": "Skabelon klar"},
        {"date": "2027-01-15", "text": "Evaluering"},
    ])
    today = date(2026, 11, 25)
    [ini] = plan_initiatives(plan)
    assert ini.next_milestone_text(today) == "15-01-2027 Evaluering"
    assert [m.text for m in ini.overdue_milestones(today)] == ["Skabelon klar"]
    # Every view says the same: Udestående and `implan outstanding`, the exports, Min liste.
    from tui.core import followup
    from tui.core.export_md import initiative_rows, plan_to_markdown

    view = followup.build_outstanding([plan], today)
    [entry] = view.entries
    assert "15-01-2027 Evaluering" in followup.entry_row(entry, today, with_plan=False)
    assert "milepæl overskredet" in entry.notes
    assert "15-01-2027 Evaluering" in initiative_rows([ini], today)[0]
    assert "03-10-2026 Skabelon klar" not in " ".join(initiative_rows([ini], today)[0])
    assert "næste milepæl: 15-01-2027 Evaluering" in followup.my_list_markdown(view, "Mette", today)
    assert "| 15-01-2027 Evaluering |" in plan_to_markdown(plan, today)
    set_milestone_done(plan, ini, ini.milestones[1].id, True)
    [ini] = plan_initiatives(plan)
    assert ini.next_milestone(today) is None and ini.next_milestone_text(today) == ""


def test_next_deadline_counts_milestones(library):
    from tui.core.initiatives import next_deadline

    plan = make(library, "barnets-lov")
    item = fill_activity(plan, "inddragelse", "Børnesamtaler", deadline="01-09-2027")
    plan.set_value(item, "milepaele", [{"date": "2027-02-01", "text": "Forbi"},
                                       {"date": "2027-04-01", "text": "Skabelon klar"}])
    assert next_deadline(plan_initiatives(plan), TODAY) == date(2027, 4, 1)
    set_milestone_done(plan, plan_initiatives(plan)[0], plan_initiatives(plan)[0].milestones[1].id, True)
    assert next_deadline(plan_initiatives(plan), TODAY) == date(2027, 9, 1)
    set_status(plan, plan_initiatives(plan)[0], "gennemfoert")
    assert next_deadline(plan_initiatives(plan), TODAY) is None


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


def test_smart_check_asks_for_a_measurable_goal(library):
    from tui.core.smart import is_measurable

    plan = make(library, "barnets-lov")
    item = fill_activity(plan, "kontinuitet", "Faste rådgivere")
    assert not [f for f in plan_findings(plan) if f.item_id == item]  # "80 % af sagerne …" is SMART
    plan.set_value(item, "maal", "Bedre kontinuitet for børnene")
    [finding] = [f for f in plan_findings(plan) if f.item_id == item]
    assert finding.kind == FindingKind.NOT_SMART and finding.field_id == "maal"
    assert "hvordan det måles" in finding.message
    assert not plan.section_progress(plan.section("kontinuitet")).complete
    plan.set_value(item, "ansvarlige", "")  # no owner: said once, as the initiative's
    kinds = sorted(f.kind for f in plan_findings(plan) if f.item_id == item)
    assert kinds == sorted([FindingKind.NO_RESPONSIBLE, FindingKind.NOT_SMART])
    assert all(is_measurable(t) for t in ("Mindst 12 af 15 sager", "Alle nye rådgivere har haft samtalen",
                                          "Andelen af rettidige opfølgninger stiger", "Målt ved ledelsestilsyn"))
    assert not any(is_measurable(t) for t in ("Bedre samarbejde", "Et godt forløb for familien"))


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
