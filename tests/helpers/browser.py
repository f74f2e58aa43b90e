"""`implan serve` on a free loopback port, and Debian's Chromium driven by Playwright, for the
tests that use implan in a browser as a colleague would.

The terminal in the page is drawn on a canvas; its text is read from xterm.js's own buffer,
which an init script catches as textual.js creates it (no global refers to it otherwise).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = Path(os.environ.get("IMPLAN_TEST_CHROMIUM", "/usr/bin/chromium"))
# As root in a sandbox with no network: no sandboxing of its own, nothing fetched in the background.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, 'terminal', {
  configurable: true,
  set(value) {
    if (value && value.buffer && !window.__implanTerminal) window.__implanTerminal = value;
    Object.defineProperty(this, 'terminal', {value, writable: true, configurable: true, enumerable: true});
  },
});
"""
READ_SCREEN = """() => { const t = window.__implanTerminal; if (!t) return '';
  const b = t.buffer.active; const out = [];
  for (let i = 0; i < t.rows; i++) { const l = b.getLine(i); out.push(l ? l.translateToString(true) : ''); }
  return out.join('\\n'); }"""


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"Chromium er ikke installeret ({CHROMIUM}); .ci/run installerer Debians pakke chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright er ikke installeret (testekstraen)"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`implan serve` as a subprocess, as IT would start it."""

    def __init__(self, db: Path, *extra: str, host: str = "127.0.0.1", cwd: Path | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = db.with_name(f"serve-{self.port}.log")
        argv = [sys.executable, "-m", "tui", "serve", "--db", str(db), "--host", host, "--port", str(self.port),
                *extra]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        self._wait_listening()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _wait_listening(self, limit: float = 30) -> None:
        end = time.monotonic() + limit
        while time.monotonic() < end:
            if self.process.poll() is not None:
                raise RuntimeError(f"implan serve stopped: {self.output()}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return
            time.sleep(0.1)
        raise TimeoutError(f"implan serve did not listen: {self.output()}")

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def sessions(self) -> list[int]:
        """The implan sessions the server runs now (its children)."""
        found = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        return [int(pid) for pid in found.split()]

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


class Page:
    """One browser tab on implan: what its terminal shows, and keys typed into it."""

    def __init__(self, page) -> None:  # a playwright Page
        self.page = page
        self.downloads: list = []
        # textual.js opens a download in a new tab, which Chromium turns into the download.
        page.on("popup", lambda popup: popup.on("download", lambda d: self.downloads.append(d)))
        page.on("download", lambda d: self.downloads.append(d))

    def screen(self) -> str:
        return str(self.page.evaluate(READ_SCREEN))

    def wait_for(self, *texts: str, limit: float = 60) -> str:
        end = time.monotonic() + limit
        shown = ""
        while time.monotonic() < end:
            shown = self.screen()
            if all(text in shown for text in texts):
                return shown
            self.page.wait_for_timeout(100)  # (not time.sleep: Playwright's events arrive meanwhile)
        raise AssertionError(f"not on screen after {limit} s: {texts}\n{shown}")

    def press(self, *keys: str, pause: float = 0.15) -> None:
        for key in keys:
            self.page.keyboard.press(key)
            self.page.wait_for_timeout(pause * 1000)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text, delay=30)

    def wait_for_download(self, limit: float = 30):
        end = time.monotonic() + limit
        while not self.downloads and time.monotonic() < end:
            self.page.wait_for_timeout(100)
        if not self.downloads:
            raise AssertionError(f"no download after {limit} s\n{self.screen()}")
        return self.downloads.pop(0)


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium (Debian's); Playwright gives it an empty profile of its own."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser, url: str) -> Page:
    """A colleague of their own: a new browser context (own cookies, own window) on `url`."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.add_init_script(CATCH_TERMINAL)
    page.goto(url)
    page.wait_for_selector(".xterm-helper-textarea", state="attached")
    page.focus(".xterm-helper-textarea")  # where xterm.js takes the keyboard from
    return Page(page)
