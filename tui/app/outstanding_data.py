"""Udestående's data: every plan's outstanding initiatives from the rows kept beside the database
(Workspace.cached_outstanding): about 0.1 s at 10 000 initiatives, where building them from the
plans takes 0.6 s. The plan list brings those rows up to date just after its first frame, so
the first `u` on a database (or after another program changed it) need not make them."""

from __future__ import annotations

import contextlib
import threading
from datetime import date

from tui.app.memory import long_lived
from tui.core import followup
from tui.core.enums import Sort
from tui.core.plan import Plan
from tui.core.summaries import rows_complete
from tui.core.workspace import Workspace

Read = tuple[list[Plan], followup.Outstanding]
_warming: threading.Thread | None = None  # warm()'s thread, while it runs


def read_all(workspace: Workspace, today: date, sort: str = Sort.DEADLINE, plan_id: str | None = None) -> Read:
    """In a thread: the outstanding view of one plan (with the plan) or of all (from the rows kept
    beside the database; the plans themselves are read when an action needs one), sorted and its
    search texts made, so the first keystroke in the filter does not make them."""
    with long_lived():
        if plan_id:
            plans = [workspace.get(plan_id)]
            view = followup.build_outstanding(plans, today)
        else:
            plans = []
            warming = _warming
            if warming is not None:  # it is making the rows: two writers would undo each other's
                warming.join()
            view = workspace.cached_outstanding(today) or followup.build_outstanding(workspace.plans(), today)
        view.sorted_entries(sort)
        for entry in view.entries:
            entry.search_text()
    return plans, view


def warm(workspace: Workspace) -> None:
    """In a thread of its own and a Workspace of its own: make the rows of the plans that have
    none (all of them the first time; afterwards only those changed since), keeping nothing.
    Nothing at all when the cache the list was read from has them all (the usual case)."""
    doc = workspace.summary_doc
    if doc is not None and rows_complete(doc, workspace.store.path):
        return

    global _warming

    def run() -> None:
        global _warming
        try:
            with contextlib.suppress(Exception):  # only a shortcut: Udestående makes them if need be
                # (Its own templates: the cache is only kept for the library implan loads itself.)
                Workspace.open(workspace.store.path).refresh_rows()
        finally:
            _warming = None

    if _warming is None:
        _warming = threading.Thread(target=run, name="implan-rows", daemon=True)
        _warming.start()
