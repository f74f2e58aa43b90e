"""CPR-like numbers: found in text with a real date, never in phone, case or account numbers;
found in every text a plan stores; listed first by the review."""

from __future__ import annotations

import copy
import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.cpr import ITEM_TITLE, find_cpr, is_real_date, plan_cpr_hits, remove_cpr
from tui.core.enums import FindingKind
from tui.core.findings import plan_findings
from tui.core.plan import Plan, new_plan_data

FLAGGED = [
    # (text, the number as written, shown as)
    ("010203-1234", "010203-1234", "010203-XXXX"),
    ("0102031234", "0102031234", "010203-XXXX"),
    ("Barnet (cpr 010203 1234) er flyttet", "010203 1234", "010203-XXXX"),
    ("CPR:0102031234.", "0102031234", "010203-XXXX"),
    ("310199-0000", "310199-0000", "310199-XXXX"),
    ("300412-9999", "300412-9999", "300412-XXXX"),
    ("290200-1234", "290200-1234", "290200-XXXX"),   # 2000 was a leap year
    ("290204-1234", "290204-1234", "290204-XXXX"),
    ("281101-4321", "281101-4321", "281101-XXXX"),
    ("010203\u20131234", "010203\u20131234", "010203-XXXX"),  # the en dash a word processor puts in
    ("010203\u00a01234", "010203\u00a01234", "010203-XXXX"),
    ("Anna Hansen 0102031233", "0102031233", "010203-XXXX"),  # modulus 11 is not required
    ("sagen om 150615-3141 og mere", "150615-3141", "150615-XXXX"),
]

NOT_FLAGGED = [
    "320103-1234",        # day 32
    "000103-1234",        # day 0
    "011303-1234",        # month 13
    "010003-1234",        # month 0
    "310403-1234",        # 31 April
    "300203-1234",        # 30 February
    "290201-1234",        # 29 February, not a leap year in any century
    "290203-1234",
    "+45 12 34 56 78",    # phone numbers
    "12345678",
    "2345 6789",
    "tlf. 20 30 40 50",
    "+4512345678",
    "2024-012345",        # case numbers
    "sag 27.10.05-P20-1-23",
    "j.nr. 2024-0102031234",
    "1234-5678901234",    # reg. and account number
    "1234-0102031234",
    "DK5000400440116243",  # IBAN
    "01-03-2027",         # dates
    "01.03.2027",
    "2027-03-01",
    "20270301-1234",
    "1.234.567",          # amounts
    "1.234.567,50 kr.",
    "01020312345",        # longer digit runs
    "10102031234",
    "0102031234-5",
    "0102031234.5",
    "010203-12345",
    "010203--1234",
    "010203 - 1234",
    "01020-31234",
    "",
]


@pytest.mark.parametrize("text,written,masked", FLAGGED)
def test_cpr_like_numbers_are_found(text, written, masked):
    [match] = find_cpr(text)
    assert match.text == written and text[match.start:match.end] == written
    assert match.masked == masked
    assert "1234" not in match.masked[6:]


@pytest.mark.parametrize("text", NOT_FLAGGED)
def test_numbers_that_merely_look_similar_are_not_flagged(text):
    assert find_cpr(text) == []


def test_several_numbers_in_one_text_each_found_once():
    text = "0102031234, 020304-2345 og 0304051234 0405061234"
    assert [m.masked for m in find_cpr(text)] == ["010203-XXXX", "020304-XXXX", "030405-XXXX", "040506-XXXX"]
    assert find_cpr(123) == [] and find_cpr(None) == []


@given(st.dates(datetime.date(1900, 1, 1), datetime.date(2099, 12, 31)), st.integers(0, 9999),
       st.sampled_from(["-", "", " "]), st.sampled_from(["", "Navn ", "(", "cpr: "]),
       st.sampled_from(["", " ", ".", ")", " og så videre"]))
