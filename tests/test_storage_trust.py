"""Backups touch only implan's own files and keep enough history; a read-only database is left
alone; parallel imports with --copy all succeed."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.conftest import ROOT, SAMPLES
from tui.store import PlanStore
from tui.store.plan_store import KEEP_BACKUPS, STAMP_FORMAT, backups_to_keep

SAMPLE = SAMPLES / "barnets-lov-solbjerg.json"
GOOD_ID = "demo-barnets-lov"


def implan(db: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, IMPLAN_DB=str(db))
    result = subprocess.run([sys.executable, "-m", "tui", *args], cwd=ROOT, capture_output=True, text=True,
                            env=env, timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    if check:
        assert result.returncode == 0, result.stderr
    return result


def cli(db: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """The same as `implan`, in this process (quicker where many commands run one after another)."""
    import contextlib
    import io

    from tui.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--db", str(db), *args])
    if check:
        assert code == 0, err.getvalue()
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def plan(plan_id="p1", title="Plan"):
    return {"id": plan_id, "title": title, "answers": {}}


def change_and_reopen(db: Path, times: int) -> None:
    store = PlanStore.open(db)
    for n in range(times):
        store.update_plan("p1", lambda p, n=n: p.__setitem__("title", f"v{n}"))
        PlanStore.open(db)


# -- backups -----------------------------------------------------------------------------------------

def test_files_implan_did_not_make_are_never_listed_restored_or_pruned(tmp_path):
    db = tmp_path / "implan.json"
    PlanStore.open(db).add_plan(plan(title="Rigtig"))
    PlanStore.open(db)
    folder = tmp_path / "implan.json.backups"
    strays = {name: f'{{"meta": {{}}, "plans": {{"1": {{"id": "p1", "title": "{name}"}}}}}}'
              for name in ("zzz.json", "noter.json", "implan-kopi.json", "implan-99999999T999999999999Z.json.bak")}
    for name, text in strays.items():
        (folder / name).write_text(text)
    change_and_reopen(db, KEEP_BACKUPS + 5)
    for name, text in strays.items():
        assert (folder / name).read_text() == text  # never pruned
    listed = implan(db, "backups").stdout.split()
    assert listed and all(Path(p).name.startswith("implan-2") and Path(p).name.endswith("Z.json") for p in listed)
    implan(db, "restore")  # the newest of implan's own, not zzz.json
    assert PlanStore(db).get_plan("p1")["title"] != "zzz.json"
    assert PlanStore(db).get_plan("p1")["title"].startswith("v")


def test_a_symlinked_backup_folder_is_not_followed(tmp_path):
    db = tmp_path / "implan.json"
    theirs = tmp_path / "someone-else"
    theirs.mkdir()
    for n in range(15):
        (theirs / f"implan-2026010{n % 10}T0000000000{n:02d}Z.json").write_text(f'{{"n": {n}}}')
        (theirs / f"fil{n}.json").write_text(f'{{"n": {n}}}')
    before = {p.name: p.read_text() for p in theirs.iterdir()}
    (tmp_path / "implan.json.backups").symlink_to(theirs, target_is_directory=True)
    cli(db, "new", "barnets-lov", "Plan")
    for n in range(KEEP_BACKUPS + 3):
        result = cli(db, "meeting", "Plan", "--note", f"møde {n}")
    assert "symbolsk link" in result.stderr and "følger det ikke" in result.stderr
    assert {p.name: p.read_text() for p in theirs.iterdir()} == before  # nothing written, nothing removed
    listing = implan(db, "backups")
    assert "symbolsk link" in listing.stderr and listing.stdout == ""
    assert implan(db, "restore", check=False).returncode == 1  # no backup of theirs is taken for ours


def test_one_unwanted_replace_followed_by_ten_edits_can_be_undone(tmp_path):
    db = tmp_path / "implan.json"
    cli(db, "import", str(SAMPLE))
    cli(db, "meeting", GOOD_ID, "--note", "Første møde")
    cli(db, "meeting", GOOD_ID, "--note", "Andet møde")
    good = json.loads(db.read_text())["plans"]["1"]
    wrong = json.loads(SAMPLE.read_text())
    wrong["plan"]["title"] = "Forkert version"
    wrong["plan"]["answers"] = {}
    (tmp_path / "forkert.json").write_text(json.dumps(wrong))
    cli(db, "import", "--replace", str(tmp_path / "forkert.json"))
    for n in range(10):
        cli(db, "meeting", GOOD_ID, "--note", f"lille ændring {n}")
    backups = implan(db, "backups").stdout.split()
    assert len(backups) > KEEP_BACKUPS
    before_replace = [b for b in backups
                      if json.loads(Path(b).read_text())["plans"]["1"]["title"] == good["title"]
                      and len(json.loads(Path(b).read_text())["plans"]["1"]["meetings"]) == 2]
    assert len(before_replace) == 1
    implan(db, "restore", before_replace[0])
    restored = json.loads(db.read_text())["plans"]["1"]
    assert restored["title"] == good["title"] and restored["answers"] == good["answers"]
    assert [m["note"] for m in restored["meetings"]] == ["Første møde", "Andet møde"]


def test_backups_are_kept_by_time_as_well_as_by_count():
    now = datetime(2027, 1, 15, 12, 0, tzinfo=UTC)

    def stamp(delta: timedelta) -> str:
        return (now - delta).strftime(STAMP_FORMAT)

    recent = [stamp(timedelta(minutes=m)) for m in range(0, 30)]  # 30 in the last half hour
    hours = [stamp(timedelta(hours=h, minutes=m)) for h in range(1, 30) for m in (10, 40)]
    days = [stamp(timedelta(days=d, hours=h)) for d in range(2, 40) for h in (1, 5)]
    kept = backups_to_keep(recent + hours + days, now)
    assert set(recent[:KEEP_BACKUPS]) <= kept
    assert recent[-1] in kept  # the oldest of this hour: how the database was when the hour began
    assert not set(recent[KEEP_BACKUPS:-1]) & kept
    for h in range(1, 24):
        assert stamp(timedelta(hours=h, minutes=40)) in kept and stamp(timedelta(hours=h, minutes=10)) not in kept
    for d in range(2, 30):
        assert len([s for s in kept if s[:8] == (now - timedelta(days=d)).strftime("%Y%m%d")]) == 1
    assert not [s for s in kept if s < stamp(timedelta(days=31))]  # nothing older than 30 days


def test_temp_files_of_a_killed_save_are_removed_beside_the_database_and_the_backups(tmp_path):
    db = tmp_path / "implan.json"
    PlanStore.open(db).add_plan(plan())
    change_and_reopen(db, 1)
    folder = tmp_path / "implan.json.backups"
    stale = [tmp_path / ".implan-tmp-implan.json.x1y2z3",
             folder / ".implan-tmp-implan-20270101T000000000000Z.json.abc"]
    unrelated = [tmp_path / ".implan-tmp-andet.json.abc", folder / ".implan-tmp-noter.json.abc", folder / "noter.tmp"]
    for path in stale + unrelated:
        path.write_text("{halv")
    PlanStore.open(db)
    assert not any(p.exists() for p in stale)
    assert all(p.exists() for p in unrelated)


# -- a read-only database ----------------------------------------------------------------------------

def test_a_read_only_database_is_not_replaced(tmp_path):
    db = tmp_path / "implan.json"
    implan(db, "import", str(SAMPLE))
    implan(db, "meeting", GOOD_ID)  # a backup to restore
    os.chmod(db, 0o444)
    content, inode = db.read_bytes(), os.stat(db).st_ino
    for args in (["new", "barnets-lov", "Ny"], ["meeting", GOOD_ID], ["import", "--copy", str(SAMPLE)],
                 ["demo"], ["restore"], ["set-aside"]):
        result = implan(db, *args, check=False)
        assert result.returncode == 1, args
        assert "skrivebeskyttet" in result.stderr and "chmod u+w" in result.stderr
    assert db.read_bytes() == content and os.stat(db).st_ino == inode
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o444
    assert "barnets lov" in implan(db, "list").stdout  # reading still works


def test_a_writable_database_stays_private(tmp_path):
    db = tmp_path / "implan.json"
    implan(db, "import", str(SAMPLE))
    os.chmod(db, 0o644)
    implan(db, "meeting", GOOD_ID)
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600


async def test_the_app_shows_a_read_only_database_instead_of_crashing(tmp_path):
    from datetime import date

    from textual.widgets import DataTable

    from tui.app.app import ImplanApp

    db = tmp_path / "implan.json"
    implan(db, "import", str(SAMPLE))
    os.chmod(db, 0o444)
    content = db.read_bytes()
    app = ImplanApp(db, today=date(2027, 1, 15))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.screen.query_one(DataTable).row_count == 1
        assert any("skrivebeskyttet" in n.message for n in app._notifications)
        await pilot.press("r")  # rename: refused with the message, nothing written
        await pilot.pause()
        await pilot.press("ctrl+a", *"Nyt navn", "enter")
        await pilot.pause()
    assert db.read_bytes() == content


# -- many imports at once ----------------------------------------------------------------------------

def test_many_parallel_imports_with_copy_all_succeed(tmp_path):
    db = tmp_path / "implan.json"
    implan(db, "new", "barnets-lov", "En anden plan")  # the imported plan is not there yet
    env = dict(os.environ, IMPLAN_DB=str(db))
    children = [subprocess.Popen([sys.executable, "-m", "tui", "import", "--copy", str(SAMPLE)], cwd=ROOT, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(20)]
    results = [(child.wait(timeout=180), child.stderr.read()) for child in children]
    for child in children:
        child.stdout.close()
        child.stderr.close()
    assert [code for code, _ in results] == [0] * 20, [err for _, err in results if err and "importeret" not in err]
    plans = PlanStore(db).list_plans()
    assert len(plans) == 21 and len({p["id"] for p in plans}) == 21
    assert sum(p["id"] == GOOD_ID for p in plans) == 1


# -- records too deep to load ----------------------------------------------------------------------

def test_a_record_too_deep_to_load_is_written_back_unchanged(tmp_path):
    db = tmp_path / "implan.json"
    PlanStore.open(db).add_plan(plan("p1", "God"))
    data = json.loads(db.read_text())
    for depth in (200, 5000):
        deep = '{"id": "dyb", "x": ' + "[" * depth + "]" * depth + "}"
        other = "[" * depth + "]" * depth
        text = json.dumps(data)[:-2] + f', "2": {deep}}}, "andet": {{"1": {other}}}}}'
        db.write_text(text)
        store = PlanStore.open(db)  # reads, backs up, writes nothing it cannot keep
        store.add_plan(plan("p2", "Ny"))
        after = db.read_text()
        assert deep in after and other in after  # the raw text, byte for byte
        assert [p["title"] for p in PlanStore(db).list_plans()] == ["God", "Ny"]
        store.delete_plan("p2")


def test_top_level_nesting_is_still_damage_of_the_whole_file(tmp_path):
    import pytest

    from tui.store import DatabaseDamaged

    db = tmp_path / "implan.json"
    db.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(DatabaseDamaged):
        PlanStore.open(db)
