"""The database never loses a plan: atomic writes, the lock, backups, damaged and newer files."""

from __future__ import annotations

import json
import os
import stat
import subprocess

import pytest

from tests.helpers.kill_trials import ROOT, child_env, run_kill_trials, saver_command
from tui.store import DatabaseDamaged, DatabaseTooNew, PlanConflict, PlanStore, StoreError
from tui.store.plan_store import KEEP_BACKUPS, SCHEMA_VERSION


def plan(plan_id="p1", title="Plan"):
    return {"id": plan_id, "title": title, "answers": {}}


def test_new_database_is_private_utf8_and_versioned(tmp_path):
    db = tmp_path / "sub" / "implan.json"
    store = PlanStore.open(db)
    store.add_plan(plan(title="Æblegrød på Østerbro"))
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600
    raw = db.read_bytes().decode("utf-8")
    assert "Æblegrød på Østerbro" in raw  # stored as UTF-8, not \u escapes
    assert PlanStore.schema_version_of(json.loads(raw)) == SCHEMA_VERSION


def test_opening_for_reading_creates_nothing(tmp_path):
    db = tmp_path / "none" / "implan.json"
    store = PlanStore.open(db, write=False)
    assert store.list_plans() == []
    assert not db.parent.exists()


def test_save_replaces_the_file_and_leaves_no_temp_files(tmp_path):
    db = tmp_path / "implan.json"
    store = PlanStore.open(db)
    store.add_plan(plan())
    inode_before = os.stat(db).st_ino
    store.update_plan("p1", lambda p: p.__setitem__("title", "Ny"))
    assert os.stat(db).st_ino != inode_before  # a new file took its place: never rewritten in place
    assert store.get_plan("p1")["title"] == "Ny"
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith((".lock", ".backups"))) == ["implan.json"]


def test_stale_temp_files_of_a_killed_writer_are_cleaned_on_open(tmp_path):
    db = tmp_path / "implan.json"
    PlanStore.open(db)
    stale = tmp_path / ".implan-tmp-implan.json.abc123"
    stale.write_text("{half")
    PlanStore.open(db)
    assert not stale.exists()


def test_revision_conflict_is_refused(tmp_path):
    store = PlanStore.open(tmp_path / "implan.json")
    stored = store.add_plan(plan())
    store.save_plan(dict(stored, title="Første"), expected_revision=stored["revision"])
    with pytest.raises(PlanConflict) as err:
        store.save_plan(dict(stored, title="Anden"), expected_revision=stored["revision"])
    assert "ændret et andet sted" in str(err.value)
    assert store.get_plan("p1")["title"] == "Første"


def test_damaged_database_is_moved_aside_and_backup_offered(tmp_path):
    db = tmp_path / "implan.json"
    store = PlanStore.open(db)
    store.add_plan(plan(title="Vigtig plan"))
    PlanStore.open(db)  # opening for writing takes a backup
    damaged = b'{"plans": {"1": {"id": "p1", "tit'
    db.write_bytes(damaged)
    with pytest.raises(DatabaseDamaged) as err:
        PlanStore.open(db)
    message = str(err.value)
    assert "beskadiget" in message and "--db" not in message  # the store names no flag; the CLI does
    assert err.value.newest_backup is not None
    from tui.cli import describe_error

    assert f'implan --db "{db.resolve()}" restore' in describe_error(err.value)
    assert err.value.moved_to.read_bytes() == damaged  # nothing lost: the damaged file is kept as it was
    assert not db.exists()
    # The offered backup brings the plan back.
    PlanStore(db).restore()
    assert PlanStore.open(db).get_plan("p1")["title"] == "Vigtig plan"


def test_damage_found_by_a_read_only_command_is_handled_the_same_way(tmp_path):
    db = tmp_path / "implan.json"
    db.write_text("not json at all", encoding="utf-8")
    with pytest.raises(DatabaseDamaged):
        PlanStore.open(db, write=False)
    assert list(tmp_path.glob("implan.json.beskadiget-*"))


def test_newer_schema_is_refused_and_not_rewritten(tmp_path):
    db = tmp_path / "implan.json"
    content = json.dumps({"meta": {"1": {"schema_version": SCHEMA_VERSION + 1}}, "plans": {}})
    db.write_text(content)
    for write in (True, False):
        with pytest.raises(DatabaseTooNew) as err:
            PlanStore.open(db, write=write)
        assert "nyere version af implan" in str(err.value)
    assert db.read_text() == content


