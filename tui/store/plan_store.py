"""The plan database: every read-modify-write under a lock file, a backup on every open for writing."""

from __future__ import annotations

import bisect
import contextlib
import copy
import errno
import functools
import json
import os
import re
from collections.abc import Callable, Iterator, MutableMapping, Set
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from tinydb import TinyDB, where
from tinydb.table import Table

from tui.core.stamps import utc_stamp
from tui.fileio import TEMP_PREFIX, atomic_write_bytes, atomic_write_text, remove_stale_temp_files
from tui.store import summary_cache
from tui.store.errors import (
    DatabaseDamaged,
    DatabaseLocked,
    DatabasePathLoop,
    DatabaseTooNew,
    PlanBusy,
    PlanConflict,
    PlanExists,
    PlanNotFound,
    StoreError,
)
from tui.store.json_storage import (
    LAYOUT_HEAD,
    AtomicJSONStorage,
    Layout,
    RawRecord,
    UnreadableDatabase,
    check_writable,
    content_digest,
    dumps_database,
    dumps_record,
    is_read_only,
    parse_database,
    read_database_file,
    scan_layout,
)

SCHEMA_VERSION = 2
# Backups kept: the newest KEEP_BACKUPS, and beyond those the oldest of each hour of the last
# KEEP_HOURS hours and of each day of the last KEEP_DAYS days (the database as it was when that
# hour or day began), so an unwanted change followed by many small ones can still be undone.
KEEP_BACKUPS = 10
KEEP_HOURS = 24
KEEP_DAYS = 30
# The copy taken just before a whole plan or database was replaced (import --replace, restore) is
# named with PINNED_SUFFIX; the newest KEEP_PINNED of those are kept as well.
KEEP_PINNED = 10
PINNED_SUFFIX = "-foer-erstatning"
# The most backups the rotation can keep (a 24-hour window touches 25 clock hours, 30 days 31
# dates): the bound the README states.
MAX_BACKUPS = KEEP_BACKUPS + (KEEP_HOURS + 1) + (KEEP_DAYS + 1) + KEEP_PINNED
# A backup is taken when the database is opened for writing, if it changed since the newest
# backup and that one is at least BACKUP_MINUTES old: a launch minutes after the last one (the
# same working session) costs no copy, and at most the last BACKUP_MINUTES of work is not in a
# backup. IMPLAN_BACKUP_MINUTES=0 takes one at every launch after a change.
BACKUP_MINUTES = 10.0
PLANS_TABLE = "plans"
META_TABLE = "meta"
SET_ASIDE_TABLE = "set_aside"
LOCK_TIMEOUT_SECONDS = 10.0
STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"



