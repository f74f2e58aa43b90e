"""implan in a browser (`implan serve`, headless Chromium) against implan in a terminal, on the
same machine and demo database. Prints figures; asserts nothing.

    python -m tests.benchmarks.bench_serve [--runs 7]

Terminal: from process start until the first plan's title is on screen (a real pty, as in
bench_daily). Browser: from opening the page until the title is in the page's terminal, with
the server already running (as colleagues meet it); also the time to the first frame of a new
browser context and Chromium's own start, for scale.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.bench_daily import ROOT, Tree, first_frame, marker_of
from tests.helpers.browser import CATCH_TERMINAL, READ_SCREEN, Server, chromium


def terminal_first_frame(tree: Tree, db: Path, marker: str, runs: int) -> float:
    samples = [first_frame(tree.implan(db), tree.root, tree.env, marker)[0] for _ in range(runs + 1)][1:]
    return statistics.median(samples)


def browser_first_screen(browser, url: str, marker: str) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        page.add_init_script(CATCH_TERMINAL)
        started = time.perf_counter()
        page.goto(url)
        while marker not in str(page.evaluate(READ_SCREEN)):
            page.wait_for_timeout(10)
            if time.perf_counter() - started > 60:
                raise TimeoutError(marker)
        return time.perf_counter() - started
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        tree = Tree("this checkout", ROOT, home)
        db = home / "demo.json"
        subprocess.run([sys.executable, "-m", "tui", "--db", str(db), "demo"], cwd=ROOT, env=tree.env,
                       check=True, capture_output=True)
        marker = marker_of(db)
        terminal = terminal_first_frame(tree, db, marker, args.runs)
        started = time.perf_counter()
        with Server(db, cwd=ROOT) as server, chromium() as browser:
            chromium_start = time.perf_counter() - started
            browser_first_screen(browser, server.url, marker)  # warm: bytecode, the page's files
            samples = [browser_first_screen(browser, server.url, marker) for _ in range(args.runs)]
        browser_s = statistics.median(samples)
        print(f"implan in a terminal, first frame (demo plans)   {terminal * 1000:6.0f} ms")
        print(f"implan in the browser, page opened to the list   {browser_s * 1000:6.0f} ms  "
              f"({browser_s / terminal:.1f}× the terminal; min {min(samples) * 1000:.0f}, "
              f"max {max(samples) * 1000:.0f})")
        print(f"server and headless Chromium started             {chromium_start * 1000:6.0f} ms (not in the above)")


if __name__ == "__main__":
    main()
