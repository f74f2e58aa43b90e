"""Patterns of the OCR damage in seed 004 (see ../shared/seeds/README.md). Used by the tests to
prove that not one damaged word reached a template."""

from __future__ import annotations

import re

# Words and stems the scan produced instead of Danish. Matched case-insensitively as whole words
# or word parts.
DAMAGED_STEMS = [
    r"ngdvendig", r"spgrgsm", r"spgrgsmal", r"falgende", r"fglgende", r"mgder?\b", r"\bfgr\b",
    r"understatt", r"understgtt", r"hgjde", r"hgjere", r"stgtt", r"stgrre", r"udfgr", r"udfares",
    r"lgbende", r"lgser", r"gnsk", r"opfalgning", r"opfglgning", r"vedrgrende", r"afggrende",
    r"informatgr", r"informatar", r"hjgrnest", r"hjarnest", r"bgrn", r"bagrn", r"stette", r"statte",
    r"tvivi", r"krauv", r"ressourcerf", r"huvilke", r"huvilken",
    r"milep(?:ee|z|ae|a)l", r"milepeele", r"feelles", r"tillzeg", r"netveerk", r"veere", r"foreeldr",
    r"foraeldr", r"hjeelp", r"afhaengig", r"tilretteleeg", r"seerlig", r"saerlig", r"geeldende",
    r"ansaet", r"afsaet", r"afseett", r"fastseett", r"udveelg", r"udvaelg", r"treeff", r"leere", r"leeger",
    r"opmeerksom", r"opmaerksom", r"sveer", r"daekke", r"afdaekk", r"afdeekk", r"traekke", r"treekk",
    r"teet\b", r"veert", r"reekke", r"raekke", r"tilgeengelig", r"ledelsesmaessig", r"ledelsesmeessig",
    r"hensigtsmaessig", r"indebaere", r"uafhzaengig", r"oplaeg", r"opleeg", r"klasselaerer",
    r"r[ad]dslagning", r"familier[ad]dslagning", r"\bformal", r"\bmalgrupp", r"\bmaltal", r"\bomrad",
    r"fagomrad", r"fokusomrad", r"\bbade\b", r"\bnar\b", r"\bforega\b", r"\bindga\b", r"\bstar\b",
    r"\bgar\b", r"\bfar\b", r"\bmatte\b", r"\bmaske\b", r"\bvilkar\b", r"arbejdsvilkar", r"radhus",
    r"radighed", r"\bpavirk", r"\bpatager", r"\bpa\b", r"\bsa\b", r"\bsd\b", r"\bpd\b", r"\bma\b",
    r"\bfa\b", r"\bnas\b", r"\bar\b",
]
# Characters the scan put where Danish letters or bullets were.
DAMAGED_CHARS = ["|", "@", "«", "%", "http:S", "s&"]

_STEM_RE = re.compile("|".join(f"(?:{s})" for s in DAMAGED_STEMS), re.IGNORECASE)
_HYPHEN_BREAK = re.compile(r"[a-zæøå]-\n[a-zæøå]")


def find_damage(text: str, *, chars: bool = True) -> list[str]:
    """Every damaged word (and, with chars, character) in `text` (empty list: clean).
    Users may well write "80 %" or »citat«; only template text must be free of those characters."""
    hits = [m.group(0) for m in _STEM_RE.finditer(text)]
    if chars:
        hits += [c for c in DAMAGED_CHARS if c in text]
    hits += [m.group(0) for m in _HYPHEN_BREAK.finditer(text)]
    return hits


_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def strings_in(data, path="") -> list[tuple[str, str]]:
    """Every prose string in a JSON document with its place. Ids and id references (ascii by
    design: "milepaele") and URLs are not prose and are left out."""
    if isinstance(data, str):
        if _ID.match(data):
            return []
        return [(path, re.sub(r"https?://\S+", "", data))]
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in strings_in(v, f"{path}.{k}")]
    if isinstance(data, list):
        return [s for i, v in enumerate(data) for s in strings_in(v, f"{path}[{i}]")]
    return []
