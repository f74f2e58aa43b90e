"""Daily-use benchmark (issue 11): implan against a bare Textual app, measured in the same run.

    python -m tests.benchmarks.bench_daily [--baseline REF] [--runs 5] [--quick]

Every figure is wall time as a user meets it: implan started in a real pseudo-terminal, keys
written to it, the time taken until the screen shows (or stops changing). Ratios are to the
first frame of a bare Textual app (Header + Static + Footer) started the same way in this run.
With --baseline, the same rows are measured for that git revision too (checked out into /tmp),
so the table shows the figure before and after a change side by side.

Nothing here asserts: it prints. Timing goals are read off the table, not tested.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import pty
import random
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BARE_APP = '''
from textual.app import App
from textual.widgets import Footer, Header, Static

class Bare(App):
    def compose(self):
        yield Header()
        yield Static("Klar til brug")
        yield Footer()

Bare().run()
'''
# For the rows that wait until the screen stops changing: a blinking cursor changes it twice a
# second. Loaded as sitecustomize (before implan) in those runs only, for every version alike.
STEADY_CURSOR = """
import textual.widgets._input, textual.widgets._text_area
textual.widgets._input.Input.cursor_blink._default = False
textual.widgets._text_area.TextArea.cursor_blink._default = False
"""
_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Za-z0-9]|\x1b[=>78]")
BIG_CHUNK = 256  # output smaller than this is a blinking cursor or a clock, not the screen changing


def visible(raw: bytes) -> str:
    return _ESCAPES.sub(b"", raw).decode("utf-8", "replace")


class Terminal:
    """A program in a real pty of a given size, read without blocking."""

    def __init__(self, argv: list[str], cwd: Path, env: dict[str, str], size: tuple[int, int] = (120, 40)) -> None:
        columns, rows = size
        self.fd, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(argv, cwd=cwd, env=dict(env, TERM="xterm-256color"), stdin=slave,
                                        stdout=slave, stderr=slave, start_new_session=True, close_fds=True)
        os.close(slave)
        self.seen = b""

    def read(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0))
        if not ready:
            return b""
        try:
            chunk = os.read(self.fd, 1 << 16)
        except OSError:
            return b""
        self.seen += chunk
        return chunk

    def wait_for(self, text: str, since: int = 0, limit: float = 60.0) -> float:
        """Seconds until `text` is on screen (in what was written after byte `since`)."""
        started = time.perf_counter()
        while time.perf_counter() - started < limit:
            self.read(0.05)
            if text in visible(self.seen[since:]):
                return time.perf_counter()
        raise TimeoutError(f"»{text}« did not show within {limit} s")

    def settle(self, quiet: float = 1.0, limit: float = 60.0) -> float:
        """The time of the last big chunk of output before `quiet` seconds without one (waiting
        up to `limit` for the first: a screen may take longer than `quiet` to show at all)."""
        end = time.perf_counter() + limit
        last = None
        while time.perf_counter() < end and (last is None or time.perf_counter() - last < quiet):
            if len(self.read(0.05)) >= BIG_CHUNK:
                last = time.perf_counter()
        return last if last is not None else time.perf_counter()

    def send(self, keys: str) -> float:
        os.write(self.fd, keys.encode())
        return time.perf_counter()

    def rss_mb(self) -> float:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        os.close(self.fd)


@dataclass
class Tree:
    """One checkout of implan to measure: the current one, or a baseline revision."""

    name: str
    root: Path
    home: Path
    env: dict[str, str] = field(default_factory=dict)
    steady_env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.env = dict(os.environ, PYTHONPATH=str(self.root), HOME=str(self.home),
                        XDG_DATA_HOME=str(self.home / "data"), XDG_CONFIG_HOME=str(self.home / "config"),
                        XDG_STATE_HOME=str(self.home / "state"), XDG_CACHE_HOME=str(self.home / "cache"))
        self.env.pop("NO_COLOR", None)
        # Bytecode cached as on a user's machine (a sandbox may turn it off: then every start compiles).
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.env["PYTHONPYCACHEPREFIX"] = str(self.home / "pycache")

        steady = self.home / "steady"
        steady.mkdir(parents=True, exist_ok=True)
        (steady / "sitecustomize.py").write_text(STEADY_CURSOR, encoding="utf-8")
        self.steady_env = dict(self.env, PYTHONPATH=f"{self.root}{os.pathsep}{steady}")

    def implan(self, db: Path, *args: str) -> list[str]:
        return [sys.executable, "-m", "tui", "--db", str(db), *args]

    def run(self, db: Path, *args: str) -> float:
        started = time.perf_counter()
        subprocess.run(self.implan(db, *args), cwd=self.root, env=self.env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=True)
        return time.perf_counter() - started


def median(samples: list[float]) -> float:
    return statistics.median(samples) if samples else float("nan")


def p90(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=10)[-1] if len(samples) >= 2 else median(samples)


# -- the databases ---------------------------------------------------------------------------------
def demo_records(folder: Path) -> list[dict]:
    """The sample plans as `implan demo` stores them (dates moved to today)."""
    db = folder / "demo-source.json"
    subprocess.run([sys.executable, "-m", "tui", "--db", str(db), "demo"], cwd=ROOT,
                   env=dict(os.environ, PYTHONPATH=str(ROOT)), check=True, capture_output=True)
    plans = json.loads(db.read_text(encoding="utf-8"))["plans"]
    return sorted(plans.values(), key=lambda p: p["created"])


def write_database(path: Path, records: list[dict]) -> Path:
    """A TinyDB file as implan wrote it before issue 11 (indent=1), which every version reads."""
    documents = {str(n): record for n, record in enumerate(records, start=1)}
    path.write_text(json.dumps({"meta": {"1": {"schema_version": 2}}, "plans": documents},
                               ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def cloned(records: list[dict], count: int) -> list[dict]:
    rng = random.Random(count)
    out = []
    for n in range(count):
        record = json.loads(json.dumps(records[n % len(records)]))
        record["id"] = f"{rng.getrandbits(128):032x}"
        record["title"] = f"{record['title']} {n + 1:04d}"
        record["created"] = f"2026-01-01T00:00:00.{n:06d}Z"
        out.append(record)
    return out


def initiative_database(path: Path, plans: int, per_plan: int) -> int:
    from tests.benchmarks.bench_outstanding import build_database

    return build_database(path, plans, per_plan)


@dataclass
class Databases:
    folder: Path
    demo: list[dict]
    files: dict[str, Path] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def build(self, quick: bool) -> None:
        self.files["demo"] = write_database(self.folder / "demo.json", self.demo)
        for count in (10, 100) if quick else (10, 100, 1000):
            self.files[f"{count}"] = write_database(self.folder / f"plans-{count}.json", cloned(self.demo, count))
        initiatives = initiative_database(self.folder / "plans-200.json", 200, 50)
        self.files["200"] = self.folder / "plans-200.json"
        self.notes["200"] = f"{initiatives} initiatives"
        for record in self.demo:
            self.files[record["template"]["id"]] = write_database(
                self.folder / f"one-{record['template']['id']}.json", [record])
        for name, path in self.files.items():
            self.notes.setdefault(name, f"{path.stat().st_size / 1e6:.1f} MB")

    def copy_for(self, tree: Tree, name: str) -> Path:
        """A fresh copy of a database for one tree (each version writes its own backups, caches)."""
        target = tree.home / "db" / f"{name}.json"
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.files[name], target)
        return target


# -- what is measured --------------------------------------------------------------------------------
def first_frame(argv: list[str], cwd: Path, env: dict[str, str], marker: str) -> tuple[float, float]:
    """Seconds from start until `marker` is on screen, and the process's RSS (MB) then."""
    term = Terminal(argv, cwd, env)
    try:
        shown = term.wait_for(marker) - term.started
        return shown, term.rss_mb()
    finally:
        term.close()


