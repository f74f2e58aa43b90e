"""Start-up benchmark: wall time of CLI calls on a database with the demo plans. Prints figures.

    python -m tests.benchmarks.bench_startup [--runs 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def wall(args: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "tui", *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, IMPLAN_DB=str(Path(tmp) / "bench.json"))
        subprocess.run([sys.executable, "-m", "tui", "demo"], cwd=ROOT, env=env, check=True,
                       stderr=subprocess.DEVNULL)
        baseline = wall(["--version"], env, args.runs)
        print(f"{'command':<28}{'median':>10}{'max':>10}")
        for cmd in (["--help"], ["--version"], ["templates"], ["list"], ["outstanding"]):
            median, worst = wall(cmd, env, args.runs)
            print(f"implan {' '.join(cmd):<21}{median * 1000:>8.0f}ms{worst * 1000:>8.0f}ms")
        print(f"(python start-up alone is part of every figure; --version median {baseline[0] * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
