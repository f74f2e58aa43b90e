"""Answers as stored: cleaned text, statuses and milestone rows, and the limits they keep.

The field kinds (tui/core/kinds.py) and the plan (tui/core/plan.py) both store values through
these; tui/core/plan.py re-exports them, so callers import them from there.
"""

from __future__ import annotations

import secrets
from typing import Any

from tui.core.dates import DateError, to_iso
from tui.core.enums import Status
from tui.core.text import strip_unsafe

MAX_TEXT_LENGTH = 100_000
MAX_TITLE_LENGTH = 300
MAX_MILESTONES = 200
MAX_MILESTONE_TEXT = 2000


class ValueRefused(ValueError):
    """A value that cannot be stored; str() is a Danish message. The caller keeps what was typed."""


def new_id(prefix: str = "") -> str:
    return prefix + secrets.token_hex(4 if prefix else 16)


def clean_text(text: Any, *, single_line: bool = False, limit: int = MAX_TEXT_LENGTH) -> str:
    """Text as stored: no control or format characters (they garble terminals and exports, and
    bidi overrides make text read differently from what it holds), \\n line ends."""
    if not isinstance(text, str):
        raise ValueRefused("Værdien skal være tekst.")
    cleaned: str = text.replace("\r\n", "\n").replace("\r", "\n")
    if single_line:
        cleaned = cleaned.replace("\n", " ").replace("\t", " ")
    cleaned = strip_unsafe(cleaned)  # controls, bidi overrides, other format characters: tui/core/text.py
    if single_line:
        cleaned = " ".join(cleaned.split())
    if len(cleaned) > limit:
        raise ValueRefused(
            f"Teksten er for lang ({len(cleaned):,} tegn); der er plads til {limit:,} tegn.".replace(",", ".")
        )
    return cleaned


def status_id(raw: Any) -> str:
    """A status as stored, from its id or its Danish label; "" for none."""
    if raw in (None, ""):
        return ""
    if isinstance(raw, str):
        for status in Status:
            if raw == status.value or raw.strip().casefold() == status.label.casefold():
                return status.value
    raise ValueRefused("Ukendt status. Vælg en af: " + ", ".join(s.label for s in Status) + ".")


def normalise_milestones(raw: Any) -> list[dict[str, Any]]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise ValueRefused("Milepæle skal være en liste.")
    if len(raw) > MAX_MILESTONES:
        raise ValueRefused(f"Der er plads til {MAX_MILESTONES} milepæle pr. element.")
    result = []
    for number, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict):
            raise ValueRefused(f"Milepæl {number} er ikke udfyldt rigtigt.")
        text = clean_text(entry.get("text", "") or "", single_line=True, limit=MAX_MILESTONE_TEXT).strip()
        try:
            when = to_iso(entry.get("date", "") or "")
        except DateError as exc:
            raise DateError(f"Milepæl {number}: {exc}") from None
        if not text and not when and not entry.get("keep"):
            continue
        result.append({
            "id": entry.get("id") or new_id("m-"),
            "date": when,
            "text": text,
            "done": bool(entry.get("done", False)),
        })
    return result
