"""Issue 8, sections 3 and 4: dates in range, file modes, bounded reads of the templates folder and of
files given on the command line, a closed stdout, titles starting with '-', nothing raw on the
terminal, and every import/validation error listed in Danish."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import ROOT, SCHEMAS, TEMPLATE_IDS, read_json
from tui.core.dates import DateError, format_date, from_iso, parse_date, to_iso
from tui.core.plan import clean_text
from tui.core.text import is_unsafe, json_escape_unsafe, safe_for_terminal, strip_unsafe

RANGE = "01-01-1900 til 31-12-2200"
HOSTILE = "\x1b]0;owned\x07\x1b[2J\u202e\x9b31m"
RAW = ("\x1b", "\x07", "\u202e", "\x9b")
SCHEMA_WORDS = ("anyOf", "oneOf", "allOf", "additionalProperties", "const", "propertyNames", "fejl mere)")


def implan(*args: str, db: Path | None = None, env: dict | None = None, check: bool = True,
           umask: int | None = None, close_stdout: bool = False, timeout: float = 60):
    full_env = dict(os.environ)
    full_env.update(env or {})
    if db is not None:
        full_env["IMPLAN_DB"] = str(db)

    def before():
        if umask is not None:
            os.umask(umask)
        if close_stdout:
            os.close(1)

    result = subprocess.run([sys.executable, "-m", "tui", *args], cwd=ROOT, capture_output=True, text=True,
                            env=full_env, timeout=timeout,
                            preexec_fn=before if umask is not None or close_stdout else None)
    if check:
        assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def exchange(answers: dict, title: str = "Plan", template: str = "ngo-samarbejde", **plan) -> dict:
    return {"format": "implan-plan/1", "plan": {
        "id": plan.pop("id", "c" * 32), "template": {"id": template, "version": "1.0.0"}, "title": title,
        "organisation": plan.pop("organisation", ""), "answers": answers, **plan}}


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def raw_in(*texts: str) -> list[str]:
    return [ch for ch in RAW for text in texts if ch in text]


def store_raw(db: Path, change) -> str:
    """A plan written straight into the database, as an old version or a hand edit could leave it."""
    from tui.core.workspace import Workspace

    ws = Workspace.open(db, write=True)
    plan = ws.create("ngo-samarbejde", "Gammel plan")
    ws.store.update_plan(plan.id, change)
    return plan.id


# -- B1: dates ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["31-12-9999", "9999-12-31", "01-01-0001", "0001-01-01", "31-12-1899", "01-01-2201"])
def test_dates_outside_1900_to_2200_are_refused_with_the_range(typed):
    with pytest.raises(DateError) as err:
        parse_date(typed)
    assert RANGE in str(err.value) and "uden for det tidsrum" in str(err.value)


def test_the_ends_of_the_range_are_dates():
    assert parse_date("01-01-1900") == date(1900, 1, 1)
    assert parse_date("2200-12-31") == date(2200, 12, 31)


@pytest.mark.parametrize("typed", ["٠١-٠٣-٢٠٢٧", "０１-０３-２０２７", "०१-०३-२०२७", "01-03-２０２７", "2027-03-٠١"])
def test_digits_other_than_0_to_9_are_refused(typed):
    with pytest.raises(DateError) as err:
        parse_date(typed)
    assert "0-9" in str(err.value)


def test_separators_are_read_as_the_readme_says():
    for typed in ("01-03-2027", "01.03.2027", "01/03/2027", "1-3-2027", "2027-03-01", " 01-03-2027 "):
        assert to_iso(typed) == "2027-03-01"
    for typed in ("01-03/2027", "01.03-2027", "01/03/27", "2027/03/01", "20270301"):
        with pytest.raises(DateError):
            parse_date(typed)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "`01.03.2027`, `01/03/2027`" in readme and "mellem 01-01-1900 og 31-12-2200" in readme


def test_a_stored_date_out_of_range_reads_as_no_date_and_is_flagged(library):
    from tui.core.enums import FindingKind
    from tui.core.findings import plan_findings
    from tui.core.initiatives import plan_initiatives
    from tui.core.plan import Plan, new_plan_data

    assert from_iso("9999-12-31") is None and from_iso("0001-01-01") is None
    assert format_date("9999-12-31") == "9999-12-31"  # shown as it is, not as a date
    assert format_date("\x1b[2J") == "\\x1b[2J"
    template = library.get("ngo-samarbejde")
    data = new_plan_data(template, "Gammel")
    data["answers"] = {"mervaerdi": {"initiativer": "Noget", "ansvarlig": "Bo", "deadline": "9999-12-31",
                                     "milepaele": [{"id": "m1", "text": "Start", "date": "0001-01-01"}]}}
    plan = Plan(data, template)
    [ini] = [i for i in plan_initiatives(plan) if i.item_id == "mervaerdi"]
    assert ini.deadline is None and ini.milestones[0].date is None
    flagged = [f for f in plan_findings(plan) if f.kind == FindingKind.BAD_DATE and f.item_id == "mervaerdi"]
    assert len(flagged) == 2


def test_cli_date_options_refuse_out_of_range_in_danish(tmp_path):
    db = tmp_path / "x.json"
    for args in (["list", "--today", "31-12-9999"], ["outstanding", "--today", "01-01-0001"],
                 ["list", "--today", "٠١-٠٣-٢٠٢٧"]):
        result = implan(*args, db=db, check=False)
        assert result.returncode == 2
        assert RANGE in result.stderr or "0-9" in result.stderr
    plan_id = implan("new", "barnets-lov", "Møder", db=db).stdout.strip()
    result = implan("meeting", plan_id, "--next", "31-12-9999", db=db, check=False)
    assert result.returncode == 2 and RANGE in result.stderr
    result = implan("agenda", plan_id, "--next", "9999-12-31", db=db, check=False)
    assert result.returncode == 2 and RANGE in result.stderr


def test_import_refuses_an_out_of_range_date_naming_the_field(tmp_path):
    path = write_json(tmp_path / "plan.json", exchange({"mervaerdi": {
        "deadline": "31-12-9999", "milepaele": [{"text": "Start", "date": "9999-01-01"}]}}))
    result = implan("import", str(path), db=tmp_path / "x.json", check=False)
    assert result.returncode == 1 and RANGE in result.stderr
    assert "svaret på feltet »deadline« i elementet »mervaerdi«" in result.stderr
    assert "svaret på feltet »milepaele« i elementet »mervaerdi«" in result.stderr
    assert "c" * 8 not in implan("list", db=tmp_path / "x.json").stdout  # nothing was stored


def test_a_stored_out_of_range_date_crashes_no_command(tmp_path):
    db = tmp_path / "x.json"

    def far_dates(data):
        data["answers"] = {"mervaerdi": {"initiativer": "Noget", "ansvarlig": "Bo", "deadline": "9999-12-31",
                                         "milepaele": [{"id": "m1", "text": "Start", "date": "9999-12-31"}]},
                           "maalgruppe": {"initiativer": "Andet", "deadline": "0001-01-01"}}

    plan_id = store_raw(db, far_dates)
    for args in (["timeline"], ["timeline", "--format", "mermaid"], ["outstanding", "--format", "ics"],
                 ["outstanding"], ["outstanding", "--format", "json"], ["list"], ["show", plan_id],
                 ["agenda", plan_id], ["export", plan_id], ["export", plan_id, "--format", "html"]):
        result = implan(*args, db=db)
        assert result.returncode == 0
    shown = implan("show", plan_id, db=db).stdout
    assert "ikke en gyldig dato (9999-12-31)" in shown


# -- B2: file modes -----------------------------------------------------------------------------------

def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_exports_honour_the_umask_and_the_database_stays_private(tmp_path):
    db = tmp_path / "x.json"
    plan_id = implan("new", "barnets-lov", "Rettigheder", db=db, umask=0).stdout.strip()
    assert mode(db) == 0o600  # even under umask 000
    implan("export", plan_id, "-o", str(tmp_path / "privat.md"), db=db, umask=0o077)
    implan("outstanding", "--format", "ics", "-o", str(tmp_path / "privat.ics"), db=db, umask=0o077)
    implan("agenda", plan_id, "-o", str(tmp_path / "dagsorden.md"), db=db, umask=0o077)
    implan("export", plan_id, "-o", str(tmp_path / "gruppe.html"), db=db, umask=0o027)
    implan("export", plan_id, "-o", str(tmp_path / "alle.json"), db=db, umask=0o022)
    assert mode(tmp_path / "privat.md") == 0o600
    assert mode(tmp_path / "privat.ics") == 0o600
    assert mode(tmp_path / "dagsorden.md") == 0o600
    assert mode(tmp_path / "gruppe.html") == 0o640
    assert mode(tmp_path / "alle.json") == 0o644
    assert mode(db) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".implan-tmp-")] == []


def test_an_existing_file_keeps_its_mode_and_a_read_only_one_is_not_replaced(tmp_path):
    db = tmp_path / "x.json"
    plan_id = implan("new", "barnets-lov", "Rettigheder", db=db).stdout.strip()
    private = tmp_path / "plan.md"
    private.write_text("gammel")
    private.chmod(0o600)
    implan("export", plan_id, "-o", str(private), db=db, umask=0o022)
    assert mode(private) == 0o600 and "Rettigheder" in private.read_text()
    group = tmp_path / "plan.ics"
    group.write_text("gammel")
    group.chmod(0o640)
    implan("outstanding", "--format", "ics", "-o", str(group), db=db, umask=0o000)
    assert mode(group) == 0o640
    locked = tmp_path / "laast.md"
    locked.write_text("behold mig")
    locked.chmod(0o444)
    result = implan("export", plan_id, "-o", str(locked), db=db, check=False)
    assert result.returncode == 1 and "du har ikke adgang" in result.stderr
    assert locked.read_text() == "behold mig" and mode(locked) == 0o444


def test_atomic_write_keeps_the_private_mode_for_the_database_files(tmp_path):
    from tui.fileio import atomic_write_text

    target = tmp_path / "db.json"
    target.write_text("{}")
    target.chmod(0o644)
    atomic_write_text(target, "{}", mode=0o600)  # an explicit mode is what the file gets
    assert mode(target) == 0o600


# -- B3: bounded reads ---------------------------------------------------------------------------------

@pytest.fixture
def odd_templates(tmp_path):
    folder = tmp_path / "egne"
    folder.mkdir()
    os.mkfifo(folder / "x.json")
    (folder / "z.json").symlink_to("/dev/zero")
    with open(folder / "stor.json", "wb") as big:
        big.write(b" " * (5 * 1024 * 1024))
    good = read_json(SCHEMAS / "signs-of-safety.json")
    good["id"] = "vores-egen"
    write_json(folder / "vores-egen.json", good)
    return folder


def test_templates_folder_skips_fifo_dev_zero_and_huge_files_promptly(odd_templates):
    result = implan("templates", env={"IMPLAN_TEMPLATES": str(odd_templates)}, timeout=20)
    for template_id in [*TEMPLATE_IDS, "vores-egen"]:
        assert template_id in result.stdout
    warnings = result.stderr.splitlines()
    assert any(str(odd_templates / "x.json") in w and "pipe" in w for w in warnings)
    assert any(str(odd_templates / "z.json") in w and "enhedsfil" in w for w in warnings)
    assert any(str(odd_templates / "stor.json") in w and "for stor" in w for w in warnings)
    # every other command loads the folder too: none of them hangs
    implan("list", env={"IMPLAN_TEMPLATES": str(odd_templates)}, db=odd_templates.parent / "x.json", timeout=20)


def test_templates_folder_bounds_in_process(odd_templates):
    from tui.core.templates import load_library

    library = load_library(SCHEMAS, odd_templates)
    assert "vores-egen" in library.templates
    assert {e.path.name for e in library.errors} == {"x.json", "z.json", "stor.json"}
    assert all(str(odd_templates) in str(e) for e in library.errors)


def test_validate_and_import_refuse_a_fifo_or_a_device_without_hanging(odd_templates, tmp_path):
    db = tmp_path / "x.json"
    for args in (["validate", str(odd_templates / "x.json")], ["import", str(odd_templates / "x.json")],
                 ["validate", "/dev/zero"], ["import", "/dev/zero"], ["validate", str(odd_templates / "z.json")]):
        result = implan(*args, db=db, check=False, timeout=20)
        assert result.returncode == 1
        assert "ikke en almindelig fil" in result.stderr


def test_validate_and_import_refuse_files_over_the_size_bound(tmp_path):
    template = tmp_path / "stor-skabelon.json"
    template.write_text(json.dumps({"format": "implan-template/1", "fyld": " " * (5 * 1024 * 1024)}))
    result = implan("validate", str(template), check=False, timeout=20)
    assert result.returncode == 1 and "for stor" in result.stderr and "2,0 MB" in result.stderr
    huge = tmp_path / "kæmpe.json"
    with open(huge, "wb") as sparse:
        sparse.truncate(40 * 1024 * 1024)  # 40 MB, but no disk used
    for command in ("validate", "import"):
        result = implan(command, str(huge), db=tmp_path / "x.json", check=False, timeout=20)
        assert result.returncode == 1 and "for stor" in result.stderr and "32,0 MB" in result.stderr


# -- B4: closed stdout, titles starting with '-' ------------------------------------------------------

def test_closed_stdout_gives_a_danish_message_not_a_traceback(tmp_path):
    db = tmp_path / "x.json"
    implan("new", "barnets-lov", "Plan", db=db)
    for args in (["list"], ["templates"], ["show", "Plan"], ["export", "Plan"], ["outstanding"]):
        result = implan(*args, db=db, close_stdout=True, check=False)
        assert result.returncode == 1, args
        assert "standardoutput er lukket" in result.stderr
    # where the output is a file or the command only reports, a closed stdout is no obstacle
    implan("export", "Plan", "-o", str(tmp_path / "plan.md"), db=db, close_stdout=True)
    assert (tmp_path / "plan.md").is_file()
    result = implan("new", "barnets-lov", "Anden", db=db, close_stdout=True)
    assert "er oprettet" in result.stderr


def test_a_title_starting_with_a_dash(tmp_path):
    db = tmp_path / "x.json"
    result = implan("new", "barnets-lov", "-Min", db=db, check=False)
    assert result.returncode == 2
    assert 'implan new barnets-lov -- "-Min plan"' in result.stderr and "Tip:" in result.stderr
    result = implan("new", "barnets-lov", "--organisation", "-Nord", "X", db=db, check=False)
    assert result.returncode == 2 and "--organisation=-Nord" in result.stderr
    plan_id = implan("new", "barnets-lov", "--organisation=-Nord", "--", "-Min", db=db).stdout.strip()
    assert implan("show", "--", "-Min", db=db).stdout.startswith("-Min\n-Nord")
    implan("export", "-o", str(tmp_path / "p.md"), "--", "-Min", db=db)
    assert (tmp_path / "p.md").read_text(encoding="utf-8").startswith("# -Min")
    result = implan("show", "-Min", db=db, check=False)
    assert result.returncode == 2 and 'implan show -- "-Min plan"' in result.stderr
    # a wrong option name is not taken for a title
    result = implan("list", "--today", "01-03-2027", "--bogus", db=db, check=False)
    assert result.returncode == 2
    assert plan_id


# -- B5: nothing raw on the terminal ------------------------------------------------------------------

def test_unsafe_characters_cover_every_format_character():
    kept = {"\u00ad", "\u200c", "\u200d"}
    for code in range(0x110000):
        ch = chr(code)
        category = unicodedata.category(ch)
        if (category in ("Cc", "Cs") and ch not in "\n\t") or (category == "Cf" and ch not in kept):
            assert is_unsafe(ch), hex(code)
        elif category not in ("Cc", "Cs", "Cf", "Cn"):  # Cn: Cf in a newer Unicode
            assert not is_unsafe(ch), hex(code)


def test_clean_text_strips_controls_bidi_and_invisible_format_characters():
    assert clean_text("a\x1b[2Jb\x07c\x9bd\u202ee\u2066f\u200eg\ufeffh\U000e0041i") == "a[2Jbcdefghi"
    assert clean_text("👩\u200d👧 lyd\u00adbog ی\u200cک") == "👩\u200d👧 lyd\u00adbog ی\u200cک"
    assert clean_text("linje 1\r\nlinje\t2") == "linje 1\nlinje\t2"
    assert clean_text("a\u202e\nb", single_line=True) == "a b"


def test_safe_for_terminal_escapes_visibly():
    assert safe_for_terminal("a\x1b]0;x\x07\u202eb\nc") == "a\\x1b]0;x\\x07\\u202eb\nc"
    assert safe_for_terminal("a\nb\tc", one_line=True) == "a\\x0ab\\x09c"
    assert safe_for_terminal("x\U000e0041") == "x\\U000e0041"
    assert strip_unsafe(safe_for_terminal(HOSTILE)) == safe_for_terminal(HOSTILE)
    encoded = json_escape_unsafe(json.dumps({"t": "a\u202e\x9b\U000e0041"}, ensure_ascii=False))
    assert not raw_in(encoded) and json.loads(encoded) == {"t": "a\u202e\x9b\U000e0041"}


def test_a_crafted_plan_file_never_reaches_the_terminal_raw(tmp_path):
    db = tmp_path / "x.json"
    user = tmp_path / "egne"
    user.mkdir()
    template = read_json(SCHEMAS / "signs-of-safety.json")
    template["id"] = "fjendtlig"
    template["title"] = f"Skabelon {HOSTILE}"
    write_json(user / "fjendtlig.json", template)
    env = {"IMPLAN_TEMPLATES": str(user)}
    hostile = write_json(tmp_path / "plan.json", exchange(
        {"mervaerdi": {"initiativer": f"Gør noget {HOSTILE}", "ansvarlig": f"Bo {HOSTILE}",
                       "deadline": "2027-01-01",
                       "milepaele": [{"text": f"Start {HOSTILE}", "date": "2027-01-01"}]}},
        title=f"Plan {HOSTILE} slut", organisation=f"Org {HOSTILE}"))
    plan_id = implan("import", str(hostile), db=db, env=env).stdout.strip()
    outputs = []
    for args in (["list"], ["show", plan_id], ["export", plan_id], ["export", plan_id, "--format", "json"],
                 ["export", plan_id, "--format", "html"], ["validate", str(hostile)], ["templates"],
                 ["validate", str(user / "fjendtlig.json")], ["outstanding"], ["outstanding", "--format", "md"],
                 ["outstanding", "--format", "ics"], ["outstanding", "--format", "json"], ["timeline"],
                 ["agenda", plan_id], ["changes", plan_id]):
        result = implan(*args, db=db, env=env)
        outputs += [result.stdout, result.stderr]
        assert raw_in(result.stdout, result.stderr) == [], args
    assert any("Plan ]0;owned[2J31m slut" in out for out in outputs)  # cleaned, not dropped
    implan("export", plan_id, "-o", str(tmp_path / "plan.md"), db=db, env=env)
    assert raw_in((tmp_path / "plan.md").read_text(encoding="utf-8")) == []


def test_errors_about_a_crafted_file_escape_what_they_quote(tmp_path):
    bad = exchange({"mervaerdi": {"deadline": f"31-12-{HOSTILE}"}, f"x{HOSTILE}": {"y": 5}},
                   title=f"Plan {HOSTILE}")
    bad[f"felt{HOSTILE}"] = 1
    path = write_json(tmp_path / "plan.json", bad)
    for command in ("validate", "import"):
        result = implan(command, str(path), db=tmp_path / "x.json", check=False)
        assert result.returncode == 1
        assert raw_in(result.stdout, result.stderr) == []
        assert "\\x1b]0;owned\\x07" in result.stderr  # shown, visibly
    result = implan("show", f"Plan {HOSTILE}", db=tmp_path / "x.json", check=False)
    assert result.returncode == 1 and raw_in(result.stderr) == []
    result = implan("list", HOSTILE, db=tmp_path / "x.json", check=False)
    assert result.returncode == 2 and raw_in(result.stderr) == []


def test_a_hand_edited_database_with_raw_controls_prints_nothing_raw(tmp_path):
    db = tmp_path / "x.json"

    def hostile(data):
        data["title"] = f"Redigeret {HOSTILE}"
        data["organisation"] = HOSTILE
        data["answers"] = {"mervaerdi": {"initiativer": f"Noget {HOSTILE}", "ansvarlig": HOSTILE,
                                         "deadline": f"2027-01-01{HOSTILE}"}}

    plan_id = store_raw(db, hostile)
    for args in (["list"], ["show", plan_id], ["export", plan_id], ["export", plan_id, "--format", "json"],
                 ["outstanding"], ["outstanding", "--format", "ics"], ["timeline"], ["agenda", plan_id],
                 ["changes", plan_id]):
        result = implan(*args, db=db)
        assert raw_in(result.stdout, result.stderr) == [], args


# -- B6: every error, in Danish -------------------------------------------------------------------------

def test_validate_lists_every_error_of_a_plan_file_in_danish(tmp_path):
    bad = exchange({
        "mervaerdi": {"initiativer": 5, "deadline": "32-01-2027", "ansvarlig": "x" * 100_001,
                      "milepaele": [{"text": 7}, {"tekst": "x"}]},
        "maalgruppe": {"svar": "findes-ikke"},
    }, title="", revision=-1)
    bad["plan"]["ekstra"] = True
    path = write_json(tmp_path / "plan.json", bad)
    result = implan("validate", str(path), check=False)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert "kan ikke bruges. " in lines[0] and "fejl:" in lines[0]
    body = "\n".join(lines[1:])
    for expected in ("planens titel (plan.title): må ikke være tom",
                     "planens revision (plan.revision): skal være mindst 0",
                     "planen (plan): ukendt felt »ekstra«",
                     "svaret på feltet »initiativer« i elementet »mervaerdi« (plan.answers.mervaerdi.initiativer): "
                     "skal være tekst eller en liste",
                     "svaret på feltet »ansvarlig« i elementet »mervaerdi« (plan.answers.mervaerdi.ansvarlig): "
                     "er for lang (højst 100.000 tegn)",
                     "teksten i milepæl nr. 1 i feltet »milepaele«",
                     "milepæl nr. 2 i feltet »milepaele« i elementet »mervaerdi« "
                     "(plan.answers.mervaerdi.milepaele[1]): mangler feltet »text«",
                     "ukendt felt »tekst«"):
        assert expected in body, expected
    assert len(lines) == 1 + 8
    assert not [w for w in SCHEMA_WORDS if w in result.stderr]


def test_import_lists_every_value_that_cannot_be_stored(tmp_path, library):
    from tui.core.exchange import PlanFileError, check_exchange

    data = exchange({"mervaerdi": {"deadline": "32-01-2027", "svar": "findes-ikke"},
                     "maalgruppe": {"deadline": "31-12-9999", "milepaele": "ikke en liste"}})
    with pytest.raises(PlanFileError) as err:
        check_exchange(data, tmp_path / "plan.json", library)
    places = [place for place, _ in err.value.problems]
    assert places == [
        "svaret på feltet »deadline« i elementet »mervaerdi« (plan.answers.mervaerdi.deadline)",
        "svaret på feltet »svar« i elementet »mervaerdi« (plan.answers.mervaerdi.svar)",
        "svaret på feltet »deadline« i elementet »maalgruppe« (plan.answers.maalgruppe.deadline)",
        "svaret på feltet »milepaele« i elementet »maalgruppe« (plan.answers.maalgruppe.milepaele)",
    ]
    assert str(err.value).count("\n  - ") == 4


def test_a_long_list_of_errors_is_cut_at_fifty_lines(tmp_path):
    bad = exchange({f"a{i}": {"f": i} for i in range(60)})
    result = implan("validate", str(write_json(tmp_path / "plan.json", bad)), check=False)
    lines = result.stderr.strip().splitlines()
    assert lines[0].endswith("60 fejl:") and len(lines) == 1 + 50 + 1
    assert lines[-1].strip() == "… og 10 fejl mere"


def test_validate_lists_every_error_of_a_template(tmp_path):
    template = read_json(SCHEMAS / "signs-of-safety.json")
    template["id"] = "Ikke Et Id"
    del template["sections"][0]["title"]
    template["sections"][1]["ukendt"] = 1
    template["format"] = "forkert"
    path = write_json(tmp_path / "skabelon.json", template)
    result = implan("validate", str(path), check=False)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"implan: Skabelonen {path} kan ikke bruges. 4 fejl:"
    assert "  - format: skal være »implan-template/1«" in lines
    assert ("  - id: »Ikke Et Id« har ikke det rigtige format (små bogstaver a-z, tal og bindestreg, "
            "højst 64 tegn)") in lines
    assert "  - sections[0]: mangler feltet »title«" in lines
    assert "  - sections[1]: ukendt felt »ukendt«" in lines
    assert not [w for w in SCHEMA_WORDS if w in result.stderr]

    semantic = read_json(SCHEMAS / "signs-of-safety.json")
    semantic["id"] = "to-fejl"
    semantic["sections"][0]["items"][0]["type"] = "findes-ikke"
    semantic["sections"][1]["items"][0]["type"] = "findes-heller-ikke"
    result = implan("validate", str(write_json(tmp_path / "to.json", semantic)), check=False)
    assert result.returncode == 1
    assert "»findes-ikke«" in result.stderr and "»findes-heller-ikke«" in result.stderr


def test_the_cli_stream_keeps_its_own_colours_and_escapes_everything_else():
    import io

    from tui.cli_format import BOLD, DIM, RED, RESET
    from tui.core.text import SafeStream

    sink = io.StringIO()
    SafeStream(sink).write(f"{BOLD}Titel{RESET} {RED}x\x1b[2J\x1b]0;y\x07{RESET}{DIM}\u202e{RESET}\r\n")
    assert sink.getvalue() == f"{BOLD}Titel{RESET} {RED}x\\x1b[2J\\x1b]0;y\\x07{RESET}{DIM}\\u202e{RESET}\r\n"
