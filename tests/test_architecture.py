"""The layers stay apart: the plan logic and the storage never need Textual, UI modules import
without a cycle, and screens are opened by the App, never by each other."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "tui"

# Small generic dialogs any screen may show itself; every other screen is opened by the App
# (tui/app/app.py) on a message from tui/app/messages.py.
DIALOGS = {"confirm", "prompt", "choice", "keys"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(folder: Path) -> list[str]:
    return sorted(module_name(p) for p in folder.rglob("*.py"))


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("module", modules(PACKAGE / "app"))
def test_every_ui_module_imports_alone(module):
    """In a fresh interpreter, so the order other modules were imported in cannot hide a cycle."""
    result = run_python(f"import {module}")
    assert result.returncode == 0, result.stderr


def test_plan_logic_storage_and_cli_never_import_textual():
    names = [m for m in modules(PACKAGE) if not m.startswith("tui.app") and m != "tui.__main__"]
    code = ("import importlib, sys\n"
            f"for name in {names!r}:\n"
            "    importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))\n")
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", f"textual imported by the layers below the UI: {result.stdout}"
    assert "tui.core.refs" in names and "tui.cli" in names and "tui.store" in names


def screen_imports(path: Path) -> list[tuple[str, str, int]]:
    """(screen module, name, line) of every import of another screen module in `path`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path.name}:{node.lineno}: relative import")
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("tui.app.screens."):
                found += [(node.module.rsplit(".", 1)[1], a.name, node.lineno) for a in node.names]
            elif node.module == "tui.app.screens":
                found += [(a.name, "*", node.lineno) for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(a.name.rsplit(".", 1)[1], "*", node.lineno) for a in node.names
                      if a.name.startswith("tui.app.screens.")]
    return found


def test_no_screen_imports_another_screen():
    screens = sorted((PACKAGE / "app" / "screens").glob("*.py"))
    assert len(screens) > 5
    wrong = [f"{path.name}:{line}: imports {name} from {module}"
             for path in screens for module, name, line in screen_imports(path)
             if module != path.stem and module not in DIALOGS]
    assert not wrong, "screens are opened by the App (post a message from tui/app/messages.py):\n" + "\n".join(wrong)


def test_the_architecture_check_sees_a_screen_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from tui.app.screens.wizard import WizardScreen\n", encoding="utf-8")
    assert screen_imports(bad) == [("wizard", "WizardScreen", 2)]


def test_danish_select_overlay_still_fits_textual():
    """The one patch of a private Textual class (ImplanApp.danish_select_overlay): this fails when
    Textual renames the overlay or changes its binding, so the patch is looked at again."""
    code = (
        "from textual.widgets import OptionList\n"
        "from textual.widgets._select import SelectOverlay\n"
        "assert issubclass(SelectOverlay, OptionList)\n"
        "assert hasattr(SelectOverlay, 'action_dismiss')\n"
        "keys = [(b.key, b.action, b.description) for b in SelectOverlay._merged_bindings.key_to_bindings['escape']]\n"
        "assert keys == [('escape', 'dismiss', 'Dismiss menu')], keys\n"
        "from tui.app.app import danish_select_overlay\n"
        "danish_select_overlay()\n"
        "keys = [(b.key, b.action, b.description) for b in SelectOverlay._merged_bindings.key_to_bindings['escape']]\n"
        "assert keys == [('escape', 'dismiss', 'Luk listen')], keys\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr


def test_danish_command_palette_still_fits_textual():
    """DanishCommandPalette replaces CommandPalette._start_no_matches_countdown (the only way to
    say "No matches found" in Danish): this fails when Textual changes that method, so the
    replacement is looked at again."""
    import inspect

    from textual.command import CommandPalette

    source = inspect.getsource(CommandPalette._start_no_matches_countdown)
    for part in ('"No matches found"', "self._stop_no_matches_countdown()", "self._NO_MATCHES_COUNTDOWN",
                 "self._list_visible = True", "command_list.add_option("):
        assert part in source, part
    assert isinstance(CommandPalette._NO_MATCHES, str)


def test_asking_whether_a_lazy_screen_is_open_does_not_import_it():
    """Quitting from home asks whether a wizard is open; that must not wait for the wizard's import."""
    code = ("import sys\n"
            "from tui.app.screens import lazy\n"
            "print(lazy.is_a(object(), 'WizardScreen'), 'tui.app.screens.wizard' in sys.modules)\n"
            "from tui.app.screens.wizard import WizardScreen\n"
            "print(lazy.is_a(WizardScreen.__new__(WizardScreen), 'WizardScreen'),"
            " lazy.is_a(object(), 'WizardScreen'))\n")
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "True", "False"]
