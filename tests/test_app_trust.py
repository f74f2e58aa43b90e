"""Nothing typed is lost when the plan is changed elsewhere while it is open, when the database
cannot be written, or when the terminal goes away. Driven through Pilot and a real pty."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import time
from datetime import date

import pytest
from textual.widgets import Input

from tests.test_app_wizard import SIZE, stored_plans, type_into
from tui.app.app import ImplanApp
from tui.app.screens.confirm import ConfirmScreen
from tui.app.screens.home import HomeScreen
from tui.app.screens.wizard import WizardScreen
from tui.app.widgets.fields import FieldEditor
from tui.core.enums import HistoryKind
from tui.core.workspace import Workspace
from tui.store import PlanStore
from tui.store.recovery import pending_recoveries


def cli(db, *args):
    return subprocess.run([sys.executable, "-m", "tui", "--db", str(db), *args], capture_output=True, text=True,
                          timeout=60)


def ngo_plan(db, title="Fælles indsats i Testrup"):
    ws = Workspace.open(db, write=True)
    plan = ws.create("ngo-samarbejde", title, "Testrup Kommune")
    first = plan.items(plan.sections()[0])[0]
    second = plan.items(plan.sections()[0])[1]
    return plan, first.id, second.id


async def open_first_plan(pilot, app):
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, WizardScreen)
    return app.screen


async def test_meeting_from_another_shell_then_typing_and_ctrl_q_keeps_both(tmp_path):
    db = tmp_path / "implan.json"
    plan, first, second = ngo_plan(db)
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        wizard = await open_first_plan(pilot, app)
        await type_into(pilot, app, first, "svar-uddybning", "Før mødet")
        await pilot.press("tab")
        await app.workers.wait_for_complete()
        run = cli(db, "meeting", plan.id, "--note", "Opfølgning", "--next", "15-01-2027")
        assert run.returncode == 0, run.stderr
        await type_into(pilot, app, second, "svar-uddybning", "Efter mødet")
        await pilot.press("tab")  # an autosave against the plan the meeting changed
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Ikke gemt" not in " ".join(str(n.title) for n in app._notifications)
        await type_into(pilot, app, first, "ansvarlig", "Mette")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running and wizard.edit_lock is None
    [stored] = stored_plans(db)
    assert stored.value(first, "svar-uddybning") == "Før mødet"
    assert stored.value(second, "svar-uddybning") == "Efter mødet"
    assert stored.value(first, "ansvarlig") == "Mette"
    assert [m["note"] for m in stored.data["meetings"]] == ["Opfølgning"]


async def test_same_field_changed_elsewhere_keeps_the_typed_text_and_the_other_in_history(tmp_path):
    db = tmp_path / "implan.json"
    plan, first, second = ngo_plan(db)
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        wizard = await open_first_plan(pilot, app)
        await wizard.reveal_item(second)  # its editor on screen before the other window's change
        # Another window (the outstanding screen, a colleague's session) sets the same field.
        Workspace.open(db).update(plan.id, lambda p: p.set_value(first, "ansvarlig", "Hans fra det andet vindue"))
        Workspace.open(db).update(plan.id, lambda p: p.set_value(second, "ansvarlig", "Lone"))
        await type_into(pilot, app, first, "ansvarlig", "Mette")
        await pilot.press("tab")
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = " ".join(str(n.message) for n in app._notifications)
        assert "ændret et andet sted" in messages and "Din tekst er gemt" in messages
        # The field not typed in here shows what the other window saved.
        other = app.screen.query_one(f"#field--{second}--ansvarlig", FieldEditor)
        await pilot.pause()
        assert other.query_one(Input).value == "Lone"
        await pilot.press("ctrl+q")
    [stored] = stored_plans(db)
    assert stored.value(first, "ansvarlig") == "Mette"
    assert stored.value(second, "ansvarlig") == "Lone"
    kept = [e for e in stored.data["history"] if e["kind"] == HistoryKind.CONFLICT]
    assert [e["value"] for e in kept] == ["Hans fra det andet vindue"]


async def test_unsaveable_changes_leave_anyway_and_are_offered_at_the_next_start(tmp_path):
    db = tmp_path / "implan.json"
    plan, first, _ = ngo_plan(db)
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_plan(pilot, app)
        # The plan disappears from the database while open (a restore of an older backup).
        PlanStore(db).delete_plan(plan.id)
        await type_into(pilot, app, first, "svar-uddybning", "Må ikke gå tabt")
        await pilot.press("escape")  # leaving is never refused
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "gendannelsesfilen" in " ".join(str(n.message) for n in app._notifications)
    [recovery] = pending_recoveries(PlanStore(db).path)
    assert recovery.title == plan.title

    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "kunne ikke gemmes den" in app.screen.question and "lagt ind igen" in app.screen.question
        await pilot.press("j")  # Gendan
        await pilot.pause()
    [stored] = stored_plans(db)
    assert stored.id == plan.id and stored.value(first, "svar-uddybning") == "Må ikke gå tabt"
    assert pending_recoveries(PlanStore(db).path) == []


async def test_ctrl_c_saves_and_quits_like_ctrl_q(tmp_path):
    db = tmp_path / "implan.json"
    _, first, _ = ngo_plan(db)
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_plan(pilot, app)
        await type_into(pilot, app, first, "ansvarlig", "Typet lige før Ctrl+C")
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert not app.is_running
    [stored] = stored_plans(db)
    assert stored.value(first, "ansvarlig") == "Typet lige før Ctrl+C"


async def test_cli_replace_and_restore_refuse_while_the_plan_is_open(tmp_path):
    db = tmp_path / "implan.json"
    plan, first, _ = ngo_plan(db, "Planen der er åben")
    exported = tmp_path / "plan.json"
    assert cli(db, "export", plan.id, "-o", str(exported)).returncode == 0
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_plan(pilot, app)
        await type_into(pilot, app, first, "ansvarlig", "Mette")
        await pilot.press("tab")
        await app.workers.wait_for_complete()
        for run in (cli(db, "import", "--replace", str(exported)), cli(db, "restore")):
            assert run.returncode == 1
            assert "»Planen der er åben« er åben i implan" in run.stderr and plan.id not in run.stderr
            assert "Traceback" not in run.stderr
        await pilot.press("ctrl+q")
    [stored] = stored_plans(db)
    assert stored.value(first, "ansvarlig") == "Mette"
    # Closed: the same commands go through.
    assert cli(db, "import", "--replace", str(exported)).returncode == 0


# -- a real terminal --------------------------------------------------------------------------------

def _settle(fd, quiet: float = 1.0, limit: float = 8.0) -> bytes:
    """Read the terminal until it has been quiet for `quiet` seconds (or `limit` passed: a
    blinking cursor is never quiet): the screen has settled."""
    seen = b""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], quiet if seen else end - time.monotonic())
        if not ready:
            return seen
        try:
            seen += os.read(fd, 65536)
        except OSError:
            return seen
    return seen


def _implan_in_a_terminal(db, rows: int, columns: int) -> tuple[subprocess.Popen, int]:
    """implan started in a real pty of that size; returns the process and the terminal's end."""
    import fcntl
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", IMPLAN_DB=str(db))
    proc = subprocess.Popen([sys.executable, "-m", "tui"], stdin=slave, stdout=slave, stderr=slave, env=env,
                            start_new_session=True, close_fds=True)
    os.close(slave)
    return proc, master


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_closing_the_terminal_saves_what_was_just_typed(tmp_path, sig):
    db = tmp_path / "implan.json"
    plan, _first, _ = ngo_plan(db)
    proc, master = _implan_in_a_terminal(db, rows=40, columns=120)
    try:
        assert b"Planer" in _settle(master)
        os.write(master, b"\r")  # open the plan: the first field (the scale) has focus
        _settle(master)
        os.write(master, b"\t")  # the text area under it
        _settle(master)
        os.write(master, "Skrevet lige før terminalen lukkede".encode())
        time.sleep(0.2)  # well inside the autosave pause
        proc.send_signal(sig)
        _settle(master, limit=10)
        assert proc.wait(timeout=20) is not None
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    stored = json.loads(db.read_text(encoding="utf-8"))
    [record] = stored["plans"].values()
    texts = [v for fields in record["answers"].values() for v in fields.values()]
    assert "Skrevet lige før terminalen lukkede" in texts
    assert not (db.parent / (db.name + ".locks") / f"{plan.id}.lock").exists() or \
        PlanStore(db).open_elsewhere([plan.id]) == []


