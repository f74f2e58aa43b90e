"""Export: Markdown a reader wants, tables that survive any user text, HTML that cannot be injected."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.conftest import load_sample, sample_files
from tests.md_tables import headings, parse_tables
from tui.core.export_html import markdown_parser
from tui.core.export_md import INITIATIVE_HEADERS, plan_to_html, plan_to_markdown
from tui.core.initiatives import plan_initiatives
from tui.core.markdown_text import block, inline
from tui.core.markdown_text import table as md_table
from tui.core.plan import Plan, new_plan_data

HOSTILE = [
    "a | b || c |",
    "linje 1\nlinje 2\r\nlinje 3",
    "`kode` ``dobbelt`` ```",
    "<script>alert('x')</script> <b>fed</b> &amp; &lt;",
    "\\ slutter med backslash \\",
    "# ikke en overskrift",
    "- ikke en liste | med rør",
    "[link](javascript:alert(1)) ![billede](x.png)",
    "**fed** _kursiv_ ~~slettet~~",
    "1986. ikke en liste",
    "---",
    "> ikke et citat",
    "æøå ÆØÅ – “citat” 🙂",
]


def hostile_plan(library) -> Plan:
    template = library.get("barnets-lov")
    plan = Plan(new_plan_data(template, "Plan <script>x</script> | ` #", "Kommune | A/S"), template)
    for n, text in enumerate(HOSTILE):
        item = plan.add_item("faglig-vurdering", text)
        plan.set_value(item, "ansvarlige", text)
        plan.set_value(item, "formaal", text)
        plan.set_value(item, "milepaele", [{"date": "2027-01-01", "text": text}])
        plan.set_value(item, "maal-dato", f"2027-02-{n + 1:02d}")
    return plan


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_tables_survive_hostile_user_text(library):
    plan = hostile_plan(library)
    markdown = plan_to_markdown(plan, date(2027, 1, 15))
    tables = parse_tables(markdown)
    for table in tables:
        widths = {len(row) for row in table}
        assert len(widths) == 1, table  # every row has the header's column count
    summary = next(t for t in tables if t[0] == INITIATIVE_HEADERS)
    assert len(summary) == 1 + len(HOSTILE)
    titles = [row[1] for row in summary[1:]]
    responsibles = [row[2] for row in summary[1:]]
    assert sorted(titles) == sorted(one_line(t) for t in HOSTILE)
    assert sorted(responsibles) == sorted(one_line(t) for t in HOSTILE)
    milestone_tables = [t for t in tables if t[0] == ["Dato", "Milepæl", "Udført"]]
    assert sorted(t[1][1] for t in milestone_tables) == sorted(one_line(t) for t in HOSTILE)


def test_user_text_never_becomes_structure(library):
    plan = hostile_plan(library)
    markdown = plan_to_markdown(plan, date(2027, 1, 15))
    levels = [level for level, _ in headings(markdown)]
    # Only the export's own headings: the title, the overview, the four themes, one per activity, findings.
    assert levels.count(1) == 1
    assert ("# ikke en overskrift" not in [t for _, t in headings(markdown) if _ == 1])
    html = plan_to_html(plan, date(2027, 1, 15))
    assert "<script" not in html and "<b>" not in html and "javascript:" not in html.replace("javascript:alert(1)", "")
    assert "&lt;script&gt;" in html


def test_ampersand_reads_as_typed_but_entities_stay_literal(library):
    from tui.core.markdown_text import inline

    assert inline("Æblerød Kommune & Red Barnet") == "Æblerød Kommune & Red Barnet"
    plan = Plan(new_plan_data(library.get("barnets-lov"), "Plan & opfølgning", "Kommune & NGO &lt;b&gt;"),
                library.get("barnets-lov"))
    markdown = plan_to_markdown(plan, date(2027, 1, 15))
    assert "| Organisation | Kommune & NGO &amp;lt;b&amp;gt; |" in markdown
    html = plan_to_html(plan, date(2027, 1, 15))
    assert "Kommune &amp; NGO &amp;lt;b&amp;gt;" in html  # shown as typed, never as <b>


def test_block_keeps_line_breaks_and_user_lists():
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").render(block("Første linje\nAnden linje\n- punkt et\n- punkt to\n\nNyt afsnit"))
    assert "Første linje<br />\nAnden linje" in html
    assert "<li>punkt et</li>" in html and "<li>punkt to</li>" in html
    assert "<p>Nyt afsnit</p>" in html



def test_a_web_address_stays_whole_and_becomes_a_link():
    """GitHub links a bare address from the raw text, backslashes and all ("a\\_b"); as <…> it
    reads the same everywhere. Trailing punctuation stays text; what is not linked stays text."""
    assert inline("Se https://example.dk/a_b*c (side 2).") == "Se <https://example.dk/a_b*c> (side 2)."
    assert inline("(https://x.dk/a_(b)), www.x.dk/a_b") == "(<https://x.dk/a_(b)>), www\\.x.dk/a\\_b"
    assert inline("x|https://x.dk/a|y") == "x\\|<https://x.dk/a>\\|y"  # never a table's pipe
    assert inline("Se www.borger.dk i dag.") == "Se www.borger.dk i dag."  # reads as typed in an email
    # At the end of a text a hard break's backslash follows, which GitHub would take into the link.
    assert inline("Se www.borger.dk") == "Se www\\.borger.dk"
    html = ours(inline("Se https://example.dk/a_b%20c."))
    assert '<a href="https://example.dk/a_b%20c">https://example.dk/a_b%20c</a>.' in html


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.stem)
def test_every_sample_plan_exports_to_the_expected_tables(path, library):
    plan, anchor = load_sample(path, library)
    markdown = plan_to_markdown(plan, anchor)
    tables = parse_tables(markdown)
    assert tables[0][0] == ["Oplysning", "Værdi"] and tables[0][1] == ["Organisation", plan.organisation]
    summary = next(t for t in tables if t[0] == INITIATIVE_HEADERS)
    initiatives = plan_initiatives(plan)
    assert len(summary) - 1 == len(initiatives) > 0
    assert {row[1] for row in summary[1:]} == {one_line(i.title) for i in initiatives}
    overdue = [row for row in summary[1:] if row[-1] == "Ja"]
    assert len(overdue) == sum(1 for i in initiatives if i.is_overdue(anchor))
    for table in tables:
        assert len({len(row) for row in table}) == 1
    section_headings = [t for level, t in headings(markdown) if level == 2]
    for section in plan.sections():
        assert section.heading in section_headings


@pytest.mark.parametrize("path", sample_files()[:1], ids=lambda p: p.stem)
def test_with_help_adds_the_guidance(path, library):
    plan, anchor = load_sample(path, library)
    plain = plan_to_markdown(plan, anchor)
    helped = plan_to_markdown(plan, anchor, with_help=True)
    assert len(helped) > len(plain)
    some_question = next(
        q for s in plan.sections() for i in plan.items(s) for f in plan.item_type(i).fields
        for q in f.guidance.questions)
    assert some_question in helped and some_question not in plain


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc er ikke installeret")
def test_pandoc_keeps_the_tables(tmp_path, library):
    plan, anchor = load_sample(sample_files()[0], library)
    source = tmp_path / "plan.md"
    source.write_text(plan_to_markdown(plan, anchor), encoding="utf-8")
    native = subprocess.run(["pandoc", "-f", "gfm", "-t", "native", str(source)], capture_output=True, text=True,
                            check=True).stdout
    assert len(re.findall(r"\bTable\b", native)) == len(parse_tables(source.read_text(encoding="utf-8")))
    subprocess.run(["pandoc", "-f", "gfm", str(source), "-o", str(tmp_path / "plan.docx")], check=True)
    assert (tmp_path / "plan.docx").stat().st_size > 5000


# -- Markdown a board reads: no Mermaid, no findings dump, no stray marks ---------------------------------

SAMPLES = sample_files()


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_default_markdown_has_a_timeline_table_a_findings_line_and_no_dump(path, library):
    from tui.core.findings import findings_summary, plan_findings

    plan, anchor = load_sample(path, library)
    markdown = plan_to_markdown(plan, anchor)
    assert "```" not in markdown and "gantt" not in markdown
    assert "## Mangler i planen" not in markdown
    timeline = next(t for t in parse_tables(markdown) if t[0][0] == "Initiativ")
    assert len(timeline) - 1 == sum(1 for i in plan_initiatives(plan) if i.deadline or i.milestones)
    findings = plan_findings(plan)
    facts = dict(parse_tables(markdown)[0][1:])
    if findings:
        assert facts["Mangler"].startswith(findings_summary(findings))
        full = plan_to_markdown(plan, anchor, with_findings=True)
        listed = full.split("## Mangler i planen", 1)[1]
        assert listed.count("\n- **") == len(findings)
    else:
        assert "Mangler" not in facts
    assert "```mermaid\ngantt" in plan_to_markdown(plan, anchor, mermaid=True)


def test_findings_summary_counts_by_kind_in_danish():
    from tui.core.enums import FindingKind
    from tui.core.findings import Finding, findings_summary

    def found(kind, n):
        return [Finding(kind, "s", None, None, "x")] * n

    summary = findings_summary(found(FindingKind.UNANSWERED, 1) + found(FindingKind.NO_RESPONSIBLE, 3)
                               + found(FindingKind.BAD_DATE, 2))
    assert summary == "2 datoer er ugyldige, 3 initiativer mangler ansvarlig, 1 felt er ikke udfyldt"


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("with_help", [False, True], ids=["plain", "with-help"])
def test_no_stray_escapes_and_guidance_printed_once(path, with_help, library):
    plan, anchor = load_sample(path, library)
    markdown = plan_to_markdown(plan, anchor, with_help=with_help, with_findings=True)
    assert "\\*" not in markdown and "*\\" not in markdown  # template notes are never double-marked
    template = plan.template
    for block_ in template.guidance_blocks:
        assert markdown.count(f"### {block_.title}\n") == (1 if with_help else 0)
        first_paragraph = block_.text.split("\n\n")[0]
        assert markdown.count(first_paragraph) == (1 if with_help else 0), block_.title


def test_familieraadslagning_prints_its_cornerstones_once(library):
    path = next(p for p in SAMPLES if p.stem.startswith("familie"))
    plan, anchor = load_sample(path, library)
    markdown = plan_to_markdown(plan, anchor, with_help=True)
    assert markdown.count("Den udvidede familie – netværket deltager") == 1
    assert markdown.count("Samordneren byder velkommen") == 1


def test_all_items_share_one_heading_form(library):
    path = next(p for p in SAMPLES if p.stem.startswith("signs"))
    plan, anchor = load_sample(path, library)
    own = plan.add_item(plan.sections()[0].id, "Forældrefolder er sendt ud")
    markdown = plan_to_markdown(plan, anchor)
    level3 = [t for level, t in headings(markdown) if level == 3]
    assert plan.item_title(plan.find_item(own)[1]) in level3
    assert not any(t.startswith("Milepæl:") for t in level3)


def test_with_help_shows_help_for_an_empty_milestones_field(library):
    template = library.get("barnets-lov")
    plan = Plan(new_plan_data(template, "Tom plan"), template)
    item = plan.add_item("faglig-vurdering", "Kursus")
    plan.set_value(item, "formaal", "Noget")
    milestones = template.item_types["udviklingsaktivitet"].field("milepaele")
    helped = plan_to_markdown(plan, date(2027, 1, 15), with_help=True)
    section = helped.split("### Kursus", 1)[1]
    assert milestones.guidance.text.split(".")[0] in section


def test_findings_name_a_long_question_by_whole_words():
    from tui.core.findings import short_title

    title = "I hvilken grad sikres det, at medarbejdere, frivillige, målgruppen og andre relevante aktører"
    short = short_title(title)
    assert short.endswith("…") and len(short) <= 60
    kept = short[:-1]
    assert title.startswith(kept) and title[len(kept)] in " ,"  # cut between words, not inside one


class _Structure(HTMLParser):
    """Rendered HTML as a list of "<tag", "tag>" and "text" entries: attributes dropped, text with
    its whitespace collapsed, comments (cmark's "raw HTML omitted") left out."""

    def __init__(self, drop: frozenset[str]):
        super().__init__(convert_charrefs=True)
        self.drop, self.out, self.text = drop, [], ""

    def flush(self):
        if " ".join(self.text.split()):
            self.out.append(" ".join(self.text.split()))
        self.text = ""

    def handle_starttag(self, tag, attrs):
        if tag not in self.drop:
            self.flush()
            self.out.append(f"<{tag}")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag not in self.drop:
            self.flush()
            self.out.append(f"{tag}>")

    def handle_data(self, data):
        self.text += data


def structure(html: str, drop: frozenset[str] = frozenset()) -> list[str]:
    parser = _Structure(drop)
    parser.feed(html)
    parser.close()
    parser.flush()
    return parser.out


def ours(markdown: str) -> str:
    """The HTML export's renderer (without the classes it adds for print)."""
    return markdown_parser().render(markdown)


def assert_github_reads_it_the_same(markdown: str):
    cmarkgfm = pytest.importorskip("cmarkgfm", reason="cmarkgfm (the test extra) is GitHub's own Markdown parser")
    mine = structure(ours(markdown))
    assert "<p" in mine
    # GitHub's parser with the table extension (and strikethrough, which GitHub also has): the same.
    github = cmarkgfm.markdown_to_html_with_extensions(markdown, extensions=["table", "strikethrough"])
    assert structure(github) == mine
    # Everything GitHub does (autolink, task lists, tag filter) too, except that GitHub makes a bare
    # https://… address a link where markdown-it (linkify off) leaves it text: same words.
    links = frozenset({"a"})
    assert structure(cmarkgfm.github_flavored_markdown_to_html(markdown), links) == structure(ours(markdown), links)


@pytest.mark.parametrize("flags", [{}, {"with_help": True}, {"with_findings": True}], ids=["plain", "help", "findings"])
@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.stem)
def test_github_renders_every_sample_export_as_the_html_export_does(path, flags, library):
    plan, anchor = load_sample(path, library)
    assert_github_reads_it_the_same(plan_to_markdown(plan, anchor, **flags))


