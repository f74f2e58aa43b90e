"""Kill a saving child with SIGKILL many times; check the database after every kill.

Shared by the test suite (a few trials) and tests/benchmarks/bench_storage.py (hundreds).
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tui.store import PlanStore

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class TrialResult:
    trials: int = 0
    acknowledged: int = 0
    damaged: int = 0
    lost: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


def saver_command(db: Path, plan_id: str, mode: str, count: int | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "tests.helpers.saver", str(db), plan_id, mode]
    if count is not None:
        cmd.append(str(count))
    return cmd


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run_kill_trials(folder: Path, trials: int, seed: int = 1, max_delay: float = 0.05) -> TrialResult:
    rng = random.Random(seed)
    db = folder / "crash.json"
    store = PlanStore.open(db)
    store.add_plan({"id": "p", "title": "Kill test", "answers": {}})
    result = TrialResult()
    started = time.monotonic()
    for trial in range(trials):
        child = subprocess.Popen(saver_command(db, "p", "counter"), stdout=subprocess.PIPE, cwd=ROOT,
                                 env=child_env())
        acked = 0
        buffer = b""
        deadline = None
        kill_after = rng.uniform(0, max_delay)
        while True:
            ready, _, _ = select.select([child.stdout], [], [], 0.005)
            if ready:
                chunk = os.read(child.stdout.fileno(), 65536)
                if not chunk:
                    break
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                if lines:
                    acked = int(lines[-1])
                    if deadline is None:
                        deadline = time.monotonic() + kill_after
            if deadline is not None and time.monotonic() >= deadline:
                break
            if time.monotonic() - started > 600:
                break
        child.send_signal(signal.SIGKILL)
        # Acknowledgements already written before the kill still count.
        rest = child.stdout.read()
        child.wait()
        lines = (buffer + rest).split(b"\n")
        for line in lines:
            if line.strip():
                acked = max(acked, int(line))
        result.trials += 1
        result.acknowledged = max(result.acknowledged, acked)
        try:
            PlanStore.open(db)
            stored = PlanStore(db).get_plan("p")["answers"].get("counter", {}).get("n", 0)
        except Exception as exc:
            result.damaged += 1
            result.failures.append(f"trial {trial}: {type(exc).__name__}: {exc}")
            break
        if stored < acked:
            result.lost += 1
            result.failures.append(f"trial {trial}: acknowledged {acked}, stored {stored}")
    result.seconds = time.monotonic() - started
    return result
