"""Storage: one TinyDB JSON file, written atomically, locked against a second writer, with backups."""

from tui.store.errors import (
    DatabaseDamaged,
    DatabaseLocked,
    DatabaseTooNew,
    PlanBusy,
    PlanConflict,
    StoreError,
)
from tui.store.plan_store import PlanStore

__all__ = [
    "DatabaseDamaged",
    "DatabaseLocked",
    "DatabaseTooNew",
    "PlanBusy",
    "PlanConflict",
    "PlanStore",
    "StoreError",
]
