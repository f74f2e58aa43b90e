"""Properties over arbitrary text (Hypothesis): import -> store -> export keeps what can be kept,
cleans what must go, and never breaks; the Markdown initiative table keeps its shape."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.md_tables import parse_tables
from tui.core.exchange import PlanFileError, dumps, read_plan_file
from tui.core.export_md import INITIATIVE_HEADERS, plan_to_html, plan_to_markdown
from tui.core.plan import MAX_TITLE_LENGTH, Plan, ValueRefused, clean_text, new_plan_data
from tui.core.templates import load_library
from tui.core.text import UNSAFE
from tui.core.workspace import Workspace

LIBRARY = load_library(Path(__file__).resolve().parent.parent / "schemas", Path("/nonexistent"))
TODAY = date(2027, 1, 15)
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# All of Unicode that UTF-8 can hold (surrogates cannot), controls and format characters included.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
HOSTILE = st.sampled_from(["\x1b]0;owned\x07", "\x1b[2J", "\u202e", "\x9b", "|", "\n", "\r\n", "`", "<b>",
                           "\\", "- ", "# ", "&amp;", "\t", "\u200d", "\ufeff"])
MIXED = st.lists(st.one_of(TEXT, HOSTILE), max_size=6).map("".join)
DATES = st.one_of(st.just(""), st.dates().map(date.isoformat),
                  st.dates(date(1900, 1, 1), date(2200, 12, 31)).map(date.isoformat))


def single(text: str) -> str:
    return clean_text(text, single_line=True, limit=MAX_TITLE_LENGTH).strip()


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(k)
            yield from strings(v)


def no_unsafe(*texts: str) -> bool:
    return not any(UNSAFE.search(t) for t in texts)


@st.composite
def exchange_documents(draw):
    template_id = draw(st.sampled_from(["barnets-lov", "ngo-samarbejde"]))
    answers: dict = {}
    added_items = []
    if template_id == "ngo-samarbejde":
        for item in draw(st.lists(st.sampled_from(["mervaerdi", "maalgruppe", "maal"]), unique=True, max_size=2)):
            answers[item] = {"initiativer": draw(MIXED), "svar-uddybning": draw(MIXED), "ansvarlig": draw(MIXED),
                             "deadline": draw(DATES),
                             "milepaele": [{"text": draw(MIXED), "date": draw(DATES)}
                                           for _ in range(draw(st.integers(0, 2)))]}
    else:
        for n in range(draw(st.integers(0, 2))):
            item_id = f"a{n}"
            added_items.append({"id": item_id, "section": "faglig-vurdering", "type": "udviklingsaktivitet",
                                "title": draw(MIXED)})
            answers[item_id] = {"formaal": draw(MIXED), "aktiviteter": draw(MIXED), "ansvarlige": draw(MIXED),
                                "maal-dato": draw(DATES),
                                "milepaele": [{"text": draw(MIXED), "date": draw(DATES)}
                                              for _ in range(draw(st.integers(0, 2)))]}
    plan = {"id": "d" * 32, "template": {"id": template_id, "version": "1.0.0"}, "title": draw(MIXED),
            "organisation": draw(MIXED), "answers": answers, "added_items": added_items}
    return {"format": "implan-plan/1", "plan": plan}


def expected_answers(doc: dict, template_id: str) -> dict:
    """What the program itself stores for each answer (milestone ids aside)."""
    long_fields = {"svar-uddybning", "initiativer", "formaal", "aktiviteter"}
    out = {}
    for item_id, fields in doc["plan"]["answers"].items():
        stored = {}
        for field_id, value in fields.items():
            if field_id == "milepaele":
                rows = [(clean_text(r["text"], single_line=True, limit=2000).strip(), r["date"]) for r in value]
                stored[field_id] = [r for r in rows if r != ("", "")]
            elif field_id in long_fields:
                stored[field_id] = clean_text(value).strip("\n")
            elif field_id in ("deadline", "maal-dato"):
                stored[field_id] = value
            else:
                stored[field_id] = clean_text(value, single_line=True, limit=MAX_TITLE_LENGTH * 3).strip()
        out[item_id] = stored
    return out


def dates(doc: dict) -> list[str]:
    found = []
    for fields in doc["plan"]["answers"].values():
        found.append(fields.get("deadline", fields.get("maal-dato", "")))
        found += [r["date"] for r in fields["milepaele"]]
    return found


def in_range(iso: str) -> bool:
    return not iso or "1900-01-01" <= iso <= "2200-12-31"


def refusals(doc: dict) -> list[str]:
    """Why this file may be refused: the schema's limits (raw text) and the date range."""
    plan = doc["plan"]
    reasons = []
    if not plan["title"] or len(plan["title"]) > 300:
        reasons.append("title")
    if len(plan["organisation"]) > 300:
        reasons.append("organisation")
    if any(len(entry["title"]) > 300 for entry in plan["added_items"]):
        reasons.append("added item title")
    if not all(in_range(d) for d in dates(doc)):
        reasons.append("date")
    return reasons


