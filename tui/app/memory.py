"""When Python's cycle collector runs in the UI process.

A full collection walks every object the process holds: about 100 000 once the wizard is open,
which took 50–80 ms on the benchmark machine, in the middle of opening a plan. Most of those
objects live as long as the app: modules, classes, parsed CSS, the templates, the plan list.
Frozen (gc.freeze), they are left out of every later walk; objects that lose their last
reference are still freed at once, as always — freezing only spares them the search for cycles.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

_paused_for_start = False


def pause_for_start() -> None:
    """From launch to the first frame: no walks of a heap that only grows (imports, the first
    screen); started again, with what exists by then frozen, by `started()`."""
    global _paused_for_start
    if gc.isenabled():
        gc.disable()
        _paused_for_start = True


def started() -> None:
    """After the first frame (a no-op unless `pause_for_start` paused the collector)."""
    global _paused_for_start
    if _paused_for_start:
        _paused_for_start = False
        gc.freeze()
        gc.enable()


@contextlib.contextmanager
def long_lived() -> Iterator[None]:
    """Around making thousands of objects that stay (Udestående's rows): the collector would walk
    the growing heap again and again meanwhile, and again at some later keystroke (0.1 s). Paused
    meanwhile; then what exists is frozen until `release()`."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def release() -> None:
    """What `long_lived` froze is gone (its screen closed): collected as usual again. This also
    thaws what `started()` froze, so later full walks are as long as without it."""
    gc.unfreeze()