async def test_keys_typed_ahead_in_one_burst_land_in_three_fields(tmp_path):
    """As a terminal delivers a fast typist or a paste: all keys queued before any is handled."""
    from textual import events

    from tests.test_app_wizard import create_plan, start

    db = tmp_path / "implan.json"
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, app)
        await create_plan(pilot, app, "barnets-lov", "Barnets lov i Testrup")
        await pilot.press("f4")  # a new activity: its title has focus
        await pilot.pause()
        for text in ("Kursus", "\t", "Bedre vurderinger", "\t", "Mette"):
            for ch in text:
                key = "tab" if ch == "\t" else ("space" if ch == " " else ch)
                app.post_message(events.Key(key, None if ch == "\t" else ch))
        await pilot.pause()
        await pilot.press("ctrl+q")
    [plan] = stored_plans(db)
    [item] = plan.items("faglig-vurdering")
    assert item.title == "Kursus"
    assert plan.value(item.id, "formaal") == "Bedre vurderinger"
    assert plan.value(item.id, "aktiviteter") == "Mette"


async def test_a_paste_over_the_limit_is_kept_cut_to_the_limit_and_said_so(tmp_path):
    from textual import events
    from textual.widgets import TextArea

    from tui.core.plan import MAX_TEXT_LENGTH

    db = tmp_path / "implan.json"
    _, first, _ = ngo_plan(db)
    pasted = "Langt svar. " * (MAX_TEXT_LENGTH // 12 + 500)
    app = ImplanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_plan(pilot, app)
        editor = app.screen.query_one(f"#field--{first}--svar-uddybning", FieldEditor)
        editor.focus_input()
        await pilot.pause()
        app.screen.focused.post_message(events.Paste(pasted))
        await pilot.pause()
        await pilot.pause()
        assert len(editor.query_one(TextArea).text) == MAX_TEXT_LENGTH
        shown = str(editor.query_one(".field-error").render())
        assert "De første 100.000 tegn er gemt" in shown
        await pilot.press("escape")  # leaving: what is shown is what is stored, nothing dropped
        await pilot.pause()
    [stored] = stored_plans(db)
    assert stored.value(first, "svar-uddybning") == pasted[:MAX_TEXT_LENGTH].strip("\n")


def test_leaving_a_long_section_while_it_is_still_mounting_does_not_crash(tmp_path):
    """A 20-question NGO phase is mounted in batches behind the first questions. Back from
    Udestående it is mounted again, and Esc then left it while Textual was still mounting a
    Select: implan crashed with NoMatches in a real terminal (Pilot is too quick to see it)."""
    from tui.core.workspace import Workspace
    from tui.paths import sample_plans_dir

    db = tmp_path / "implan.json"
    Workspace.open(db, write=True).load_demo(sample_plans_dir(), date.today())
    proc, master = _implan_in_a_terminal(db, rows=30, columns=100)
    seen = b""
    try:
        seen += _settle(master)
        steps = [(b"\x1b[B\x1b[B\x1b[B\r", 4), (b"\x1bOQ", 2), (b"\x1b[B\r", 5), (b"\x1b[20~", 3),
                 (b"\x1b", 3), (b"\x1b", 3)]  # to the NGO plan, F2, a finding, F9, Esc, Esc
        for keys, pause in steps:
            os.write(master, keys)
            seen += _settle(master, quiet=pause, limit=pause)  # as a person: keys seconds apart
        assert proc.poll() is None, seen.decode(errors="replace")[-3000:]
        os.write(master, b"\x11")  # Ctrl+Q
        seen += _settle(master, limit=10)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    assert b"NoMatches" not in seen and b"Traceback" not in seen
