"""A cache beside the database of what the plan list shows (implan.json.summary), so the home
screen and `implan list` need not read and build every plan.

It is only a cache: the database stays the truth. It says which state of the database file it
describes (device, inode, size and change times, taken while the file was read or written under
the lock); when the file is not in that state any more, the cache is not used as it is but
rebuilt record by record, by each record's fingerprint. What each entry holds is decided by
tui/core/summaries.py; here are only the file, its key and the entries by document id.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

FORMAT = "implan-summary/1"
MAX_BYTES = 20_000_000
FileKey = list[int]


def cache_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".summary")


def key_of(st: os.stat_result) -> FileKey:
    """What changes whenever the file is replaced or written: a save replaces it (a new inode and
    change time), a hand edit changes its modification time, a copy over it its size or times."""
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def current_key(db_path: Path) -> FileKey | None:
    try:
        return key_of(os.stat(db_path))
    except OSError:
        return None


def read_cache(db_path: Path) -> dict[str, Any] | None:
    """The cache as written, or None when it is missing, damaged or not implan's."""
    path = cache_path(db_path)
    try:
        if path.is_symlink() or path.stat().st_size > MAX_BYTES:
            return None
        doc = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("records"), dict) \
            or not isinstance(doc.get("file"), list):
        return None
    return doc


def write_cache(db_path: Path, doc: dict[str, Any]) -> None:
    """Best effort: a read-only folder or a full disk only means building the list again."""
    from tui.fileio import atomic_write_bytes

    path = cache_path(db_path)
    if path.is_symlink() or not db_path.is_file():
        return
    doc = dict(doc, format=FORMAT)
    with contextlib.suppress(OSError, TypeError, ValueError):
        atomic_write_bytes(path, json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
                           mode=0o600)


def forget(db_path: Path, doc_ids: list[str], before: FileKey, after: FileKey | None) -> None:
    """After a write under the lock that changed only `doc_ids`: when the cache described the file
    as it was just before, it now describes the new file except those records (rebuilt when next
    read). Otherwise it is left stale, and rebuilt by fingerprint."""
    doc = read_cache(db_path)
    if doc is None or doc["file"] != before or after is None:
        return
    for doc_id in doc_ids:
        doc["records"].pop(doc_id, None)
    doc["file"] = after
    write_cache(db_path, doc)