class BareApp:
    """The yardstick: measured again beside each row, so a busy machine slows both alike."""

    def __init__(self, folder: Path) -> None:
        self.script = folder / "bare.py"
        self.script.write_text(BARE_APP, encoding="utf-8")
        self.samples: list[tuple[float, float]] = []

    def first_frame(self, runs: int) -> tuple[float, float]:
        """Median seconds to the first frame and RSS (MB) of `runs` starts (after one unmeasured)."""
        argv = [sys.executable, str(self.script)]
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(self.script.parent / "pycache")
        samples = [first_frame(argv, self.script.parent, env, "Klar til brug")
                   for _ in range(runs + 1)][1:]
        self.samples += samples
        return median([s for s, _ in samples]), median([r for _, r in samples])


def home_first_frame(tree: Tree, db: Path, marker: str, runs: int) -> tuple[float, float]:
    """The first run after a copy builds caches a later start finds: it is not counted."""
    samples = [first_frame(tree.implan(db), tree.root, tree.env, marker) for _ in range(runs + 1)][1:]
    return median([s for s, _ in samples]), median([r for _, r in samples])


def open_plan_settled(tree: Tree, db: Path, marker: str, runs: int) -> float:
    """Enter on the (only) plan in the list until the wizard's first section stops changing."""
    samples = []
    for _ in range(runs):
        term = Terminal(tree.implan(db), tree.root, tree.steady_env)
        try:
            term.wait_for(marker)
            term.settle(quiet=0.5)
            pressed = term.send("\r")
            samples.append(term.settle() - pressed)
        finally:
            term.close()
    return median(samples)


