"""The field kinds as one registry: every kind has its core object and its editor, templates are
checked against it, and the other vocabularies keep the strings stored plans hold."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SCHEMAS, TEMPLATE_IDS, read_json
from tui.core.enums import FindingKind, Group, HistoryKind, Sort, Status
from tui.core.kinds import KINDS, FieldKind, kind_of
from tui.core.plan import ValueRefused
from tui.core.templates import TemplateError, load_template_file

KIND_LIST = "skal være en af: " + ", ".join(f"»{k.value}«" for k in FieldKind)


def shipped_kinds() -> set[str]:
    return {f["kind"] for tid in TEMPLATE_IDS for t in read_json(SCHEMAS / f"{tid}.json")["item_types"].values()
            for f in t["fields"]}


def test_every_kind_has_a_core_object_and_an_editor():
    from tui.app.widgets.fields import FieldEditor
    from tui.app.widgets.kinds import FIELD_WIDGETS

    assert set(KINDS) == set(FieldKind) == set(FIELD_WIDGETS)
    for kind in FieldKind:
        assert KINDS[kind].kind is kind
        assert issubclass(FIELD_WIDGETS[kind].editor, FieldEditor)


def test_every_kind_the_shipped_templates_use_is_registered():
    from tui.app.widgets.kinds import FIELD_WIDGETS

    used = shipped_kinds()
    assert used and used <= {k.value for k in FieldKind}
    for name in used:
        assert FieldKind(name) in KINDS and FieldKind(name) in FIELD_WIDGETS


def test_the_schema_lists_the_kinds_for_template_writers():
    schema = json.loads((SCHEMAS / "template.schema.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["field"]["properties"]["kind"]["enum"] == [k.value for k in FieldKind]


def test_the_kinds_are_the_strings_templates_and_plans_hold(library):
    stored = {"SHORT_TEXT": "short_text", "LONG_TEXT": "long_text", "SCALE": "scale", "RESPONSIBLE": "responsible",
              "DATE": "date", "MILESTONES": "milestones", "STATUS": "status"}
    assert {name: FieldKind[name].value for name in stored} == stored  # a kind may be added, never renamed
    field = next(f for t in library for it in t.item_types.values() for f in it.fields)
    assert isinstance(field.kind, FieldKind) and field.kind == field.kind.value


def _template_with_kind(tmp_path, kind: str):
    data = read_json(SCHEMAS / "ngo-samarbejde.json")
    type_id, item_type = next(iter(data["item_types"].items()))
    item_type["fields"][0]["kind"] = kind
    path = tmp_path / "egen.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path, f"item_types.{type_id}.fields[0].kind"


@pytest.mark.parametrize("validate_schema", [True, False])
def test_an_unknown_kind_in_a_template_is_refused_in_danish(tmp_path, validate_schema):
    path, place = _template_with_kind(tmp_path, "tegning")
    with pytest.raises(TemplateError) as err:
        load_template_file(path, validate_schema=validate_schema)
    assert (place, KIND_LIST) in err.value.problems
    assert "uventet" not in str(err.value)


def test_an_unknown_kind_name_is_refused_when_storing():
    with pytest.raises(ValueRefused, match="Ukendt felttype »tegning«"):
        kind_of("tegning")


def test_initiative_roles_follow_the_kinds():
    assert {k for k, obj in KINDS.items() if "deadline" in obj.roles} == {FieldKind.DATE}
    assert {k for k, obj in KINDS.items() if "status" in obj.roles} == {FieldKind.STATUS, FieldKind.SCALE}
    assert {k for k, obj in KINDS.items() if "responsible" in obj.roles} == {FieldKind.RESPONSIBLE,
                                                                            FieldKind.SHORT_TEXT}


def test_every_kind_reads_stores_and_shows_an_empty_answer(library):
    template = library.get("ngo-samarbejde")
    for itype in template.item_types.values():
        for spec in itype.fields:
            kind = KINDS[spec.kind]
            empty = kind.normalise(template, spec, None)
            assert empty == ([] if kind.is_list else "") == kind.read(None)
            assert not kind.is_filled(empty)
            assert kind.display(template, spec, empty) == ""


def test_vocabularies_keep_their_stored_strings():
    assert [s.value for s in Status] == ["ikke-startet", "i-gang", "gennemfoert", "udgaaet"]
    assert [s.label for s in Status] == ["Ikke startet", "I gang", "Gennemført", "Udgået"]
    assert {s for s in Status if s.closed} == {Status.DONE, Status.DROPPED}
    assert [g.label for g in Group] == ["Overskredet", "Denne uge", "Senere", "Uden deadline", "Afsluttet"]
    assert [Sort.DEADLINE.next(), Sort.RESPONSIBLE.next(), Sort.PLAN.next()] == [Sort.RESPONSIBLE, Sort.PLAN,
                                                                                 Sort.DEADLINE]
    assert HistoryKind("milepael-udfoert") is HistoryKind.MILESTONE_DONE and not HistoryKind.CONFLICT.is_change
    assert FindingKind.BAD_DATE.label == "Ugyldig dato"
    assert Status.of("i-gang") is Status.IN_PROGRESS and Status.of("x") is None and Status.of(None) is None

