"""Read the tables back out of Markdown with markdown-it-py, as a reader's renderer would."""

from __future__ import annotations

from markdown_it import MarkdownIt


def _plain(inline_token) -> str:
    return "".join(child.content for child in (inline_token.children or [])
                   if child.type in ("text", "text_special", "code_inline", "softbreak"))


def parse_tables(markdown: str) -> list[list[list[str]]]:
    """Each table as rows of cell texts (header row first)."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    tables: list[list[list[str]]] = []
    row: list[str] | None = None
    for token in tokens:
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            tables[-1].append(row)
            row = None
        elif token.type == "inline" and row is not None:
            row.append(_plain(token))
    return tables


def headings(markdown: str) -> list[tuple[int, str]]:
    tokens = MarkdownIt("commonmark").parse(markdown)
    found = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            found.append((int(token.tag[1]), _plain(tokens[i + 1])))
    return found