def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 keeps a follow-up history and meetings in each plan. Version 1 wrote no history;
    whatever a hand-edited file has there that is not a history entry is dropped."""
    for plan in _plans_of(data).values():
        if not isinstance(plan, dict):
            continue
        history = plan.get("history")
        plan["history"] = [e for e in history if isinstance(e, dict) and "kind" in e and "at" in e] \
            if isinstance(history, list) else []
        meetings = plan.get("meetings")
        plan["meetings"] = [m for m in meetings if isinstance(m, dict) and "at" in m] \
            if isinstance(meetings, list) else []
    return data


# Migrations from one schema version to the next: MIGRATIONS[n] turns version n into n + 1.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}


def _utc_stamp() -> str:
    return datetime.now(UTC).strftime(STAMP_FORMAT)


def backups_to_keep(stamps: list[str], now: datetime, pinned: Set[str] = frozenset()) -> set[str]:
    """Which backups (by their UTC stamp) the rotation keeps: the newest KEEP_BACKUPS, the oldest
    of every hour of the last KEEP_HOURS hours and of every day of the last KEEP_DAYS days, and
    the newest KEEP_PINNED of those taken before a replace (`pinned`)."""
    newest_first = sorted(stamps, reverse=True)
    keep = set(newest_first[:KEEP_BACKUPS]) | set(sorted(pinned, reverse=True)[:KEEP_PINNED])
    first_of: dict[tuple[str, str], str] = {}
    for stamp in newest_first:  # the last one seen per period is its oldest
        try:
            when = datetime.strptime(stamp, STAMP_FORMAT).replace(tzinfo=UTC)
        except ValueError:
            continue
        age = now - when
        if age <= timedelta(hours=KEEP_HOURS):
            first_of[("hour", stamp[:11])] = stamp
        if age <= timedelta(days=KEEP_DAYS):
            first_of[("day", stamp[:8])] = stamp
    return keep | set(first_of.values())


def backup_minutes() -> float:
    try:
        return max(0.0, float(os.environ.get("IMPLAN_BACKUP_MINUTES", BACKUP_MINUTES)))
    except ValueError:
        return BACKUP_MINUTES


def _stamp_time(stamp: str) -> datetime | None:
    try:
        return datetime.strptime(stamp.removesuffix(PINNED_SUFFIX), STAMP_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def _plans_of(data: dict[str, Any] | None) -> dict[str, Any]:
    """The plans table by document id. A table written as a list is read as numbered records."""
    plans = (data or {}).get(PLANS_TABLE)
    if isinstance(plans, list):
        return {str(n): record for n, record in enumerate(plans, start=1)}
    return plans if isinstance(plans, dict) else {}


class StoredRecord:
    """One record of the plans table as read, its fingerprint known; parsed only when asked."""

    def __init__(self, doc_id: str, digest: str | None, load: Callable[[], Any]) -> None:
        self.doc_id = doc_id
        self.digest = digest
        self._load = load
        self._record: Any = _UNREAD

    @property
    def record(self) -> Any:
        if self._record is _UNREAD:
            self._record = self._load()
        return self._record


_UNREAD = object()


@dataclass
class StoredState:
    """The database file read once: its key (see summary_cache), each plan record, the other tables."""

    key: summary_cache.FileKey | None
    records: list[StoredRecord]
    tables: dict[str, Any]
    # The file needs nothing done on opening it for writing: schema version current, the plans
    # and set-aside tables objects, a meta table.
    sound: bool


class PlanStore:
    """Plans as TinyDB documents in one JSON file. Open with `PlanStore.open(path)`."""

    def __init__(self, path: Path, lock_timeout: float = LOCK_TIMEOUT_SECONDS) -> None:
        # Through a symlink the real file is what gets replaced, and every path to it shares one lock.
        try:
            self.path = Path(path).expanduser().resolve()
        except RuntimeError:  # Python before 3.13: a symlink loop
            raise DatabasePathLoop(Path(path)) from None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise DatabasePathLoop(Path(path)) from None
            raise
        if self.path.is_symlink():  # a loop that resolve() left unresolved
            raise DatabasePathLoop(Path(path))
        self.lock_timeout = lock_timeout
        self._lock = FileLock(str(self.path) + ".lock", timeout=lock_timeout)
        # Danish warnings for the user (a backup folder that is not used, ...), shown by the caller.
        self.warnings: list[str] = []

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path, *, write: bool = True, lock_timeout: float = LOCK_TIMEOUT_SECONDS) -> PlanStore:
        """Check the file; for writing also create it, migrate it, clean up and take a backup.

        Opening for reading touches nothing on disk: a missing database is simply empty.
        """
        store = cls(path, lock_timeout)
        if not write:
            store._check_readable()
            return store
        store.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with store._locked():
            check_writable(store.path)
            remove_stale_temp_files(store.path)
            store._remove_stale_backup_temp_files()
            if store._read_before():
                store.write_backup()
                return store
            data = store._read_or_quarantine()
            repaired = False
            if data is not None:
                store._check_version(data)
                store.write_backup()
                repaired = store._repair_tables(data)
                data = store._migrate(data)
            if data is not None and not store._in_line_layout():
                repaired = True  # written once in the layout a save can splice (json_storage)
            if data is None or not isinstance(data.get(META_TABLE), dict) or repaired:
                data = dict(data or {})
                if not isinstance(data.get(META_TABLE), dict):
                    data[META_TABLE] = {"1": {"schema_version": SCHEMA_VERSION}}
                data.setdefault(PLANS_TABLE, {})
                AtomicJSONStorage(store.path).write(data)
        return store

    def _in_line_layout(self) -> bool:
        try:
            with open(self.path, "rb") as stream:
                return stream.read(len(LAYOUT_HEAD)) == LAYOUT_HEAD
        except OSError:
            return False

    def _read_before(self) -> bool:
        """The file is as it was when implan last read it whole and found it sound (the summary
        cache says so for this very state of the file): opening needs no second full read."""
        doc = summary_cache.read_cache(self.path)
        key = summary_cache.current_key(self.path)
        return doc is not None and key is not None and doc["file"] == key and doc.get("sound") is True

    @staticmethod
    def _repair_tables(data: dict[str, Any]) -> bool:
        """A plans or set-aside table written as a list becomes numbered records (each record kept
        as it is; the file as it was is in the backup just taken). True if anything changed."""
        changed = False
        for name in (PLANS_TABLE, SET_ASIDE_TABLE):
            if isinstance(data.get(name), list):
                data[name] = {str(n): record for n, record in enumerate(data[name], start=1)}
                changed = True
        return changed

    def _check_readable(self) -> None:
        try:
            data = read_database_file(self.path)
        except UnreadableDatabase:
            # Moving the file aside needs the lock; do it the careful way.
            with self._locked():
                data = self._read_or_quarantine()
        if data is not None:
            self._check_version(data)

    def _read_or_quarantine(self) -> dict[str, Any] | None:
        """Read the file; a damaged one is moved aside (never overwritten) and reported."""
        try:
            data = read_database_file(self.path)
            if data is None and self.path.exists() and self.backups():
                raise UnreadableDatabase("filen er tom")
            return data
        except UnreadableDatabase as exc:
            moved = self.path.with_name(f"{self.path.name}.beskadiget-{_utc_stamp()}")
            os.replace(self.path, moved)
            raise DatabaseDamaged(self.path, str(exc), moved, self.newest_backup()) from None

    def _check_version(self, data: dict[str, Any]) -> None:
        version = self.schema_version_of(data)
        if version > SCHEMA_VERSION:
            raise DatabaseTooNew(self.path, version, SCHEMA_VERSION)
        if version < 1:
            raise StoreError(f"Databasen {self.path} har en ukendt skemaversion ({version}). Filen er ikke ændret.")

    @staticmethod
    def schema_version_of(data: dict[str, Any]) -> int:
        meta = data.get(META_TABLE)
        for row in meta.values() if isinstance(meta, dict) else []:
            if isinstance(row, dict) and isinstance(version := row.get("schema_version"), int):
                return version
        return SCHEMA_VERSION if data.get(PLANS_TABLE) is None else 1

    def _migrate(self, data: dict[str, Any]) -> dict[str, Any]:
        version = self.schema_version_of(data)
        if version == SCHEMA_VERSION:
            return data
        while version < SCHEMA_VERSION:
            data[PLANS_TABLE] = _plans_of(data)
            data = MIGRATIONS[version](data)
            version += 1
        data[META_TABLE] = {"1": {"schema_version": SCHEMA_VERSION}}
        AtomicJSONStorage(self.path).write(data)
        return data

    # -- locking -----------------------------------------------------------------------------
    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            with self._lock:
                yield
        except Timeout:
            raise DatabaseLocked(self.path, self.lock_timeout) from None

    @contextlib.contextmanager
    def _db(self) -> Iterator[TinyDB]:
        """A fresh TinyDB for each transaction: TinyDB caches ids, which another process may take."""
        with self._locked():
            db = TinyDB(self.path, storage=AtomicJSONStorage)
            try:
                yield db
            finally:
                db.close()

    def _plans(self, db: TinyDB) -> Table:
        return db.table(PLANS_TABLE, cache_size=0)

    def edit_lock(self, plan_id: str, title: str = "", holder: str = "") -> FileLock:
        """Held while a plan is open in the app: a second window on the same plan is refused,
        so two editors never overwrite each other's typing. The lock is the operating system's
        (released when the holding process ends, however it ends); beside it, who holds it, for
        the refusal to name."""
        folder = self.path.with_name(self.path.name + ".locks")
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = FileLock(str(folder / f"{plan_id}.lock"), timeout=0)
        about = folder / f"{plan_id}.holder"
        try:
            lock.acquire()
        except Timeout:
            known = read_holder(about)
            raise PlanBusy(title or plan_id, known.get("name", ""), known.get("since", "")) from None
        with contextlib.suppress(OSError):  # only the message depends on it
            atomic_write_text(about, json.dumps({"name": holder, "since": f"{datetime.now():%H:%M}"}), mode=0o600)
        return lock

    def open_elsewhere(self, plan_ids: list[str] | None = None) -> list[str]:
        """The plans (of `plan_ids`, else all) that an implan window has open right now: their edit
        lock is held. A writer that would replace a whole plan or the whole database asks first."""
        folder = self.path.with_name(self.path.name + ".locks")
        if not folder.is_dir() or folder.is_symlink():
            return []
        wanted = plan_ids if plan_ids is not None else sorted(p.stem for p in folder.glob("*.lock"))
        busy = []
        for plan_id in wanted:
            lock = FileLock(str(folder / f"{plan_id}.lock"), timeout=0)
            try:
                lock.acquire()
            except Timeout:
                busy.append(plan_id)
            else:
                lock.release()
        return busy

    # -- backups -------------------------------------------------------------------------------
    @property
    def backup_dir(self) -> Path:
        return self.path.with_name(self.path.name + ".backups")

    def _backup_name(self) -> re.Pattern[str]:
        # Only files implan wrote itself: <database name>-<UTC stamp>.json. Nothing else in the
        # folder is ever listed, restored by default or removed.
        return re.compile(re.escape(self.path.stem) + r"-(\d{8}T\d{12}Z)(" + PINNED_SUFFIX + r")?\.json")

    def _usable_backup_dir(self) -> bool:
        """False (with a warning) when the backup folder is a symlink or not a folder: implan
        never follows a link into someone else's files, nor writes or prunes there."""
        folder = self.backup_dir
        if folder.is_symlink():
            self._warn(f"Mappen til sikkerhedskopier {folder} er et symbolsk link. implan følger det ikke "
                       "og gemmer ingen sikkerhedskopier dér. Fjern linket, så opretter implan selv mappen.")
            return False
        if folder.exists() and not folder.is_dir():
            self._warn(f"{folder} er ikke en mappe, så implan gemmer ingen sikkerhedskopier. "
                       "Flyt filen væk, så opretter implan selv mappen.")
            return False
        return True

    def _warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    def _backup_entries(self) -> list[tuple[str, Path]]:
        """(stamp, path) of implan's own backups, newest first: regular files with implan's name.
        The stamp of a pinned backup ends in PINNED_SUFFIX."""
        if not self._usable_backup_dir() or not self.backup_dir.is_dir():
            return []
        pattern = self._backup_name()
        found = []
        with os.scandir(self.backup_dir) as entries:
            for entry in entries:
                match = pattern.fullmatch(entry.name)
                if match and entry.is_file(follow_symlinks=False):
                    found.append((match.group(1) + (match.group(2) or ""), Path(entry.path)))
        return sorted(found, reverse=True)

    def backups(self) -> list[Path]:
        """Newest first."""
        return [path for _, path in self._backup_entries()]

    def newest_backup(self) -> Path | None:
        found = self.backups()
        return found[0] if found else None

    def _remove_stale_backup_temp_files(self) -> None:
        """Temp files of a backup write that was killed. Call only while holding the write lock."""
        if not self.backup_dir.is_dir() or self.backup_dir.is_symlink():
            return
        pattern = re.compile(re.escape(TEMP_PREFIX) + self._backup_name().pattern + r"\.[^/]+")
        with os.scandir(self.backup_dir) as entries:
            for entry in entries:
                if pattern.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)

    def write_backup(self, keep: Path | None = None, pin: bool = False) -> Path | None:
        """Copy the database to the backup folder unless the newest backup already equals it.
        Old ones are pruned (see backups_to_keep), never `keep` (a backup about to be restored).
        `pin`: the copy is the state before a replace, kept longer (see KEEP_PINNED)."""
        if not self._usable_backup_dir():
            return None
        entries = self._backup_entries()
        newest = entries[0][1] if entries else None
        if not pin and entries and self._recent(entries[0][0]):
            return newest  # taken less than backup_minutes() ago: this session is still covered
        try:
            current = self.path.read_bytes()
        except FileNotFoundError:
            return None
        if not current.strip():
            return None
        suffix = PINNED_SUFFIX if pin else ""
        if newest is not None and _same_size(newest, len(current)) and newest.read_bytes() == current:
            if not pin or newest.stem.endswith(PINNED_SUFFIX):
                return newest
            target = newest.with_name(newest.stem + PINNED_SUFFIX + ".json")
            os.replace(newest, target)
            return target
        self.backup_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        target = self.backup_dir / f"{self.path.stem}-{_utc_stamp()}{suffix}.json"
        atomic_write_bytes(target, current, mode=0o600)
        entries = self._backup_entries()
        stamps = [stamp.removesuffix(PINNED_SUFFIX) for stamp, _ in entries]
        pinned = {stamp.removesuffix(PINNED_SUFFIX) for stamp, _ in entries if stamp.endswith(PINNED_SUFFIX)}
        kept = backups_to_keep(stamps, datetime.now(UTC), pinned)
        for stamp, old in entries:
            stamp = stamp.removesuffix(PINNED_SUFFIX)
            if stamp in kept or (keep is not None and old.resolve() == Path(keep).resolve()):
                continue
            with contextlib.suppress(FileNotFoundError):
                old.unlink()
        return target

    @staticmethod
    def _recent(stamp: str) -> bool:
        taken = _stamp_time(stamp)
        now = datetime.now(UTC)
        return taken is not None and timedelta(0) <= now - taken < timedelta(minutes=backup_minutes())

    def pin_backup(self) -> Path | None:
        """Before a whole plan is replaced: make sure a backup of the state now is kept longer."""
        with self._locked():
            return self.write_backup(pin=True)

    def restore(self, backup: Path | None = None) -> Path:
        """Put a backup (default: the newest) in place of the database; the current file is kept as a backup."""
        backup = Path(backup) if backup else self.newest_backup()
        if backup is None:
            raise StoreError("Der findes ingen sikkerhedskopi at gendanne.")
        content = backup.read_bytes()  # before anything else: taking a backup below may prune this one
        try:
            data = read_database_file(backup)
        except UnreadableDatabase as exc:
            raise StoreError(f"Sikkerhedskopien {backup} kan ikke bruges ({exc}).") from None
        if data is None:
            raise StoreError(f"Sikkerhedskopien {backup} er tom.")
        self._check_version(data)
        with self._locked():
            check_writable(self.path)
            try:
                read_database_file(self.path)
                self.write_backup(keep=backup, pin=True)
            except UnreadableDatabase:
                self._read_or_quarantine_silently()
            atomic_write_bytes(self.path, content, mode=0o600)
        return backup

    def _read_or_quarantine_silently(self) -> None:
        with contextlib.suppress(DatabaseDamaged):
            self._read_or_quarantine()

    # -- plans -----------------------------------------------------------------------------------
    def list_plans(self) -> list[dict[str, Any]]:
        """The plan records that are objects, oldest first. Workspace checks each one further."""
        plans = [copy.deepcopy(p) for p in _plans_of(self._read_data()).values() if isinstance(p, dict)]
        return sorted(plans, key=lambda p: str(p.get("created", "")))

    def plan_records(self) -> list[tuple[str, Any]]:
        """Every record of the plans table as it is stored, whatever it holds: (document id, record).
        Read afresh from the file each time, so the caller owns them (no copy needed)."""
        return list(_plans_of(self._read_data()).items())

    def read_state(self) -> StoredState:
        """The file read once, for the plan list: records parsed only when asked (a list built
        from a cache beside the database needs only those that changed)."""
        try:
            raw, key = self._read_raw()
        except FileNotFoundError:
            return StoredState(None, [], {}, False)
        layout = scan_layout(raw) if raw is not None else None
        if layout is not None and (tables := layout.load_tables()) is not None:
            records = [StoredRecord(doc_id, layout.record_digest(a, b), functools.partial(layout.load_record, a, b))
                       for doc_id, a, b in layout.records]
            return StoredState(key, records, tables, self._sound(tables, True))
        try:
            data = parse_database(raw or b"") or {}
        except UnreadableDatabase:
            with self._locked():
                data = self._read_or_quarantine() or {}
        plans = _plans_of(data)
        records = [StoredRecord(doc_id, content_digest(record), functools.partial(_same, record))
                   for doc_id, record in plans.items()]
        tables = {name: table for name, table in data.items() if name != PLANS_TABLE}
        return StoredState(key, records, tables, self._sound(tables, isinstance(data.get(PLANS_TABLE), dict)))

    def _sound(self, tables: dict[str, Any], plans_ok: bool) -> bool:
        return plans_ok and isinstance(tables.get(META_TABLE), dict) \
            and self.schema_version_of(tables) == SCHEMA_VERSION \
            and isinstance(tables.get(SET_ASIDE_TABLE, {}), dict)

    def _read_raw(self) -> tuple[bytes | None, summary_cache.FileKey]:
        """The file's bytes and its key, both of the one file opened."""
        with open(self.path, "rb") as stream:
            key = summary_cache.key_of(os.fstat(stream.fileno()))
            return stream.read(), key

    def _find_line(self, layout: Layout, plan_id: str) -> tuple[str, int, int, dict[str, Any]] | None:
        """The record with this id in a line-layout file, found by its id's text and then parsed;
        None when no line has it that way (the caller then reads the file the general way)."""
        needle = b'"id": ' + json.dumps(plan_id, ensure_ascii=False).encode("utf-8")
        starts = [a for _, a, _ in layout.records]
        pos = layout.raw.find(needle)
        while pos >= 0:
            n = bisect.bisect_right(starts, pos) - 1
            if n >= 0:
                doc_id, start, end = layout.records[n]
                record = layout.load_record(start, end) if pos < end else None
                if isinstance(record, dict) and record.get("id") == plan_id:
                    return doc_id, start, end, record
            pos = layout.raw.find(needle, pos + 1)
        return None

    def _splice(self, plan_id: str, build: Callable[[dict[str, Any]], dict[str, Any]]) -> dict[str, Any] | None:
        """Replace one plan's line (under the lock): the other records are neither parsed nor
        encoded, and the file is written in pieces. None when the file is not in line layout or
        has the plan only in another spelling: the caller goes through TinyDB."""
        check_writable(self.path)
        try:
            raw, before = self._read_raw()
        except FileNotFoundError:
            return None
        layout = scan_layout(raw) if raw else None
        found = self._find_line(layout, plan_id) if layout is not None else None
        if layout is None or found is None:
            return None
        doc_id, start, end, stored = found
        plan = build(stored)
        line = dumps_record(plan).encode("utf-8")
        if b"\n" in line:
            return None
        view = memoryview(layout.raw)
        atomic_write_bytes(self.path, [view[:start], line, view[end:]], mode=0o600)
        summary_cache.forget(self.path, [doc_id], before, summary_cache.current_key(self.path))
        return plan

    def get_plan(self, plan_id: str) -> dict[str, Any] | None:
        with contextlib.suppress(OSError):
            raw, _ = self._read_raw()
            layout = scan_layout(raw) if raw else None
            found = self._find_line(layout, plan_id) if layout is not None else None
            if found is not None:
                return found[3]
        for plan in _plans_of(self._read_data()).values():
            if isinstance(plan, dict) and plan.get("id") == plan_id:
                return plan
        return None

    # -- records known to be good ----------------------------------------------------------------
    # Fingerprints of plan records that passed the check on load, beside the database, so a CLI
    # call does not check every plan against the schema again (tens of ms for each large plan).
    @property
    def checked_path(self) -> Path:
        return self.path.with_name(self.path.name + ".checked")

    def read_checked(self, context: str) -> set[str]:
        try:
            if self.checked_path.is_symlink() or not self.checked_path.is_file() \
                    or self.checked_path.stat().st_size > 5_000_000:
                return set()
            data = json.loads(self.checked_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return set()
        if not isinstance(data, dict) or data.get("context") != context or not isinstance(data.get("good"), list):
            return set()
        return {d for d in data["good"] if isinstance(d, str) and len(d) == 32}

    def write_checked(self, context: str, digests: set[str]) -> None:
        """Best effort: a read-only database or folder simply means checking again next time."""
        if not self.path.is_file() or is_read_only(self.path) or self.checked_path.is_symlink():
            return
        payload = json.dumps({"context": context, "good": sorted(digests)}).encode("utf-8")
        with contextlib.suppress(OSError):
            atomic_write_bytes(self.checked_path, payload, mode=0o600)

    def _read_data(self) -> dict[str, Any]:
        try:
            data = read_database_file(self.path)
        except UnreadableDatabase:
            with self._locked():
                data = self._read_or_quarantine()
        return data or {}

    def add_plan(self, plan: dict[str, Any],
                 if_exists: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
        """Store a new plan. If its id is taken, `if_exists(plan)` may give it a new id (it runs under
        the lock, so the decision holds however many processes add at once); else PlanExists."""
        plan = copy.deepcopy(plan)
        plan["revision"] = 1
        plan.setdefault("created", utc_stamp())
        plan["updated"] = plan.get("updated") or plan["created"]
        with self._db() as db:
            table = self._plans(db)
            if table.contains(where("id") == plan["id"]) and if_exists is not None:
                if_exists(plan)
            if table.contains(where("id") == plan["id"]):
                raise PlanExists(plan.get("title", plan["id"]), plan["id"])
            table.insert(plan)
        return plan

    def save_plan(self, plan: dict[str, Any], *, expected_revision: int | None = None,
                  merge: Callable[[dict[str, Any], dict[str, Any]], None] | None = None) -> dict[str, Any]:
        """Store the whole plan. With expected_revision, refuse if someone else saved in between.
        `merge(stored, plan)` runs under the lock before the write (the history is kept there)."""
        plan = copy.deepcopy(plan)

        def build(stored: dict[str, Any]) -> dict[str, Any]:
            if expected_revision is not None and stored.get("revision", 0) != expected_revision:
                raise PlanConflict(stored.get("title", plan["id"]))
            if merge is not None:
                merge(copy.deepcopy(stored), plan)
            plan["revision"] = stored.get("revision", 0) + 1
            plan["updated"] = utc_stamp()
            return plan

        with self._locked():
            if self._splice(plan["id"], build) is not None:
                return plan
        with self._db() as db:
            table = self._plans(db)
            stored = table.get(where("id") == plan["id"])
            if stored is None:
                raise PlanNotFound(plan["id"], plan.get("title", ""))
            table.update(_replace_with(build(dict(stored))), doc_ids=[stored.doc_id])
        return plan

    def update_plan(self, plan_id: str, change: Callable[[dict[str, Any]], None], title: str = "") -> dict[str, Any]:
        """Read, change and write one plan while holding the lock: no concurrent update is lost."""
        def build(stored: dict[str, Any]) -> dict[str, Any]:
            plan = copy.deepcopy(stored)
            change(plan)
            plan["revision"] = stored.get("revision", 0) + 1
            plan["updated"] = utc_stamp()
            return plan

        with self._locked():
            spliced = self._splice(plan_id, build)
            if spliced is not None:
                return spliced
        with self._db() as db:
            table = self._plans(db)
            stored = table.get(where("id") == plan_id)
            if stored is None:
                raise PlanNotFound(plan_id, title)
            plan = build(dict(stored))
            table.update(_replace_with(plan), doc_ids=[stored.doc_id])
        return plan

    def delete_plan(self, plan_id: str) -> bool:
        with self._db() as db:
            removed = self._plans(db).remove(where("id") == plan_id)
        return bool(removed)

    # -- records set aside ---------------------------------------------------------------------------
    # A damaged plan record is moved out of the plans table into SET_ASIDE_TABLE, kept exactly as it
    # was, with the reason and the time. The store does not judge records: the caller does.
    def set_aside(self, doc_id: str, record: Any, reason: str) -> str | None:
        """Move the plan record `doc_id` aside, if it still is `record`; returns its number there."""
        with self._locked():
            check_writable(self.path)
            data = self._read_or_quarantine()
            if data is None:
                return None
            plans = _plans_of(data)
            if doc_id not in plans or plans[doc_id] != record:
                return None  # changed or gone since it was read: judged again next time
            data[PLANS_TABLE] = {k: v for k, v in plans.items() if k != doc_id}
            table = data.get(SET_ASIDE_TABLE)
            if isinstance(table, list):
                table = {str(n): entry for n, entry in enumerate(table, start=1)}
            if not isinstance(table, dict):
                table = {}
            numbers = [int(k) for k in table if str(k).isdigit()]
            number = str(max(numbers, default=0) + 1)
            entry: dict[str, Any] = {"doc_id": doc_id, "reason": reason, "at": utc_stamp()}
            if isinstance(record, RawRecord):
                entry["raw"] = record.text  # too deep to store as JSON inside JSON: its text, unchanged
            else:
                entry["record"] = record
            table[number] = entry
            data[SET_ASIDE_TABLE] = table
            AtomicJSONStorage(self.path).write(data)
        return number

    def set_aside_entries(self) -> list[tuple[str, dict[str, Any]]]:
        """(number, entry) of every record set aside, oldest first."""
        table = self._read_data().get(SET_ASIDE_TABLE)
        if isinstance(table, list):
            table = {str(n): entry for n, entry in enumerate(table, start=1)}
        if not isinstance(table, dict):
            return []
        entries = [(str(k), copy.deepcopy(v)) for k, v in table.items() if isinstance(v, dict)]
        return sorted(entries, key=lambda e: int(e[0]) if e[0].isdigit() else 0)

    def mark_set_aside(self, numbers: list[str], key: str) -> None:
        """Note on entries that they are dealt with (`key` = "dismissed" or "restored"); they stay."""
        if not numbers:
            return
        with self._locked():
            check_writable(self.path)
            data = self._read_or_quarantine() or {}
            table = data.get(SET_ASIDE_TABLE)
            if not isinstance(table, dict):
                return
            for number in numbers:
                if isinstance(table.get(number), dict):
                    table[number][key] = utc_stamp()
            AtomicJSONStorage(self.path).write(data)

    @staticmethod
    def set_aside_json(entry: dict[str, Any]) -> str:
        """The record of a set-aside entry as JSON text, exactly as it was stored."""
        if isinstance(raw := entry.get("raw"), str):
            return raw
        return dumps_database(entry.get("record"), indent=2)


def _same(value: Any) -> Any:
    return value


def _same_size(path: Path, size: int) -> bool:
    try:
        return path.stat().st_size == size
    except OSError:
        return False


def _replace_with(plan: dict[str, Any]) -> Callable[[MutableMapping[Any, Any]], None]:
    def transform(doc: MutableMapping[Any, Any]) -> None:
        doc.clear()
        doc.update(plan)

    return transform


def read_holder(path: Path) -> dict[str, str]:
    """Who holds a plan's edit lock, as written when it was taken; {} when unknown."""
    try:
        known = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(known, dict):
        return {}
    return {key: str(known[key])[:80] for key in ("name", "since") if isinstance(known.get(key), str)}