@settings(max_examples=300, deadline=None)
def test_every_real_date_is_caught_with_and_without_the_dash(day, serial, sep, before, after):
    written = f"{day:%d%m%y}{sep}{serial:04d}"
    [match] = find_cpr(before + written + after)
    assert match.text == written and match.masked == f"{day:%d%m%y}-XXXX"


@given(st.integers(0, 99), st.integers(0, 99), st.integers(0, 99), st.integers(0, 9999))
@settings(max_examples=500, deadline=None)
def test_a_date_is_real_exactly_when_some_century_has_it(dd, mm, yy, serial):
    def exists(year):
        try:
            datetime.date(year, mm, dd)
            return True
        except ValueError:
            return False

    real = any(exists(century + yy) for century in (1800, 1900, 2000))
    assert is_real_date(dd, mm, yy) == real
    assert bool(find_cpr(f"{dd:02d}{mm:02d}{yy:02d}-{serial:04d}")) == real


@given(st.text(alphabet="0123456789 -./+", max_size=30))
@settings(max_examples=300, deadline=None)
def test_removing_leaves_no_cpr_like_number(text):
    # Removing one can join the digits around it into a new one; removing again ends it.
    cleaned = text
    for _ in range(len(text)):
        if not find_cpr(cleaned):
            break
        cleaned = remove_cpr(cleaned)
    assert find_cpr(cleaned) == []
    assert remove_cpr(text) == text or find_cpr(text)


@pytest.mark.parametrize("text,left", [
    ("Anna 010203-1234 ringer", "Anna ringer"),
    ("Kontakt: 0102031234.", "Kontakt:."),
    ("0102031234 er nummeret", "er nummeret"),
    ("Første linje\n010203-1234\nsidste", "Første linje\n\nsidste"),
    ("Tlf. 12 34 56 78", "Tlf. 12 34 56 78"),
])
def test_remove_cpr_keeps_the_rest_of_the_text(text, left):
    assert remove_cpr(text) == left


def test_remove_only_the_numbers_asked_about():
    text = "010203-1234 og 020304-1234"
    assert remove_cpr(text, {"0203041234"}) == "010203-1234 og"


def make(library, template_id, title="Testplan", organisation="Testrup Kommune"):
    template = library.get(template_id)
    return Plan(new_plan_data(template, title, organisation), template)


def test_plan_hits_name_every_place_a_number_is_stored(library):
    plan = make(library, "barnets-lov", "Plan for 010203-1234", "Kommune 0203041234")
    item = plan.add_item("faglig-vurdering", "Kursus for 030405-1234")
    plan.set_value(item, "ansvarlige", "Anna 040506 1234")
    plan.set_value(item, "formaal", "Linje et\nbarnet 050607-1234 er flyttet")
    plan.set_value(item, "milepaele", [{"id": "m-1", "date": "", "text": "Møde om 060708-1234"}])
    plan.set_draft(item, "maal-dato", "070809-1234")
    section = plan.add_section("Tema 080910-1234", "Intro med 091011-1234")
    plan.data["meetings"].append({"id": "mt-1", "at": "2027-01-01T10:00:00+00:00", "note": "101112-1234"})
    plan.data["history"].append({"at": "2027-01-01T10:00:00+00:00", "kind": "ansvarlig", "item": item,
                                 "title": "x", "from": "", "to": "Anna 111213-1234"})
    hits = plan_cpr_hits(plan)
    where = {h.masked: h for h in hits}
    assert len(hits) == 11
    assert where["010203-XXXX"].where == "planens titel" and where["010203-XXXX"].section_id is None
    assert where["020304-XXXX"].where == "planens organisation"
    assert (where["030405-XXXX"].item_id, where["030405-XXXX"].field_id) == (item, ITEM_TITLE)
    assert (where["040506-XXXX"].section_id, where["040506-XXXX"].field_id) == ("faglig-vurdering", "ansvarlige")
    assert where["040506-XXXX"].where == "»Kursus for 030405-XXXX«: Ansvarlige"  # never the number itself
    assert where["050607-XXXX"].field_id == "formaal"
    assert (where["060708-XXXX"].field_id, where["060708-XXXX"].milestone_id) == ("milepaele", "m-1")
    assert where["070809-XXXX"].field_id == "maal-dato" and "kladde" in where["070809-XXXX"].where
    assert where["080910-XXXX"].section_id == section and where["091011-XXXX"].section_id == section
    assert where["101112-XXXX"].where == "en note fra et opfølgningsmøde"
    assert where["111213-XXXX"].where == "planens historik"
    # Never the four digits in what is shown.
    assert not any("1234" in h.masked for h in hits)


