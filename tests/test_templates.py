"""The four national templates: complete, valid, correct Danish; broken files handled."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import NATIONAL_TEMPLATES, SCHEMAS, SEEDS, TEMPLATE_IDS, read_json
from tests.ocr_damage import find_damage, strings_in
from tui.core.templates import TemplateError, load_library, load_template_file, schema_errors


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_shipped_template_validates_against_the_schema(template_id):
    data = read_json(SCHEMAS / f"{template_id}.json")
    assert schema_errors(data, SCHEMAS / "template.schema.json") == []
    assert data["id"] == template_id


def test_the_four_national_templates_ship():
    assert set(TEMPLATE_IDS) >= NATIONAL_TEMPLATES


def test_expected_structure_counts(library):
    counts = {t.id: ([s.id for s in t.sections], t.item_count()) for t in library}
    assert len(counts["barnets-lov"][0]) == 4
    assert counts["ngo-samarbejde"] == (counts["ngo-samarbejde"][0], 23) and len(counts["ngo-samarbejde"][0]) == 2
    assert counts["signs-of-safety"] == (["ledelse", "kompetencer", "organisering"], 14)
    assert counts["familieraadslagning"] == (["ledelse", "kompetencer", "organisering"], 17)


def test_users_may_add_what_the_guides_allow(library):
    barnets = library.get("barnets-lov")
    assert barnets.added_sections is not None  # own themes
    for section in barnets.sections:
        assert (section.added_items.recommended_min, section.added_items.recommended_max) == (2, 3)
    for template_id in ("ngo-samarbejde", "signs-of-safety", "familieraadslagning"):
        assert all(s.added_items is not None for s in library.get(template_id).sections)


def test_every_item_type_reads_as_an_initiative(library):
    for template in library:
        for itype in template.item_types.values():
            assert itype.initiative is not None, (template.id, itype.id)


def test_help_questions_are_carried(library):
    barnets = library.get("barnets-lov")
    aktiviteter = barnets.item_types["udviklingsaktivitet"].field("aktiviteter")
    assert any("Hvad sættes i værk" in q for q in aktiviteter.guidance.questions)
    assert "Sidemandsoplæring" in aktiviteter.guidance.examples
    milestones = barnets.item_types["udviklingsaktivitet"].field("milepaele")
    assert "SMART-sikring" in milestones.guidance.to_markdown()  # points to the SMART explanation …
    smart = next(b for b in barnets.guidance_blocks if b.id == "smart")
    assert "Tidsbegrænsede" in smart.text  # … which the plan's guidance holds, once
    sos = library.get("signs-of-safety")
    first = sos.sections[0].items[0]
    assert first.guidance.questions_intro.startswith("Tag eventuelt udgangspunkt")
    assert len(first.guidance.questions) == 3

    all_text = json.dumps(read_json(SCHEMAS / "familieraadslagning.json"), ensure_ascii=False)
    assert "hjørnesten" in all_text and "Trin 3" in all_text


def test_ngo_scale_and_gap_rule(library):
    ngo = library.get("ngo-samarbejde")
    labels = [c.label for c in ngo.scales["grad"].choices]
    assert labels == ["I høj grad", "I nogen grad", "Slet ikke"]
    itype = ngo.item_types["spoergsmaal"]
    assert itype.gap_check is not None


# Lines exactly as seed 004's OCR has them: the scan must catch every kind of damage in them.
SEED_004_LINES = """\
fungere som en ’tjekliste’ over hvilke overvejelser og beslutninger, der er ngdvendige for at
Under hver milepzel er der en indledende tekst og en reekke spgrgsmal, som hjeelper med at
Tag eventuelt udgangspunkt i falgende spgrgsmal:
Milepeel: Kommunens formal med og malgruppe for indsatsen er beskrevet
taler sammen og lgser problemer ud fra et feelles udgangspunkt. Herudover skal teamet sikre, at
- Skal der gives ekstra tillzeg til aftenarbejde?
- Huvilke fagomrader skal indga i arbejdet med metoden?
eventuelle seerlige fokusomrader, som kommunen matte have. For at undga tvivi om hvem, der
- @nsker kommunen at opbygge eget samordnerkorps?
- | hvor mange sager skal metoden anvendes i det kommende ar?
"""
EXPECTED_DAMAGE = ("ngdvendig", "spgrgsm", "falgende", "milepeel", "feelles", "tillzeg", "huvilke", "tvivi", "@", "|")


def test_scanner_finds_the_damage_seed_004_has():
    """The damage scan below is only worth something if it finds what the seed README warns of."""
    hits = {h.lower() for h in find_damage(SEED_004_LINES)}
    for expected in EXPECTED_DAMAGE:
        assert any(expected in h for h in hits), expected


@pytest.mark.skipif(not SEEDS.is_dir(), reason="kildedokumenterne (../shared/seeds) ligger ikke ved siden af repoet")
def test_scanner_on_the_whole_seeds():
    damaged = (SEEDS / "004_cdea4380ad3fc070.txt").read_text(encoding="utf-8")
    hits = {h.lower() for h in find_damage(damaged)}
    for expected in EXPECTED_DAMAGE:
        assert any(expected in h for h in hits), expected
    clean = (SEEDS / "003_d2f23570e3154eb8.txt").read_text(encoding="utf-8")
    assert find_damage(clean) == []


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_no_ocr_damage_in_any_template(template_id):
    data = read_json(SCHEMAS / f"{template_id}.json")
    damaged = [(place, hit) for place, text in strings_in(data) for hit in find_damage(text)]
    assert damaged == []


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_no_word_artefacts(template_id):
    text = (SCHEMAS / f"{template_id}.json").read_text(encoding="utf-8")
    for artefact in ("[bookmark", "footnoteRef", "_Toc", "<i>", "</i>", "[1:", "[2:"):
        assert artefact not in text


def _copy_to_user_dir(tmp_path):
    user = tmp_path / "mine"
    user.mkdir()
    return user


def test_broken_user_template_names_file_and_place_and_others_still_load(tmp_path):
    user = _copy_to_user_dir(tmp_path)
    good = read_json(SCHEMAS / "signs-of-safety.json")
    good["id"] = "vores-egen"
    (user / "vores-egen.json").write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    bad_type = json.loads(json.dumps(good))
    bad_type["id"] = "forkert-type"
    bad_type["sections"][1]["items"][0]["type"] = "findes-ikke"
    (user / "forkert-type.json").write_text(json.dumps(bad_type), encoding="utf-8")
    bad_schema = json.loads(json.dumps(good))
    bad_schema["id"] = "mangler-titel"
    del bad_schema["sections"][0]["title"]
    (user / "mangler-titel.json").write_text(json.dumps(bad_schema), encoding="utf-8")
    (user / "ikke-json.json").write_text('{"id": "x",\n "title": }', encoding="utf-8")

    library = load_library(SCHEMAS, user)
    assert set(library.templates) == set(TEMPLATE_IDS) | {"vores-egen"}
    messages = {e.path.name: str(e) for e in library.errors}
    assert messages["forkert-type.json"] == (
        f"Skabelonen {user / 'forkert-type.json'} kan ikke bruges (sections[1].items[0]): "
        "elementtypen »findes-ikke« findes ikke under »item_types«")
    assert "sections[0]" in messages["mangler-titel.json"] and "mangler feltet »title«" in messages["mangler-titel.json"]
    assert "linje 2, kolonne" in messages["ikke-json.json"] and "ugyldig JSON" in messages["ikke-json.json"]


def test_user_template_cannot_take_a_shipped_id(tmp_path):
    user = _copy_to_user_dir(tmp_path)
    shutil.copy(SCHEMAS / "barnets-lov.json", user / "barnets-lov-kopi.json")
    library = load_library(SCHEMAS, user)
    assert library.get("barnets-lov").builtin
    assert any("findes allerede" in str(e) for e in library.errors)


def test_template_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"title": "Ærø"}'.encode("latin-1"))
    with pytest.raises(TemplateError) as err:
        load_template_file(path)
    assert "UTF-8" in str(err.value)
