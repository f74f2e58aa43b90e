"""The screens the first frame does not need, imported on first use (`lazy.WizardScreen`): the
home screen's first frame need not wait for the wizard, the export preview and the rest.
import_screens() loads them all, in a thread after the first frame, so the first Enter does
not wait either."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any, TypeGuard

_WHERE = {
    "ExportScreen": "tui.app.screens.export",
    "GuidanceScreen": "tui.app.screens.guide",
    "ReferenceScreen": "tui.app.screens.guide",
    "KeysScreen": "tui.app.screens.keys",
    "NewPlanScreen": "tui.app.screens.new_plan",
    "OutstandingScreen": "tui.app.screens.outstanding",
    "ReviewScreen": "tui.app.screens.review",
    "TimelineScreen": "tui.app.screens.timeline",
    "WizardScreen": "tui.app.screens.wizard",
}


def stylesheets() -> list[Path]:
    """Every screen's CSS file, as Textual resolves a screen's CSS_PATH (the file beside its module)."""
    return sorted(path.resolve() for path in Path(__file__).parent.glob("*.tcss"))


def import_screens() -> None:
    for module in sorted(set(_WHERE.values())):
        importlib.import_module(module)


def is_a(screen: object, name: str) -> TypeGuard[Any]:
    """isinstance(screen, <name>) without importing its module: a screen whose module is not
    loaded yet cannot be open (quitting from home must not wait for the wizard's import)."""
    cls = getattr(sys.modules.get(_WHERE[name]), name, None)
    return cls is not None and isinstance(screen, cls)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
