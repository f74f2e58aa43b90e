"""The command line, run as a user runs it: a separate process, Danish on stderr, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES, TEMPLATE_IDS
from tests.md_tables import parse_tables

TODAY = "15-01-2027"


def implan(*args: str, db: Path | None = None, env: dict | None = None, check: bool = True):
    full_env = dict(os.environ)
    full_env.update(env or {})
    if db is not None:
        full_env["IMPLAN_DB"] = str(db)
    result = subprocess.run([sys.executable, "-m", "tui", *args], cwd=ROOT, capture_output=True, text=True,
                            env=full_env, timeout=120)
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def demo_db(tmp_path):
    db = tmp_path / "demo.json"
    implan("demo", "--today", TODAY, db=db)
    return db


def test_help_is_danish_and_does_not_import_textual():
    code = "import sys; from tui.cli import main\ntry: main(['--help'])\nexcept SystemExit: pass\n" \
           "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual','tinydb','jsonschema','markdown_it')))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert "brug: implan" in result.stdout and "kommandoer" in result.stdout
    assert result.stdout.strip().endswith("[]")


def test_templates_lists_all_four():
    out = implan("templates").stdout
    for template_id in TEMPLATE_IDS:
        assert template_id in out


def test_demo_loads_every_sample_once(tmp_path, demo_db):
    listed = implan("list", db=demo_db).stdout.strip().splitlines()
    assert len(listed) - 1 == len(list(SAMPLES.glob("*.json")))
    again = implan("demo", db=demo_db)
    assert "Findes allerede" in again.stderr
    assert len(implan("list", db=demo_db).stdout.strip().splitlines()) == len(listed)


def test_new_show_and_lookup_by_title_or_prefix(tmp_path):
    db = tmp_path / "x.json"
    plan_id = implan("new", "signs-of-safety", "Signs of Safety i Testrup", "--organisation", "Testrup Kommune",
                     db=db).stdout.strip()
    assert len(plan_id) == 32
    for ref in (plan_id, plan_id[:6], "signs of safety i testrup", "Testrup"):
        out = implan("show", ref, db=db).stdout
        assert "Signs of Safety i Testrup" in out and "0 af 3 afsnit udfyldt" in out


def test_ambiguous_and_unknown_plan_get_clear_messages(tmp_path):
    db = tmp_path / "x.json"
    implan("new", "barnets-lov", "Plan Nord", db=db)
    implan("new", "barnets-lov", "Plan Syd", db=db)
    result = implan("show", "Plan", db=db, check=False)
    assert result.returncode == 1 and "passer på 2 planer" in result.stderr
    result = implan("show", "Øst", db=db, check=False)
    assert result.returncode == 1 and "Ingen plan passer på »Øst«" in result.stderr


def test_errors_are_danish_on_stderr_with_nonzero_exit(tmp_path):
    db = tmp_path / "x.json"
    result = implan("new", "findes-ikke", "X", db=db, check=False)
    assert result.returncode == 1 and "Skabelonen »findes-ikke« findes ikke" in result.stderr
    result = implan("outstanding", "--today", "31-02-2027", db=db, check=False)
    assert result.returncode == 2 and "findes ikke i kalenderen" in result.stderr
    result = implan("import", str(tmp_path / "mangler.json"), db=db, check=False)
    assert result.returncode == 1 and "findes ikke" in result.stderr and "Traceback" not in result.stderr
    result = implan("frobnicate", db=db, check=False)
    assert result.returncode == 2 and "ugyldigt valg" in result.stderr


def test_damaged_database_gives_danish_message_and_keeps_the_file(tmp_path):
    db = tmp_path / "x.json"
    db.write_text("{ødelagt", encoding="utf-8")
    result = implan("list", db=db, check=False)
    assert result.returncode == 1 and "beskadiget" in result.stderr
    assert [p.read_text(encoding="utf-8") for p in tmp_path.glob("x.json.beskadiget-*")] == ["{ødelagt"]


def test_outstanding_filters_and_plain_output_when_piped(demo_db):
    everything = implan("outstanding", "--today", TODAY, db=demo_db).stdout.rstrip("\n").split("\n")
    header = everything[0].split("\t")
    assert header[:2] == ["Gruppe", "Plan"] and "Ansvarlig" in header and header[-1] == "Bemærkning"
    who = header.index("Ansvarlig")
    rows = [line.split("\t") for line in everything[1:]]
    assert rows and all(len(r) == len(header) for r in rows)
    overdue = implan("outstanding", "--overdue", "--today", TODAY, db=demo_db).stdout.strip().splitlines()[1:]
    assert 0 < len(overdue) < len(rows)
    assert all(line.split("\t")[0] == "Overskredet" for line in overdue)
    someone = rows[0][who]
    mine = implan("outstanding", "--responsible", someone.split()[0].lower(), "--today", TODAY,
                  db=demo_db).stdout.strip().splitlines()[1:]
    assert mine and all(someone.split()[0].lower() in line.split("\t")[who].lower() for line in mine)
    with_closed = implan("outstanding", "--all", "--today", TODAY, db=demo_db).stdout.rstrip("\n").split("\n")
    assert len(with_closed) > len(everything)  # the samples have done initiatives


def test_export_formats_and_round_trip(tmp_path, demo_db):
    first = implan("list", db=demo_db).stdout.strip().splitlines()[1].split("\t")[0]
    md = tmp_path / "plan.md"
    result = implan("export", first, "-o", str(md), "--today", TODAY, db=demo_db)
    assert "Skrevet:" in result.stderr and str(md.resolve()) in result.stderr
    assert parse_tables(md.read_text(encoding="utf-8"))
    html = tmp_path / "plan.html"
    implan("export", first, "-o", str(html), db=demo_db)
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    exported = tmp_path / "plan.json"
    implan("export", first, "--format", "json", "-o", str(exported), db=demo_db)
    assert implan("validate", str(exported)).stdout.startswith("Planfilen er gyldig")
    other = tmp_path / "other.json"
    implan("import", str(exported), db=other)
    assert json.loads(exported.read_text())["plan"]["id"][:8] in implan("list", db=other).stdout
    refused = implan("import", str(exported), db=other, check=False)
    assert refused.returncode == 1 and "findes allerede" in refused.stderr
    implan("import", str(exported), "--copy", db=other)
    assert len(implan("list", db=other).stdout.strip().splitlines()) == 3


def test_validate_template_and_broken_file(tmp_path):
    assert "Skabelonen er gyldig" in implan("validate", str(ROOT / "schemas" / "signs-of-safety.json")).stdout
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "implan-template/1", "id": "X y"}', encoding="utf-8")
    result = implan("validate", str(broken), check=False)
    assert result.returncode == 1 and "broken.json" in result.stderr and "kan ikke bruges" in result.stderr


def test_backups_and_restore(tmp_path):
    db = tmp_path / "x.json"
    implan("new", "barnets-lov", "Første", db=db)
    implan("new", "barnets-lov", "Anden", db=db)  # opening for writing backed up the state with "Første"
    assert implan("backups", db=db).stdout.strip()
    implan("restore", db=db)
    listed = implan("list", db=db).stdout
    assert "Første" in listed and "Anden" not in listed


def test_import_refuses_answers_of_the_wrong_kind_and_cleans_text(tmp_path):
    db = tmp_path / "x.json"
    sample = json.loads((SAMPLES / "barnets-lov-solbjerg.json").read_text(encoding="utf-8"))
    first = sample["plan"]["added_items"][0]["id"]
    bad = json.loads(json.dumps(sample))
    bad["plan"]["answers"][first]["milepaele"] = "ikke en liste"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    result = implan("import", str(path), db=db, check=False)
    assert result.returncode == 1 and "skal være en liste af milepæle" in result.stderr
    hostile = json.loads(json.dumps(sample))
    hostile["plan"]["title"] = "Plan \x1b[2J\x1b]0;pwned\x07 ok"
    path.write_text(json.dumps(hostile), encoding="utf-8")
    implan("import", str(path), db=db)
    listed = implan("list", db=db).stdout
    assert "\x1b" not in listed and "Plan [2J]0;pwned ok" in listed


def test_closed_pipe_is_quiet(tmp_path, demo_db):
    code = ("import subprocess, sys; p = subprocess.Popen([sys.executable, '-m', 'tui', 'export', 'demo-barnets-lov'],"
            " stdout=subprocess.PIPE, stderr=subprocess.PIPE); p.stdout.close(); print(p.wait(), p.stderr.read().decode())")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env=dict(os.environ, IMPLAN_DB=str(demo_db)))
    assert result.stdout.split()[0] == "0" and "filfejl" not in result.stdout


def test_outstanding_for_cron_formats_and_exit_code(tmp_path, demo_db):
    overdue = implan("outstanding", "--overdue", "--fail-if-overdue", "--today", TODAY, db=demo_db, check=False)
    assert overdue.returncode == 3 and overdue.stdout
    calm = implan("outstanding", "--overdue", "--fail-if-overdue", "--today", "01-01-2020", db=demo_db, check=False)
    assert calm.returncode == 0
    data = json.loads(implan("outstanding", "--format", "json", "--due-within", "10", "--today", TODAY,
                             db=demo_db).stdout)
    limit = "2027-01-25"
    assert data["initiatives"] and all(i["deadline"] <= limit for i in data["initiatives"])
    groups = {i["group"] for i in data["initiatives"]}
    assert groups <= {"overskredet", "denne-uge", "senere"}
    md = implan("outstanding", "--format", "md", "--today", TODAY, db=demo_db).stdout
    assert md.startswith("# Udestående initiativer") and "## Overskredet (" in md
    ics = tmp_path / "frister.ics"
    implan("outstanding", "--format", "ics", "-o", str(ics), "--today", TODAY, db=demo_db)
    assert ics.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")


def test_meeting_changes_agenda_and_timeline(tmp_path, demo_db):
    plan = "demo-barnets-lov"
    implan("meeting", plan, "--next", "01-02-2027", db=demo_db)
    # Today as the meeting's day: nothing has fallen overdue in between.
    unchanged = implan("changes", plan, db=demo_db).stdout
    assert "Intet er ændret" in unchanged
    out = implan("outstanding", "--plan", plan, "--format", "json", "--today", TODAY, db=demo_db).stdout
    first = json.loads(out)["initiatives"][0]
    exported = tmp_path / "plan.json"
    implan("export", plan, "--format", "json", "-o", str(exported), db=demo_db)
    data = json.loads(exported.read_text(encoding="utf-8"))
    data["plan"]["answers"][first["item_id"]]["status"] = "gennemfoert"
    exported.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    implan("import", str(exported), "--replace", db=demo_db)
    changes = implan("changes", plan, db=demo_db).stdout
    assert "Gennemført:" in changes and f"»{first['initiative']}«: status I gang → Gennemført" in changes
    agenda = tmp_path / "dagsorden.md"
    implan("agenda", plan, "-o", str(agenda), "--today", TODAY, db=demo_db)
    text = agenda.read_text(encoding="utf-8")
    assert "| Næste møde | 01-02-2027 |" in text and "status I gang → Gennemført" in text
    timeline = implan("timeline", plan, "--today", TODAY, db=demo_db).stdout
    assert "▼ i dag" in timeline and "◆" in timeline
    mermaid = implan("timeline", plan, "--format", "mermaid", "--today", TODAY, db=demo_db).stdout
    assert mermaid.startswith("```mermaid\ngantt")


def test_without_a_command_outside_a_terminal_it_says_so_and_a_wrong_word_lists_the_commands(tmp_path):
    db = tmp_path / "implan.json"
    for args in ((), ("--db", str(db)), (f"--db={db}",)):
        started = implan(*args, check=False)  # stdin is not a terminal here
        assert started.returncode == 2
        assert "programmet skal køre i en terminal" in started.stderr
    wrong = implan("--db", str(db), "lsit", check=False)
    assert wrong.returncode == 2 and "ugyldigt valg: 'lsit'" in wrong.stderr and "'outstanding'" in wrong.stderr
    assert not db.exists()
