"""Autosave: a short idle pause after typing, on leaving a field, on section change and on quit.

Saving runs in a worker thread on a snapshot of the plan, so typing never waits for the disk.
The thread only writes; what the store hands back (the merged plan) is applied on the event loop.
A save never fails because the plan was changed elsewhere: the fields changed here are laid over
the stored plan (tui.core.merge). What cannot be saved at all goes to a recovery file.
"""

from __future__ import annotations

import copy
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from tui.core.merge import changed_paths, merge_plan
from tui.core.plan import Plan
from tui.core.workspace import Workspace
from tui.store import StoreError
from tui.store.errors import PlanNotFound
from tui.store.recovery import write_recovery

IDLE_SECONDS = 0.7


@dataclass(frozen=True)
class Snapshot:
    base: dict[str, Any]  # the stored version the editor's changes are measured against
    data: dict[str, Any]  # the editor's plan when the snapshot was taken
    number: int = 0  # the how-manieth snapshot (0: not one of the autosaver's own)


@dataclass(frozen=True)
class Saved:
    snapshot: Snapshot
    stored: dict[str, Any]
    conflicts: list[str] = field(default_factory=list)
    when: str = ""


class Autosaver:
    def __init__(self, workspace: Workspace, plan: Plan) -> None:
        self.workspace = workspace
        self.plan = plan
        self.dirty = False
        self.base = copy.deepcopy(plan.data)
        self.last_error: str | None = None
        # Snapshots taken and written, counted: a snapshot handed to a worker that has not run yet
        # is not on disk, and quitting must not take "nothing dirty" for "all saved".
        self._taken = 0
        self._written = 0
        self._lock = threading.RLock()  # one save at a time, in order

    def mark_dirty(self) -> None:
        self.dirty = True

    def snapshot(self) -> Snapshot | None:
        """Take what to save (on the event loop); None when nothing changed."""
        if not self.dirty:
            return None
        self.dirty = False
        self._taken += 1
        return Snapshot(self.base, copy.deepcopy(self.plan.data), self._taken)

    def write(self, snapshot: Snapshot) -> Saved | None:
        """Write a snapshot; safe to call from a worker thread. Touches nothing the loop reads."""
        with self._lock:
            try:
                stored, conflicts = self.workspace.save_edits(snapshot.base, snapshot.data)
            except PlanNotFound:
                self.dirty = True
                self.last_error = ("planen findes ikke længere i databasen (den er slettet, eller en ældre "
                                   "sikkerhedskopi er gendannet).")
                return None
            except (StoreError, OSError) as exc:
                self.dirty = True  # keep trying: nothing typed is dropped
                self.last_error = str(exc) if isinstance(exc, StoreError) else f"filfejl ({exc.strerror or exc})."
                return None
            self.last_error = None
            self._written = max(self._written, snapshot.number)
            return Saved(snapshot, stored, conflicts, datetime.now().strftime("%H:%M:%S"))

    def apply(self, saved: Saved) -> set[tuple[str, ...]]:
        """On the event loop: take in what the store now holds, keeping whatever was typed since
        the snapshot. Returns the fields that changed here because they were changed elsewhere."""
        before = self.plan.data
        merged, _ = merge_plan(saved.snapshot.data, before, saved.stored)
        if saved.stored.get("revision", 0) >= self.base.get("revision", 0):  # a late, older result: skip
            self.base = copy.deepcopy(saved.stored)
        self.plan.data = merged
        return changed_paths(before, merged)

    def take_in(self, stored: dict[str, Any]) -> set[tuple[str, ...]]:
        """The plan as stored now (read back after the outstanding screen saved to it)."""
        return self.apply(Saved(Snapshot(self.base, self.base), stored))

    def save_now(self) -> bool:
        """Synchronous save (quit, leaving the plan), applied at once; False when it failed."""
        with self._lock:  # a save still running in the background finishes first
            if self._written < self._taken:
                self.dirty = True  # one still waiting for its worker: write everything now
            snapshot = self.snapshot()
            if snapshot is None:
                return True
            saved = self.write(snapshot)
            if saved is not None:
                self.apply(saved)
            return saved is not None

    def rescue(self) -> str:
        """What cannot be saved goes to a recovery file beside the database; returns its path."""
        path = write_recovery(self.workspace.store.path, self.base, self.plan.data, self.last_error or "")
        self.dirty = False
        return str(path)

    def rescue_elsewhere(self) -> str:
        """No room beside the database either (a full or read-only disk): the temp folder."""
        folder = Path(tempfile.gettempdir()) / "implan-gendannelse"
        folder.mkdir(exist_ok=True, mode=0o700)
        path = write_recovery(folder / self.workspace.store.path.name, self.base, self.plan.data,
                              self.last_error or "")
        self.dirty = False
        return str(path)
