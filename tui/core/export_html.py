"""Markdown as a standalone HTML page that reads well on screen and prints on A4.

Raw HTML is off, so user text can never become markup. Print layout (tests/test_print.py renders
every demo plan with WeasyPrint): page numbers in the margin, tables that break across pages with
their header row repeated, long words and URLs wrapped so no column is cut off, and wide tables
(the initiative overview, a timeline with a column per month) in a smaller type so they fit.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

# Table classes for the stylesheet (markdown-it adds none): "wide" from WIDE_FROM columns, "dense"
# above DENSE_OVER, and "marks" on a grid of marks: GRID_FROM columns or more whose cells after the
# first column have no letter or digit (the timeline, a column per month or quarter).
WIDE_FROM = 6
DENSE_OVER = 7
GRID_FROM = 3
# A word longer than this in a table cell may break anywhere (no Danish word is this long).
LONG_WORD = 30
_LONG = re.compile(rf"(\S{{{LONG_WORD + 1},}})")

STYLE = """
html { -webkit-text-size-adjust: 100%; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; color: #111;
       overflow-wrap: anywhere; hyphens: auto; }
h1, h2, h3, h4 { line-height: 1.2; break-after: avoid; break-inside: avoid; }
h1 { string-set: plan-title content(); }
h2 { border-bottom: 1px solid #ccc; margin-top: 2rem; padding-bottom: .15em; }
p, li { orphans: 2; widows: 2; }
p.label { margin-bottom: .25em; break-after: avoid; }
blockquote { color: #444; border-left: 3px solid #ccc; margin: 1rem 0; padding-left: 1rem; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f6f6; padding: .5rem;
      font-size: .85em; }
code { font-size: .95em; }
a { color: #0645ad; }
img { max-width: 100%; }
hr { border: 0; border-top: 1px solid #ccc; }
table { border-collapse: collapse; margin: 1rem 0; width: 100%; max-width: 100%; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
/* break-word, not anywhere: a column is never narrower than its longest word (dates stay whole);
   longer words than any Danish one are in span.long, which breaks anywhere. */
th, td { border: 1px solid #999; padding: .3rem .5rem; text-align: left; vertical-align: top;
         overflow-wrap: break-word; }
th, td:first-child:nth-last-child(2) { hyphens: manual; }  /* headers and a two-column table's labels */
.long { word-break: break-all; overflow-wrap: anywhere; }
th { background: #eee; }
table.wide { font-size: .85em; }
table.wide th, table.wide td { padding: .2rem .3rem; }
table.dense { font-size: .75em; line-height: 1.2; }
table.dense th, table.dense td { padding: .15rem .15rem; }
table.marks th, table.marks td { text-align: center; }
table.marks td { font-size: 1.15em; }
table.marks th:first-child, table.marks td:first-child { text-align: left; width: 30%; font-size: 1em; }
@page {
  size: A4;
  margin: 16mm 15mm 18mm;
  @bottom-left { content: string(plan-title); font: 8pt sans-serif; color: #555;
                 overflow: hidden; white-space: nowrap; text-overflow: ellipsis; width: 70%; }
  @bottom-right { content: "Side " counter(page) " af " counter(pages); font: 8pt sans-serif; color: #555; }
}
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
  h2 { margin-top: 1.4em; }
  a { color: inherit; }
  th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


class _Markdown(MarkdownIt):
    def normalizeLinkText(self, link: str) -> str:
        """A web address shows as written ("%20" stays "%20"), as GitHub shows it."""
        return link


def markdown_parser() -> MarkdownIt:
    """The export's Markdown: CommonMark and tables (what GitHub reads alike), raw HTML off."""
    return _Markdown("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def _html(markup: str) -> Token:
    return Token("html_inline", "", 0, content=markup)


def _text(text: str) -> Token:
    return Token("text", "", 0, content=text)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _table_shape(tokens: list[Token], start: int) -> tuple[int, bool]:
    """The columns of the table opening at `start` (its header row), and whether its body cells
    outside the first column hold only marks (no letter or digit: the timeline's ◆ ○ ● ─)."""
    columns = column = 0
    marks = True
    for token in tokens[start + 1:]:
        if token.type == "table_close":
            break
        if token.type == "th_open":
            columns += 1
        elif token.type == "tr_open":
            column = 0
        elif token.type == "td_open":
            column += 1
        elif token.type == "inline" and column > 1 and token.content.strip():
            marks = marks and not any(c.isalnum() for c in token.content)
    return columns, marks


def _mark_tables(tokens: list[Token]) -> None:
    """Classes by a table's shape: "wide" (smaller type) from WIDE_FROM columns, "dense" (smaller
    still) from more than DENSE_OVER, and "marks dense" on a grid of marks (the timeline)."""
    for n, token in enumerate(tokens):
        if token.type == "table_open":
            columns, marks = _table_shape(tokens, n)
            marks = marks and columns >= GRID_FROM
            classes = [name for name, wanted in (("wide", columns >= WIDE_FROM or marks),
                                                 ("dense", columns > DENSE_OVER or marks),
                                                 ("marks", marks)) if wanted]
            if classes:
                token.attrSet("class", " ".join(classes))


def _break_long_words(token: Token) -> None:
    """Words longer than LONG_WORD in a table cell (a URL, a pasted string) may break between any
    two letters; other words keep their width, so short columns such as dates stay whole."""
    children: list[Token] = []
    for child in token.children or []:
        if child.type != "text" or not _LONG.search(child.content):
            children.append(child)
            continue
        for n, piece in enumerate(_LONG.split(child.content)):
            if n % 2:
                children += [_html("<span class=\"long\">"), _text(piece), _html("</span>")]
            elif piece:
                children.append(_text(piece))
    token.children = children


def _mark_cells(tokens: list[Token]) -> None:
    in_cell = False
    for token in tokens:
        if token.type in ("th_open", "td_open", "th_close", "td_close"):
            in_cell = token.type.endswith("_open")
        elif in_cell and token.type == "inline":
            _break_long_words(token)


def _mark_labels(tokens: list[Token]) -> None:
    """Class "label" on a paragraph that is only a bold field label, so print keeps it with its answer.
    User text is escaped, so only the export's own labels are bold."""
    for n, token in enumerate(tokens[:-1]):
        children = tokens[n + 1].children or []
        if token.type == "paragraph_open" and [c.type for c in children] == ["strong_open", "text", "strong_close"]:
            token.attrSet("class", "label")


def render_body(markdown: str) -> str:
    """The Markdown as HTML, with the print classes added."""
    md = markdown_parser()
    tokens = md.parse(markdown)
    _mark_tables(tokens)
    _mark_cells(tokens)
    _mark_labels(tokens)
    html: str = md.renderer.render(tokens, md.options, {})
    return html


def markdown_to_html(markdown: str, title: str) -> str:
    """A standalone, printable HTML page. Raw HTML is off, so user text can never become markup."""
    return f"""<!DOCTYPE html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_escape(title)}</title>
<style>{STYLE}</style>
</head>
<body>
{render_body(markdown)}</body>
</html>
"""
