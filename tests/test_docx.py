"""Word: each demo plan read back with python-docx is the national template's own table, filled in."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import pytest

from tests.conftest import ROOT, load_sample, sample_files
from tui.core import formats
from tui.core.export_docx import plan_to_docx

docx = pytest.importorskip("docx")
from docx.oxml.ns import qn  # noqa: E402
from docx.table import Table  # noqa: E402
from docx.text.paragraph import Paragraph  # noqa: E402

SAMPLES = sample_files()
FORBIDDEN = ("|", "**", "gantt", "#", "```")


def read_back(data: bytes):
    return docx.Document(io.BytesIO(data))


def body(document):
    """The body's paragraphs and tables in document order."""
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, document)
        elif child.tag == qn("w:tbl"):
            yield Table(child, document)


def tables_by_heading(document) -> dict[str, list[Table]]:
    """Each Heading 1's text, and the tables that follow it before the next Heading 1."""
    found: dict[str, list[Table]] = {}
    current = ""
    for block in body(document):
        if isinstance(block, Paragraph) and block.style.name == "Heading 1":
            current = block.text
            found[current] = []
        elif isinstance(block, Table):
            found.setdefault(current, []).append(block)
    return found


def every_run(document):
    for block in body(document):
        paragraphs = [block] if isinstance(block, Paragraph) else [
            p for row in block.rows for cell in row.cells for p in cell.paragraphs]
        for paragraph in paragraphs:
            yield from paragraph.runs


def header_cells(table: Table) -> list[str]:
    return [cell.text for cell in table.rows[0].cells]


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
@pytest.mark.parametrize("with_help", [False, True], ids=["plain", "with-help"])
def test_each_section_is_the_templates_table_with_one_row_per_item(path, with_help, library):
    plan, anchor = load_sample(path, library)
    document = read_back(plan_to_docx(plan, anchor, with_help=with_help))
    by_heading = tables_by_heading(document)
    for section in plan.sections():
        items = plan.items(section)
        tables = by_heading[section.heading]  # a real Heading 1 for every section
        columns = [c.title for c in plan.item_type(items[0]).columns] if items else []
        assert all(header_cells(t) == columns for t in tables), section.heading
        assert sum(len(t.rows) - 1 for t in tables) == len(items), section.heading
        for table, item in zip((r for t in tables for r in t.rows[1:]), items, strict=False):
            assert table.cells[0].paragraphs[0].text == plan.item_title(item)


def test_barnets_lov_has_the_six_template_columns_and_milestone_dates_in_their_cell(library):
    path = next(p for p in SAMPLES if p.stem.startswith("barnets-lov"))
    plan, anchor = load_sample(path, library)
    document = read_back(plan_to_docx(plan, anchor))
    table = tables_by_heading(document)["Tema 1: Faglig vurdering"][0]
    assert header_cells(table) == [
        "Overordnet udviklingsaktivitet", "Formål", "Aktiviteter", "Ansvarlige",
        "Milepæle/løbende opfølgning (tidsangivet)", "Mål/succeskriterier (tidsangivet)"]
    item = plan.items(plan.sections()[0])[0]
    milestones = plan.value(item.id, "milepaele")
    cell = table.rows[1].cells[4].text
    assert all(f"{m['date'][8:10]}-{m['date'][5:7]}-{m['date'][:4]}: " in cell for m in milestones)
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape, as the template's table is


def test_ngo_table_puts_the_scale_answer_in_its_column_and_counts_own_questions(library):
    path = next(p for p in SAMPLES if p.stem.startswith("ngo"))
    plan, anchor = load_sample(path, library)
    section = plan.sections()[0]
    plan.add_item(section.id, "Eget spørgsmål om frivillige")
    document = read_back(plan_to_docx(plan, anchor))
    tables = tables_by_heading(document)[section.heading]
    rows = [r for t in tables for r in t.rows[1:]]
    assert len(rows) == len(plan.items(section))
    assert rows[-1].cells[0].text == "Eget spørgsmål om frivillige"
    first = plan.items(section)[0]
    assert rows[0].cells[1].paragraphs[0].text == plan.display_value(first.id, "svar")
    assert len(header_cells(tables[0])) == 7 and header_cells(tables[0])[0] == "Spørgsmål"


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_word_document_is_danish_paged_and_free_of_markup(path, library):
    plan, anchor = load_sample(path, library)
    data = plan_to_docx(plan, anchor, with_help=True, with_findings=True)
    document = read_back(data)
    assert document.core_properties.language == "da-DK"
    normal_lang = document.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert normal_lang.get(qn("w:val")) == "da-DK"
    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == [plan.title]
    title_lines = [p.text for p in document.paragraphs[:12]]
    for label in ("Organisation: ", "Skabelon: ", "Udskrevet: "):
        assert any(line.startswith(label) for line in title_lines), label
    footer = document.sections[0].footer._element.xml
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    for run in every_run(document):
        assert not any(mark in run.text for mark in FORBIDDEN), run.text
    for table in document.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on each page
    assert any(p.style.name == "Heading 2" and p.text == "Tidslinje" for p in document.paragraphs)


def test_column_widths_follow_the_content(library):
    path = next(p for p in SAMPLES if p.stem.startswith("signs"))
    plan, anchor = load_sample(path, library)
    document = read_back(plan_to_docx(plan, anchor))
    table = tables_by_heading(document)[plan.sections()[0].heading][0]
    widths = [column.width for column in table.columns]
    answer, deadline = widths[1], widths[3]  # Gruppens svar og beslutninger, Deadline
    assert answer > 2 * deadline


