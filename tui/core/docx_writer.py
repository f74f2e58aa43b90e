"""Word building blocks (python-docx): a Danish A4 document, tables that repeat their header row
and size their columns by content, page numbers, and trusted Markdown as real Word paragraphs.

Imported only when a .docx is written: python-docx and lxml are not loaded by the CLI otherwise.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

LANGUAGE = "da-DK"
HEADER_FILL = "DCE6F1"
HELP_COLOUR = RGBColor(0x55, 0x55, 0x55)
# What XML 1.0 cannot hold (python-docx refuses it): control characters other than tab and newline.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text Word can store; the plan's own checks strip these already, this keeps an old file safe."""
    return _NOT_XML.sub("", text)


@dataclass
class Line:
    """One paragraph in a table cell: plain text runs, each maybe bold or italic."""

    runs: list[tuple[str, str]] = field(default_factory=list)  # (text, "" | "b" | "i" | "help")

    @classmethod
    def of(cls, text: str, style: str = "") -> Line:
        return cls([(text, style)])


def new_plan_document(title: str, *, landscape: bool, author: str = "") -> Document:
    """An empty A4 document in Danish, 10 pt body text, page numbers in the footer."""
    doc = new_document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    title = xml_text(title)
    _properties(doc, title, xml_text(author))
    _set_language(doc)
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    doc.styles["Footer"].font.size = Pt(8)
    _page_numbers(section.footer.paragraphs[0], title)
    return doc


def _properties(doc: Document, title: str, author: str) -> None:
    """File → Info in Word: this plan, written now, in Danish; not python-docx's sample values."""
    now = datetime.now(UTC).replace(microsecond=0)
    props = doc.core_properties
    props.title = title
    props.language = LANGUAGE
    props.author = props.last_modified_by = author or "implan"
    props.comments = ""
    props.created = props.modified = now
    props.revision = 1


def _set_language(doc: Document) -> None:
    """da-DK for the document defaults and every style, so Word spell-checks in Danish."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    targets = [defaults.find(qn("w:rPrDefault"))] if defaults is not None else []
    for element in targets:
        rpr = element.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            element.append(rpr)
        _lang(rpr)
    for style in doc.styles:
        if hasattr(style.element, "get_or_add_rPr"):
            _lang(style.element.get_or_add_rPr())


def _lang(rpr: Any) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), LANGUAGE)


def _field(paragraph: Paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that the word processor fills in."""
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), code)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def _page_numbers(paragraph: Paragraph, title: str) -> None:
    paragraph.style = "Footer"
    paragraph.add_run(f"{title} – side ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" af ")
    _field(paragraph, "NUMPAGES")


def usable_width(doc: Document) -> int:
    section = doc.sections[-1]
    return int(section.page_width or 0) - int(section.left_margin or 0) - int(section.right_margin or 0)


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[Sequence[Line]]], total: int,
                  font_size: float = 9) -> list[int]:
    """Widths in EMU that follow the content: each column at least as wide as its longest word
    (no word broken mid-word), the rest shared by its text's length to the power 0.8, so one
    long answer does not squeeze the others."""
    bold, plain = Cm(0.024 * font_size), Cm(0.02 * font_size)  # an average character at this size
    floors, weights = [], []
    for index, header in enumerate(headers):
        texts = [text for row in rows for line in row[index] for text, _ in line.runs]
        longest = max((len(w) for t in texts for w in t.split()), default=4)
        widest_heading = max((len(w) for w in header.split()), default=1)
        floors.append(max(widest_heading * bold, min(longest, 16) * plain) + Cm(0.4))
        weights.append((sum(len(t) for t in texts) / max(1, len(rows)) + len(header) / 5) ** 0.8)
    spare = total - sum(floors)
    if spare <= 0:
        return [int(f * total / sum(floors)) for f in floors]
    return [int(f + spare * w / sum(weights)) for f, w in zip(floors, weights, strict=True)]


