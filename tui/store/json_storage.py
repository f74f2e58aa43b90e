"""A TinyDB storage that never rewrites the database file in place.

TinyDB's stock JSONStorage truncates and rewrites the open file: a kill during a save leaves a
damaged file. Here every write goes to a temp file that replaces the database in one step.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from tui.fileio import atomic_write_bytes


class UnreadableDatabase(Exception):
    """The file exists but is not a TinyDB JSON document. Carries a short Danish reason."""


def read_database_file(path: Path) -> dict[str, Any] | None:
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        return None
    if not raw.strip():
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise UnreadableDatabase(f"ugyldig UTF-8 ved byte {exc.start}") from None
    except json.JSONDecodeError as exc:
        raise UnreadableDatabase(f"ugyldig JSON i linje {exc.lineno}, kolonne {exc.colno}") from None
    except RecursionError:
        raise UnreadableDatabase("JSON-strukturen er for dybt indlejret") from None
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise UnreadableDatabase("filen er ikke en implan-database")
    return data


class AtomicJSONStorage(Storage):
    def __init__(self, path: str | Path, **_ignored: Any) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, Any] | None:
        return read_database_file(self.path)

    def write(self, data: dict[str, Any]) -> None:
        payload = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
        atomic_write_bytes(self.path, payload.encode("utf-8"), mode=0o600)

    def close(self) -> None:
        pass
