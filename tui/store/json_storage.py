"""A TinyDB storage that never rewrites the database file in place.

TinyDB's stock JSONStorage truncates and rewrites the open file: a kill during a save leaves a
damaged file. Here every write goes to a temp file that replaces the database in one step.

One damaged record must not make the whole file unreadable: a record nested too deeply for
Python's JSON reader is kept as its raw text (RawRecord) and written back exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import uuid
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from tui.fileio import atomic_write_bytes
from tui.store.errors import DatabaseReadOnly

# No plan written by implan is nested more than a handful of levels; anything far deeper is a
# damaged record (and would break the JSON writer), so it is kept as raw text.
MAX_RECORD_DEPTH = 50


class UnreadableDatabase(Exception):
    """The file exists but is not a TinyDB JSON document. Carries a short Danish reason."""


class RawRecord:
    """A record kept as the JSON text it was read as (too deeply nested to load)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RawRecord) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __deepcopy__(self, memo: dict[int, Any]) -> RawRecord:
        return self

    def __repr__(self) -> str:
        return f"RawRecord({len(self.text)} tegn)"


def read_database_file(path: Path) -> dict[str, Any] | None:
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        return None
    if not raw.strip():
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableDatabase(f"ugyldig UTF-8 ved byte {exc.start}") from None
    try:
        data = json.loads(text)
        if isinstance(data, dict) and _too_deep(raw, data):
            data = _load_members(text)
    except json.JSONDecodeError as exc:
        raise UnreadableDatabase(f"ugyldig JSON i linje {exc.lineno}, kolonne {exc.colno}") from None
    except RecursionError:
        data = _load_members(text)
    if not isinstance(data, dict) or not all(isinstance(t, (dict, list, RawRecord)) for t in data.values()):
        raise UnreadableDatabase("filen er ikke en implan-database")
    return data


_shallow: set[bytes] = set()  # fingerprints of file contents already found shallow enough


def _too_deep(raw: bytes, data: dict[str, Any]) -> bool:
    """Walking the whole structure takes a tenth of a second for a large database, and a CLI
    call reads the file several times: the same content is walked once."""
    key = hashlib.blake2b(raw, digest_size=16).digest()
    if key in _shallow:
        return False
    if _depth_exceeds(data, MAX_RECORD_DEPTH + 2):
        return True
    if len(_shallow) > 64:
        _shallow.clear()
    _shallow.add(key)
    return False


def _depth_exceeds(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list)))
    return False


_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_STRUCTURE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.S)
_SCALAR = re.compile(r'[^,\]}\s]+')


def _value_end(text: str, start: int) -> int:
    """Where the JSON value starting at `start` ends, without building it (any depth)."""
    if start >= len(text):
        raise UnreadableDatabase("filen slutter midt i en værdi")
    first = text[start]
    if first == '"':
        match = _STRING.match(text, start)
        if match is None:
            raise UnreadableDatabase("en tekst i filen slutter aldrig")
        return match.end()
    if first in "[{":
        depth = 0
        for match in _STRUCTURE.finditer(text, start):
            token = match.group()
            if token in ("[", "{"):
                depth += 1
            elif token in ("]", "}"):
                depth -= 1
                if depth == 0:
                    return match.end()
        raise UnreadableDatabase("en liste eller et objekt i filen slutter aldrig")
    match = _SCALAR.match(text, start)
    if match is None:
        raise UnreadableDatabase(f"ugyldig JSON ved tegn {start}")
    return match.end()


def _skip_ws(text: str, pos: int) -> int:
    """Where the next token starts (the whitespace pattern matches the empty string too)."""
    match = _WS.match(text, pos)
    return match.end() if match else pos


def _members(text: str, start: int) -> tuple[list[tuple[str | None, int, int]], int]:
    """The members of the object or array at `start`: (key or None, value start, value end)."""
    opening = text[start]
    closing = "}" if opening == "{" else "]"
    found: list[tuple[str | None, int, int]] = []
    pos = _skip_ws(text, start + 1)
    if text.startswith(closing, pos):
        return found, pos + 1
    while True:
        key = None
        if opening == "{":
            match = _STRING.match(text, pos)
            if match is None:
                raise UnreadableDatabase(f"ugyldig JSON ved tegn {pos}")
            key = json.loads(match.group())
            pos = _skip_ws(text, match.end())
            if not text.startswith(":", pos):
                raise UnreadableDatabase(f"ugyldig JSON ved tegn {pos}")
            pos = _skip_ws(text, pos + 1)
        end = _value_end(text, pos)
        found.append((key, pos, end))
        pos = _skip_ws(text, end)
        if text.startswith(",", pos):
            pos = _skip_ws(text, pos + 1)
            continue
        if text.startswith(closing, pos):
            return found, pos + 1
        raise UnreadableDatabase(f"ugyldig JSON ved tegn {pos}")


def _load_record(text: str) -> Any:
    try:
        value = json.loads(text)
    except RecursionError:
        return RawRecord(text)
    except json.JSONDecodeError as exc:
        raise UnreadableDatabase(f"ugyldig JSON ({exc.msg})") from None
    if isinstance(value, (dict, list)) and _depth_exceeds(value, MAX_RECORD_DEPTH):
        return RawRecord(text)
    return value


def _load_members(text: str) -> Any:
    """The file read two levels deep by hand: tables, and each record in them on its own, so a
    record too deep to load is kept as raw text and the others are read as usual."""
    pos = _skip_ws(text, 0)
    if not text.startswith("{", pos):
        raise UnreadableDatabase("JSON-strukturen er for dybt indlejret")
    tables, end = _members(text, pos)
    if text[end:].strip():
        raise UnreadableDatabase(f"ugyldig JSON ved tegn {end}")
    data: dict[str, Any] = {}
    for name, start, stop in tables:
        assert name is not None  # members of an object always have a key
        if text[start] == "{":
            records, _ = _members(text, start)
            data[name] = {key: _load_record(text[a:b]) for key, a, b in records}
        elif text[start] == "[":
            records, _ = _members(text, start)
            data[name] = [_load_record(text[a:b]) for _, a, b in records]
        else:
            data[name] = _load_record(text[start:stop])
    return data


def dumps_database(data: Any, *, indent: int | None = 1) -> str:
    """JSON text of the database; a RawRecord is written back exactly as it was read."""
    raws: dict[str, str] = {}
    nonce = uuid.uuid4().hex

    def default(value: Any) -> Any:
        if isinstance(value, RawRecord):
            token = f"\x00implan-raw-{nonce}-{len(raws)}\x00"
            raws[json.dumps(token)] = value.text
            return token
        raise TypeError(f"{type(value).__name__} kan ikke skrives som JSON")

    payload = json.dumps(data, ensure_ascii=False, indent=indent, sort_keys=False, default=default)
    for token, text in raws.items():
        payload = payload.replace(token, text, 1)
    return payload


def is_read_only(path: Path) -> bool:
    """A database file nobody may write to (`chmod 444`) is left alone, also by root, whom the
    operating system would let replace it."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISREG(mode) and not mode & 0o222


def check_writable(path: Path) -> None:
    if is_read_only(path):
        raise DatabaseReadOnly(Path(path))


class AtomicJSONStorage(Storage):
    def __init__(self, path: str | Path, **_ignored: Any) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, Any] | None:
        return read_database_file(self.path)

    def write(self, data: dict[str, Any]) -> None:
        check_writable(self.path)
        atomic_write_bytes(self.path, dumps_database(data).encode("utf-8"), mode=0o600)

    def close(self) -> None:
        pass
