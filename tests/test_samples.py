"""The sample plans: one or more per template, valid, realistic, with deadlines on both sides of today."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.conftest import SCHEMAS, TEMPLATE_IDS, load_sample, read_json, sample_files
from tests.ocr_damage import find_damage, strings_in
from tui.core.findings import plan_findings
from tui.core.initiatives import plan_initiatives
from tui.core.templates import schema_errors


def test_every_template_has_a_sample_plan(library):
    used = Counter(read_json(p)["plan"]["template"]["id"] for p in sample_files())
    assert set(used) == set(TEMPLATE_IDS)


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.stem)
def test_sample_is_valid_and_stored_as_the_program_stores_it(path, library):
    assert schema_errors(read_json(path), SCHEMAS / "plan.schema.json") == []
    plan, _ = load_sample(path, library)
    for section in plan.sections():
        for item in plan.items(section):
            for field in plan.item_type(item).fields:
                value = plan.value(item.id, field.id)
                assert plan.normalise(field, value) == value, (item.id, field.id)


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.stem)
def test_sample_is_a_living_plan(path, library):
    plan, today = load_sample(path, library)
    initiatives = plan_initiatives(plan)
    overdue = [i for i in initiatives if i.is_overdue(today)]
    upcoming = [i for i in initiatives if not i.closed and i.deadline and i.deadline >= today]
    closed = [i for i in initiatives if i.closed]
    assert len(overdue) >= 2 and len(upcoming) >= 2 and len(closed) >= 2
    assert all(i.responsible for i in initiatives)
    # Fully filled: at most a deliberate finding or two, so the review has something to show.
    assert len(plan_findings(plan)) <= 2
    assert plan.progress().percent >= 90


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.stem)
def test_sample_text_is_clean_danish(path):
    data = read_json(path)
    assert [(p, h) for p, t in strings_in(data) for h in find_damage(t, chars=False)] == []
