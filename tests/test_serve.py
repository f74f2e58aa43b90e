"""`implan serve`, for real: the server started as IT would start it, reached over HTTP, and
used by colleagues in Debian's headless Chromium (tests/helpers/browser.py)."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import icalendar
import pytest

from tests.conftest import ROOT
from tests.helpers.browser import Server, chromium, free_port, missing_browser, open_page
from tui.store import PlanStore

FAMILY_PLAN = "Implementering af Familierådslagning i Familiecentret 2026–2027"  # first in the list
SIGNS_PLAN = "Signs of Safety i Børne- og Familieafdelingen"
TOKEN = "en-lang-adgangsnoegle-til-test-0123456789"
needs_browser = pytest.mark.skipif(missing_browser() is not None, reason=missing_browser() or "")


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    db = tmp_path / "team" / "implan.json"
    subprocess.run([sys.executable, "-m", "tui", "--db", str(db), "demo"], cwd=ROOT, check=True,
                   capture_output=True)
    return db


def request(server: Server, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.read()
    return response


WEBSOCKET = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
             "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}


def stored_text(db: Path) -> str:
    return json.dumps(json.loads(db.read_text(encoding="utf-8"))["plans"], ensure_ascii=False)


def eventually(check, limit: float = 20.0) -> bool:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.2)
    return bool(check())


def plan_id(db: Path, title_part: str) -> str:
    plans = json.loads(db.read_text(encoding="utf-8"))["plans"].values()
    return next(p["id"] for p in plans if title_part in p["title"])


def open_elsewhere(db: Path, title_part: str) -> bool:
    return bool(PlanStore.open(db).open_elsewhere([plan_id(db, title_part)]))


# -- the gate --------------------------------------------------------------------------------------
def test_off_loopback_without_a_token_it_refuses_to_start(demo_db):
    result = subprocess.run([sys.executable, "-m", "tui", "serve", "--db", str(demo_db), "--host", "0.0.0.0",
                             "--port", str(free_port())], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "kræver en adgangsnøgle" in result.stderr and "--token" in result.stderr
    assert result.stdout == ""  # no link printed: nothing is served


def test_a_short_token_is_refused(demo_db):
    result = subprocess.run([sys.executable, "-m", "tui", "serve", "--db", str(demo_db), "--token", "kort"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "for kort" in result.stderr


def test_no_page_and_no_session_without_the_right_token(demo_db):
    with Server(demo_db, "--token", TOKEN, host="0.0.0.0", cwd=ROOT) as server:
        missing = request(server, "/")
        assert missing.status == 401
        assert request(server, "/?token=forkert-noegle-forkert-noegle").status == 403
        assert request(server, "/ws", WEBSOCKET).status == 401
        assert request(server, "/ws", {**WEBSOCKET, "Cookie": "implan_adgang=forkert"}).status == 403
        assert request(server, "/static/js/textual.js").status == 401
        assert server.sessions() == []  # no implan process was started for any of them

        welcome = request(server, f"/?token={TOKEN}")
        assert welcome.status == 303 and welcome.getheader("Location") == "/"  # the token leaves the address
        cookie = welcome.getheader("Set-Cookie") or ""
        assert f"implan_adgang={TOKEN}" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        page = request(server, "/", {"Cookie": f"implan_adgang={TOKEN}"})
        assert page.status == 200
        # Another site's page may not open a session with the user's cookie.
        foreign = {**WEBSOCKET, "Cookie": f"implan_adgang={TOKEN}", "Origin": "http://ondsindet.example"}
        assert request(server, "/ws", foreign).status == 403
        assert server.sessions() == []
    startup, log = server.output().split("Stop serveren", 1)
    assert f"?token={TOKEN}" in startup  # the link to share, printed once at start
    assert TOKEN not in log and "token=…" in log  # the access log hides it


def test_a_generated_token_is_printed_once_in_the_link(demo_db):
    with Server(demo_db, "--token", host="0.0.0.0", cwd=ROOT) as server:
        output = server.output()
        link = re.search(r"Åbn i browseren: (http://\S+/\?token=(\S+))", output)
        assert link, output
        assert output.count(link.group(2)) == 1
        assert request(server, "/").status == 401
        assert request(server, f"/?token={link.group(2)}").status == 303


# -- colleagues in a browser -----------------------------------------------------------------------
def start_session(browser, server: Server, name: str):
    """A colleague opens the link and gives their name."""
    page = open_page(browser, server.url)
    page.wait_for("Planer", FAMILY_PLAN, "Dit navn")
    page.type(name)
    page.press("Enter")
    return page


def open_plan(page, down: int = 0) -> None:
    page.press(*["ArrowDown"] * down, "Enter")
    page.wait_for("f2 Gennemgang", "Gruppens svar og beslutninger")  # the wizard's keys: not the export's
    page.page.wait_for_timeout(500)


def write(page, word: str) -> None:
    """Type a word at the end of the focused field, and see it there (so it reached the app)."""
    page.type(f" {word}")
    page.wait_for(word)


@needs_browser
def test_a_plan_written_in_the_browser_is_in_the_database(demo_db):
    with Server(demo_db, cwd=ROOT) as server, chromium() as browser:
        page = start_session(browser, server, "Anna Holm")
        open_plan(page)
        write(page, "SkrevetIBrowseren")
        page.page.close()  # the tab closed: the session saves and lets the plan go
        assert eventually(lambda: "SkrevetIBrowseren" in stored_text(demo_db))
        assert eventually(lambda: not open_elsewhere(demo_db, "Familierådslagning"))
        assert eventually(lambda: server.sessions() == [])


@needs_browser
def test_exports_are_downloads_in_the_browser(demo_db, tmp_path):
    from docx import Document

    with Server(demo_db, cwd=ROOT) as server, chromium() as browser:
        page = start_session(browser, server, "Bo")
        page.press("x")  # Eksportér the selected plan
        shown = page.wait_for("filen hentes i din browser")
        # Every browser opens a new tab on Ctrl+T before the page sees it: here .md is Ctrl+G.
        assert "Gem .md (Ctrl+G)" in shown and "Ctrl+T" not in shown
        page.press("Control+g")
        markdown = page.wait_for_download()
        assert markdown.suggested_filename == "implementering-af-familieraadslagning-i-familiecentret-2026-2027.md"
        assert Path(markdown.path()).read_text(encoding="utf-8").startswith(f"# {FAMILY_PLAN}\n")
        page.press("Control+s")
        word = page.wait_for_download()
        assert word.suggested_filename.endswith(".docx")
        word.save_as(tmp_path / "plan.docx")
        assert any(p.text == FAMILY_PLAN for p in Document(str(tmp_path / "plan.docx")).paragraphs)
        page.press("Escape")
        page.wait_for("Ny plan", "Udestående")
        page.press("u")
        page.wait_for("Udestående initiativer", "Overskredet")
        page.press("k")  # the deadlines as a calendar
        calendar = page.wait_for_download()
        assert calendar.suggested_filename == "implan-deadlines.ics"
        events = icalendar.Calendar.from_ical(Path(calendar.path()).read_bytes()).walk("VEVENT")
        assert len(events) > 10 and any("Familierådslagning" in str(e.get("DESCRIPTION", "")) for e in events)
    documents = tmp_path / "documents"  # the server's own export folder stays empty
    assert not documents.exists() or not any(documents.iterdir())


@needs_browser
def test_the_same_plan_in_two_sessions(demo_db):
    with Server(demo_db, cwd=ROOT) as server, chromium() as browser:
        anna = start_session(browser, server, "Anna Holm")
        open_plan(anna)
        write(anna, "AnnasTilfoejelse")
        bo = start_session(browser, server, "Bo")
        bo.press("Enter")
        shown = bo.wait_for("Læs planen", "Tilbage")
        dialog = " ".join(shown.replace("█", " ").split())  # the lines of the dialog's text, unboxed
        assert "er allerede åben hos Anna Holm (siden kl." in dialog
        bo.press("j")  # Læs planen
        bo.wait_for("Kun læsning", "Oplysning")
        assert "f2 Gennemgang" not in bo.screen()  # a document to read, not the wizard
        anna.page.close()
        assert eventually(lambda: not open_elsewhere(demo_db, "Familierådslagning"))
        bo.press("Escape")
        bo.wait_for("Ny plan", "Udestående")  # home again (Esc then Enter at once would be Alt+Enter)
        open_plan(bo)  # Anna has let go: Bo may write now
        write(bo, "BosTilfoejelse")
        bo.page.close()
        assert eventually(lambda: "BosTilfoejelse" in stored_text(demo_db))
        assert "AnnasTilfoejelse" in stored_text(demo_db)


@needs_browser
def test_two_sessions_on_different_plans_both_save(demo_db):
    with Server(demo_db, cwd=ROOT) as server, chromium() as browser:
        anna = start_session(browser, server, "Anna Holm")
        bo = start_session(browser, server, "Bo")
        open_plan(anna)
        open_plan(bo, down=1)  # the next plan in the list: Signs of Safety
        write(anna, "FraAnna")
        write(bo, "FraBo")
        anna.page.wait_for_timeout(2500)  # both autosave while the other types
        write(anna, "AnnaIgen")
        write(bo, "BoIgen")
        anna.page.close()
        bo.page.close()
        assert eventually(lambda: all(text in stored_text(demo_db) for text in ("FraAnna AnnaIgen", "FraBo BoIgen")))
        plans = json.loads(demo_db.read_text(encoding="utf-8"))["plans"].values()
        by_title = {p["title"]: json.dumps(p, ensure_ascii=False) for p in plans}
        assert "FraAnna" in by_title[FAMILY_PLAN] and "FraBo" not in by_title[FAMILY_PLAN]
        assert any(SIGNS_PLAN in title and "FraBo" in text for title, text in by_title.items())


@needs_browser
def test_a_session_whose_server_died_saves_and_lets_go(demo_db):
    with Server(demo_db, cwd=ROOT) as server, chromium() as browser:
        page = start_session(browser, server, "Anna Holm")
        open_plan(page)
        write(page, "FoerStroemmenGik")
        sessions = server.sessions()
        assert len(sessions) == 1
        server.process.send_signal(signal.SIGKILL)  # the server only; its session is left behind
        server.process.wait()
        assert eventually(lambda: not open_elsewhere(demo_db, "Familierådslagning"), limit=20)
        assert "FoerStroemmenGik" in stored_text(demo_db)
        assert eventually(lambda: not Path(f"/proc/{sessions[0]}").exists() or
                          "zombie" in Path(f"/proc/{sessions[0]}/status").read_text(), limit=20)


@needs_browser
def test_stopping_the_server_with_ctrl_c_saves_what_is_typed(demo_db):
    with Server(demo_db, cwd=ROOT) as server, chromium() as browser:
        page = start_session(browser, server, "Anna Holm")
        open_plan(page)
        write(page, "IndenStop")
        os.killpg(server.process.pid, signal.SIGINT)  # Ctrl+C in the terminal that runs it
        assert server.process.wait(30) == 0
        assert "implan serve er stoppet." in server.output()
        assert "Traceback" not in server.output()
        assert eventually(lambda: "IndenStop" in stored_text(demo_db))
        assert eventually(lambda: not open_elsewhere(demo_db, "Familierådslagning"))


def test_a_session_that_hangs_is_ended_within_a_bound():
    """A session asked to quit that does not (here: one that never reads its input) is killed,
    so the lock it holds is free; a real one saves and exits at once (tests above)."""
    import asyncio

    from textual_serve.download_manager import DownloadManager

    from tui.serve.server import BoundedAppService

    hung = (f"exec {sys.executable} -c \"import time; print('__GANGLION__', flush=True); time.sleep(120)\"")

    async def scenario() -> tuple[float, int | None]:
        async def ignore(data: object = None) -> None:
            pass

        session = BoundedAppService(hung, write_bytes=ignore, write_str=ignore, close=ignore,
                                    download_manager=DownloadManager())
        session.STOP_SECONDS = 1.0
        await session.start(80, 24)
        started = time.monotonic()
        await session.stop()
        return time.monotonic() - started, session._process.returncode

    took, returncode = asyncio.run(scenario())
    assert took < 10
    assert returncode == -signal.SIGKILL
