"""The HTML export printed on A4 by a real layout engine (WeasyPrint): nothing sticks out past the
page's content area, not even a 300-letter word; page 1 is not left blank; tables that run onto
the next page repeat their header row; the margin says "Side N af M"."""

from __future__ import annotations

import os
from datetime import date
from functools import cache

import pytest

from tests.conftest import load_sample, sample_files
from tests.test_export import hostile_plan
from tui.core.export_html import markdown_to_html
from tui.core.export_md import plan_to_html
from tui.core.plan import Plan, new_plan_data

try:
    import weasyprint
except ImportError:
    pytest.skip("WeasyPrint (in the test extra) lays the HTML out as printed; it is not installed",
                allow_module_level=True)
except OSError as error:  # no Pango: .ci/run installs it, so CI fails here instead of skipping
    if os.environ.get("CI"):
        raise
    pytest.skip(f"WeasyPrint finds no Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0): {error}",
                allow_module_level=True)

EPSILON = 0.01  # CSS px; layout sums floats
LONG = "Langtord" * 37 + "ende"  # 300 letters, no space: a pasted link or identifier


@cache
def rendered(html: str):
    return weasyprint.HTML(string=html).render()


def sample_html(path, library, with_help: bool) -> str:
    plan, anchor = load_sample(path, library)
    return plan_to_html(plan, anchor, with_help=with_help)


def descendants(box, *, into_clipped: bool = True):
    """The box and every box inside it; not inside a box that clips its content (the footer's
    title, cut short with "…") unless into_clipped."""
    yield box
    if not into_clipped and box.style["overflow"] != "visible":
        return
    for child in getattr(box, "children", None) or []:
        yield from descendants(child, into_clipped=into_clipped)


def content_area(page) -> tuple[float, float, float, float]:
    """(left, right, top, bottom) of the page's content area."""
    box = page._page_box
    left, top = box.content_box_x(), box.content_box_y()
    return left, left + box.width, top, top + box.height


def overflowing(document) -> list[str]:
    """Every box whose border box reaches past the content area's right edge, or starts left of the page."""
    found = []
    for number, page in enumerate(document.pages, 1):
        _, right, _, _ = content_area(page)
        for box in descendants(page._page_box, into_clipped=False):
            if box.width is None or box is page._page_box:
                continue
            x = box.border_box_x()
            end = x + box.border_width()
            if end > right + EPSILON or x < -EPSILON:
                text = getattr(box, "text", "") or ""
                found.append(f"side {number}: {type(box).__name__} x={x:.1f}..{end:.1f} > {right:.1f} {text[:40]!r}")
    return found


def lowest_bottom(page) -> float:
    """How far down the page's printed lines and table rows reach (a block that goes on to the next
    page reaches the bottom whatever it printed, so blocks do not count; nor do the margin boxes)."""
    root = page._page_box.children[0]
    return max(b.position_y + b.margin_height() for b in descendants(root)
               if type(b).__name__ in ("LineBox", "TableRowBox"))


@pytest.mark.parametrize("with_help", [False, True], ids=["plain", "with-help"])
@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.stem)
def test_every_sample_plan_prints_within_the_a4_page(path, with_help, library):
    document = rendered(sample_html(path, library, with_help))
    assert document.pages, "no page printed"
    assert all(abs(p.width - 793.7) < 1 and abs(p.height - 1122.5) < 1 for p in document.pages)  # A4 in CSS px
    assert overflowing(document) == []


def test_a_300_letter_word_wraps_in_a_table_cell_and_in_a_paragraph(library):
    plan = hostile_plan(library)
    item = plan.add_item("faglig-vurdering", LONG)
    plan.set_value(item, "ansvarlige", LONG)  # a cell of the overview table
    plan.set_value(item, "formaal", f"Før {LONG} efter, og https://example.org/{'sti/' * 40}")
    plan.set_value(item, "milepaele", [{"date": "2027-03-01", "text": LONG}])
    html = plan_to_html(plan, date(2027, 1, 15))
    assert html.count(LONG) >= 4  # every one printed, whole, in the text
    document = rendered(html)
    assert overflowing(document) == []


def test_a_long_plan_title_does_not_push_the_footer_off_the_page(library):
    template = library.get("barnets-lov")
    plan = Plan(new_plan_data(template, LONG, LONG), template)
    document = rendered(plan_to_html(plan, date(2027, 1, 15)))
    assert overflowing(document) == []


def test_a_timeline_with_many_month_columns_fits():
    months = ["jan 2026", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov (i dag)", "dec",
              "jan 2027", "feb", "mar", "apr", "maj", "jun", "jul", "aug"]
    rows = [f"| Initiativ nummer {n} med en lang titel om forandringsteoriworkshoppen | "
            + " | ".join("○! ◆!" if (n + m) % 5 == 0 else ("─" if m > n else " ") for m in range(len(months))) + " |"
            for n in range(30)]
    markdown = "\n".join(["# Tidslinje", "", "| Initiativ | " + " | ".join(months) + " |",
                          "|" + "---|" * (len(months) + 1), *rows, ""])
    html = markdown_to_html(markdown, "Tidslinje")
    assert '<table class="wide dense marks">' in html
    document = rendered(html)
    assert len(document.pages) > 1
    assert overflowing(document) == []


def test_the_ngo_plan_with_help_runs_on_and_fills_page_one(library):
    path = next(p for p in sample_files() if p.stem.startswith("ngo-samarbejde"))
    document = rendered(sample_html(path, library, True))
    assert len(document.pages) > 1
    _, _, top, bottom = content_area(document.pages[0])
    # Before, whole tables would not break, so the overview went to page 2 and left page 1 a third empty.
    assert lowest_bottom(document.pages[0]) > top + 0.8 * (bottom - top)


def test_tables_repeat_their_header_row_on_every_page(library):
    path = next(p for p in sample_files() if p.stem.startswith("ngo-samarbejde"))
    document = rendered(sample_html(path, library, True))
    pieces = 0
    for page in document.pages:
        for table in (b for b in descendants(page._page_box) if type(b).__name__ == "TableBox"):
            groups = [g for g in table.children if type(g).__name__ == "TableRowGroupBox"]
            assert groups and groups[0].is_header, "a table's part without its header row"
            pieces += 1
    tables = sample_html(path, library, True).count("<table")
    assert pieces > tables  # at least one table broke across pages and was tested above


def test_page_numbers_in_the_margin(library):
    path = next(p for p in sample_files() if p.stem.startswith("signs-of-safety"))
    document = rendered(sample_html(path, library, False))
    total = len(document.pages)
    for number, page in enumerate(document.pages, 1):
        margin = [b for b in page._page_box.children if type(b).__name__ == "MarginBox"]
        texts = ["".join(getattr(t, "text", "") for t in descendants(b)) for b in margin]
        assert f"Side {number} af {total}" in texts
