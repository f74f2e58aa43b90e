"""Every text on the main screens meets WCAG AA (4.5:1) against what is behind it, in colour
and under NO_COLOR: measured from the snapshots' own colours (tests/test_snapshots.py makes them).
Modal screens are left out: the dimmed screen behind a dialog is inactive by design."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.contrast import AA_NORMAL, failures, text_pairs

SNAPSHOTS = Path(__file__).parent / "__snapshots__" / "test_snapshots"
MAIN_SCREENS = ["home", "new_plan", "wizard_barnets_lov", "wizard_method_guide_milestone_help", "outstanding",
                "timeline", "export"]
NO_COLOR = [f"test_{name}[{size}].svg" for name in MAIN_SCREENS for size in ("80x24", "wide")]
IN_COLOUR = [f"test_in_colour[{name}].svg" for name in
             ["home", "new_plan", "wizard_barnets_lov", "wizard_signs_of_safety", "outstanding", "timeline", "export"]]


@pytest.mark.parametrize("name", NO_COLOR + IN_COLOUR)
def test_text_contrast_meets_aa(name):
    path = SNAPSHOTS / name
    assert len(text_pairs(path.read_text(encoding="utf-8"))) > 10  # the screen has text to measure
    bad = failures(path)
    assert not bad, f"below {AA_NORMAL}:1 in {name}:\n" + "\n".join(map(str, bad[:10]))


def test_the_measure_itself():
    from tests.contrast import contrast

    assert round(contrast("#FFFFFF", "#000000"), 1) == 21.0
    assert round(contrast("#767676", "#FFFFFF"), 2) == 4.54  # the lightest grey AA allows on white
