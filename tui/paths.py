"""Where implan keeps its files. Nothing is created at import time."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "implan"
DB_ENV = "IMPLAN_DB"
DB_FILENAME = "implan.json"


def user_data_dir() -> Path:
    plain = _linux_user_data_dir()
    if plain is not None:
        return plain
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def _linux_user_data_dir() -> Path | None:
    """platformdirs' user data dir on a plain Linux ($XDG_DATA_HOME when absolute, else
    ~/.local/share), without importing it: it imports tempfile, shutil and the compression
    modules, which costs `implan list` more than the list. None anywhere else (another system,
    Android, a relative $XDG_DATA_HOME, no absolute HOME): then platformdirs decides."""
    if sys.platform != "linux" or hasattr(sys, "getandroidapilevel") or os.environ.get("ANDROID_ROOT"):
        return None
    xdg = os.environ.get("XDG_DATA_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / APP_NAME
    if xdg.strip():  # a relative one: platformdirs versions differ on it (4.0 takes it as it is)
        return None
    home = os.environ.get("HOME", "")
    if os.path.isabs(home):
        return Path(home.rstrip("/") or "/") / ".local" / "share" / APP_NAME
    return None


def default_db_path() -> Path:
    """The database the user gets when they choose none: $IMPLAN_DB, else the user data dir."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return user_data_dir() / DB_FILENAME


EXPORT_DIR_ENV = "IMPLAN_EXPORT_DIR"


def export_dir() -> Path:
    """Where the TUI saves exports, agendas and calendars unless the user types another folder:
    $IMPLAN_EXPORT_DIR, else the user's documents folder (not the folder implan was started from).
    The CLI writes where -o says."""
    env = os.environ.get(EXPORT_DIR_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_documents_dir())


def prepare_folder(target: Path) -> None:
    """Create the export folder when a file is about to go there and it does not exist yet (a
    new account may have no Documents folder). Any other missing folder is the user's typo and
    is reported, not created."""
    folder = target.parent
    if not folder.exists() and folder.expanduser().resolve() == export_dir().resolve():
        folder.mkdir(parents=True, exist_ok=True)


def user_config_dir() -> Path:
    """The user's settings (the theme): $IMPLAN_CONFIG_DIR, else the platform's config dir."""
    env = os.environ.get("IMPLAN_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def user_templates_dir() -> Path:
    """A user's (or a municipality's) own templates: every *.json here is loaded beside the shipped ones."""
    env = os.environ.get("IMPLAN_TEMPLATES")
    if env:
        return Path(env).expanduser()
    return user_data_dir() / "templates"


def _data_dir(name: str) -> Path:
    # Installed wheel: the data sits inside the package. Source checkout / editable install:
    # it sits at the top of the repository.
    packaged = Path(__file__).resolve().parent / "_data" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / name


def builtin_templates_dir() -> Path:
    return _data_dir("schemas")


def sample_plans_dir() -> Path:
    return _data_dir("sample_plans")
