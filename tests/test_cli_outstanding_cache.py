"""`implan outstanding` read from the summary cache beside the database (issue 11): the same
output as building every plan, whether the cache is fresh, missing or stale, and only the plans
the filters may show are read."""

from __future__ import annotations

import copy
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES
from tui import cli
from tui.core import outstanding_view
from tui.store import summary_cache

TODAY = "15-01-2027"
ARGS = [
    [],
    ["--all"],
    ["--overdue"],
    ["--due-within", "30"],
    ["--responsible", "mette"],
    ["--responsible", "Mette", "--format", "md"],
    ["--format", "md", "--all"],
    ["--format", "json", "--all"],
    ["--format", "ics", "--all"],
    ["--plan", "Signs"],
    ["--plan", "Signs", "--format", "json"],
    ["--plan", "barnets", "--format", "ics"],
    ["--plan", "Implementering"],  # several plans: the Workspace's message
    ["--plan", "findes ikke"],
    ["--plan", "Uden skabelon"],  # its template is not here
    ["--fail-if-overdue"],
    ["--responsible", "ingen med det navn"],
]


@pytest.fixture
def db(tmp_path):
    from tui.core.workspace import Workspace

    path = tmp_path / "implan.json"
    ws = Workspace.open(path, write=True)
    ws.load_demo(SAMPLES, date(2027, 1, 15))
    orphan = copy.deepcopy(ws.plans()[0].data)
    orphan.update(id="0" * 32, title="Uden skabelon", template=dict(orphan["template"], id="findes-ikke"))
    ws.store.add_plan(orphan)
    return path


def run(capsys, db: Path, args: list[str]) -> tuple[str, str, int]:
    code = cli.main(["--db", str(db), "outstanding", "--today", TODAY, *args])
    out, err = capsys.readouterr()
    return out.replace("\r\n", "\n").split("DTSTAMP:")[0], err, code  # ics: a stamp of now


def built(capsys, monkeypatch, db: Path, args: list[str]) -> tuple[str, str, int]:
    """The output when every plan is built (as before the cache kept what the view needs)."""
    with monkeypatch.context() as patch:
        patch.setattr(outstanding_view, "cached_plans", lambda doc: None)
        return run(capsys, db, args)


def test_the_cache_gives_what_building_every_plan_gives(db, capsys, monkeypatch):
    expected = {tuple(args): built(capsys, monkeypatch, db, args) for args in ARGS}
    assert "Uden skabelon" in expected[()][1]  # the orphan is warned about, as before
    summary_cache.cache_path(db).unlink()
    for args in ARGS:  # the first without a cache, then with a fresh one
        assert run(capsys, db, args) == expected[tuple(args)], args
    assert summary_cache.rows_path(db).is_file()


def test_a_stale_or_damaged_cache_gives_the_output_of_the_database_as_it_is(db, capsys, monkeypatch):
    from tui.core.workspace import Workspace

    run(capsys, db, [])  # the cache written
    ws = Workspace.open(db, write=True)
    plan = next(p for p in ws.plans() if "Signs" in p.title)

    def change(p):
        p.data["title"] = "Signs of Safety, ændret"

    ws.update(plan.id, change)
    rows_before = summary_cache.rows_path(db).read_bytes()
    cli.main(["--db", str(db), "list"])  # the list brings the cache up to date, and makes no rows
    capsys.readouterr()
    assert summary_cache.rows_path(db).read_bytes() == rows_before
    for args in ([], ["--plan", "ændret", "--format", "json"], ["--format", "md"]):
        assert run(capsys, db, args) == built(capsys, monkeypatch, db, args), args
        assert "Signs of Safety, ændret" in run(capsys, db, args)[0]
    for damage in (b"not the rows the cache names\n", None):
        if damage is None:
            summary_cache.rows_path(db).unlink()
        else:
            summary_cache.rows_path(db).write_bytes(damage)
        assert run(capsys, db, ["--responsible", "mette"]) == built(capsys, monkeypatch, db, ["--responsible", "mette"])
        doc = summary_cache.read_cache(db)
        assert doc is not None and summary_cache.rows_named(db, doc["rows"])  # made again, with the cache
        assert run(capsys, db, []) == built(capsys, monkeypatch, db, [])


