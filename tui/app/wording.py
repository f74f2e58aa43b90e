"""How the TUI words an error: a store error gets what helps in the app, never a command-line flag.

The store's errors carry their data and a message without flags (tui/store/errors.py); the CLI
words them for the terminal in tui/cli.py (describe_error).
"""

from __future__ import annotations

from tui.store import errors


def describe_error(exc: Exception) -> str:
    text = str(exc)
    if isinstance(exc, errors.DatabasePathLoop):
        return f"{text} Ret linket, eller start implan med en anden databasefil."
    return text