def outstanding_screen(tree: Tree, db: Path, marker: str, runs: int) -> tuple[float, float]:
    """`u` on home until the Udestående rows stop changing; then one filter keystroke's result.
    The first run after a copy makes the rows kept beside the database that a later start finds
    (as home's first run makes its caches): it is not counted."""
    opened, keystrokes = [], []
    for run in range(runs + 1):
        if run == 1:
            opened, keystrokes = [], []
        term = Terminal(tree.implan(db), tree.root, tree.steady_env)
        try:
            term.wait_for(marker)
            term.settle(quiet=0.5)
            pressed = term.send("u")
            opened.append(term.settle() - pressed)
            term.send("/")
            term.settle(quiet=0.5)
            for key in ("1", "7", "\x7f", "9"):  # each changes which rows match
                pressed = term.send(key)
                keystrokes.append(term.settle(quiet=0.6, limit=10) - pressed)
        finally:
            term.close()
    return median(opened), median(keystrokes)


def echo_latencies(tree: Tree, db: Path, marker: str, cycles: int) -> tuple[list[float], list[float]]:
    """Keystroke echo in the wizard's first field: (while no save runs, while an autosave runs).

    One key, then a pause just past the autosave's idle time so a save starts, then a burst of
    keys at 30 ms (echoed during the save); after a rest, a burst with no save running."""
    idle, saving = [], []
    term = Terminal(tree.implan(db), tree.root, tree.steady_env)
    try:
        term.wait_for(marker)
        term.settle(quiet=0.5)
        term.send("\r")
        term.settle()
        typed = ""
        for cycle in range(cycles):
            for burst, into in (("save", saving), ("idle", idle)):
                if burst == "save":
                    typed += _type(term, "q", typed)[0]
                    time.sleep(0.75)
                for n in range(15):
                    key = "abcdefghijklmnoprstuvwxyz"[(cycle * 7 + n) % 25]
                    typed, latency = _type(term, key, typed)
                    into.append(latency)
                    time.sleep(0.03)
                term.settle(quiet=3.0, limit=15)
    finally:
        term.close()
    return idle, saving


def _type(term: Terminal, key: str, typed: str) -> tuple[str, float]:
    """Type one key; seconds until the last four characters typed are on screen."""
    typed += key
    since = len(term.seen)
    pressed = term.send(key)
    try:
        return typed, term.wait_for(typed[-4:], since=since, limit=5) - pressed
    except TimeoutError:
        return typed, 5.0


def one_save(tree: Tree, db: Path, runs: int) -> float:
    """Seconds for one autosave of the first plan (the store call the autosaver makes)."""
    code = (
        "import copy, statistics, sys, time\nfrom pathlib import Path\n"
        "from tui.core.workspace import Workspace\n"
        "ws = Workspace.open(Path(sys.argv[1]), write=True)\n"
        "base = ws.store.get_plan(ws.plans()[0].id)\ntimes = []\n"
        "for n in range(int(sys.argv[2])):\n"
        "    mine = copy.deepcopy(base); mine['title'] = base['title'] + f' {n}'\n"
        "    started = time.perf_counter(); base, _ = ws.save_edits(base, mine)\n"
        "    times.append(time.perf_counter() - started)\n"
        "print(statistics.median(times))\n")
    result = subprocess.run([sys.executable, "-c", code, str(db), str(runs)], cwd=tree.root, env=tree.env,
                            capture_output=True, text=True, check=True)
    return float(result.stdout.strip().splitlines()[-1])


