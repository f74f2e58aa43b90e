"""The plan as Markdown to share (GitHub, GitLab, Obsidian, wikis, pandoc → Word) and as HTML."""

from __future__ import annotations

from datetime import date

from tui.core.dates import format_date
from tui.core.findings import Finding, findings_summary, plan_findings
from tui.core.initiatives import Initiative, by_deadline, overdue_count, plan_initiatives
from tui.core.kinds import kind_of
from tui.core.markdown_text import block, inline, table
from tui.core.plan import Plan
from tui.core.stamps import local_date
from tui.core.templates import ItemSpec
from tui.core.timeline import GRID_LEGEND, mermaid_gantt, timeline_grid


def _quote(markdown: str) -> str:
    """Template guidance (trusted Markdown) as a block quote."""
    return "\n".join(("> " + line) if line.strip() else ">" for line in markdown.strip().splitlines())


def initiative_rows(initiatives: list[Initiative], today: date, *, with_plan: bool = False) -> list[list[str]]:
    rows = []
    for ini in initiatives:
        row = [ini.section_title, ini.title, ini.responsible or "–", format_date(ini.deadline) or "–",
               ini.status_label, ini.next_milestone_text(today) or "–", "Ja" if ini.is_overdue(today) else ""]
        rows.append(([ini.plan_title] if with_plan else []) + row)
    return rows


# Periods across in a Markdown timeline: readable in an email, and it prints on portrait A4.
TIMELINE_COLUMNS = 12
INITIATIVE_HEADERS = ["Afsnit", "Initiativ", "Ansvarlig", "Deadline", "Status", "Næste milepæl", "Overskredet"]


def initiatives_summary(initiatives: list[Initiative], today: date) -> str:
    """'14 initiativer, heraf 4 afsluttede og 3 med overskredet deadline.'"""
    closed = sum(1 for i in initiatives if i.closed)
    count = "1 initiativ" if len(initiatives) == 1 else f"{len(initiatives)} initiativer"
    return (f"{count}, heraf {closed} {'afsluttet' if closed == 1 else 'afsluttede'} og "
            f"{overdue_count(initiatives, today)} med overskredet deadline.")


def findings_intro(findings: list[Finding]) -> str:
    count = "1 punkt mangler" if len(findings) == 1 else f"{len(findings)} punkter mangler"
    return f"{count} eller bør skærpes:"


def plan_facts(plan: Plan, today: date, findings: list[Finding]) -> list[list[str]]:
    """The plan's facts for a document's first lines (Markdown and Word share them)."""
    template = plan.template
    progress = plan.progress()
    facts = [
        ["Organisation", plan.organisation or "–"],
        ["Skabelon", f"{template.title} (version {template.version})"],
        ["Udskrevet", format_date(today)],
        ["Senest ændret", format_date(local_date(plan.data.get("updated", ""))) or "–"],
        ["Fremdrift", f"{progress.summary()} ({progress.percent} %)"],
    ]
    if findings:
        facts.append(["Mangler", f"{findings_summary(findings)} – se »implan show« eller gennemgangen (F2) i implan"])
    return facts


def plan_guidance(plan: Plan) -> list[tuple[str, str]]:
    """The template's plan-level guidance as (title, Markdown), each text once: a description
    that a guidance block already begins with is not repeated."""
    template = plan.template
    blocks = [(b.title, b.text) for b in template.guidance_blocks]
    description = template.description.strip()
    if description and not any(text.strip().startswith(description[:200]) for _, text in blocks):
        blocks.insert(0, ("Om skabelonen", description))
    return blocks


