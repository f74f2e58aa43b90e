"""Recovery files: an editor's changes that could not be saved (the database was locked, gone,
read-only or the disk full) are written beside the database, and the next start offers them.

Each file holds the version the editor started from and the editor's own, so restoring merges
the editor's changes into the plan as it is then — never overwriting what others saved since.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tui.core.stamps import utc_stamp
from tui.fileio import atomic_write_bytes

FORMAT = "implan-recovery/1"
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}-\d{8}T\d{6}\d{6}Z\.json$")
MAX_BYTES = 50_000_000


@dataclass(frozen=True)
class Recovery:
    path: Path
    plan_id: str
    title: str
    saved_at: str
    reason: str
    base: dict[str, Any]
    mine: dict[str, Any]


def recovery_dir(db_path: Path) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".recovery")


def write_recovery(db_path: Path, base: dict[str, Any], mine: dict[str, Any], reason: str) -> Path:
    folder = recovery_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    now = datetime.now(UTC)
    plan_id = str(mine.get("id", "plan"))
    plan_id = plan_id if re.fullmatch(r"[A-Za-z0-9_-]{1,64}", plan_id) else "plan"
    path = folder / f"{plan_id}-{now.strftime('%Y%m%dT%H%M%S%f')}Z.json"
    document = {"format": FORMAT, "saved_at": utc_stamp(now), "reason": reason,
                "plan_id": plan_id, "title": str(mine.get("title", "")), "base": base, "mine": mine}
    atomic_write_bytes(path, json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"), mode=0o600)
    return path


def pending_recoveries(db_path: Path) -> list[Recovery]:
    """Recovery files waiting beside the database, oldest first. Only files implan wrote (by
    name and format) are read; anything else in the folder is left alone."""
    folder = recovery_dir(db_path)
    if not folder.is_dir() or folder.is_symlink():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if not _NAME.match(path.name) or not path.is_file() or path.is_symlink():
            continue
        try:
            if path.stat().st_size > MAX_BYTES:
                continue
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            continue
        if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("mine"), dict) \
                or not isinstance(doc.get("base"), dict):
            continue
        found.append(Recovery(path, str(doc.get("plan_id", "")), str(doc.get("title", "")),
                              str(doc.get("saved_at", "")), str(doc.get("reason", "")), doc["base"], doc["mine"]))
    return found


def discard_recovery(recovery: Recovery) -> None:
    recovery.path.unlink(missing_ok=True)