def comparable(answers: dict) -> dict:
    return {item: {f: ([(r["text"], r["date"]) for r in v] if isinstance(v, list) else v) for f, v in fields.items()}
            for item, fields in answers.items()}


@SETTINGS
@given(exchange_documents())
def test_import_store_export_round_trip_over_arbitrary_text(doc):
    with tempfile.TemporaryDirectory(prefix="helper-props-") as tmp:
        tmp = Path(tmp)
        source = tmp / "plan.json"
        source.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        ws = Workspace.open(tmp / "a.json", write=True, library=LIBRARY)
        try:
            plan = ws.import_file(source)
        except (PlanFileError, ValueRefused) as exc:
            message = str(exc)
            assert "kan ikke bruges" in message
            assert no_unsafe(message.replace("\n", ""))
            assert refusals(doc), message  # refused only for a reason the file really has
            if refusals(doc) == ["date"]:  # (schema errors come first; dates are checked after)
                assert "01-01-1900 til 31-12-2200" in message
            return
        assert not refusals(doc)
        template_id = doc["plan"]["template"]["id"]
        stored = ws.get(plan.id)
        assert stored.title == (single(doc["plan"]["title"]) or "Uden titel")
        assert stored.organisation == single(doc["plan"]["organisation"])
        assert comparable(stored.data["answers"]) == expected_answers(doc, template_id)
        for entry, given_entry in zip(stored.data["added_items"], doc["plan"]["added_items"], strict=False):
            assert entry["title"] == single(given_entry["title"])
        # cleaning is idempotent: what is stored is already clean
        for text in strings(stored.data["answers"]):
            assert clean_text(text) == text
        assert no_unsafe(*strings(stored.data))

        markdown = plan_to_markdown(stored, TODAY)
        html = plan_to_html(stored, TODAY)
        exported = dumps(stored.data)
        assert no_unsafe(markdown, html, exported)

        again = tmp / "again.json"
        again.write_text(exported, encoding="utf-8")
        data, _ = read_plan_file(again, LIBRARY)
        assert data["answers"] == stored.data["answers"]
        other = Workspace.open(tmp / "b.json", write=True, library=LIBRARY).import_file(again)
        assert other.data["answers"] == stored.data["answers"] and other.title == stored.title


@st.composite
def plans_with_initiatives(draw):
    template = LIBRARY.get("barnets-lov")
    title = draw(MIXED)[:250]
    plan = Plan(new_plan_data(template, title if single(title) else "Plan"), template)
    count = draw(st.integers(1, 4))
    for _ in range(count):
        item_id = plan.add_item("faglig-vurdering", draw(MIXED)[:250])
        plan.set_value(item_id, "ansvarlige", draw(MIXED))
        plan.set_value(item_id, "formaal", draw(MIXED))
        plan.set_value(item_id, "milepaele", [{"text": draw(MIXED), "date": "2027-02-01"}])
    return plan, count


@SETTINGS
@given(plans_with_initiatives())
def test_markdown_initiative_table_keeps_its_columns_whatever_the_text(case):
    plan, count = case
    markdown = plan_to_markdown(plan, TODAY)
    tables = [t for t in parse_tables(markdown) if t and t[0] == INITIATIVE_HEADERS]
    assert len(tables) == 1
    [rows] = tables
    assert len(rows) == 1 + count
    assert all(len(row) == len(INITIATIVE_HEADERS) for row in rows)
    # every other table (the facts) keeps its shape too
    for table in parse_tables(markdown):
        assert len({len(row) for row in table}) == 1
    assert no_unsafe(markdown)
