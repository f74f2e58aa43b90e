"""The template's guidance for the whole plan and its reference material (tui/core/guide.py)."""

from __future__ import annotations

import copy
import json

from tests.conftest import SCHEMAS
from tui.core import guide
from tui.core.plan import Plan, new_plan_data
from tui.core.templates import semantic_errors, template_from_dict

NOTE_2022 = "Tidspunkterne er fra Socialstyrelsens materiale, senest opdateret 01-07-2022."


def new_plan(library, template_id: str) -> Plan:
    template = library.get(template_id)
    return Plan(new_plan_data(template, "Prøveplan"), template)


def test_guidance_has_every_block_in_order(library):
    text = guide.guidance_markdown(new_plan(library, "barnets-lov"))
    titles = ["Om implementeringsplanen", "Hvem?", "Hvornår?", "Hvad?", "Overordnet udviklingsaktivitet",
              "SMART-sikring"]
    places = [text.index(f"## {title}\n") for title in titles]
    assert places == sorted(places)
    assert "**Specifikke**" in text  # the blocks' own Markdown is kept
    assert "Kilde: Implementeringsplan for barnets lov (Social- og Boligstyrelsen)" in text
    family = guide.guidance_markdown(new_plan(library, "familieraadslagning"))
    assert "## De fem hjørnesten" in family and "## De tre trin" in family


def test_reference_entry_becomes_an_item_with_its_text_and_the_note(library):
    plan = new_plan(library, "barnets-lov")
    item_id = guide.add_reference_item(plan, "inddragelse", "kompetenceudvikling-sagsbehandlere")
    [item] = plan.items("inddragelse")
    assert item.id == item_id and item.title == "Kompetenceudviklingsforløb for sagsbehandlere"
    assert plan.item_type(item).id == "udviklingsaktivitet"
    text = plan.value(item_id, "aktiviteter")
    assert text.startswith(NOTE_2022 + "\n\n")
    assert "1. kvartal 2023" in text
    assert "\n\nOpfølgning\n\n" in text and "*" not in text  # emphasis taken out, paragraphs kept
    assert plan.value(item_id, "formaal") == ""
    assert plan.items("faglig-vurdering") == []


def test_reference_text_goes_to_the_first_long_text_without_a_named_field(library):
    data = json.loads((SCHEMAS / "barnets-lov.json").read_text(encoding="utf-8"))
    del data["reference_use"]
    template = template_from_dict(data)
    assert template.reference_use.note == "" and template.reference_use.title == "Referencemateriale"
    plan = Plan(new_plan_data(template, "Prøveplan"), template)
    item_id = guide.add_reference_item(plan, "faglig-vurdering", "faglige-redskaber")
    assert plan.value(item_id, "formaal").startswith("For at understøtte nye arbejdsgange")
    assert plan.value(item_id, "aktiviteter") == ""


def test_reference_only_where_the_template_has_it_and_the_section_takes_items(library):
    assert guide.can_add_reference(new_plan(library, "barnets-lov"), "faglig-vurdering")
    for template_id in ("ngo-samarbejde", "signs-of-safety", "familieraadslagning"):
        plan = new_plan(library, template_id)
        assert not plan.template.reference
        assert not any(guide.can_add_reference(plan, s.id) for s in plan.sections())


def test_reference_field_must_exist():
    data = json.loads((SCHEMAS / "barnets-lov.json").read_text(encoding="utf-8"))
    assert semantic_errors(data) == []
    wrong = copy.deepcopy(data)
    wrong["reference_use"]["field"] = "findes-ikke"
    assert semantic_errors(wrong) == [("reference_use.field", "feltet »findes-ikke« findes ikke i nogen elementtype")]
