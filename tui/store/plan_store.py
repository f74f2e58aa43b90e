"""The plan database: every read-modify-write under a lock file, a backup on every open for writing."""

from __future__ import annotations

import contextlib
import copy
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

from filelock import FileLock, Timeout
from tinydb import TinyDB, where

from tui.fileio import atomic_write_bytes, remove_stale_temp_files
from tui.store.errors import (
    DatabaseDamaged,
    DatabaseLocked,
    DatabaseTooNew,
    PlanBusy,
    PlanConflict,
    PlanExists,
    PlanNotFound,
    StoreError,
)
from tui.store.json_storage import AtomicJSONStorage, UnreadableDatabase, read_database_file

SCHEMA_VERSION = 2
KEEP_BACKUPS = 10
PLANS_TABLE = "plans"
META_TABLE = "meta"
LOCK_TIMEOUT_SECONDS = 10.0



def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 keeps a follow-up history and meetings in each plan. Version 1 wrote no history;
    whatever a hand-edited file has there that is not a history entry is dropped."""
    for plan in data.get(PLANS_TABLE, {}).values():
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
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class PlanStore:
    """Plans as TinyDB documents in one JSON file. Open with `PlanStore.open(path)`."""

    def __init__(self, path: Path, lock_timeout: float = LOCK_TIMEOUT_SECONDS) -> None:
        # Through a symlink the real file is what gets replaced, and every path to it shares one lock.
        self.path = Path(path).expanduser().resolve()
        self.lock_timeout = lock_timeout
        self._lock = FileLock(str(self.path) + ".lock", timeout=lock_timeout)

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path, *, write: bool = True, lock_timeout: float = LOCK_TIMEOUT_SECONDS) -> "PlanStore":
        """Check the file; for writing also create it, migrate it, clean up and take a backup.

        Opening for reading touches nothing on disk: a missing database is simply empty.
        """
        store = cls(path, lock_timeout)
        if not write:
            store._check_readable()
            return store
        store.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with store._locked():
            remove_stale_temp_files(store.path)
            data = store._read_or_quarantine()
            if data is not None:
                store._check_version(data)
                store.write_backup()
                data = store._migrate(data)
            if data is None or META_TABLE not in data:
                data = dict(data or {})
                data[META_TABLE] = {"1": {"schema_version": SCHEMA_VERSION}}
                data.setdefault(PLANS_TABLE, {})
                AtomicJSONStorage(store.path).write(data)
        return store

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
        for row in data.get(META_TABLE, {}).values():
            if isinstance(row, dict) and isinstance(row.get("schema_version"), int):
                return row["schema_version"]
        return SCHEMA_VERSION if data.get(PLANS_TABLE) is None else 1

    def _migrate(self, data: dict[str, Any]) -> dict[str, Any]:
        version = self.schema_version_of(data)
        if version == SCHEMA_VERSION:
            return data
        while version < SCHEMA_VERSION:
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

    def _plans(self, db: TinyDB):
        return db.table(PLANS_TABLE, cache_size=0)

    def edit_lock(self, plan_id: str, title: str = "") -> FileLock:
        """Held while a plan is open in the app: a second window on the same plan is refused,
        so two editors never overwrite each other's typing."""
        folder = self.path.with_name(self.path.name + ".locks")
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = FileLock(str(folder / f"{plan_id}.lock"), timeout=0)
        try:
            lock.acquire()
        except Timeout:
            raise PlanBusy(title or plan_id) from None
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

    def backups(self) -> list[Path]:
        """Newest first."""
        if not self.backup_dir.is_dir():
            return []
        return sorted(self.backup_dir.glob("*.json"), reverse=True)

    def newest_backup(self) -> Path | None:
        found = self.backups()
        return found[0] if found else None

    def write_backup(self, keep: Path | None = None) -> Path | None:
        """Copy the database to the backup folder unless the newest backup already equals it.
        The oldest beyond KEEP_BACKUPS are removed, never `keep` (a backup about to be restored)."""
        try:
            current = self.path.read_bytes()
        except FileNotFoundError:
            return None
        if not current.strip():
            return None
        newest = self.newest_backup()
        if newest is not None and newest.read_bytes() == current:
            return newest
        self.backup_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        target = self.backup_dir / f"{self.path.stem}-{_utc_stamp()}.json"
        atomic_write_bytes(target, current, mode=0o600)
        for old in self.backups()[KEEP_BACKUPS:]:
            if keep is None or old.resolve() != Path(keep).resolve():
                old.unlink(missing_ok=True)
        return target

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
            try:
                read_database_file(self.path)
                self.write_backup(keep=backup)
            except UnreadableDatabase:
                self._read_or_quarantine_silently()
            atomic_write_bytes(self.path, content, mode=0o600)
        return backup

    def _read_or_quarantine_silently(self) -> None:
        with contextlib.suppress(DatabaseDamaged):
            self._read_or_quarantine()

    # -- plans -----------------------------------------------------------------------------------
    def list_plans(self) -> list[dict[str, Any]]:
        data = self._read_data()
        plans = [copy.deepcopy(p) for p in data.get(PLANS_TABLE, {}).values()]
        return sorted(plans, key=lambda p: p.get("created", ""))

    def get_plan(self, plan_id: str) -> dict[str, Any] | None:
        for plan in self._read_data().get(PLANS_TABLE, {}).values():
            if plan.get("id") == plan_id:
                return copy.deepcopy(plan)
        return None

    def _read_data(self) -> dict[str, Any]:
        try:
            data = read_database_file(self.path)
        except UnreadableDatabase:
            with self._locked():
                data = self._read_or_quarantine()
        return data or {}

    def add_plan(self, plan: dict[str, Any]) -> dict[str, Any]:
        plan = copy.deepcopy(plan)
        plan["revision"] = 1
        plan.setdefault("created", now_iso())
        plan["updated"] = plan.get("updated") or plan["created"]
        with self._db() as db:
            table = self._plans(db)
            if table.contains(where("id") == plan["id"]):
                raise PlanExists(plan.get("title", plan["id"]), plan["id"])
            table.insert(plan)
        return plan

    def save_plan(self, plan: dict[str, Any], *, expected_revision: int | None = None,
                  merge: Callable[[dict[str, Any], dict[str, Any]], None] | None = None) -> dict[str, Any]:
        """Store the whole plan. With expected_revision, refuse if someone else saved in between.
        `merge(stored, plan)` runs under the lock before the write (the history is kept there)."""
        plan = copy.deepcopy(plan)
        with self._db() as db:
            table = self._plans(db)
            stored = table.get(where("id") == plan["id"])
            if stored is None:
                raise PlanNotFound(plan["id"])
            if expected_revision is not None and stored.get("revision", 0) != expected_revision:
                raise PlanConflict(stored.get("title", plan["id"]))
            if merge is not None:
                merge(copy.deepcopy(dict(stored)), plan)
            plan["revision"] = stored.get("revision", 0) + 1
            plan["updated"] = now_iso()
            table.update(_replace_with(plan), doc_ids=[stored.doc_id])
        return plan

    def update_plan(self, plan_id: str, change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
        """Read, change and write one plan while holding the lock: no concurrent update is lost."""
        with self._db() as db:
            table = self._plans(db)
            stored = table.get(where("id") == plan_id)
            if stored is None:
                raise PlanNotFound(plan_id)
            plan = copy.deepcopy(dict(stored))
            change(plan)
            plan["revision"] = stored.get("revision", 0) + 1
            plan["updated"] = now_iso()
            table.update(_replace_with(plan), doc_ids=[stored.doc_id])
        return plan

    def delete_plan(self, plan_id: str) -> bool:
        with self._db() as db:
            removed = self._plans(db).remove(where("id") == plan_id)
        return bool(removed)


def _replace_with(plan: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def transform(doc: dict[str, Any]) -> None:
        doc.clear()
        doc.update(plan)

    return transform