def test_a_plan_without_numbers_has_no_hits(library):
    plan = make(library, "ngo-samarbejde")
    first = plan.template.sections[0].items[0]
    plan.set_value(first.id, "svar-uddybning", "Ring på 12 34 56 78 eller +4587654321; sag 2024-012345, "
                                                "møde 01-03-2027, budget 1.234.567 kr., konto 1234-5678901234.")
    assert plan_cpr_hits(plan) == []
    assert not any(f.kind == FindingKind.CPR for f in plan_findings(plan))


def test_review_lists_cpr_first_in_danish_with_the_field(library):
    plan = make(library, "barnets-lov")
    item = plan.add_item("faglig-vurdering", "Kursus")
    plan.set_value(item, "ansvarlige", "Anna 010203-1234")
    findings = plan_findings(plan)
    assert findings[0].kind == FindingKind.CPR and next(iter(FindingKind)) == FindingKind.CPR
    first = findings[0]
    assert (first.section_id, first.item_id, first.field_id) == ("faglig-vurdering", item, "ansvarlige")
    assert first.message == "010203-XXXX i »Kursus«: Ansvarlige – en plan må ikke indeholde personnumre."
    assert first.label == "Ligner et CPR-nummer"


# -- the command line ------------------------------------------------------------------------------

def implan(*args, db, check=True):
    from tests.test_cli import implan as run

    return run("--db", str(db), *args, check=check)


def sample_with(tmp_path, text: str, name: str = "med-cpr.json"):
    """The barnets-lov sample plan file with `text` added to the first activity's purpose."""
    import json

    from tests.conftest import SAMPLES

    data = json.loads((SAMPLES / "barnets-lov-solbjerg.json").read_text(encoding="utf-8"))
    first = data["plan"]["added_items"][0]["id"]
    data["plan"]["answers"][first]["formaal"] += " " + text
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def plan_count(db) -> int:
    from tui.store import PlanStore

    return len(PlanStore(db).list_plans()) if db.exists() else 0


def test_cli_new_warns_on_stderr_and_strict_refuses(tmp_path):
    db = tmp_path / "implan.json"
    refused = implan("new", "barnets-lov", "Plan for barnet 010203-1234", "--strict", db=db, check=False)
    assert refused.returncode == 1 and refused.stdout == ""
    assert "010203-XXXX i planens titel" in refused.stderr and "ikke oprettet (--strict)" in refused.stderr
    assert plan_count(db) == 0
    warned = implan("new", "barnets-lov", "Plan", "--organisation", "Kommune 0203041234", db=db)
    assert "ligner et CPR-nummer" in warned.stderr and "020304-XXXX i planens organisation" in warned.stderr
    assert "0203041234" not in warned.stderr
    assert plan_count(db) == 1


@pytest.mark.parametrize("title", ["Tlf. 12 34 56 78", "Sag 2024-012345", "Møde 01-03-2027 kl. 1030",
                                   "Konto 1234-5678901234", "Budget 1.234.567 kr.", "Plan 320103-1234"])