def test_github_renders_hostile_user_text_as_the_html_export_does(library):
    plan = hostile_plan(library)
    assert_github_reads_it_the_same(plan_to_markdown(plan, date(2027, 1, 15), with_findings=True))
    assert_github_reads_it_the_same(plan_to_markdown(plan, date(2027, 1, 15), with_help=True))


# Pieces of text that Markdown, HTML or GitHub's extensions might read as markup.
TRICKY = [*"ab |`*_[]()<>&#;!\\-+=~.:1)\n\t\"'/@æ", "&amp;", "&#1;", "http://x.dk", "https://", "ftp://", "www.x.dk",
          "WWW.", "a@b.dk", "~~", "  ", "- [ ] "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TRICKY), max_size=12).map("".join))
@example("www.x.dk\na")  # found by CI: a hard break after an address at a line's end
def test_github_reads_escaped_user_text_as_the_html_export_does(text):
    assert_github_reads_it_the_same("\n\n".join([f"x {inline(text)}", block(text) or "x",
                                                 md_table(["h", "i"], [[text, "y"], ["z", text]])]))


def test_html_never_shows_mermaid_source_even_when_asked_for(library):
    from tui.core import formats

    plan, anchor = load_sample(sample_files()[0], library)
    html = formats.get("html").data(formats.Document(plan.title, plan, today=anchor, mermaid=True)).decode()
    assert "gantt" not in html and "mermaid" not in html
    assert "<th>Initiativ</th>" in html or "Initiativ</th>" in html