def test_backups_are_rotated_and_only_taken_when_something_changed(tmp_path):
    db = tmp_path / "implan.json"
    store = PlanStore.open(db)
    store.add_plan(plan())
    PlanStore.open(db)
    PlanStore.open(db)
    assert len(store.backups()) == 1  # unchanged database: no second copy
    for n in range(KEEP_BACKUPS + 5):
        store.update_plan("p1", lambda p, n=n: p.__setitem__("title", f"v{n}"))
        PlanStore.open(db)
    # The newest KEEP_BACKUPS, and the first of this hour and day (the database before today's changes).
    assert len(store.backups()) == KEEP_BACKUPS + 1
    newest = json.loads(store.newest_backup().read_text())
    assert newest["plans"]["1"]["title"] == f"v{KEEP_BACKUPS + 4}"
    assert json.loads(store.backups()[-1].read_text())["plans"]["1"]["title"] == "Plan"


def test_killed_writer_never_damages_the_file_nor_loses_acknowledged_saves(tmp_path):
    result = run_kill_trials(tmp_path, trials=15, seed=7)
    assert result.failures == []
    assert result.trials == 15 and result.acknowledged > 0


def test_two_processes_updating_at_once_lose_nothing(tmp_path):
    db = tmp_path / "implan.json"
    PlanStore.open(db).add_plan(plan())
    count = 60
    children = [
        subprocess.Popen(saver_command(db, "p1", f"append:{name}", count), cwd=ROOT, env=child_env(),
                         stdout=subprocess.PIPE)
        for name in ("a", "b")
    ]
    for child in children:
        assert child.wait(timeout=120) == 0
    log = PlanStore(db).get_plan("p1")["history"]
    assert len(log) == 2 * count
    assert sorted(e["i"] for e in log if e["who"] == "a") == list(range(count))
    assert sorted(e["i"] for e in log if e["who"] == "b") == list(range(count))


def test_restoring_the_oldest_backup_keeps_it_and_works(tmp_path):
    db = tmp_path / "implan.json"
    store = PlanStore.open(db)
    store.add_plan(plan(title="v0"))
    for n in range(1, KEEP_BACKUPS + 2):
        PlanStore.open(db)
        store.update_plan("p1", lambda p, n=n: p.__setitem__("title", f"v{n}"))
    oldest = store.backups()[-1]
    expected = json.loads(oldest.read_text())["plans"]["1"]["title"]
    store.restore(oldest)  # taking a backup of the current state must not prune the chosen one
    assert store.get_plan("p1")["title"] == expected


def test_damaged_or_too_new_backup_is_refused_in_danish(tmp_path):
    db = tmp_path / "implan.json"
    store = PlanStore.open(db)
    store.add_plan(plan(title="Behold"))
    bad = tmp_path / "bad.json"
    bad.write_text("{broken")
    with pytest.raises(StoreError) as err:
        store.restore(bad)
    assert "kan ikke bruges" in str(err.value)
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({"meta": {"1": {"schema_version": SCHEMA_VERSION + 1}}, "plans": {}}))
    with pytest.raises(DatabaseTooNew):
        store.restore(newer)
    assert store.get_plan("p1")["title"] == "Behold"


def test_database_behind_a_symlink_stays_a_symlink_and_shares_the_lock(tmp_path):
    real_folder = tmp_path / "sync"
    real_folder.mkdir()
    real = real_folder / "real.json"
    PlanStore.open(real).add_plan(plan("a", "A"))
    link = tmp_path / "link.json"
    link.symlink_to(real)
    PlanStore.open(link).add_plan(plan("b", "B"))
    assert link.is_symlink()
    assert {p["id"] for p in PlanStore(real).list_plans()} == {"a", "b"}
    assert PlanStore(link)._lock.lock_file == PlanStore(real)._lock.lock_file


def test_emptied_database_with_backups_is_damage_not_a_new_database(tmp_path):
    db = tmp_path / "implan.json"
    store = PlanStore.open(db)
    store.add_plan(plan(title="Vigtig"))
    PlanStore.open(db)
    db.write_bytes(b"")
    with pytest.raises(DatabaseDamaged):
        PlanStore.open(db)
    PlanStore(db).restore()
    assert PlanStore(db).get_plan("p1")["title"] == "Vigtig"


def test_export_to_a_device_writes_into_it_and_leaves_it_a_device(tmp_path):
    import stat

    from tui.fileio import atomic_write_text

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    import threading

    received = []

    def read_fifo() -> None:
        with open(fifo, "rb") as stream:
            received.append(stream.read())

    reader = threading.Thread(target=read_fifo)
    reader.start()
    atomic_write_text(fifo, "hej", mode=0o644)
    reader.join(5)
    assert received == [b"hej"] and stat.S_ISFIFO(os.stat(fifo).st_mode)
