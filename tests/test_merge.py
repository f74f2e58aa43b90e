"""Field-level merge: an editor's changes laid over a plan that was changed elsewhere meanwhile."""

from __future__ import annotations

import copy
import subprocess
import sys

from tui.core.enums import HistoryKind
from tui.core.history import mark_meeting
from tui.core.merge import merge_plan
from tui.core.workspace import Workspace


def base_plan() -> dict:
    return {
        "id": "p1", "title": "Plan", "organisation": "Org", "revision": 3, "meetings": [], "history": [],
        "answers": {"a": {"x": "1", "y": "2"}, "b": {"z": "3"}},
        "drafts": {"a/d": "31-02-2027"},
        "added_sections": [],
        "added_items": [{"id": "u-1", "section": "s", "type": "t", "title": "Én"},
                        {"id": "u-2", "section": "s", "type": "t", "title": "To"}],
    }


def test_fields_changed_in_different_places_are_all_kept():
    base = base_plan()
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    mine["answers"]["a"]["x"] = "mit"
    mine["answers"]["c"] = {"new": "nyt felt"}
    theirs["answers"]["b"]["z"] = "deres"
    theirs["meetings"] = [{"id": "mt-1", "at": "2026-12-01T10:00:00+00:00"}]
    theirs["revision"] = 4
    merged, conflicts = merge_plan(base, mine, theirs)
    assert conflicts == []
    assert merged["answers"] == {"a": {"x": "mit", "y": "2"}, "b": {"z": "deres"}, "c": {"new": "nyt felt"}}
    assert merged["meetings"] == theirs["meetings"] and merged["revision"] == 4


def test_the_same_field_changed_in_both_places_keeps_mine_and_reports_theirs():
    base = base_plan()
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    mine["answers"]["a"]["x"] = "mit"
    theirs["answers"]["a"]["x"] = "deres"
    mine["title"] = "Min titel"
    merged, conflicts = merge_plan(base, mine, theirs)
    assert merged["answers"]["a"]["x"] == "mit" and merged["title"] == "Min titel"
    assert [(c.path, c.mine, c.theirs) for c in conflicts] == [(("answers", "a", "x"), "mit", "deres")]


def test_removals_on_either_side_and_added_items_keep_their_order():
    base = base_plan()
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    del mine["answers"]["a"]["y"]  # emptied a field here
    mine["added_items"].append({"id": "u-3", "section": "s", "type": "t", "title": "Tre"})
    theirs["added_items"].pop(0)  # removed an item there
    theirs["drafts"] = {}  # the draft date was corrected there
    merged, conflicts = merge_plan(base, mine, theirs)
    assert conflicts == []
    assert merged["answers"]["a"] == {"x": "1"}
    assert [e["id"] for e in merged["added_items"]] == ["u-2", "u-3"]
    assert merged["drafts"] == {}


def test_a_reorder_here_wins_over_the_stored_order():
    base = base_plan()
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    mine["added_items"].reverse()
    theirs["added_items"][0]["title"] = "Én (rettet)"
    merged, _ = merge_plan(base, mine, theirs)
    assert [(e["id"], e["title"]) for e in merged["added_items"]] == [("u-2", "To"), ("u-1", "Én (rettet)")]


def test_save_edits_keeps_a_meeting_from_the_cli_and_the_editors_text(tmp_path, library):
    db = tmp_path / "implan.json"
    ws = Workspace.open(db, write=True, library=library)
    plan = ws.create("ngo-samarbejde", "Fælles indsats")
    base = copy.deepcopy(plan.data)
    item = plan.items(plan.sections()[0])[0]
    plan.set_value(item.id, "svar-uddybning", "Skrevet i guiden")
    # A follow-up meeting is marked from another shell while the wizard has the plan open.
    run = subprocess.run([sys.executable, "-m", "tui", "--db", str(db), "meeting", plan.id, "--note", "Møde"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    stored, conflicts = ws.save_edits(base, plan.data)
    assert conflicts == []
    again = ws.get(plan.id)
    assert again.value(item.id, "svar-uddybning") == "Skrevet i guiden"
    assert [m["note"] for m in again.data["meetings"]] == ["Møde"]
    assert stored["revision"] == again.data["revision"]


def test_save_edits_keeps_the_other_version_of_a_field_in_the_history(tmp_path, library):
    ws = Workspace.open(tmp_path / "implan.json", write=True, library=library)
    plan = ws.create("ngo-samarbejde", "Fælles indsats")
    base = copy.deepcopy(plan.data)
    item = plan.items(plan.sections()[0])[0]
    ws.update(plan.id, lambda p: p.set_value(item.id, "svar-uddybning", "Skrevet i det andet vindue"))
    ws.update(plan.id, lambda p: mark_meeting(p, "Møde"))
    plan.set_value(item.id, "svar-uddybning", "Skrevet her")
    _, conflicts = ws.save_edits(base, plan.data)
    again = ws.get(plan.id)
    assert again.value(item.id, "svar-uddybning") == "Skrevet her"
    assert len(conflicts) == 1 and conflicts[0].startswith("»") and "«" in conflicts[0]
    kept = [e for e in again.data["history"] if e["kind"] == HistoryKind.CONFLICT]
    assert [e["value"] for e in kept] == ["Skrevet i det andet vindue"]
    assert len(again.data["meetings"]) == 1


def test_quitting_writes_a_snapshot_whose_worker_has_not_run_yet(tmp_path, library):
    """The idle autosave takes its snapshot and hands it to a thread; a quit right then found
    nothing dirty and wrote nothing, and the thread's write came after the app had exited."""
    from tui.app.autosave import Autosaver

    ws = Workspace.open(tmp_path / "implan.json", write=True, library=library)
    plan = ws.create("ngo-samarbejde", "Fælles indsats")
    item = plan.items(plan.sections()[0])[0]
    saver = Autosaver(ws, plan)
    plan.set_value(item.id, "svar-uddybning", "Skrevet lige før Ctrl+Q")
    saver.mark_dirty()
    assert saver.snapshot() is not None  # handed to a worker that has not started
    assert saver.save_now()
    assert ws.get(plan.id).value(item.id, "svar-uddybning") == "Skrevet lige før Ctrl+Q"
