"""The plan as the Word document a municipality would have filled in by hand: per section the
national template's own table (its columns from the item type's `table`), one row per item.

Title lines first, then the initiatives and their timeline, the template's guidance (with
help), the sections' tables, and the findings (when asked for). No Markdown or Mermaid syntax
reaches the document: user text goes in as plain runs, trusted guidance through add_markdown.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from docx.document import Document
from docx.enum.text import WD_BREAK

from tui.core.docx_writer import (
    Line,
    add_markdown,
    add_table,
    markdown_lines,
    new_plan_document,
    to_bytes,
    usable_width,
    xml_text,
)
from tui.core.export_md import (
    INITIATIVE_HEADERS,
    findings_intro,
    initiative_rows,
    initiatives_summary,
    plan_facts,
    plan_guidance,
)
from tui.core.findings import Finding, plan_findings
from tui.core.initiatives import by_deadline, plan_initiatives
from tui.core.kinds import kind_of
from tui.core.plan import Plan
from tui.core.templates import ItemSpec, ItemType, SectionSpec, TableColumn
from tui.core.text import plain_lines
from tui.core.timeline import GRID_LEGEND, timeline_grid

TIMELINE_COLUMNS = 18  # periods across in the Word timeline: what landscape A4 holds at 7.5 pt


def plan_to_docx(plan: Plan, today: date | None = None, *, with_help: bool = False,
                 with_findings: bool = False) -> bytes:
    today = today or date.today()
    # Landscape, as the national templates' tables are: five or more columns of answers.
    doc = new_plan_document(plan.title, landscape=True, author=plan.organisation)
    findings = plan_findings(plan)
    _title_page(doc, plan, today, findings)
    _initiatives(doc, plan, today)
    if with_help:
        _guidance(doc, plan)
    for section in plan.sections():
        _section(doc, plan, section, with_help)
    if with_findings:
        doc.add_heading("Mangler i planen", 1)
        if findings:
            doc.add_paragraph(findings_intro(findings))
        for finding in findings:
            paragraph = doc.add_paragraph(style="List Bullet")
            paragraph.add_run(f"{finding.label}: ").bold = True
            paragraph.add_run(xml_text(finding.message))
        if not findings:
            doc.add_paragraph("Ingen mangler fundet.")
    doc.add_paragraph().add_run(f"Skabelon: {plan.template.sources_line()}. Lavet med implan.").italic = True
    return to_bytes(doc)


def _title_page(doc: Document, plan: Plan, today: date, findings: list[Finding]) -> None:
    doc.add_paragraph(plan.template.title, style="Subtitle")
    doc.add_paragraph(xml_text(plan.title), style="Title")
    for label, value in plan_facts(plan, today, findings):
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(xml_text(value))
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _initiatives(doc: Document, plan: Plan, today: date) -> None:
    initiatives = by_deadline(plan_initiatives(plan))
    doc.add_heading("Overblik over initiativer", 1)
    if not initiatives:
        doc.add_paragraph("Planen har endnu ingen initiativer.")
        return
    doc.add_paragraph(initiatives_summary(initiatives, today))
    rows = [[[Line.of(cell)] for cell in row] for row in initiative_rows(initiatives, today)]
    add_table(doc, INITIATIVE_HEADERS, rows, font_size=8.5)
    grid = timeline_grid(initiatives, today, max_columns=TIMELINE_COLUMNS)
    if grid is None:
        return
    doc.add_heading("Tidslinje", 2)
    if not grid.fits(TIMELINE_COLUMNS):
        doc.add_paragraph(grid.too_wide_note())
        return
    doc.add_paragraph(grid.caption())
    headers = ["Initiativ", *grid.headers()]
    total = usable_width(doc)
    label = int(total * 0.3)
    widths = [label, *[(total - label) // len(grid.periods)] * len(grid.periods)]
    add_table(doc, headers, [[[Line.of(row.initiative.title)], *([Line.of(c)] for c in row.cells)]
                             for row in grid.rows], font_size=7.5, widths=widths)
    doc.add_paragraph(GRID_LEGEND).runs[0].italic = True


def _guidance(doc: Document, plan: Plan) -> None:
    """The template's guidance for the whole plan, and how each column is filled in, once."""
    doc.add_heading("Vejledning til planen", 1)
    for title, text in plan_guidance(plan):
        doc.add_heading(title, 2)
        add_markdown(doc, text, heading_offset=2)
    for itype in plan.template.item_types.values():
        helped = [f for f in itype.fields if not f.guidance.is_empty()]
        if not helped:
            continue
        doc.add_heading(f"Sådan udfyldes skemaet ({itype.label_plural.lower()})", 2)
        for spec in helped:
            doc.add_heading(spec.label, 3)
            add_markdown(doc, spec.guidance.to_markdown(), heading_offset=3)


