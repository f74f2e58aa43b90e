"""The Textual app. Only `implan` without a subcommand imports this package."""

from __future__ import annotations

from pathlib import Path


def run(db_path: Path) -> int:
    from tui.app import memory

    memory.pause_for_start()
    from tui.app.app import ImplanApp

    app = ImplanApp(db_path)
    app.run()
    return app.return_code or 0
