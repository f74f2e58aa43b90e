"""Child process for the crash and concurrency tests: saves in a loop, acknowledging each save.

    python -m tests.helpers.saver DB PLAN_ID MODE [COUNT]

MODE "counter": set the plan's counter to 1, 2, 3 ... and print each number once it is saved.
MODE "append:NAME": append NAME-i to the plan's log COUNT times (concurrency test).
"""

from __future__ import annotations

import sys
from pathlib import Path

from tui.store import PlanStore


def main() -> int:
    db, plan_id, mode = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 10**9
    store = PlanStore(db, lock_timeout=60)
    if mode == "counter":
        start = store.get_plan(plan_id)["answers"].get("counter", {}).get("n", 0)
        for n in range(start + 1, start + 1 + count):
            store.update_plan(plan_id, lambda p, n=n: p["answers"].__setitem__("counter", {"n": n}))
            print(n, flush=True)
    elif mode.startswith("append:"):
        name = mode.split(":", 1)[1]
        for i in range(count):
            store.update_plan(plan_id, lambda p, i=i: p.setdefault("history", []).append({"who": name, "i": i}))
        print("done", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
