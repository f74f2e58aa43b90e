"""Writing files so that a crash never leaves a half-written one: temp file, fsync, os.replace."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

TEMP_PREFIX = ".implan-tmp-"


def atomic_write_bytes(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace `path` with `data` in one step: readers see the old file or the new, never a mix."""
    path = Path(path).expanduser()
    if path.is_symlink():
        path = path.resolve()  # replace the file the link points to, keep the link
    if path.exists() and not path.is_file() and not path.is_dir():
        # A device or pipe (-o /dev/stdout, /dev/null, a FIFO): write into it. Replacing it
        # would put a plain file where the device was.
        with open(path, "wb") as stream:
            stream.write(data)
        return
    folder = path.parent
    if not folder.is_dir():
        raise FileNotFoundError(2, "No such file or directory", str(folder))
    fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX + path.name + ".", dir=folder)
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    fsync_dir(folder)


def atomic_write_text(path: Path, text: str, mode: int = 0o600) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), mode)


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
