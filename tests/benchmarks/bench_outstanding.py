"""Scale benchmark for following up: 200 plans with 10 000 initiatives. Prints figures.

    python -m tests.benchmarks.bench_outstanding [--plans 200] [--per-plan 50]

Measures: reading the plans, building the outstanding view, filtering it as a user types,
rendering the Udestående screen and re-rendering it after a keystroke, and the CLI's wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from tests.benchmarks.bench_startup import wall

TODAY = date(2027, 3, 1)
PEOPLE = ["Line Bach", "Jonas Kruse", "Mette Holm", "Ali Hassan", "Sara Lund", "Kim Sørensen", "Rikke Juhl"]


def build_database(path: Path, plans: int, per_plan: int) -> int:
    from tui.core.plan import Plan, new_plan_data
    from tui.core.templates import load_library
    from tui.store.json_storage import AtomicJSONStorage
    from tui.store.plan_store import SCHEMA_VERSION

    rng = random.Random(7)
    template = load_library().get("barnets-lov")
    documents = {}
    count = 0
    for n in range(plans):
        plan = Plan(new_plan_data(template, f"Plan {n:03d} – {rng.choice(['Nord', 'Syd', 'Øst', 'Vest'])}",
                                  "Benchkommune"), template)
        sections = plan.sections()
        for k in range(per_plan):
            item = plan.add_item(sections[k % len(sections)].id, f"Udviklingsaktivitet {k} i plan {n}")
            deadline = TODAY + timedelta(days=rng.randint(-120, 300))
            plan.set_value(item, "ansvarlige", rng.choice(PEOPLE))
            plan.set_value(item, "maal-dato", deadline.isoformat())
            plan.set_value(item, "status", rng.choice(["ikke-startet", "i-gang", "i-gang", "gennemfoert"]))
            plan.set_value(item, "milepaele", [
                {"date": (deadline - timedelta(days=30 * m)).isoformat(), "text": f"Milepæl {m}",
                 "done": rng.random() < 0.5} for m in range(3)])
            count += 1
        plan.data["revision"] = 1
        documents[str(n + 1)] = plan.data
    AtomicJSONStorage(path).write({"meta": {"1": {"schema_version": SCHEMA_VERSION}}, "plans": documents})
    return count


def timed(func, runs: int = 3):
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


async def screen_figures(db: Path) -> tuple[float, float, int]:
    from tui.app.app import ImplanApp
    from tui.app.screens.outstanding import OutstandingScreen

    app = ImplanApp(db, today=TODAY)
    async with app.run_test(size=(140, 42)) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        await pilot.press("u")
        while not isinstance(app.screen, OutstandingScreen) or not app.screen._rows:
            await pilot.pause(0.01)
        opened = time.perf_counter() - started
        screen = app.screen
        times = []
        for query in ("l", "li", "lin", "line", "line b"):
            screen.query_one("#filter").value = query
            started = time.perf_counter()
            screen.render_rows()
            await pilot.pause()
            times.append(time.perf_counter() - started)
        return opened, statistics.median(times), len(screen._rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--per-plan", type=int, default=50)
    args = parser.parse_args()
    from tui.core import followup
    from tui.core.workspace import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.json"
        started = time.perf_counter()
        count = build_database(db, args.plans, args.per_plan)
        print(f"database: {args.plans} plans, {count} initiatives, {db.stat().st_size / 1e6:.1f} MB "
              f"(built in {time.perf_counter() - started:.1f} s)")
        ws = Workspace.open(db)
        read, plans = timed(ws.plans)
        print(f"read and wrap the plans          {read * 1000:8.0f} ms")
        build, view = timed(lambda: followup.build_outstanding(plans, TODAY))
        print(f"build the outstanding view       {build * 1000:8.0f} ms  ({len(view.entries)} rows)")
        for query in ("line", "plan 150", "milepæl nord"):
            filtering, shown = timed(lambda q=query: followup.select(view, query=q, today=TODAY), runs=5)
            print(f"filter »{query}«{' ' * (17 - len(query))}{filtering * 1000:8.1f} ms  ({len(shown.entries)} rows)")
        opened, keystroke, rows = asyncio.run(screen_figures(db))
        print(f"open the Udestående screen       {opened * 1000:8.0f} ms  ({rows} table rows)")
        print(f"re-render after a keystroke      {keystroke * 1000:8.0f} ms  (median of 5)")
        env = dict(os.environ, IMPLAN_DB=str(db))
        for cmd in (["outstanding", "--today", "01-03-2027"], ["outstanding", "--overdue", "--today", "01-03-2027"],
                    ["outstanding", "--format", "json", "--today", "01-03-2027"]):
            print(f"implan {' '.join(cmd):<40}{wall(cmd, env, 3)[0] * 1000:8.0f} ms wall")


if __name__ == "__main__":
    main()
