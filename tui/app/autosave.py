"""Autosave: a short idle pause after typing, on leaving a field, on section change and on quit.

Saving runs in a worker thread on a snapshot of the plan, so typing never waits for the disk.
"""

from __future__ import annotations

import copy
import threading
from datetime import datetime
from typing import Callable

from tui.core.plan import Plan
from tui.core.workspace import Workspace
from tui.store import StoreError

IDLE_SECONDS = 0.7


class Autosaver:
    def __init__(self, workspace: Workspace, plan: Plan, on_saved: Callable[[str], None],
                 on_error: Callable[[str], None]) -> None:
        self.workspace = workspace
        self.plan = plan
        self.on_saved = on_saved
        self.on_error = on_error
        self.dirty = False
        self.revision = plan.data.get("revision")
        self._lock = threading.RLock()  # one save at a time, in order

    def mark_dirty(self) -> None:
        self.dirty = True

    def snapshot(self) -> dict | None:
        """Take what to save (on the UI thread); None when nothing changed."""
        if not self.dirty:
            return None
        self.dirty = False
        return copy.deepcopy(self.plan.data)

    def save(self, data: dict) -> bool:
        """Write a snapshot; safe to call from a worker thread."""
        with self._lock:
            try:
                stored = self.workspace.save_data(data, expected_revision=self.revision)
            except StoreError as exc:
                self.dirty = True  # keep trying: nothing typed is dropped
                self.on_error(str(exc))
                return False
            self.revision = stored["revision"]
            self.plan.data["revision"] = stored["revision"]
            self.plan.data["updated"] = stored["updated"]
        self.on_saved(datetime.now().strftime("%H:%M:%S"))
        return True

    def save_now(self) -> bool:
        """Synchronous save (quit, leaving the plan)."""
        with self._lock:  # a save still running in the background finishes first
            data = self.snapshot()
            return True if data is None else self.save(data)
