"""Export formats: one table read by the CLI's --format, the export screen's buttons and the writers.

Adding a format is one entry in FORMATS (and its renderer); see the README, "Add an export format".
No Textual here: the CLI imports this.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI reads this table for --help: nothing heavy at import
    from tui.core.plan import Plan


@dataclass
class Document:
    """What an export renders: a plan (its Markdown made when first asked for), or a ready Markdown
    document such as an agenda or one person's list (`markdown` given, `plan` None)."""

    title: str
    plan: Plan | None = None
    markdown: str | None = None
    today: date | None = None
    with_help: bool = False
    with_findings: bool = False
    mermaid: bool = False

    def text(self) -> str:
        """The document as Markdown: every other format is made from this, except the plan file."""
        if self.markdown is None:
            from tui.core.export_md import plan_to_markdown

            if self.plan is None:
                raise ValueError("Et dokument uden plan skal have sin tekst med.")
            self.markdown = plan_to_markdown(self.plan, self.today, with_help=self.with_help,
                                             with_findings=self.with_findings, mermaid=self.mermaid)
        return self.markdown


@dataclass(frozen=True)
class ExportFormat:
    name: str  # the --format value and the export screen's button id
    suffix: str  # the file name's ending, without the dot
    label: str  # what the format is called in Danish help texts: "Markdown"
    render: Callable[[Document], str | bytes]  # str is written as UTF-8
    binary: bool = False  # bytes: never written to a terminal
    aliases: tuple[str, ...] = ()  # other endings read as this format (htm)
    plan_only: bool = False  # needs the plan itself, not only its Markdown
    in_app: bool = True  # offered as a button in the export screen

    @property
    def button(self) -> str:
        """The export screen's button and key label."""
        return f"Gem .{self.suffix}"

    @property
    def suffixes(self) -> tuple[str, ...]:
        return (self.suffix, *self.aliases)

    def data(self, document: Document) -> bytes:
        """The file's bytes."""
        rendered = self.render(document)
        return rendered.encode("utf-8") if isinstance(rendered, str) else rendered


def _markdown(document: Document) -> str:
    return document.text()


def _html(document: Document) -> str:
    from tui.core.export_html import markdown_to_html

    if document.plan is not None and document.mermaid:
        # Mermaid source is for the Markdown renderers that draw it; a page shows the table.
        document = replace(document, mermaid=False, markdown=None)
    return markdown_to_html(document.text(), document.title)


def _docx(document: Document) -> bytes:
    from tui.core.export_docx import markdown_to_docx, plan_to_docx

    if document.plan is not None:
        return plan_to_docx(document.plan, document.today, with_help=document.with_help,
                            with_findings=document.with_findings)
    return markdown_to_docx(document.text(), document.title)


def _plan_file(document: Document) -> str:
    from tui.core import exchange

    if document.plan is None:
        raise ValueError("Kun en plan kan gemmes som planfil.")
    return exchange.dumps(document.plan.data)


FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat("md", "md", "Markdown", _markdown, aliases=("markdown",)),
    ExportFormat("html", "html", "HTML", _html, aliases=("htm",)),
    ExportFormat("docx", "docx", "Word", _docx, binary=True),
    ExportFormat("json", "json", "JSON", _plan_file, plan_only=True, in_app=False),
)
DEFAULT = FORMATS[0]


def names() -> tuple[str, ...]:
    return tuple(f.name for f in FORMATS)


def get(name: str) -> ExportFormat:
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    raise KeyError(name)


def for_path(path: Path) -> ExportFormat | None:
    """The format a file name's ending asks for (plan.md, plan.HTM), if any."""
    ending = path.suffix.lower().lstrip(".")
    return next((f for f in FORMATS if ending in f.suffixes), None)


def app_formats(*, plan: bool) -> tuple[ExportFormat, ...]:
    """The formats the export screen offers: for a plan, or for a ready document."""
    return tuple(f for f in FORMATS if f.in_app and (plan or not f.plan_only))


def spoken(words: Sequence[str]) -> str:
    """'md, html, docx eller json'."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " eller " + words[-1]
