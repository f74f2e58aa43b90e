"""Storage benchmark: SIGKILL a saving process many times; run concurrent writers. Prints figures.

    python -m tests.benchmarks.bench_storage [--trials 200] [--writers 2] [--updates 200]
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from pathlib import Path

from tests.helpers.kill_trials import ROOT, child_env, run_kill_trials, saver_command
from tui.store import PlanStore


def concurrency(folder: Path, writers: int, updates: int) -> tuple[int, int, float]:
    db = folder / "concurrent.json"
    PlanStore.open(db).add_plan({"id": "p", "title": "Concurrency", "answers": {}})
    started = time.monotonic()
    children = [subprocess.Popen(saver_command(db, "p", f"append:w{n}", updates), cwd=ROOT, env=child_env(),
                                 stdout=subprocess.DEVNULL) for n in range(writers)]
    for child in children:
        child.wait()
    elapsed = time.monotonic() - started
    stored = len(PlanStore(db).get_plan("p")["history"])
    return writers * updates, stored, elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--updates", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result = run_kill_trials(Path(tmp), args.trials, seed=2026)
        print(f"kill trials:           {result.trials}")
        print(f"saves acknowledged:    {result.acknowledged}")
        print(f"damaged files:         {result.damaged}")
        print(f"lost acknowledged:     {result.lost}")
        print(f"time:                  {result.seconds:.1f} s")
        for failure in result.failures[:10]:
            print(f"  FAIL {failure}")
        expected, stored, elapsed = concurrency(Path(tmp), args.writers, args.updates)
        print(f"concurrent writers:    {args.writers} x {args.updates} updates")
        print(f"updates stored:        {stored} of {expected} ({expected - stored} lost)")
        print(f"time:                  {elapsed:.1f} s ({expected / elapsed:.0f} updates/s)")


if __name__ == "__main__":
    main()
