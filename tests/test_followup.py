"""Following up: grouping by deadline, history, meetings, agenda, timeline, calendar."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.conftest import load_sample, sample_files
from tui.core import followup, history
from tui.core.enums import FindingKind, Group, HistoryKind
from tui.core.export_md import plan_to_markdown
from tui.core.findings import plan_findings
from tui.core.ics import initiatives_to_ics
from tui.core.initiatives import plan_initiatives, set_milestone_done, set_status
from tui.core.timeline import GRID_LEGEND, build_timeline, mermaid_gantt, timeline_grid
from tui.core.workspace import Workspace

TODAY = date(2027, 3, 10)


@pytest.fixture
def ws(tmp_path, library):
    return Workspace.open(tmp_path / "db.json", write=True, library=library)


def method_plan(ws, deadlines: dict[int, date | None]):
    """A Signs of Safety plan whose n-th milestone item has the given deadline (and a responsible)."""
    plan = ws.create("signs-of-safety", "Opfølgningstest", "Testkommune")
    inis = plan_initiatives(plan)

    def fill(p):
        for n, deadline in deadlines.items():
            ini = inis[n]
            p.set_value(ini.item_id, ini.responsible_field, f"Person {n}")
            p.set_value(ini.item_id, ini.deadline_field, deadline.isoformat() if deadline else "")

    return ws.update(plan.id, fill)


def test_groups_at_day_boundaries(ws):
    days = {0: TODAY - timedelta(days=1), 1: TODAY, 2: TODAY + timedelta(days=6), 3: TODAY + timedelta(days=7),
            4: None}
    plan = method_plan(ws, days)
    inis = plan_initiatives(plan)
    groups = {e.initiative.item_id: e.group for e in followup.build_outstanding([plan], TODAY).entries}
    assert groups[inis[0].item_id] == Group.OVERDUE  # yesterday
    assert groups[inis[1].item_id] == Group.THIS_WEEK  # today is not overdue
    assert groups[inis[2].item_id] == Group.THIS_WEEK  # the sixth day after today
    assert groups[inis[3].item_id] == Group.LATER  # in 7 days
    assert groups[inis[4].item_id] == Group.NO_DATE
    # Closed ones leave the list unless asked for.
    plan = ws.update(plan.id, lambda p: set_status(p, plan_initiatives(p)[0], "gennemfoert"))
    view = followup.build_outstanding([plan], TODAY)
    assert inis[0].item_id not in {e.initiative.item_id for e in followup.select(view, today=TODAY).entries}
    shown = followup.select(view, include_closed=True, today=TODAY)
    assert {e.initiative.item_id: e.group for e in shown.entries}[inis[0].item_id] == Group.CLOSED


def test_filters_due_within_query_and_sort(ws):
    plan = method_plan(ws, {0: TODAY - timedelta(days=3), 1: TODAY + timedelta(days=5), 2: TODAY + timedelta(days=30)})
    view = followup.build_outstanding([plan], TODAY)
    within = followup.select(view, due_within=7, today=TODAY)
    assert [e.initiative.responsible for e in within.entries] == ["Person 0", "Person 1"]
    assert [e.initiative.responsible for e in followup.select(view, query="person 2", today=TODAY).entries] == ["Person 2"]
    by_person = followup.select(view, sort="ansvarlig", today=TODAY).entries
    named = [e.initiative.responsible for e in by_person if e.initiative.responsible]
    assert named == sorted(named)


def test_filtering_one_view_again_and_again_keeps_each_sort_order(ws):
    """The view sorts once per order and filters keep it: the same rows, in the same order, as
    filtering first and sorting after."""
    plan = method_plan(ws, {0: TODAY + timedelta(days=9), 1: TODAY - timedelta(days=2), 2: None,
                            3: TODAY + timedelta(days=1)})
    view = followup.build_outstanding([plan], TODAY)
    for sort in ("deadline", "ansvarlig", "plan"):
        for query in ("", "person", "person 3", "ingen sådan"):
            shown = followup.select(view, query=query, sort=sort, today=TODAY).entries
            wanted = sorted((e for e in view.entries if e.group != Group.CLOSED
                             and all(w in e.search_text() for w in query.casefold().split())),
                            key=followup._sort_key(sort))
            assert shown == wanted
    assert [e.initiative.responsible for e in followup.select(view, query="person", today=TODAY).entries][:3] == [
        "Person 1", "Person 3", "Person 0"]


def test_findings_stand_beside_their_rows(ws):
    plan = method_plan(ws, {0: TODAY})
    ini = plan_initiatives(plan)[0]
    plan = ws.update(plan.id, lambda p: p.set_value(ini.item_id, ini.responsible_field, ""))
    entry = next(e for e in followup.build_outstanding([plan], TODAY).entries if e.initiative.item_id == ini.item_id)
    assert "mangler ansvarlig" in entry.notes


def test_gap_without_initiative_needs_a_decision(ws):
    plan = ws.create("ngo-samarbejde", "NGO-test")
    item = plan.items(plan.sections()[0])[0]
    not_at_all = plan.template.scales["grad"].choices[2]
    assert not_at_all.label == "Slet ikke"
    plan = ws.update(plan.id, lambda p: p.set_value(item.id, "svar", not_at_all.id))
    view = followup.build_outstanding([plan], TODAY)
    assert any(d.finding.item_id == item.id for d in view.decisions)


# -- history ------------------------------------------------------------------------------------------

def test_every_change_is_recorded_with_its_time(ws):
    plan = method_plan(ws, {0: TODAY})
    ini = plan_initiatives(plan)[0]
    before = datetime.now(UTC)
    plan = ws.update(plan.id, lambda p: set_status(p, plan_initiatives(p)[0], "i-gang"))
    entry = plan.data["history"][-1]
    assert entry["kind"] == HistoryKind.STATUS and entry["item"] == ini.item_id
    assert (entry["from"], entry["to"]) == ("ikke-startet", "i-gang")
    assert datetime.fromisoformat(entry["at"]) >= before - timedelta(seconds=1)


def test_editor_saves_record_history_and_never_overwrite_it(ws):
    plan = method_plan(ws, {0: TODAY})
    ini = plan_initiatives(plan)[0]
    editor = ws.get(plan.id)  # what the wizard holds
    editor.set_value(ini.item_id, ini.deadline_field, "01-04-2027")
    editor.data["history"] = []  # an editor's stale copy
    stored = ws.save_data(editor.data, expected_revision=editor.data["revision"])
    kinds = [e["kind"] for e in stored["history"]]
    assert kinds[-1] == HistoryKind.DEADLINE and len(kinds) > 1  # the earlier entries are still there


def test_a_field_changed_back_and_forth_is_one_change(ws):
    plan = method_plan(ws, {0: TODAY})
    ini = plan_initiatives(plan)[0]
    for when in ("2027-04-01", "2027-05-01", "2027-06-01"):
        plan = ws.update(plan.id, lambda p, w=when: p.set_value(ini.item_id, ini.deadline_field, w))
    moves = [e for e in plan.data["history"] if e["kind"] == HistoryKind.DEADLINE and e["item"] == ini.item_id]
    assert len(moves) == 1 and moves[0]["to"] == "2027-06-01"
    plan = ws.update(plan.id, lambda p: p.set_value(ini.item_id, ini.deadline_field, moves[0]["from"]))
    assert not [e for e in plan.data["history"] if e["kind"] == HistoryKind.DEADLINE and e["item"] == ini.item_id]


def test_history_is_bounded_but_keeps_what_the_next_meeting_needs(ws, monkeypatch):
    monkeypatch.setattr(history, "MAX_HISTORY", 5)
    monkeypatch.setattr(history, "COALESCE", timedelta(0))
    plan = method_plan(ws, {n: TODAY + timedelta(days=n) for n in range(8)})
    assert len(plan.data["history"]) <= 5
    plan = ws.update(plan.id, lambda p: history.mark_meeting(p))
    for n in range(7):
        plan = ws.update(plan.id, lambda p, n=n: set_status(p, plan_initiatives(p)[n], "i-gang"))
    changes = history.since_last_meeting(plan, TODAY).other
    assert len(changes) == 7  # more than the bound: nothing since the meeting was dropped


# -- meetings -----------------------------------------------------------------------------------------

def test_since_last_meeting_names_exactly_the_changes_after_it(ws):
    plan = ws.create("barnets-lov", "Mødetest")
    section = plan.sections()[0]

    def setup(p):
        item = p.add_item(section.id, "Fælles ramme")
        p.set_value(item, "ansvarlige", "Line")
        p.set_value(item, "maal-dato", "2027-06-01")
        p.set_value(item, "milepaele", [{"date": "2027-03-01", "text": "Workshop holdt"},
                                         {"date": "2027-04-01", "text": "Procedure godkendt"}])

    plan = ws.update(plan.id, setup)
    ini = plan_initiatives(plan)[0]
    first = ini.milestones[0]
    # Before the meeting: a change that must not be reported after it.
    plan = ws.update(plan.id, lambda p: set_status(p, plan_initiatives(p)[0], "i-gang"))
    plan = ws.update(plan.id, lambda p: history.mark_meeting(p, next_date=date(2027, 4, 1)))
    assert history.since_last_meeting(plan, TODAY).is_empty()

    plan = ws.update(plan.id, lambda p: set_milestone_done(p, plan_initiatives(p)[0], first.id, True))
    plan = ws.update(plan.id, lambda p: p.set_value(ini.item_id, "maal-dato", "2027-08-01"))
    since = history.since_last_meeting(plan, TODAY)
    assert [c.describe() for c in since.changes] == [
        "»Fælles ramme«: milepælen »Workshop holdt« er udført",
        "»Fælles ramme«: deadline 01-06-2027 → 01-08-2027",
    ]
    agenda = followup.agenda_markdown(plan, TODAY)
    assert "milepælen »Workshop holdt« er udført" in agenda and "01-06-2027 → 01-08-2027" in agenda
    assert "i gang" not in agenda.lower().split("## 3.")[1].split("## 4.")[0]  # the status change was before
    assert "| Næste møde | 01-04-2027 |" in agenda


def test_new_overdue_since_the_meeting(ws):
    plan = method_plan(ws, {0: TODAY - timedelta(days=2), 1: TODAY - timedelta(days=40)})
    meeting_day = datetime.combine(TODAY - timedelta(days=7), datetime.min.time()).astimezone()
    plan = ws.update(plan.id, lambda p: history.mark_meeting(p, at=meeting_day))
    since = history.since_last_meeting(plan, TODAY)
    assert [i.responsible for i in since.new_overdue] == ["Person 0"]  # person 1 was overdue already


def test_agenda_lists_overdue_per_responsible_and_what_falls_due(ws):
    plan = method_plan(ws, {0: TODAY - timedelta(days=2), 1: TODAY - timedelta(days=1), 2: TODAY + timedelta(days=3)})
    ws.update(plan.id, lambda p: p.set_value(plan_initiatives(p)[1].item_id, "ansvarlig", "Person 0"))
    agenda = followup.agenda_markdown(ws.get(plan.id), TODAY, next_meeting=TODAY + timedelta(days=5))
    overdue = agenda.split("## 1.")[1].split("## 2.")[0]
    assert overdue.count("### Person 0") == 1 and "(2)" in agenda.split("## 1.")[1].splitlines()[0]
    due = agenda.split("## 2.")[1].split("## 3.")[0]
    assert "Person 2" in due and "Person 0" not in due


def test_my_list_is_one_persons_initiatives(ws):
    plan = method_plan(ws, {0: TODAY, 1: TODAY + timedelta(days=20)})
    text = followup.my_list_markdown(followup.build_outstanding([plan], TODAY), "person 1", TODAY)
    assert text.startswith("# Min liste: person 1") and "Person 0" not in text
    assert "om 20 dage" in text


def test_old_database_is_migrated_to_version_2(tmp_path, library):
    db = tmp_path / "old.json"
    plan = {"id": "p1", "template": {"id": "signs-of-safety", "version": "1.0.0"}, "title": "Gammel",
            "revision": 3, "answers": {}, "history": [{"who": "x"}], "created": "2026-01-01T00:00:00+00:00"}
    db.write_text(json.dumps({"meta": {"1": {"schema_version": 1}}, "plans": {"1": plan}}), encoding="utf-8")
    ws = Workspace.open(db, write=True, library=library)
    data = json.loads(db.read_text(encoding="utf-8"))
    assert data["meta"]["1"]["schema_version"] == 2
    assert ws.get("p1").data["history"] == [] and ws.get("p1").data["meetings"] == []


# -- timeline, Mermaid, calendar ------------------------------------------------------------------------

def test_timeline_places_marks_by_date(ws):
    plan = method_plan(ws, {0: date(2027, 1, 1), 1: date(2027, 5, 31)})
    timeline = build_timeline(plan_initiatives(plan), TODAY)
    assert timeline.months[0] == date(2027, 1, 1) and timeline.months[-1] == date(2027, 5, 1)
    first, last = timeline.rows
    assert first.cells[0][1] == "deadline-overdue"  # 1 January, in the past
    assert last.cells[-1][1] == "deadline"  # 31 May, the last cell
    assert timeline.today_column == 2 * timeline.month_width + 9 * timeline.month_width // 31


def test_export_has_a_mermaid_gantt_only_when_asked_and_user_text_cannot_break_it(ws):
    plan = method_plan(ws, {0: TODAY - timedelta(days=1), 1: TODAY + timedelta(days=10)})
    assert "```mermaid" not in plan_to_markdown(plan, TODAY)
    markdown = plan_to_markdown(plan, TODAY, mermaid=True)
    block = markdown.split("```mermaid\n")[1].split("```")[0]
    assert block.startswith("gantt\n")
    tasks = [line for line in block.splitlines() if line.startswith("    ") and " :" in line]
    # Only deadlines, no milestones: a mark on the deadline, never a bar from an invented start.
    assert len(tasks) == 2 and ":milestone, crit, t1, " in tasks[0] and tasks[0].endswith(", 0d")
    assert tasks[1].endswith(f"{(TODAY + timedelta(days=10)).isoformat()}, 0d")
    hostile = mermaid_gantt(plan_initiatives(plan), TODAY, title="a: b; c # d %% e")
    assert "title a b c d e" in hostile


def test_timeline_table_marks_each_date_in_its_month_and_overdue_without_colour(ws):
    plan = method_plan(ws, {0: TODAY - timedelta(days=1), 1: TODAY + timedelta(days=70)})
    grid = timeline_grid(plan_initiatives(plan), TODAY)
    assert grid is not None and grid.unit == "måneder"
    assert [p.start.month for p in grid.periods] == [TODAY.month + i for i in range(len(grid.periods))]
    overdue, later = grid.rows
    assert overdue.cells[grid.today_index] == "◆!"  # yesterday, this month: marked, not only red
    assert later.cells[-1] == "◆" and later.cells[grid.today_index] == ""
    assert grid.headers()[grid.today_index].endswith("(i dag)")


def test_timeline_table_uses_quarters_or_years_when_months_would_not_fit(ws):
    plan = method_plan(ws, {0: date(2027, 1, 10), 1: date(2028, 6, 1)})
    grid = timeline_grid(plan_initiatives(plan), date(2027, 1, 1), max_columns=12)
    assert grid is not None and grid.unit == "kvartaler"
    assert [p.label for p in grid.periods] == ["1. kvt. 2027", "2. kvt.", "3. kvt.", "4. kvt.",
                                               "1. kvt. 2028", "2. kvt."]
    assert grid.rows[0].cells[0] == "◆" and grid.rows[1].cells[-1] == "◆"
    long = method_plan(ws, {0: date(2020, 1, 10), 1: date(2030, 6, 1)})
    assert timeline_grid(plan_initiatives(long), date(2027, 1, 1)).unit == "år"


def test_timeline_table_draws_the_span_from_first_milestone_to_deadline(ws):
    plan = ws.create("barnets-lov", "Forløb")

    def fill(p):
        item = p.add_item("faglig-vurdering", "Kursus")
        p.set_value(item, "ansvarlige", "Line")
        p.set_value(item, "maal-dato", "2027-06-20")
        p.set_value(item, "milepaele", [{"date": "2027-01-05", "text": "Start", "done": True},
                                         {"date": "2027-02-01", "text": "Halvvejs"}])

    plan = ws.update(plan.id, fill)
    grid = timeline_grid(plan_initiatives(plan), TODAY)
    assert grid.rows[0].cells == ("●", "○!", "─", "─", "─", "◆")  # jan, feb (overdue), mar … jun
    assert "─" in GRID_LEGEND and "!" in GRID_LEGEND


def test_ics_parses_with_a_real_parser_and_keeps_stable_uids(ws):
    icalendar = pytest.importorskip("icalendar")
    plan = ws.create("barnets-lov", "Kalender; med, tegn\\")
    section = plan.sections()[0]

    def setup(p):
        item = p.add_item(section.id, "Aktivitet, med; tegn og\nlinjeskift")
        p.set_value(item, "ansvarlige", "Line")
        p.set_value(item, "maal-dato", "2027-06-01")
        p.set_value(item, "milepaele", [{"date": "2027-03-01", "text": "Første – æøå " + "lang " * 30}])

    plan = ws.update(plan.id, setup)
    first = initiatives_to_ics(plan_initiatives(plan))
    assert all(len(line.encode("utf-8")) <= 75 for line in first.split("\r\n"))
    calendar = icalendar.Calendar.from_ical(first)
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == 2
    deadline = next(e for e in events if str(e["SUMMARY"]).startswith("Deadline"))
    assert deadline.decoded("DTSTART") == date(2027, 6, 1)  # all-day: a date, not a time
    assert str(deadline["SUMMARY"]) == "Deadline: Aktivitet, med; tegn og linjeskift"
    assert "Kalender; med, tegn\\" in str(deadline["DESCRIPTION"])
    milestone = next(e for e in events if str(e["SUMMARY"]).startswith("Milepæl"))
    assert "æøå" in str(milestone["SUMMARY"])
    again = icalendar.Calendar.from_ical(initiatives_to_ics(plan_initiatives(ws.get(plan.id))))
    assert sorted(str(e["UID"]) for e in again.walk("VEVENT")) == sorted(str(e["UID"]) for e in events)


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.stem)
def test_notes_and_decisions_are_those_the_full_review_finds(path, library):
    """The view reads only the findings it shows (no CPR scan, no empty required fields); its
    notes and decisions must be exactly what the whole review's findings give, also when an
    initiative lacks its owner, has a date that is no date and a CPR-like text."""
    plan, anchor = load_sample(path, library)
    inis = plan_initiatives(plan)
    plan.set_value(inis[0].item_id, inis[0].responsible_field, "")
    plan.set_draft(inis[-1].item_id, inis[-1].deadline_field, "31-02-2027")
    plan.set_value(inis[-1].item_id, inis[-1].responsible_field, "Jens 010190-1234")
    findings = [f for f in plan_findings(plan) if f.item_id and f.kind in followup.NOTE_LABELS]
    view = followup.build_outstanding([plan], anchor)
    for entry in view.entries:
        ini = entry.initiative
        labels = [followup.NOTE_LABELS[f.kind] for f in findings if f.item_id == ini.item_id]
        if ini.overdue_milestones(anchor):
            labels.append(followup.OVERDUE_MILESTONE_NOTE)
        assert entry.notes == tuple(dict.fromkeys(labels)), ini.title
    rows = {e.initiative.item_id for e in view.entries}
    assert [d.finding for d in view.decisions] == [
        f for f in findings if f.kind == FindingKind.GAP and f.item_id not in rows]
    assert any(e.notes for e in view.entries)
