"""Storage: one TinyDB JSON file, written atomically, locked against a second writer, with backups."""

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
