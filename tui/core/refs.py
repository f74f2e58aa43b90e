"""Where to open a plan: one reference, used by every screen that jumps to a field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldRef:
    """A plan, a section in it and, optionally, an item, a field of the item and a milestone of
    that field. Without an item the section opens at its top."""

    plan_id: str
    section: str
    item: str | None = None
    field: str | None = None
    milestone: str | None = None
