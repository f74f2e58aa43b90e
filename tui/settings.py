"""What implan remembers about the user between runs (the chosen colour theme): a small JSON
file, settings.json, in the user's config dir (tui/paths.py). Nothing is read or created at
import. A damaged or unreadable file gives the defaults and is replaced on the next change."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tui.fileio import atomic_write_text
from tui.paths import user_config_dir

SETTINGS_FILE = "settings.json"
MAX_SETTINGS_BYTES = 64 * 1024  # a settings file is a few lines; anything bigger is not ours


def settings_path() -> Path:
    return user_config_dir() / SETTINGS_FILE


def load_settings(path: Path | None = None) -> dict[str, Any]:
    """The settings as saved; {} (the defaults) when there is no file or it cannot be read."""
    path = path or settings_path()
    try:
        if not path.is_file() or path.stat().st_size > MAX_SETTINGS_BYTES:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def saved_theme(path: Path | None = None) -> str | None:
    theme = load_settings(path).get("theme")
    return theme if isinstance(theme, str) and theme else None


def save_setting(key: str, value: Any, path: Path | None = None) -> None:
    """Remember one setting (written atomically; the folder is made on the first save).
    Raises OSError when it cannot be written."""
    path = path or settings_path()
    settings = load_settings(path)
    if settings.get(key) == value:
        return
    settings[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(settings, ensure_ascii=False, indent=1) + "\n")
