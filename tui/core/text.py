"""Characters that must never reach a terminal raw, and how to show them when they would.

Two kinds of character can take over a terminal or mislead its reader:
- control characters (Unicode category Cc: C0 such as ESC and BEL, DEL, and the C1 range
  U+0080–U+009F): they retitle the window, clear the screen, move the cursor;
- format characters (category Cf): the bidi overrides and isolates (U+202A–U+202E,
  U+2066–U+2069, U+200E/U+200F, U+061C) reorder what is shown ("Trojan source"), the others
  (U+200B zero width space, U+2060 word joiner, U+FEFF, the tag characters U+E0000–U+E007F)
  are invisible and can hide text.
Surrogates (Cs) are not text at all.

Kept, because they are harmless to terminals and real text needs them: line feed and tab, the
zero width joiner U+200D (emoji sequences such as 👩‍👧), the zero width non-joiner U+200C
(Persian and Indic scripts) and the soft hyphen U+00AD (hyphenation points in long Danish words).

Stored text has these characters removed (`strip_unsafe`, used by plan.clean_text); messages
and CLI output show them as visible escapes (`safe_for_terminal`), so a value from a file being
imported or validated can be read but never acts on the terminal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

TYPE_CHECKING = False  # typing is not imported at run time: see tui/lean.py
if TYPE_CHECKING:
    from typing import Any, TextIO

KEPT_FORMAT = frozenset({"\u00ad", "\u200c", "\u200d"})

# Every Cf character of Unicode 15 (the ranges are a superset of Python 3.11's Unicode 14; a test
# checks them against unicodedata), minus KEPT_FORMAT.
_FORMAT_RANGES = (
    "\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e"
    "\u200b\u200e-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
)
_CONTROL_RANGES = "\x00-\x08\x0b-\x1f\x7f-\x9f"  # all of Cc except \t (09) and \n (0a)
_SURROGATES = "\ud800-\udfff"

# The patterns, compiled when first used (each costs a CLI command about a millisecond, and most
# text needs none: see safe_for_terminal). UNSAFE is a module attribute too (__getattr__).
_SOURCES = {
    "UNSAFE": f"[{_CONTROL_RANGES}{_SURROGATES}{_FORMAT_RANGES}]",
    # For whole documents written to stdout (ICS has CRLF line ends): \r is kept there too.
    "document": f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_SURROGATES}{_FORMAT_RANGES}]",
    "one_line": f"[\t\n{_CONTROL_RANGES}{_SURROGATES}{_FORMAT_RANGES}]",
}
# What each pattern lets through that str.isprintable() does not: every unsafe character is one
# isprintable() refuses (a control, a surrogate, a format character, or one this Python does not know).
_LAYOUT = {"UNSAFE": "\t\n", "document": "\t\n\r", "one_line": ""}
_compiled: dict[str, re.Pattern[str]] = {}


def _pattern(name: str) -> re.Pattern[str]:
    if name not in _compiled:
        _compiled[name] = re.compile(_SOURCES[name])
    return _compiled[name]


def __getattr__(name: str) -> Any:
    if name == "UNSAFE":
        return _pattern(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _surely_safe(text: str, name: str) -> bool:
    """True when `text` holds none of the pattern's characters, found without the pattern."""
    if text.isprintable():
        return True
    for ch in _LAYOUT[name]:
        text = text.replace(ch, "")
    return text.isprintable()


def is_unsafe(ch: str) -> bool:
    return bool(_pattern("UNSAFE").fullmatch(ch))


def strip_unsafe(text: str) -> str:
    """Text without the characters above (line feed and tab stay)."""
    return text if _surely_safe(text, "UNSAFE") else _pattern("UNSAFE").sub("", text)


def escape_char(ch: str) -> str:
    """A visible stand-in: \\x1b, \\u202e, \\U000e0041 (as Python writes them)."""
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def safe_for_terminal(text: object, *, one_line: bool = False, document: bool = False) -> str:
    """`text` with every unsafe character replaced by a visible escape. `one_line` also escapes
    line feed and tab (a value quoted inside a message), `document` keeps carriage returns."""
    text = text if isinstance(text, str) else str(text)
    name = "one_line" if one_line else "document" if document else "UNSAFE"
    if _surely_safe(text, name):
        return text
    return _pattern(name).sub(lambda m: escape_char(m.group()), text)


def quote(value: object, limit: int = 80) -> str:
    """A user or file supplied value to put inside »…« in a message: one line, escaped, short."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > limit:
        text = text[:limit] + "…"
    return safe_for_terminal(text, one_line=True)


def json_escape_unsafe(json_text: str) -> str:
    """A JSON document with every unsafe character inside its strings written as \\uXXXX: the same
    data, but nothing in it acts on a terminal (json.dumps with ensure_ascii=False escapes C0
    only). Outside strings JSON is plain ASCII, so this never touches the structure."""

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        if code >= 0x10000:  # a surrogate pair, as JSON writes characters beyond the BMP
            code -= 0x10000
            return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
        return f"\\u{code:04x}"

    return json_text if _surely_safe(json_text, "UNSAFE") else _pattern("UNSAFE").sub(escape, json_text)


class SafeStream:
    """Wraps stdout/stderr for the CLI: every unsafe character written is escaped, except the
    few colour sequences implan writes itself (bold, red, dim, reset). The last line of defence:
    whatever a command prints, data never reaches the terminal raw."""

    _OWN = "(\x1b\\[(?:0|1|2|31)m)"  # a pattern (re caches it compiled); only text with ESC needs it

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        parts = re.split(self._OWN, text) if "\x1b" in text else [text]
        for i in range(0, len(parts), 2):  # even parts are data, odd parts our own sequences
            parts[i] = safe_for_terminal(parts[i], document=True)
        self._stream.write("".join(parts))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def shorten(text: str, width: int) -> str:
    """`text` cut to `width` characters, an ellipsis marking the cut."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def shorten_words(text: str, width: int) -> str:
    """`text` cut at a word boundary within `width` characters, an ellipsis marking the cut; a
    first word longer than `width` is cut inside it."""
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    space = cut.rfind(" ")
    if space > width // 3:
        cut = cut[:space]
    return cut.rstrip(" ,;:–-") + "…"


def plain_lines(text: str) -> list[str]:
    """Text as paragraphs for a document with its own layout (Word): each line its own, and a line
    begun with '- ' or '* ' a bullet."""
    lines = [line.strip() for line in text.splitlines()]
    return [("• " + line[2:].strip()) if line[:2] in ("- ", "* ") else line for line in lines if line]
