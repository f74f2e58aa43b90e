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

TYPE_CHECKING = False  # typing is not imported at run time: see tui/lean.py
if TYPE_CHECKING:
    from typing import Any

FORMAT = "implan-summary/2"  # 2: what `implan outstanding` reads of each plan
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


# -- the rows file: what `implan outstanding` reads of each plan -----------------------------------
# Beside the cache, so the plan list does not read it: one JSON record a line after a header line
# with a token. The cache names the token and, for each plan, where its record is (offset from the
# end of the header, length), so one plan's rows are read without the others'.
ROWS_FORMAT = "implan-rows/1"
_TOKEN_BYTES = 16


def rows_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".rows")


def _header(token: str) -> bytes:
    return json.dumps({"format": ROWS_FORMAT, "token": token}, separators=(",", ":")).encode("ascii") + b"\n"


def _open_rows(db_path: Path, token: object) -> Any:
    """The rows file open at its first record, when it is the one with `token`; else None."""
    if not isinstance(token, str) or len(token) != 2 * _TOKEN_BYTES:
        return None
    path = rows_path(db_path)
    try:
        if path.is_symlink():
            return None
        handle = path.open("rb")
    except OSError:
        return None
    if handle.readline() != _header(token):
        handle.close()
        return None
    return handle


def rows_named(db_path: Path, token: object) -> bool:
    """Whether the rows file beside the database is the one with `token`."""
    handle = _open_rows(db_path, token)
    if handle is not None:
        handle.close()
    return handle is not None


def read_rows(db_path: Path, token: object, places: list[Any]) -> list[bytes] | None:
    """The records at `places` ([offset, length] each) of the rows file with `token`, or None
    when it is missing, another one or shorter than the places say."""
    handle = _open_rows(db_path, token)
    if handle is None:
        return None
    with handle:
        start, out = handle.tell(), []
        for offset, length in places:
            handle.seek(start + int(offset))
            data = handle.read(int(length))
            if len(data) != length:
                return None
            out.append(data)
    return out


class RowsWriter:
    """The rows file laid out anew: records kept from the one the old cache names, and new ones."""

    def __init__(self, db_path: Path, token: object) -> None:
        self.db_path, self.token = db_path, token
        handle = _open_rows(db_path, token)
        self.old: bytes | None = None
        if handle is not None:
            with handle, contextlib.suppress(OSError):
                self.old = handle.read()
        self.pieces: list[bytes] = []
        self.size = 0
        self.moved = self.old is None  # whether any record is new or not where it was

    def keep(self, place: Any) -> list[int] | None:
        """Where an old record is in the new file (None: it is not in the old one, make it anew)."""
        try:
            offset, length = int(place[0]), int(place[1])
        except (TypeError, ValueError, IndexError):
            return None
        piece = self.old[offset:offset + length] if self.old is not None and offset >= 0 else b""
        if len(piece) != length or not piece.endswith(b"\n"):
            return None
        self.moved = self.moved or offset != self.size
        return self._add(piece)

    def add(self, record: Any) -> list[int]:
        self.moved = True
        return self._add(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")

    def _add(self, piece: bytes) -> list[int]:
        place = [self.size, len(piece)]
        self.pieces.append(piece)
        self.size += len(piece)
        return place

    def read(self, places: list[Any]) -> list[bytes] | None:
        """read_rows' answer from the file as laid out here, written or not (a read-only folder)."""
        body = b"".join(self.pieces)
        out = [body[int(offset):int(offset) + int(length)] for offset, length in places]
        return out if all(len(data) == length for data, (_, length) in zip(out, places, strict=True)) else None

    def write(self) -> str | None:
        """The new file's token (written only when it differs from the old); None when it could
        not be written (then the cache names no rows, and `implan outstanding` builds the plans)."""
        from tui.fileio import atomic_write_bytes

        if not self.moved and self.old is not None and len(self.old) == self.size:
            return str(self.token)
        token = os.urandom(_TOKEN_BYTES).hex()
        path = rows_path(self.db_path)
        if path.is_symlink() or not self.db_path.is_file():
            return None
        try:
            atomic_write_bytes(path, [_header(token), *self.pieces], mode=0o600)
        except OSError:
            return None
        return token