def test_cli_new_says_nothing_about_numbers_that_only_look_similar(tmp_path, title):
    db = tmp_path / "implan.json"
    result = implan("new", "barnets-lov", title, "--strict", db=db)
    assert "CPR" not in result.stderr
    assert plan_count(db) == 1


def test_cli_import_warns_and_strict_refuses_storing_nothing(tmp_path):
    db = tmp_path / "implan.json"
    path = sample_with(tmp_path, "Barnet har cpr 0102031234.")
    refused = implan("import", str(path), "--strict", db=db, check=False)
    assert refused.returncode == 1 and refused.stdout == ""
    assert "010203-XXXX i »Fælles faglig ramme for afdækninger og børnefagli…«: Formål" in refused.stderr
    assert "ikke importeret (--strict)" in refused.stderr and "0102031234" not in refused.stderr
    assert plan_count(db) == 0
    imported = implan("import", str(path), db=db)
    assert "010203-XXXX" in imported.stderr and "F2" in imported.stderr
    assert plan_count(db) == 1
    clean = implan("import", str(sample_with(tmp_path, "Ring på 12 34 56 78.", "ren.json")), "--copy", "--strict",
                   db=db)
    assert "CPR" not in clean.stderr


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_cli_export_refuses_a_plan_with_cpr_unless_allowed(tmp_path, fmt):
    db = tmp_path / "implan.json"
    implan("import", str(sample_with(tmp_path, "Barnet har cpr 010203-1234.")), db=db)
    target = tmp_path / f"ud.{fmt}"
    refused = implan("export", "forankring", "-o", str(target), db=db, check=False)
    assert refused.returncode == 1 and not target.exists()
    assert "010203-XXXX" in refused.stderr and "ikke eksporteret" in refused.stderr
    assert "--allow-cpr" in refused.stderr
    to_screen = implan("export", "forankring", "--format", fmt, db=db, check=False)
    assert to_screen.returncode == 1 and to_screen.stdout == ""
    allowed = implan("export", "forankring", "-o", str(target), "--allow-cpr", db=db)
    assert "010203-1234" in target.read_text(encoding="utf-8") and "--allow-cpr" in allowed.stderr


def test_cli_agenda_refuses_a_plan_with_cpr_unless_allowed(tmp_path):
    db = tmp_path / "implan.json"
    implan("import", str(sample_with(tmp_path, "Barnet har cpr 010203-1234.")), db=db)
    refused = implan("agenda", "forankring", db=db, check=False)
    assert refused.returncode == 1 and refused.stdout == "" and "Dagsordenen" in refused.stderr
    assert implan("agenda", "forankring", "--allow-cpr", db=db).stdout.startswith("#")


def test_cli_export_of_a_plan_without_cpr_is_not_held_up(tmp_path):
    db = tmp_path / "implan.json"
    implan("import", str(sample_with(tmp_path, "Ring på +45 12 34 56 78, sag 2024-012345.")), db=db)
    result = implan("export", "forankring", "--format", "json", db=db)
    assert result.stdout.startswith("{") and "CPR" not in result.stderr


def test_history_never_keeps_a_cpr_like_number(library):
    from tui.core.history import record_changes

    plan = make(library, "barnets-lov")
    item = plan.add_item("faglig-vurdering", "Kursus")
    before = Plan(copy.deepcopy(plan.data), plan.template)
    plan.set_value(item, "ansvarlige", "Anna 010203-1234")
    plan.rename_item(item, "Kursus om 020304-1234")
    plan.set_value(item, "status", "i-gang")
    plan.set_value(item, "milepaele", [{"id": "m-1", "date": "2027-03-01", "text": "Møde 0304051234"}])
    added = record_changes(before, plan)
    assert added and not any(find_cpr(value) for entry in plan.data["history"] for value in entry.values())
    assert any(e.get("to") == "Anna 010203-XXXX" for e in plan.data["history"])
    assert [h.where for h in plan_cpr_hits(plan)].count("planens historik") == 0
