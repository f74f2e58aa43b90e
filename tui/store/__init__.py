"""Storage: one TinyDB JSON file, written atomically, locked against a second writer, with backups.

The names below are loaded when first used: `implan list` reads only the plan-list cache
(tui/store/summary_cache.py) and must not pay for TinyDB and the lock library.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # typing is not imported at run time: see tui/lean.py
if TYPE_CHECKING:
    from typing import Any

    from tui.store.errors import (
        DatabaseDamaged,
        DatabaseLocked,
        DatabaseReadOnly,
        DatabaseTooNew,
        PlanBusy,
        PlanConflict,
        StoreError,
    )
    from tui.store.plan_store import PlanStore

__all__ = [
    "DatabaseDamaged",
    "DatabaseLocked",
    "DatabaseReadOnly",
    "DatabaseTooNew",
    "PlanBusy",
    "PlanConflict",
    "PlanStore",
    "StoreError",
]


def __getattr__(name: str) -> Any:
    if name == "PlanStore":
        return importlib.import_module("tui.store.plan_store").PlanStore
    if name in __all__:
        return getattr(importlib.import_module("tui.store.errors"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
