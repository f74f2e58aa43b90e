"""The SMART check of a goal: what the review asks of a goal before it counts as SMART.

A goal (a field whose template names a date beside it, e.g. barnets lov's »Mål/succeskriterier«)
is SMART here when someone is named responsible, its date is set and its text says how it is
measured: a number (80 %, 12 af 15, tre måneder) or a criterion (alle, andelen, målt ved …).
Specific, accepted and realistic are the group's judgement; no program can check those.
"""

from __future__ import annotations

import re

# Said once, for the help beside the goal, the key list and the README.
SMART_CHECKS = ("SMART-tjekket i gennemgangen (F2) ser efter tre ting ved hvert mål: at en ansvarlig er "
                "navngivet, at der er sat en dato, og at målet kan måles – et tal (fx »80 % af sagerne«, "
                "»12 af 15«) eller et kriterium (fx »alle nye rådgivere har …«, »andelen af …«, »målt ved "
                "ledelsestilsyn«). Hver milepæl skal have en dato.")

# Words that make a goal measurable without a digit: amounts, shares, and how it is measured.
_NUMBER_WORDS = ("to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti", "tolv", "tyve", "halvdelen",
                 "hundrede", "halvt", "halve", "kvart", "dobbelt", "alle", "samtlige", "ingen", "hver", "hvert")
_CRITERION_STEMS = ("procent", "andel", "antal", "mindst", "højst", "maksimalt", "minimum", "maksimum",
                    "målt", "måles", "måling", "målbar", "opgør", "opgjort", "registrer", "dokumenter",
                    "evaluer", "audit", "stikprøve", "tilsyn", "spørgeskema", "tilfredshed", "succeskriteri",
                    "kriteri", "stiger", "steget", "falder", "faldet", "øges", "øget", "reduceres", "reduceret")
_WORD = re.compile(r"\w+")


def is_measurable(text: str) -> bool:
    """Does a goal say how it is measured: a digit, a %, a number word or a criterion word?"""
    if any(ch.isdigit() for ch in text) or "%" in text:
        return True
    words = [w.casefold() for w in _WORD.findall(text)]
    return any(w in _NUMBER_WORDS or w.startswith(_CRITERION_STEMS) for w in words)