def test_only_the_plans_the_filters_may_show_are_read(db, capsys, monkeypatch):
    run(capsys, db, [])
    read: list[int] = []
    real = summary_cache.read_rows

    def counting(path, token, places):
        read.append(len(places))
        return real(path, token, places)

    monkeypatch.setattr(summary_cache, "read_rows", counting)
    # --responsible: who is in each plan, then the rows of the plans the person is in.
    for args, reads in ((["--plan", "Signs"], [1]), ([], [4]), (["--responsible", "ingen med det navn"], [4, 0]),
                        (["--plan", "Signs", "--responsible", "mette"], [1, 1]),
                        (["--overdue", "--today", "01-01-2020"], [0])):
        read.clear()
        run(capsys, db, args)
        assert read == reads, args


HEAVY = ("tui.store.plan_store", "tui.core.templates", "tui.core.workspace", "jsonschema", "filelock", "tinydb",
         "dataclasses", "platformdirs", "typing", "hashlib", "shutil")


@pytest.mark.parametrize("command", [["outstanding", "--format", "md"], ["outstanding", "--plan", "Signs"], ["list"]])
def test_list_and_outstanding_from_a_fresh_cache_import_nothing_heavy(db, capsys, command):
    run(capsys, db, [])
    code = ("import sys; before = set(sys.modules); from tui.cli import main\n"
            f"main(['--db', {str(db)!r}, *{command!r}])\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules and m not in before), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout
    assert result.stderr.strip().splitlines()[-1] == "[]"  # (what Python's start-up imported is not counted)


@pytest.mark.skipif(sys.platform != "linux", reason="the plain Linux answer only")
@pytest.mark.parametrize("xdg", ["", "/tmp/xdg-data", "relative"])
@pytest.mark.parametrize("home", ["/home/someone", "/", "relative", ""])
def test_the_user_data_dir_is_the_one_platformdirs_gives(monkeypatch, xdg, home):
    import platformdirs

    from tui import paths

    monkeypatch.setenv("XDG_DATA_HOME", xdg)
    monkeypatch.setenv("HOME", home)
    plain = paths._linux_user_data_dir()
    assert plain is None or plain == Path(platformdirs.user_data_dir(paths.APP_NAME, appauthor=False))
    decided_here = xdg.startswith("/") or (not xdg and home.startswith("/"))
    assert (plain is None) == (not decided_here)


def test_where_no_cache_can_be_written_the_rows_are_read_from_memory(db, capsys, monkeypatch):
    import tui.fileio

    expected = {tuple(args): built(capsys, monkeypatch, db, args) for args in ([], ["--plan", "Signs"])}
    real = tui.fileio.atomic_write_bytes

    def refuse_caches(path, data, mode=0o600):
        if str(path).endswith((".summary", ".rows")):
            raise OSError(30, "Read-only file system")
        return real(path, data, mode=mode)

    monkeypatch.setattr(tui.fileio, "atomic_write_bytes", refuse_caches)
    summary_cache.cache_path(db).unlink()
    summary_cache.rows_path(db).unlink(missing_ok=True)
    built_plans: list[int] = []
    from tui.core import followup

    real_build = followup.build_outstanding
    monkeypatch.setattr(followup, "build_outstanding", lambda plans, today: built_plans.append(1) or
                        real_build(plans, today))
    for args, output in expected.items():
        assert run(capsys, db, list(args)) == output, args
    assert not summary_cache.cache_path(db).exists() and built_plans == []  # no plan built a second time


def test_udestaaende_view_from_the_kept_rows_is_the_view_built_from_the_plans(db):
    """Workspace.cached_outstanding (the Udestående screen's data): the same entries and decisions
    as building every plan, when the rows are missing, current, and after a change to one plan."""
    from tui.core import followup
    from tui.core.initiatives import plan_initiatives, set_status
    from tui.core.workspace import Workspace

    today = date(2027, 1, 15)

    def said(view):
        return ([(e.initiative, e.group, e.notes) for e in view.entries],
                [(d.plan_id, d.finding.kind, d.finding.item_id, d.finding.message) for d in view.decisions])

    def both():
        built = followup.build_outstanding(Workspace.open(db).plans(), today)
        return said(Workspace.open(db).cached_outstanding(today)), said(built)

    summary_cache.rows_path(db).unlink(missing_ok=True)  # as the list and home leave it: no rows yet
    cached, built = both()
    assert cached == built and cached[0]
    first = Workspace.open(db).plans()[0]

    def close(plan):
        set_status(plan, plan_initiatives(plan)[0], "gennemfoert")

    Workspace.open(db, write=True).update(first.id, close)
    cached, built = both()
    assert cached == built
