"""Writing files so that a crash never leaves a half-written one: temp file, fsync, os.replace.

Also what the CLI and the TUI both need around a file the user names: a safe file name for a
title, and an OSError in Danish. No Textual here."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

TEMP_PREFIX = ".implan-tmp-"


def atomic_write_bytes(path: Path, data: bytes | Sequence[bytes | memoryview], mode: int | None = 0o600) -> None:
    """Replace `path` with `data` in one step: readers see the old file or the new, never a mix.

    `mode` is the new file's permissions for implan's own files (the database, its backups:
    0o600, private). `mode=None` is for files the user asked for (exports, calendars): a new file
    gets what the user's umask gives (0o666 & ~umask, as `>` in a shell would), and an existing
    file keeps its own mode, so an export never widens who can read it.

    `data` may be a list of pieces, written one after the other (each write lets other threads
    run): a save splices one record into a large file without joining it in memory."""
    parts = [data] if isinstance(data, bytes) else list(data)
    path = Path(path).expanduser()
    if path.is_symlink():
        path = path.resolve()  # replace the file the link points to, keep the link
    if path.exists() and not path.is_file() and not path.is_dir():
        # A device or pipe (-o /dev/stdout, /dev/null, a FIFO): write into it. Replacing it
        # would put a plain file where the device was.
        with open(path, "wb") as stream:
            for part in parts:
                stream.write(part)
        return
    folder = path.parent
    if not folder.is_dir():
        raise FileNotFoundError(2, "No such file or directory", str(folder))
    keep = None
    if mode is None:
        keep = _existing_mode(path)
        if keep is not None and (not keep & 0o222 or not os.access(path, os.W_OK)):
            # A file the user made read-only (chmod 444) is not quietly replaced, even by root.
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
    fd, tmp_name = _create_temp(folder, path.name, 0o600 if mode is not None else 0o666)
    try:
        with os.fdopen(fd, "wb") as tmp:
            for part in parts:
                tmp.write(part)
            tmp.flush()
            if mode is not None:
                _chmod(tmp, tmp_name, mode)
            elif keep is not None:
                _chmod(tmp, tmp_name, keep)
            # else: the kernel applied the umask to 0o666 when the temp file was created
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    fsync_dir(folder)


def atomic_write_text(path: Path, text: str, mode: int | None = 0o600) -> None:
    """atomic_write_bytes of `text` as UTF-8."""
    atomic_write_bytes(path, text.encode("utf-8"), mode)


def _existing_mode(path: Path) -> int | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.S_IMODE(st.st_mode)


def _create_temp(folder: Path, name: str, permissions: int) -> tuple[int, str]:
    """A new temp file beside the target, created with `permissions` (the umask applies): the
    same name pattern as tempfile.mkstemp(prefix=TEMP_PREFIX + name + "."), which cleanup knows."""
    import secrets  # here: it imports random, which the CLI's start-up need not pay for

    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        tmp_name = os.path.join(folder, f"{TEMP_PREFIX}{name}.{secrets.token_hex(4)}")
        try:
            return os.open(tmp_name, flags, permissions), tmp_name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "No usable temporary name", str(folder))


def _chmod(stream: BinaryIO, name: str, mode: int) -> None:
    try:
        os.fchmod(stream.fileno(), mode)
    except AttributeError:  # no fchmod (Windows)
        os.chmod(name, mode)


def fsync_dir(folder: Path) -> None:
    """Make a rename durable. Not every platform can open a folder; there it is a no-op."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_stale_temp_files(path: Path) -> int:
    """Temp files a killed writer left beside `path`. Call only while holding the write lock."""
    removed = 0
    for stale in Path(path).parent.glob(TEMP_PREFIX + Path(path).name + ".*"):
        try:
            stale.unlink()
            removed += 1
        except OSError:
            pass
    return removed


_SAFE = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def safe_filename(title: str) -> str:
    """A file name anyone can mail and open: ascii letters, digits and hyphens."""
    name = re.sub(r"[^A-Za-z0-9]+", "-", title.translate(_SAFE)).strip("-").lower()
    return (name or "implementeringsplan")[:80]


_OS_REASONS = {
    errno.ENOENT: "findes ikke",
    errno.EACCES: "du har ikke adgang til den",
    errno.EPERM: "du har ikke adgang til den",
    errno.ENOSPC: "disken er fuld",
    errno.EISDIR: "det er en mappe",
    errno.ENOTDIR: "en del af stien er ikke en mappe",
    errno.EROFS: "den ligger på et skrivebeskyttet drev",
    errno.ELOOP: "for mange symbolske links i stien",
    errno.ENAMETOOLONG: "navnet er for langt",
    errno.EEXIST: "findes allerede",
    errno.EXDEV: "kan ikke flyttes mellem drev",
}


def describe_os_error(exc: OSError) -> str:
    """An OSError as a Danish sentence: the file and what is wrong with it. An OSError raised
    with a Danish message of our own (no errno) is that message."""
    reason = _OS_REASONS.get(exc.errno or 0)
    if reason is None:
        return str(exc) if not exc.errno else f"filfejl (fejlkode {exc.errno})"
    name = exc.filename or ""
    return f"{name}: {reason}." if name else reason.capitalize() + "."
