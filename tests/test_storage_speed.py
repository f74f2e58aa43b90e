"""The storage that keeps daily use fast at every size: one plan record per line (a save replaces
one line), the plan-list cache beside the database, backups by time. Real files, the CLI as a
subprocess; a cache may be stale or damaged but never shows wrong figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tinydb import TinyDB

from tests.conftest import ROOT
from tui.store import PlanStore
from tui.store.json_storage import LAYOUT_HEAD
from tui.store.plan_store import (
    KEEP_BACKUPS,
    KEEP_DAYS,
    KEEP_HOURS,
    KEEP_PINNED,
    MAX_BACKUPS,
    STAMP_FORMAT,
    backups_to_keep,
)
from tui.store.summary_cache import cache_path

TODAY = "25-11-2026"


def implan(db: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "tui", "--db", str(db), *args], cwd=ROOT, capture_output=True,
                            text=True, env=env or dict(os.environ), timeout=120)
    assert result.returncode == 0, result.stderr
    return result


def listed(db: Path) -> str:
    return implan(db, "list", "--today", TODAY).stdout


def plan(plan_id: str, title: str) -> dict:
    return {"id": plan_id, "title": title, "answers": {}}


def demo_db(tmp_path: Path) -> Path:
    db = tmp_path / "implan.json"
    implan(db, "demo", "--today", TODAY)
    return db


# -- the line layout ---------------------------------------------------------------------------------

def test_the_file_is_json_tinydb_reads_with_one_plan_record_per_line(tmp_path):
    db = tmp_path / "implan.json"
    store = PlanStore.open(db)
    for n in range(3):
        store.add_plan(plan(f"p{n}", f"Plan {n}"))
    raw = db.read_bytes()
    assert raw.startswith(LAYOUT_HEAD)
    lines = raw.decode("utf-8").split("\n")
    assert [json.loads(line.split(": ", 1)[1].rstrip(","))["title"] for line in lines[1:4]] == \
        ["Plan 0", "Plan 1", "Plan 2"]
    data = json.loads(raw)
    assert [p["title"] for p in data["plans"].values()] == ["Plan 0", "Plan 1", "Plan 2"]
    with TinyDB(db, access_mode="r") as stock:  # TinyDB's own JSON storage reads it as it is
        assert sorted(doc["id"] for doc in stock.table("plans").all()) == ["p0", "p1", "p2"]


def test_a_save_replaces_only_its_plans_line(tmp_path):
    db = tmp_path / "implan.json"
    store = PlanStore.open(db)
    for n in range(3):
        store.add_plan(plan(f"p{n}", f"Plan {n}"))
    before = db.read_bytes().split(b"\n")
    store.update_plan("p1", lambda p: p.__setitem__("title", "Ny titel æøå"))
    after = db.read_bytes().split(b"\n")
    changed = [n for n, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed == [2]
    assert json.loads(b"\n".join(after))["plans"]["2"]["title"] == "Ny titel æøå"


def test_an_indented_file_of_an_older_implan_opens_and_is_written_in_the_line_layout(tmp_path):
    db = tmp_path / "implan.json"
    old = {"plans": {"1": plan("a", "Gammel"), "2": plan("b", "Anden")}, "meta": {"1": {"schema_version": 2}}}
    text = json.dumps(old, ensure_ascii=False, indent=1)
    db.write_text(text, encoding="utf-8")
    assert PlanStore.open(db, write=False).get_plan("b")["title"] == "Anden"
    assert db.read_text(encoding="utf-8") == text  # reading changes nothing
    store = PlanStore.open(db)
    assert db.read_bytes().startswith(LAYOUT_HEAD)
    assert json.loads(db.read_bytes()) == json.loads(text)
    store.update_plan("a", lambda p: p.__setitem__("title", "Ændret"))
    assert [p["title"] for p in store.list_plans()] == ["Ændret", "Anden"]


def test_a_hand_edited_line_with_other_spacing_is_still_found_and_saved(tmp_path):
    db = tmp_path / "implan.json"
    store = PlanStore.open(db)
    store.add_plan(plan("a", "A"))
    store.add_plan(plan("b", "B"))
    db.write_bytes(db.read_bytes().replace(b'"id": "b"', b'"id":"b"'))  # no longer the text a save looks for
    store.update_plan("b", lambda p: p.__setitem__("title", "B2"))
    assert {p["id"]: p["title"] for p in store.list_plans()} == {"a": "A", "b": "B2"}
    assert json.loads(db.read_bytes())["plans"]["2"]["revision"] == 2


# -- the plan-list cache ---------------------------------------------------------------------------

def test_list_without_the_cache_and_with_it_show_the_same(tmp_path):
    db = demo_db(tmp_path)
    first = listed(db)
    assert cache_path(db).is_file()
    assert listed(db) == first  # from the cache
    cache_path(db).unlink()
    assert listed(db) == first  # built again


def test_a_save_by_another_process_is_shown_not_the_cached_list(tmp_path):
    db = demo_db(tmp_path)
    listed(db)
    code = ("import sys; from tui.store import PlanStore; s = PlanStore.open(sys.argv[1]); "
            "p = s.list_plans()[0]; s.update_plan(p['id'], lambda d: d.__setitem__('title', 'Omdøbt af en anden'))")
    subprocess.run([sys.executable, "-c", code, str(db)], cwd=ROOT, check=True, timeout=60)
    assert "Omdøbt af en anden" in listed(db)


def test_a_hand_edit_of_the_same_size_and_time_is_shown(tmp_path):
    db = demo_db(tmp_path)
    title = json.loads(db.read_bytes())["plans"]["1"]["title"]
    assert title in listed(db)
    st = db.stat()
    edited = db.read_bytes().replace(title.encode("utf-8"), ("X" * len(title.encode("utf-8"))).encode(), 1)
    with open(db, "r+b") as stream:  # in place, as some editors write: same inode and size
        stream.write(edited)
    os.utime(db, ns=(st.st_atime_ns, st.st_mtime_ns))  # and the old modification time
    out = listed(db)
    assert "X" * 20 in out and title not in out


def test_a_restored_backup_is_shown_not_the_cached_list(tmp_path):
    db = demo_db(tmp_path)
    implan(db, "list")
    before = listed(db)
    PlanStore.open(db)  # a backup of the demo plans
    store = PlanStore.open(db)
    first = store.list_plans()[0]
    store.update_plan(first["id"], lambda d: d.__setitem__("title", "Ændret efter kopien"))
    assert "Ændret efter kopien" in listed(db)
    implan(db, "restore")
    assert listed(db) == before


def test_a_damaged_or_foreign_cache_is_rebuilt_silently(tmp_path):
    db = demo_db(tmp_path)
    good = listed(db)
    for junk in (b"{not json", b"[]", json.dumps({"format": "noget andet", "records": {}, "file": []}).encode(),
                 b"\xff\xfe"):
        cache_path(db).write_bytes(junk)
        result = implan(db, "list", "--today", TODAY)
        assert result.stdout == good and result.stderr == ""
        assert json.loads(cache_path(db).read_bytes())["format"] == "implan-summary/2"


def test_the_cache_follows_the_dates_not_a_count(tmp_path):
    db = demo_db(tmp_path)
    today = implan(db, "list", "--today", TODAY).stdout
    later = implan(db, "list", "--today", "01-06-2027").stdout
    assert today != later  # overdue counts and next deadlines worked out against the day asked for
    cache_path(db).unlink()
    assert implan(db, "list", "--today", "01-06-2027").stdout == later


def test_list_with_a_valid_cache_imports_neither_tinydb_nor_the_plan_logic(tmp_path):
    db = demo_db(tmp_path)
    listed(db)
    code = ("import sys; from tui.cli import main; main(['--db', sys.argv[1], 'list']); "
            "print(sorted(m for m in sys.modules if m in ('tinydb', 'filelock', 'tui.core.plan', "
            "'tui.core.templates', 'textual')), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code, str(db)], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, check=True)
    assert result.stderr.strip().splitlines()[-1] == "[]"


# -- backups -----------------------------------------------------------------------------------------

def _age_newest_backup(store: PlanStore, minutes: float) -> None:
    newest = store.newest_backup()
    stamp = (datetime.now(UTC) - timedelta(minutes=minutes)).strftime(STAMP_FORMAT)
    newest.rename(newest.with_name(f"{store.path.stem}-{stamp}.json"))


def test_backups_are_taken_at_most_every_ten_minutes_and_only_after_a_change(tmp_path, monkeypatch):
    monkeypatch.setenv("IMPLAN_BACKUP_MINUTES", "10")
    db = tmp_path / "implan.json"
    store = PlanStore.open(db)
    store.add_plan(plan("p1", "v0"))
    PlanStore.open(db)
    assert len(store.backups()) == 1
    for n in range(5):  # one working session: changes and launches minutes apart
        store.update_plan("p1", lambda p, n=n: p.__setitem__("title", f"v{n + 1}"))
        PlanStore.open(db)
    assert len(store.backups()) == 1
    _age_newest_backup(store, 11)
    PlanStore.open(db)
    assert len(store.backups()) == 2
    assert json.loads(store.newest_backup().read_bytes())["plans"]["1"]["title"] == "v5"
    _age_newest_backup(store, 11)
    PlanStore.open(db)  # nothing changed since: no copy, however long ago the last one was
    assert len(store.backups()) == 2


def test_a_replace_always_keeps_the_state_before_it(tmp_path, monkeypatch):
    monkeypatch.setenv("IMPLAN_BACKUP_MINUTES", "10")
    db = tmp_path / "implan.json"
    store = PlanStore.open(db)
    store.add_plan(plan("p1", "Før"))
    PlanStore.open(db)
    store.update_plan("p1", lambda p: p.__setitem__("title", "Lige før erstatningen"))
    store.pin_backup()  # what import --replace and restore do, within the ten minutes
    assert json.loads(store.newest_backup().read_bytes())["plans"]["1"]["title"] == "Lige før erstatningen"


def test_the_number_of_backups_kept_is_bounded_as_the_readme_says():
    now = datetime(2027, 1, 15, 12, 0, tzinfo=UTC)
    every_ten_minutes = [(now - timedelta(minutes=10 * n)).strftime(STAMP_FORMAT) for n in range(6 * 24 * 60)]
    pinned = set(every_ten_minutes[::7])
    kept = backups_to_keep(every_ten_minutes, now, pinned)
    assert len(kept) <= MAX_BACKUPS == KEEP_BACKUPS + (KEEP_HOURS + 1) + (KEEP_DAYS + 1) + KEEP_PINNED
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"højst {MAX_BACKUPS} kopier" in readme


def test_the_plan_list_cache_says_what_the_plan_itself_says_on_any_day(tmp_path):
    """Home and `implan list` read summaries; the wizard, exports and Udestående read the plan.
    Next deadline (milestones count), overdue count and progress must be one truth in both."""
    from datetime import date

    from tui.core.initiatives import next_deadline, overdue_count, plan_initiatives
    from tui.core.summaries import PlanSummary, summarise
    from tui.core.workspace import Workspace

    plans = Workspace.open(demo_db(tmp_path)).plans()
    days = [date(2026, 11, 1) + timedelta(days=n) for n in range(0, 400, 9)]
    for plan_ in plans:
        summary = PlanSummary.from_json(json.loads(json.dumps(summarise(plan_).to_json())))  # as cached
        initiatives = plan_initiatives(plan_)
        progress = plan_.progress()
        assert (summary.progress.summary(), summary.progress.complete, summary.progress.bar_cells(7)) == \
            (progress.summary(), progress.complete, progress.bar_cells(7))
        for day in days:
            assert summary.next_deadline(day) == next_deadline(initiatives, day), (plan_.title, day)
            assert summary.overdue_count(day) == overdue_count(initiatives, day), (plan_.title, day)