def _section(doc: Document, plan: Plan, section: SectionSpec, with_help: bool) -> None:
    doc.add_heading(xml_text(section.heading), 1)
    if section.intro and plan.is_added_section(section.id):
        for line in plain_lines(section.intro):
            doc.add_paragraph(xml_text(line))  # the users' own words: plain text, never Markdown
    elif section.intro and with_help:
        add_markdown(doc, section.intro, quote=True)
    if with_help and not section.guidance.is_empty():
        add_markdown(doc, section.guidance.to_markdown(), quote=True, heading_offset=2)
    items = plan.items(section)
    if not items:
        doc.add_paragraph("Intet udfyldt endnu.")
    for itype, run in _runs_by_type(plan, items):
        rows = [_row(plan, item, itype.columns, with_help) for item in run]
        add_table(doc, [c.title for c in itype.columns], rows)
        doc.add_paragraph()


def _runs_by_type(plan: Plan, items: Sequence[ItemSpec]) -> list[tuple[ItemType, list[ItemSpec]]]:
    """Consecutive items of one type share a table (a section may mix types)."""
    runs: list[tuple[ItemType, list[ItemSpec]]] = []
    for item in items:
        itype = plan.item_type(item)
        if runs and runs[-1][0].id == itype.id:
            runs[-1][1].append(item)
        else:
            runs.append((itype, [item]))
    return runs


def _row(plan: Plan, item: ItemSpec, columns: Sequence[TableColumn], with_help: bool) -> list[list[Line]]:
    return [_cell(plan, item, column, with_help) for column in columns]


def _cell(plan: Plan, item: ItemSpec, column: TableColumn, with_help: bool) -> list[Line]:
    """What one column shows for an item: its title (with the template's note and, with help, its
    questions), then each field's answer; a field after the first is named unless it is free text."""
    lines: list[Line] = []
    if column.item_title:
        lines.append(Line.of(plan.item_title(item), "b"))
        if item.note:
            lines.append(Line.of(item.note, "i"))
        if with_help and not item.guidance.is_empty():
            lines += _help_lines(item)
    for index, field_id in enumerate(column.fields):
        spec = plan.field_spec(item.id, field_id)
        answer = kind_of(spec.kind).document_lines(plan, item.id, spec)
        if not answer:
            continue
        if (lines or index) and not kind_of(spec.kind).holds_text:
            lines.append(Line([(f"{spec.label}: ", "b"), (" ".join(answer), "")]))
        else:
            lines += [Line.of(text) for text in answer]
    return lines


def _help_lines(item: ItemSpec) -> list[Line]:
    """The template's help for the item, all of it (text, questions, examples, notes), in small type."""
    return markdown_lines(item.guidance.to_markdown())


def markdown_to_docx(markdown: str, title: str) -> bytes:
    """A ready Markdown document (an agenda, one person's list) as Word."""
    doc = new_plan_document(title, landscape=False)
    add_markdown(doc, markdown)
    return to_bytes(doc)
