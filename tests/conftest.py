from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
SAMPLES = ROOT / "sample_plans"
SEEDS = ROOT.parent / "shared" / "seeds"
# Every template shipped in schemas/ (a new one is picked up by the tests without a change here).
TEMPLATE_IDS = sorted(p.stem for p in SCHEMAS.glob("*.json") if not p.name.endswith(".schema.json"))
NATIONAL_TEMPLATES = {"barnets-lov", "ngo-samarbejde", "signs-of-safety", "familieraadslagning"}


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path, monkeypatch):
    """No test touches the real user dirs: own templates, the database, exports and settings live in tmp."""
    monkeypatch.setenv("IMPLAN_TEMPLATES", str(tmp_path / "user-templates"))
    monkeypatch.setenv("IMPLAN_DB", str(tmp_path / "db" / "implan.json"))
    monkeypatch.setenv("IMPLAN_EXPORT_DIR", str(tmp_path / "documents"))  # the TUI's exports
    monkeypatch.setenv("IMPLAN_CONFIG_DIR", str(tmp_path / "config"))  # the remembered theme
    monkeypatch.setenv("NO_COLOR", "1")
    # Tests that count backups take one at every open after a change; the time rule is tested
    # on its own (tests/test_storage_speed.py).
    monkeypatch.setenv("IMPLAN_BACKUP_MINUTES", "0")


DEMO_TODAY = date(2026, 11, 22)  # the sample plans' anchor day


@pytest.fixture
def demo_db(tmp_path):
    """The example plans in a new database, loaded as on DEMO_TODAY."""
    from tui.core.workspace import Workspace
    from tui.paths import sample_plans_dir

    db = tmp_path / "implan.json"
    Workspace.open(db, write=True).load_demo(sample_plans_dir(), DEMO_TODAY)
    return db


@pytest.fixture(scope="session")
def library():
    from tui.core.templates import load_library

    lib = load_library(SCHEMAS, Path("/nonexistent"), validate_builtin=True)
    assert lib.errors == []
    return lib


def sample_files() -> list[Path]:
    return sorted(SAMPLES.glob("*.json"))


def load_sample(path: Path, library):
    """A sample plan as a Plan, and the day its dates were written for."""
    from tui.core.exchange import read_plan_file
    from tui.core.plan import Plan

    data, anchor = read_plan_file(path, library)
    return Plan(data, library.get(data["template"]["id"])), date.fromisoformat(anchor)


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))
