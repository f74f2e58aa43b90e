"""Every plan's outstanding initiatives, read before `u` is pressed: at 10 000 initiatives the
reading takes half a second or more, which the Udestående screen would otherwise wait for. The
plan list starts a read when it has been shown; the screen takes it, or reads anew when the
database has changed since, and leaves its own read for the next time it is opened."""

from __future__ import annotations

import concurrent.futures
import contextlib
import gc
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from tui.core import followup
from tui.core.enums import Sort
from tui.core.plan import Plan
from tui.core.workspace import Workspace
from tui.store.summary_cache import FileKey, current_key

Read = tuple[list[Plan], followup.Outstanding]


@contextlib.contextmanager
def long_lived() -> Iterator[None]:
    """Around making thousands of objects that stay: Python's collector would walk the growing
    heap again and again meanwhile (0.3 s of 0.7 s at 10 000 initiatives), and again at some later
    keystroke (0.1 s). Paused meanwhile; then what exists is frozen (gc.freeze: left out of later
    walks) until Udestående closes. The plans hold no cycles: what is dropped is freed without
    the collector."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def read_all(workspace: Workspace, today: date, sort: str = Sort.DEADLINE, plan_id: str | None = None) -> Read:
    """In a thread: the plans (one, or all) and their outstanding view, sorted and its search
    texts made, so the first keystroke in the filter does not make them."""
    with long_lived():
        plans = [workspace.get(plan_id)] if plan_id else workspace.plans()
        view = followup.build_outstanding(plans, today)
        view.sorted_entries(sort)
        for entry in view.entries:
            entry.search_text()
    return plans, view


@dataclass
class Kept:
    """One read of all plans, of the database as it was (its file key, taken before reading)."""
    workspace: Workspace
    key: FileKey | None
    today: date
    result: concurrent.futures.Future[Read]

    def fits(self, workspace: Workspace, today: date) -> bool:
        failed = self.result.done() and self.result.exception() is not None
        return (self.workspace is workspace and self.today == today and not failed
                and self.key is not None and self.key == current_key(workspace.store.path))


_kept: Kept | None = None  # only one: the latest read


def read_ahead(workspace: Workspace, today: date) -> None:
    """Start reading all plans in a thread, unless the read kept still fits the database."""
    global _kept
    if _kept is not None and _kept.fits(workspace, today):
        return
    key = current_key(workspace.store.path)
    future: concurrent.futures.Future[Read] = concurrent.futures.Future()

    def run() -> None:
        try:
            future.set_result(read_all(workspace, today))
        except BaseException as exc:  # given to whoever takes the read
            future.set_exception(exc)

    _kept = Kept(workspace, key, today, future)
    threading.Thread(target=run, name="implan-read-ahead", daemon=True).start()


def kept_read(workspace: Workspace, today: date) -> concurrent.futures.Future[Read] | None:
    """The read kept, finished or not, if it fits the database as it is now."""
    return _kept.result if _kept is not None and _kept.fits(workspace, today) else None


def keep(workspace: Workspace, key: FileKey | None, today: date, read: Read) -> None:
    """Keep a read of all plans made elsewhere (by the screen), for the next opening."""
    global _kept
    future: concurrent.futures.Future[Read] = concurrent.futures.Future()
    future.set_result(read)
    _kept = Kept(workspace, key, today, future)


def forget() -> None:
    global _kept
    _kept = None
