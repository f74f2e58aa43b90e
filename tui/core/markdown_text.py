"""Putting user text into Markdown so it can never break the document around it."""

from __future__ import annotations

import re

_ESCAPE_INLINE = str.maketrans({
    "\\": "\\\\",
    "`": "\\`",
    "|": "\\|",
    "<": "&lt;",
    ">": "&gt;",
    "*": "\\*",
    "_": "\\_",
    "[": "\\[",
    "]": "\\]",
    "#": "\\#",
    "~": "\\~",
})
# Only an "&" that would start a character reference needs escaping; a plain "&" stays readable
# in the .md file ("Kommune & NGO", not "Kommune &amp; NGO").
_ENTITY_START = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LIST_LINE = re.compile(r"^\s*(?:[-*•]|\d{1,3}[.)])\s+(.*)$")
# A web address. GitHub links a bare one by reading the raw text, escapes and all: an escaped "_"
# would show as "\_" there and break the link. Inside <…> every renderer reads it literally, so it
# goes there, ending before what <…> cannot hold (space, < >), before | \ ` (a table's pipe,
# escapes) and an entity-like "&x;"; trailing punctuation stays outside, as GitHub leaves it.
_URL = re.compile(r"\b(?:https?|ftp)://(?:(?!&#?[A-Za-z0-9]+;)[^\s<>|\\`])+", re.IGNORECASE)
_URL_TAIL = ".,:;!?*_~'\""


def _url_end(url: str) -> str:
    while url and (url[-1] in _URL_TAIL or (url[-1] == ")" and url.count(")") > url.count("("))):
        url = url[:-1]
    return url


_WWW = re.compile(r"(?i)(?<![a-z0-9])www\.\S*")
_WWW_START = re.compile(r"(?i)(?<![a-z0-9])www(?=\.)")


def _escape_run(text: str) -> str:
    escaped = _ENTITY_START.sub("&amp;", text).translate(_ESCAPE_INLINE)
    return escaped.replace("://", "\\://")


def _escape(text: str) -> str:
    """Escaped text; a www. address inside the text that needs no escapes stays as typed (GitHub
    links it with the same words); one that needs escapes, or ends the text, gets 'www\\.' so
    GitHub leaves it text."""
    parts, done = [], 0
    for match in _WWW.finditer(text):
        run = match.group()
        escaped = _escape_run(run)
        # At the very end, what the caller puts next (block's hard-break backslash) would join it.
        if escaped != run or match.end() == len(text):
            escaped = _WWW_START.sub(r"\g<0>\\", escaped)
        parts += [_escape_run(text[done:match.start()]), escaped]
        done = match.end()
    return "".join([*parts, _escape_run(text[done:])])


def inline(text: str) -> str:
    """One line of user text, literal: every Markdown and HTML special character escaped, and a web
    address as an autolink <https://…> (the same text, a link on GitHub and in the HTML export)."""
    text = " ".join(str(text).split())
    parts: list[str] = []
    done = 0
    for match in _URL.finditer(text):
        url = _url_end(match.group())
        if url.endswith("//"):
            continue
        parts += [_escape(text[done:match.start()]), f"<{url}>"]
        done = match.start() + len(url)
    return "".join([*parts, _escape(text[done:])])


_BLOCK_START = re.compile(r"^(\d+)([.)])")


def line_start_safe(text: str) -> str:
    """Escape what would start a block at the beginning of a line (list, setext rule)."""
    if text[:1] in ("-", "+", "=", "*"):
        return "\\" + text
    return _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text, count=1)


def cell(text: str) -> str:
    """A table cell: one line, pipes escaped, never empty-looking broken."""
    return inline(text)


def block(text: str) -> str:
    """Multi-line user text as Markdown paragraphs. Line breaks are kept; lines the user wrote as
    a list ("- ", "• ", "1. ") become a list; nothing else the user types acts as markup."""
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n", str(text).strip()):
        lines = [ln for ln in paragraph.split("\n") if ln.strip()]
        if not lines:
            continue
        rendered: list[str] = []
        previous_was_list = False
        for line in lines:
            m = _LIST_LINE.match(line)
            if m:
                if rendered and not previous_was_list:
                    rendered[-1] = rendered[-1].removesuffix("\\")
                    rendered.append("")
                rendered.append(f"- {line_start_safe(inline(m.group(1)))}")
                previous_was_list = True
            else:
                if previous_was_list:
                    rendered.append("")
                rendered.append(line_start_safe(inline(line)) + "\\")
                previous_was_list = False
        if rendered and rendered[-1].endswith("\\"):
            rendered[-1] = rendered[-1][:-1]
        out.append("\n".join(rendered))
    return "\n\n".join(out)


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A GitHub-flavoured table; cells are escaped here, so pass plain text."""
    head = "| " + " | ".join(cell(h) for h in headers) + " |"
    rule = "|" + "|".join("---" for _ in headers) + "|"
    body = ["| " + " | ".join(cell(c) if c.strip() else " " for c in row) + " |" for row in rows]
    return "\n".join([head, rule, *body])
