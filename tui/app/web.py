"""What differs when implan runs in a browser (`implan serve`): files are downloads, the user
says who they are (so a colleague's lock message can name them), and a session whose browser
or server is gone saves and closes within seconds instead of holding its plan."""

from __future__ import annotations

import io
import os
import signal
import threading
from collections.abc import Callable
from datetime import datetime

from textual.app import App

PARENT_CHECK_SECONDS = 2.0
EXIT_GRACE_SECONDS = 10.0  # after the server asks a session to quit, it is gone by then
MIME_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "ics": "text/calendar; charset=utf-8",
    "json": "application/json",
}
# Every browser takes Ctrl+T (new tab) before the page sees it; the export's other keys reach it.
BROWSER_KEYS = {"export.md": "ctrl+g"}  # G for »gem«
NAME_QUESTION = ("Dit navn? Det vises for en kollega, der prøver at åbne en plan, du har åben. "
                 "(Enter uden navn: tidspunktet, du startede.)")


def deliver(app: App, filename: str, data: bytes) -> None:
    """The file as a download in the user's browser; nothing is written on the server."""
    suffix = filename.rsplit(".", 1)[-1].lower()
    app.deliver_binary(io.BytesIO(data), save_filename=filename,
                       mime_type=MIME_TYPES.get(suffix, "application/octet-stream"))


def show_text(app: App, filename: str, text: str) -> None:
    """Text opened in a new browser tab, to read or copy from: a terminal's clipboard (OSC 52) does
    not reach the browser's."""
    app.deliver_text(io.StringIO(text), save_filename=filename, open_method="browser",
                     mime_type="text/plain; charset=utf-8")


def anonymous_holder(started: datetime) -> str:
    return f"en bruger, der startede kl. {started:%H:%M}"


class WebSession:
    """One browser session's life: who holds its locks, and its end when the server is gone."""

    def __init__(self, app: App, hang_up: Callable[[int], None]) -> None:
        self.app = app
        self.hang_up = hang_up
        self.started = datetime.now()
        self.holder = anonymous_holder(self.started)
        self.parent = os.getppid()

    def start(self) -> None:
        self.app.set_keymap(BROWSER_KEYS)
        # textual-serve runs the session as its child; if the server dies, nobody is left to
        # send "quit", and the session would keep its plan locked.
        self.app.set_interval(PARENT_CHECK_SECONDS, self.check_parent)

    def check_parent(self) -> None:
        if os.getppid() != self.parent:
            self.hang_up(signal.SIGHUP)

    def name_given(self, name: str | None) -> None:
        cleaned = " ".join("".join(ch for ch in name or "" if ch.isprintable()).split())[:80]
        if cleaned:
            self.holder = cleaned

    @staticmethod
    def exit_within_grace() -> None:
        """Once the open plans are saved: a session that hangs while shutting down is ended."""
        timer = threading.Timer(EXIT_GRACE_SECONDS, os._exit, (0,))
        timer.daemon = True
        timer.start()