def backups_after_changes(tree: Tree, db: Path, changes: int) -> tuple[int, float]:
    """Backups kept after `changes` launches that each change a plan: (count, MB on disk)."""
    plan = json.loads(db.read_text(encoding="utf-8"))["plans"]["1"]["id"]
    for n in range(changes):
        tree.run(db, "meeting", plan[:8], "--note", f"Møde {n}")
    folder = db.with_name(db.name + ".backups")
    files = [p for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []
    return len(files), sum(p.stat().st_size for p in files) / 1e6


def cli_median(tree: Tree, db: Path, args: list[str], runs: int) -> float:
    tree.run(db, *args)  # warm: caches a first call leaves behind
    return median([tree.run(db, *args) for _ in range(runs)])


def python_pass(runs: int, env: dict[str, str]) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
        samples.append(time.perf_counter() - started)
    return median(samples)


# -- the table ---------------------------------------------------------------------------------------
@dataclass
class Row:
    what: str
    goal: str
    figures: dict[str, str] = field(default_factory=dict)


def marker_of(db: Path) -> str:
    """Text of the first row of home's list: words of the oldest plan's title (not the first
    word, which may be "Implementering…", as in the header's "Implementeringsplaner")."""
    plans = json.loads(db.read_text(encoding="utf-8"))["plans"].values()
    return " ".join(min(plans, key=lambda p: p["created"])["title"].split()[1:4])


def measure(tree: Tree, data: Databases, bare: BareApp, runs: int, quick: bool) -> dict[str, str]:
    """Every row's figure for one tree, keyed by the row's label."""
    out: dict[str, str] = {}
    for name, label in (("demo", "home, 4 demo plans"), ("100", "home, 100 plans"),
                        ("200", "home, 200 plans / 10 000 initiatives"), ("1000", "home, 1000 plans")):
        if name in data.files:
            db = data.copy_for(tree, name)
            bare_s, bare_rss = bare.first_frame(runs)
            seconds, rss = home_first_frame(tree, db, marker_of(db), runs)
            out[label] = f"{seconds / bare_s:.1f}× ({seconds * 1000:.0f} ms)"
            if name == "1000":
                out["RSS at 1000 plans"] = f"{rss / bare_rss:.1f}× ({rss:.0f} MB)"
    for record in data.demo:
        template = record["template"]["id"]
        db = data.copy_for(tree, template)
        bare_s, _ = bare.first_frame(runs)
        seconds = open_plan_settled(tree, db, marker_of(db), runs)
        out[f"Enter → section settled, {template}"] = f"{seconds / bare_s:.1f}× ({seconds * 1000:.0f} ms)"
    db = data.copy_for(tree, "200")
    opened, keystroke = outstanding_screen(tree, db, marker_of(db), max(1, runs // 2))
    out["Udestående 10 000: rows / filter key"] = f"{opened * 1000:.0f} ms / {keystroke * 1000:.0f} ms"
    out.update(save_figures(tree, data, quick))
    out.update(cli_figures(tree, data, runs))
    return out


def save_figures(tree: Tree, data: Databases, quick: bool) -> dict[str, str]:
    out: dict[str, str] = {}
    largest = "100" if quick else "1000"
    out[f"one autosave, {largest} plans"] = f"{one_save(tree, data.copy_for(tree, largest), 3) * 1000:.0f} ms"
    for name in ("demo", "100", largest):
        db = data.copy_for(tree, name)
        idle, saving = echo_latencies(tree, db, marker_of(db), cycles=3)
        out[f"echo p90 during a save / idle, {name}"] = \
            f"{p90(saving) / p90(idle):.1f}× ({p90(saving) * 1000:.0f} / {p90(idle) * 1000:.0f} ms)"
    count, megabytes = backups_after_changes(tree, data.copy_for(tree, largest), 10)
    out[f"backups after 10 changed launches, {largest}"] = f"{count} files, {megabytes:.0f} MB"
    return out


def one_plan_outstanding(tree: Tree, db: Path, runs: int) -> float:
    """`implan outstanding --plan` for the fifth plan of the database (by its id's first 8)."""
    plan = json.loads(db.read_text(encoding="utf-8"))["plans"]["5"]["id"][:8]
    return cli_median(tree, db, ["outstanding", "--plan", plan], runs)


def cli_figures(tree: Tree, data: Databases, runs: int) -> dict[str, str]:
    out: dict[str, str] = {}
    largest = "1000" if "1000" in data.files else "100"
    for command in (["list"], ["outstanding"]):
        small = cli_median(tree, data.copy_for(tree, "10"), command, runs)
        large = cli_median(tree, data.copy_for(tree, largest), command, runs)
        out[f"implan {command[0]}, {largest} vs 10 plans"] = \
            f"{large / small:.1f}× ({large * 1000:.0f} / {small * 1000:.0f} ms)"
    # Linear in its output: one plan's outstanding costs as much among 1000 plans as among 10.
    small, large = (one_plan_outstanding(tree, data.copy_for(tree, name), runs) for name in ("10", largest))
    out[f"implan outstanding --plan X, {largest} vs 10 plans"] = \
        f"{large / small:.1f}× ({large * 1000:.0f} / {small * 1000:.0f} ms)"
    bare_python = python_pass(runs, tree.env)
    for command in (["list"], ["outstanding"]):
        seconds = cli_median(tree, data.copy_for(tree, "demo"), command, runs)
        out[f"implan {command[0]}, demo plans vs python -c pass"] = \
            f"{seconds / bare_python:.1f}× ({seconds * 1000:.0f} ms; pass {bare_python * 1000:.0f} ms)"
    return out


GOALS = {  # the first key found in a row's label gives its goal
    "demo plans vs python -c pass": "≤ 4×",
    "home, 4 demo plans": "≤ 1.3×", "home, 100 plans": "≤ 1.5×",
    "home, 200 plans / 10 000 initiatives": "≤ 2×", "home, 1000 plans": "≤ 2.5×", "RSS at 1000 plans": "≤ 2×",
    "Enter → section settled": "≤ 2.5×", "Udestående 10 000: rows / filter key": "≤ 500 / ≤ 100 ms",
    "one autosave": "(no goal; echo below)", "echo p90 during a save / idle": "≤ 1.5×",
    "backups after 10 changed launches": "bounded", "implan list, ": "≤ 2×", "implan outstanding, 1": "linear in output",
    "implan outstanding --plan X": "≈ 1× (linear in output)",
}


def goal_of(label: str) -> str:
    return next((goal for key, goal in GOALS.items() if key in label), "")


def checkout(ref: str, folder: Path) -> Path:
    """The baseline revision's files (not a worktree: nothing of git's state changes)."""
    target = folder / "baseline"
    target.mkdir()
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def print_table(trees: list[Tree], results: dict[str, dict[str, str]], bare: BareApp) -> None:
    labels = list(next(iter(results.values())))
    width = max(len(label) for label in labels) + 2
    seconds, rss = median([s for s, _ in bare.samples]), median([r for _, r in bare.samples])
    print(f"\nbare Textual app first frame: {seconds * 1000:.0f} ms, RSS {rss:.0f} MB (median of "
          f"{len(bare.samples)}, measured beside each row; ratios are to the row's own)\n")
    print(f"{'what':<{width}}" + "".join(f"{t.name:<34}" for t in trees) + "goal")
    for label in labels:
        cells = "".join(f"{results[t.name].get(label, '–'):<34}" for t in trees)
        print(f"{label:<{width}}{cells}{goal_of(label)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="a git revision to measure beside this checkout (e.g. 871bfc2)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="no 1000-plan database (a few minutes less)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="implan-bench-") as tmp:
        folder = Path(tmp)
        data = Databases(folder / "databases", [])
        data.folder.mkdir()
        data.demo = demo_records(folder)
        data.build(args.quick)
        print("databases: " + ", ".join(f"{name} ({note})" for name, note in data.notes.items()))
        trees = [Tree("new (this checkout)", ROOT, folder / "home-new")]
        if args.baseline:
            trees.insert(0, Tree(f"today ({args.baseline})", checkout(args.baseline, folder), folder / "home-base"))
        bare = BareApp(folder)
        results = {}
        for tree in trees:
            tree.home.mkdir(exist_ok=True)
            print(f"measuring {tree.name} …", flush=True)
            results[tree.name] = measure(tree, data, bare, args.runs, args.quick)
        print_table(trees, results, bare)


if __name__ == "__main__":
    main()