def plan_to_markdown(plan: Plan, today: date | None = None, *, with_help: bool = False,
                     with_findings: bool = False, mermaid: bool = False) -> str:
    today = today or date.today()
    findings = plan_findings(plan)
    parts: list[str] = [f"# {inline(plan.title)}", table(["Oplysning", "Værdi"], plan_facts(plan, today, findings))]
    parts += _initiatives_markdown(plan, today, mermaid)
    if with_help:
        parts.append("## Vejledning til planen")
        for title, text in plan_guidance(plan):
            parts += [f"### {inline(title)}", _quote(text)]
    for section in plan.sections():
        parts.append(f"## {inline(section.heading)}")
        if section.intro:
            # Intros the users wrote themselves (own sections) are user text; the template's are trusted.
            parts.append(block(section.intro) if plan.is_added_section(section.id) else
                         (_quote(section.intro) if with_help else ""))
        if with_help and not section.guidance.is_empty():
            parts.append(_quote(section.guidance.to_markdown()))
        items = plan.items(section)
        if not items:
            parts.append("*Intet udfyldt endnu.*")
        for item in items:
            parts.append(_item_markdown(plan, item, with_help))
    if with_findings:
        parts.append(_findings_markdown(findings))
    parts.append(f"---\n\n*Skabelon: {inline(plan.template.sources_line())}. Lavet med implan.*")
    return "\n\n".join(p for p in parts if p) + "\n"


def _initiatives_markdown(plan: Plan, today: date, mermaid: bool) -> list[str]:
    """The overview of the plan's initiatives: counts, the table, the timeline."""
    initiatives = by_deadline(plan_initiatives(plan))
    parts = ["## Overblik over initiativer"]
    if not initiatives:
        return [*parts, "Planen har endnu ingen initiativer."]
    parts.append(initiatives_summary(initiatives, today))
    parts.append(table(INITIATIVE_HEADERS, initiative_rows(initiatives, today)))
    if mermaid:
        # Drawn by GitHub, GitLab and Obsidian; elsewhere a code block, and the table above has it all.
        gantt = mermaid_gantt(initiatives, today, "Tidslinje")
        return [*parts, "### Tidslinje", gantt] if gantt else parts
    grid = timeline_grid(initiatives, today, max_columns=TIMELINE_COLUMNS)
    if grid is None:
        return parts
    if not grid.fits(TIMELINE_COLUMNS):
        return [*parts, "### Tidslinje", inline(grid.too_wide_note())]
    rows = [[row.initiative.title, *row.cells] for row in grid.rows]
    return [*parts, "### Tidslinje", inline(grid.caption()), table(["Initiativ", *grid.headers()], rows),
            inline(GRID_LEGEND)]


def _item_markdown(plan: Plan, item: ItemSpec, with_help: bool) -> str:
    itype = plan.item_type(item)
    # One heading form for the template's items and the users' own.
    parts = [f"### {inline(plan.item_title(item))}"]
    if item.note:
        parts.append(f"*{inline(item.note)}*")
    if with_help and not item.guidance.is_empty():
        parts.append(_quote(item.guidance.to_markdown()))
    if not with_help and not any(plan.is_filled(item.id, f.id) for f in itype.fields):
        # A question nobody has answered yet: one line, not a row of empty fields.
        parts.append("*Ikke besvaret endnu.*")
        return "\n\n".join(parts)
    for field in itype.fields:
        help_md = _quote(field.guidance.to_markdown()) if with_help and not field.guidance.is_empty() else ""
        parts += kind_of(field.kind).markdown(plan, item.id, field, f"**{inline(field.label)}**", help_md)
    return "\n\n".join(parts)


def _findings_markdown(findings: list[Finding]) -> str:
    if not findings:
        return "## Mangler i planen\n\nIngen mangler fundet."
    lines = ["## Mangler i planen", findings_intro(findings)]
    lines.append("\n".join(f"- **{f.label}:** {inline(f.message)}" for f in findings))
    return "\n\n".join(lines)


def plan_to_html(plan: Plan, today: date | None = None, *, with_help: bool = False) -> str:
    from tui.core.export_html import markdown_to_html  # markdown-it only when HTML is made

    return markdown_to_html(plan_to_markdown(plan, today, with_help=with_help), plan.title)