def add_table(doc: Document, headers: Sequence[str], rows: Sequence[Sequence[Sequence[Line]]], *,
              font_size: float = 9, widths: Sequence[int] | None = None) -> Table:
    """A grid table whose first row is a header row repeated on every page it spans."""
    table: Table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # also fixes the layout: Word keeps the widths below
    widths = list(widths or column_widths(headers, rows, usable_width(doc), font_size))
    header = table.rows[0]
    _repeat_header(header)
    for cell, text in zip(header.cells, headers, strict=True):
        fill_cell(cell, [Line.of(text, "b")], font_size)
        _shade(cell, HEADER_FILL)
    for row, lines in zip(table.rows[1:], rows, strict=True):
        for cell, content in zip(row.cells, lines, strict=True):
            fill_cell(cell, content, font_size)
    for index, width in enumerate(widths):
        table.columns[index].width = width
        for cell in table.columns[index].cells:
            cell.width = width
    return table


def _repeat_header(row: Any) -> None:
    props = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    props.append(header)
    cant_split = OxmlElement("w:cantSplit")
    props.append(cant_split)


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def fill_cell(cell: _Cell, lines: Sequence[Line], font_size: float) -> None:
    """The cell's paragraphs; its first (empty) paragraph is reused so no blank line is left."""
    paragraph = cell.paragraphs[0]
    for index, line in enumerate(lines):
        if index:
            paragraph = cell.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(2)
        for text, style in line.runs:
            run = paragraph.add_run(xml_text(text))
            run.font.size = Pt(font_size - 1 if style == "help" else font_size)
            run.bold = style == "b" or None
            run.italic = style in ("i", "help") or None
            if style == "help":
                run.font.color.rgb = HELP_COLOUR


def markdown_lines(markdown: str, style: str = "help") -> list[Line]:
    """Trusted Markdown (a template's help) as a table cell's lines: emphasis kept as bold or
    italic runs, list items as '• ' lines, every line in `style`."""
    from markdown_it import MarkdownIt

    lines: list[Line] = []
    bullet = False
    for token in MarkdownIt("commonmark", {"html": False}).parse(markdown):
        if token.type in ("bullet_list_open", "ordered_list_open", "bullet_list_close", "ordered_list_close"):
            bullet = token.type.endswith("_open")
        elif token.type == "inline":
            runs = [(xml_text(c.content), style) for c in token.children or []
                    if c.type in ("text", "code_inline") and c.content]
            lines.append(Line([("• ", style), *runs] if bullet else runs))
    return lines


def to_bytes(doc: Document) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# -- Markdown (the template's guidance, agendas) as Word paragraphs -----------------------------------


def add_markdown(doc: Document, markdown: str, *, quote: bool = False, heading_offset: int = 0) -> None:
    """CommonMark with tables as real Word structure: headings, paragraphs with bold and italic
    runs, bulleted and numbered lists, tables. Raw HTML is not rendered (html off)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark", {"html": False}).enable("table").parse(markdown)
    lists: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append("List Number" if token.type == "ordered_list_open" else "List Bullet")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "heading_open":
            level = min(int(token.tag[1]) + heading_offset, 9)
            _runs(doc.add_heading("", level), tokens[index + 1].children or [])
            index += 2
        elif token.type == "inline":
            style = lists[-1] if lists else ("Quote" if quote else None)
            _runs(doc.add_paragraph(style=style), token.children or [])
        elif token.type == "table_open":
            index = _markdown_table(doc, tokens, index)
        elif token.type in ("fence", "code_block"):
            doc.add_paragraph(xml_text(token.content.rstrip("\n")))
        index += 1


def _runs(paragraph: Paragraph, children: Sequence[Any]) -> None:
    bold = italic = False
    for child in children:
        if child.type in ("strong_open", "strong_close"):
            bold = child.type == "strong_open"
        elif child.type in ("em_open", "em_close"):
            italic = child.type == "em_open"
        elif child.type in ("text", "code_inline", "softbreak", "hardbreak"):
            text = child.content if child.type in ("text", "code_inline") else " "
            run = paragraph.add_run(xml_text(text))
            run.bold = bold or None
            run.italic = italic or None


def _markdown_table(doc: Document, tokens: Sequence[Any], index: int) -> int:
    """A Markdown table's cells as a Word table; returns the index of its table_close."""
    rows: list[list[str]] = []
    while tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline":
            rows[-1].append("".join(c.content for c in token.children or [] if c.type in ("text", "code_inline")))
        index += 1
    if rows:
        add_table(doc, rows[0], [[[Line.of(text)] for text in row] for row in rows[1:]])
    return index