def test_timeline_is_a_table_with_months_across(library):
    path = next(p for p in SAMPLES if p.stem.startswith("barnets-lov"))
    plan, anchor = load_sample(path, library)
    document = read_back(plan_to_docx(plan, anchor))
    timeline = tables_by_heading(document)["Overblik over initiativer"][1]
    headers = header_cells(timeline)
    assert headers[0] == "Initiativ" and len(headers) > 6
    assert any(h.endswith("(i dag)") for h in headers)
    assert any("◆" in cell.text for row in timeline.rows[1:] for cell in row.cells[1:])


def test_an_agenda_becomes_word_with_real_lists_and_tables():
    markdown = "# Dagsorden\n\n## Punkt 1\n\n- **Ansvarlig:** Line\n- Frist\n\n| A | B |\n|---|---|\n| 1 | 2 |\n"
    data = formats.get("docx").data(formats.Document("Møde", markdown=markdown))
    document = read_back(data)
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 1", "Dagsorden") in styles and ("Heading 2", "Punkt 1") in styles
    assert ("List Bullet", "Ansvarlig: Line") in styles
    assert [c.text for c in document.tables[0].rows[1].cells] == ["1", "2"]
    assert not any("**" in r.text or "|" in r.text for r in every_run(document))


def test_cli_writes_word_from_the_file_ending(tmp_path):
    db = tmp_path / "demo.json"
    run = [sys.executable, "-m", "tui", "--db", str(db)]
    subprocess.run([*run, "demo"], cwd=ROOT, check=True, capture_output=True)
    target = tmp_path / "plan.docx"
    result = subprocess.run([*run, "export", "demo-bar", "-o", str(target), "--with-help"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert zipfile.is_zipfile(target) and "word/document.xml" in zipfile.ZipFile(target).namelist()
    assert read_back(target.read_bytes()).core_properties.title.startswith("Implementeringsplan for barnets lov")


def test_hostile_text_stays_literal_and_control_characters_cannot_break_the_file(library):
    from tests.test_export import HOSTILE, hostile_plan

    plan = hostile_plan(library)
    first = next(iter(plan.data["answers"]))
    plan.data["answers"][first]["formaal"] = "før\x07efter\x00"  # as an old or hand-edited file may hold
    plan.data["title"] = "Plan\x1b med styretegn"
    document = read_back(plan_to_docx(plan, with_help=True, with_findings=True))
    texts = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any("førefter" in t for t in texts)
    assert document.core_properties.title == "Plan med styretegn"
    for text in HOSTILE:  # user text is shown as typed: never a heading, never bold
        assert any(" ".join(text.split()) in t for t in texts)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "ikke en overskrift" not in headings


def test_an_agenda_with_an_unheaded_table_becomes_word(library, tmp_path):
    from tui.core.followup import agenda_markdown

    plan, anchor = load_sample(SAMPLES[0], library)
    document = read_back(formats.get("docx").data(formats.Document("Dagsorden", markdown=agenda_markdown(plan, anchor))))
    assert document.paragraphs[0].style.name == "Heading 1" and document.tables
    db = tmp_path / "demo.json"
    run = [sys.executable, "-m", "tui", "--db", str(db)]
    subprocess.run([*run, "demo"], cwd=ROOT, check=True, capture_output=True)
    result = subprocess.run([*run, "agenda", "demo-bar", "-o", str(tmp_path / "møde.docx")], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert read_back((tmp_path / "møde.docx").read_bytes()).paragraphs[0].style.name == "Heading 1"


def test_word_file_says_who_and_when_and_holds_one_layout_per_table(library):
    from datetime import UTC, datetime

    plan, anchor = load_sample(SAMPLES[0], library)
    document = read_back(plan_to_docx(plan, anchor))
    props = document.core_properties
    assert props.author == plan.organisation and props.comments == ""
    assert props.created.year == datetime.now(UTC).year
    for table in document.tables:
        assert len(table._tbl.tblPr.findall(qn("w:tblLayout"))) == 1


def test_with_help_the_milestone_cell_has_all_its_help(library):
    path = next(p for p in SAMPLES if p.stem.startswith("familie"))
    plan, anchor = load_sample(path, library)
    document = read_back(plan_to_docx(plan, anchor, with_help=True))
    text = " ".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    item = next(i for s in plan.sections() for i in plan.items(s) if "samordnere" in i.id)
    assert item.guidance.text.split(".")[0] in text  # the help text, not only its questions
    assert all(question in text for question in item.guidance.questions)


def test_an_initiative_without_a_status_reads_not_started(library):
    from tui.core.plan import Plan, new_plan_data

    template = library.get("barnets-lov")
    plan = Plan(new_plan_data(template, "Ny"), template)
    item = plan.add_item("faglig-vurdering", "Kursus")
    plan.set_value(item, "milepaele", [{"date": "", "text": ""}, {"date": "2027-01-05", "text": "Start"}])
    row = tables_by_heading(read_back(plan_to_docx(plan)))["Tema 1: Faglig vurdering"][0].rows[1]
    assert "Status: Ikke startet" in row.cells[0].text
    assert row.cells[4].text == "05-01-2027: Start"  # the blank milestone row is left out


def test_dates_decades_apart_leave_the_timeline_out_with_a_reason(library):
    from tui.core.plan import Plan, new_plan_data

    template = library.get("signs-of-safety")
    plan = Plan(new_plan_data(template, "Tastefejl"), template)
    first, second = plan.items(plan.sections()[0])[:2]
    plan.set_value(first.id, "deadline", "2027-01-10")
    plan.set_value(second.id, "deadline", "2067-01-10")
    text = "\n".join(p.text for p in read_back(plan_to_docx(plan)).paragraphs)
    assert "Tidslinjen er udeladt: datoerne spænder over" in text
    from tui.core.export_md import plan_to_markdown

    assert "Tidslinjen er udeladt" in plan_to_markdown(plan)
