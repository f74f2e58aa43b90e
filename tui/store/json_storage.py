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
    return parse_database(raw)


def parse_database(raw: bytes) -> dict[str, Any] | None:
    """The database from the file's bytes: record by record when it has implan's line layout
    (short calls, so a thread reading it lets the others run), else as any JSON document."""
    if not raw.strip():
        return None
    layout = scan_layout(raw)
    if layout is not None:
        data = layout.load()
        if data is not None:
            return data
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


# -- the line layout ---------------------------------------------------------------------------------
# implan writes the file as JSON any reader (TinyDB too) takes, laid out with one plan record per
# line, every other table on a line of its own:
#   {"plans": {
#   "1": {...},
#   "2": {...}
#   },
#   "meta": {...}
#   }
# A record's line is exactly json.dumps(record, ensure_ascii=False), so a save of one plan replaces
# one line's bytes and the other records are neither parsed nor encoded again; a record's
# fingerprint is that of its line. Any other JSON file (older implan wrote indent=1, a hand edit)
# is read the general way, and written back in this layout.
LAYOUT_HEAD = b'{"plans": {\n'
_DIGIT_KEY = re.compile(rb'"(\d{1,18})": ')
_ANY_KEY = re.compile(rb'("[^"\\\n]*(?:\\.[^"\\\n]*)*"): ')
SHALLOW_CACHE_LIMIT = 20_000
_shallow_records: set[bytes] = set()  # fingerprints of record lines found shallow enough


def digest_bytes(data: bytes | memoryview) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def content_digest(record: Any) -> str | None:
    """A record's fingerprint from its content: that of the line it is written as (None when it
    cannot be written as JSON)."""
    if isinstance(record, RawRecord):
        return digest_bytes(record.text.encode("utf-8"))
    try:
        text = json.dumps(record, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return None
    return digest_bytes(text.encode("utf-8"))


class Layout:
    """Where each record and table of a line-layout file is (byte offsets of their JSON values)."""

    def __init__(self, raw: bytes, records: list[tuple[str, int, int]], tables: list[tuple[str, int, int]]):
        self.raw = raw
        self.records = records  # (document id, value start, value end) of each plan record
        self.tables = tables  # the same for every other table

    def value(self, start: int, end: int) -> memoryview:
        return memoryview(self.raw)[start:end]

    def record_digest(self, start: int, end: int) -> str:
        return digest_bytes(self.value(start, end))

    def load_record(self, start: int, end: int) -> Any:
        """One record's value; None when it is not valid JSON (the file is then read the general
        way, which names the place)."""
        try:
            value = json.loads(self.raw[start:end])
        except RecursionError:
            return RawRecord(self.raw[start:end].decode("utf-8", "replace"))
        except ValueError:
            return None
        if isinstance(value, (dict, list)):
            key = hashlib.blake2b(self.value(start, end), digest_size=16).digest()
            if key not in _shallow_records:
                if _depth_exceeds(value, MAX_RECORD_DEPTH):
                    return RawRecord(self.raw[start:end].decode("utf-8"))
                if len(_shallow_records) >= SHALLOW_CACHE_LIMIT:
                    _shallow_records.clear()
                _shallow_records.add(key)
        return value

    def load(self) -> dict[str, Any] | None:
        plans: dict[str, Any] = {}
        for doc_id, start, end in self.records:
            record = self.load_record(start, end)
            if record is None:
                return None
            plans[doc_id] = record
        tables = self.load_tables()
        return None if tables is None else {"plans": plans, **tables}

    def load_tables(self) -> dict[str, Any] | None:
        """The tables other than plans; None when one is not a JSON object or array."""
        data: dict[str, Any] = {}
        for name, start, end in self.tables:
            try:
                table = json.loads(self.raw[start:end])
            except (ValueError, RecursionError):
                return None
            if not isinstance(table, (dict, list)):
                return None
            data[name] = table
        return data


def _key_at(raw: bytes, start: int, end: int) -> tuple[str, int] | None:
    """The member key at the start of a line and where its value begins."""
    match = _DIGIT_KEY.match(raw, start, end)
    if match is not None:
        return match.group(1).decode("ascii"), match.end()
    match = _ANY_KEY.match(raw, start, end)
    if match is None:
        return None
    try:
        return json.loads(match.group(1)), match.end()
    except ValueError:
        return None


def _lines(raw: bytes) -> list[tuple[int, int]]:
    spans, pos = [], 0
    while pos < len(raw):
        end = raw.find(b"\n", pos)
        if end < 0:
            end = len(raw)
        spans.append((pos, end))
        pos = end + 1
    return spans


def _member(raw: bytes, start: int, end: int, last: bool) -> tuple[str, int, int] | None:
    """A "key": value line, with its comma unless it is the last member."""
    key = _key_at(raw, start, end)
    if key is None:
        return None
    has_comma = raw.endswith(b",", start, end)
    if has_comma == last:
        return None
    return key[0], key[1], end - 1 if has_comma else end


def scan_layout(raw: bytes) -> Layout | None:
    """The layout of a file implan wrote, found without parsing a record; None for any other file."""
    if not raw.startswith(LAYOUT_HEAD):
        return None
    lines = _lines(raw)
    close = next((n for n, (a, b) in enumerate(lines) if b - a <= 2 and raw[a:b] in (b"}", b"},")), None)
    if close is None or raw[lines[-1][0]:] != b"}":
        return None
    records = []
    for n in range(1, close):
        member = _member(raw, *lines[n], last=n == close - 1)
        if member is None:
            return None
        records.append(member)
    more_tables = raw[lines[close][0]:lines[close][1]] == b"},"
    tables = []
    for n in range(close + 1, len(lines) - 1):
        member = _member(raw, *lines[n], last=n == len(lines) - 2)
        if member is None or member[0] == "plans":
            return None
        tables.append(member)
    if more_tables != bool(tables) or len({doc_id for doc_id, _, _ in records}) != len(records):
        return None
    return Layout(raw, records, tables)


def dumps_lines(data: dict[str, Any]) -> bytes:
    """The database in the line layout (see LAYOUT_HEAD). Tables other than a dict of plans
    (a hand-edited list) are written the general way."""
    plans = data.get("plans", {})
    if not isinstance(plans, dict):
        return dumps_database(data, indent=None).encode("utf-8")
    records = [f"{json.dumps(str(k))}: {dumps_record(v)}" for k, v in plans.items()]
    others = [f"{json.dumps(str(k), ensure_ascii=False)}: {dumps_record(v)}"
              for k, v in data.items() if k != "plans"]
    text = "{\"plans\": {\n" + "".join(f"{r},\n" for r in records[:-1]) + "".join(f"{r}\n" for r in records[-1:])
    text += "},\n" + ",\n".join(others) + "\n}" if others else "}\n}"
    return text.encode("utf-8")


def dumps_record(value: Any) -> str:
    """One record on one line: json.dumps(value, ensure_ascii=False), a RawRecord as its text."""
    if isinstance(value, RawRecord):
        return value.text
    return dumps_database(value, indent=None)


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
        atomic_write_bytes(self.path, dumps_lines(data), mode=0o600)

    def close(self) -> None:
        pass
