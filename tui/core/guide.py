"""A template's guidance for the whole plan and its reference material (e.g. the national support
on offer), as the wizard shows them; and an entry of that material made into a new item of a
section, with its text filled in, for the group to edit."""

from __future__ import annotations

import re

from tui.core.export_md import plan_guidance
from tui.core.kinds import kind_of
from tui.core.markdown_text import inline
from tui.core.plan import Plan
from tui.core.templates import FieldSpec, GuidanceBlock, ItemType, Template

_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", re.DOTALL)
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])", re.DOTALL)


def guidance_titles(plan: Plan) -> list[str]:
    """The headings of the guidance for the whole plan (none: the template has none)."""
    return [title for title, _ in plan_guidance(plan)]


def guidance_markdown(plan: Plan) -> str:
    """The template's guidance for the whole plan as one Markdown document: the blocks the
    export's »Vejledning til planen« has (tui.core.export_md.plan_guidance), then the sources."""
    parts = []
    for title, text in plan_guidance(plan):
        parts.append(f"## {inline(title)}")
        parts.append(text.strip())
    if plan.template.sources:
        parts.append(f"*Kilde: {inline(plan.template.sources_line())}*")
    return "\n\n".join(parts) + "\n"


def reference_entry(template: Template, entry_id: str) -> GuidanceBlock | None:
    return next((e for e in template.reference if e.id == entry_id), None)


def reference_markdown(entry: GuidanceBlock) -> str:
    """One entry of the reference material as the wizard shows it (the note is shown beside it)."""
    return f"## {inline(entry.title)}\n\n{entry.text.strip()}\n"


def plain_text(markdown: str) -> str:
    """Markdown emphasis taken out (»**Opfølgning**« -> »Opfølgning«): the text goes in a field the
    user types in, where the marks would stand as asterisks. Lists and paragraphs stay."""
    return _EMPHASIS.sub(r"\1", _STRONG.sub(r"\1", markdown)).strip()


def reference_target(template: Template, itype: ItemType) -> FieldSpec | None:
    """The field of an item of `itype` that gets an entry's text: the template's choice when the
    type has it, else the type's first multi-line text field."""
    named = itype.field(template.reference_use.field) if template.reference_use.field else None
    if named is not None and kind_of(named.kind).holds_text:
        return named
    return next((f for f in itype.fields if kind_of(f.kind).multiline), None)


def can_add_reference(plan: Plan, section_id: str) -> bool:
    """True when the template has reference material and the section (still there: another window
    may have removed it) takes new items."""
    return bool(plan.template.reference) and any(s.id == section_id and s.added_items is not None
                                                 for s in plan.sections())


def add_reference_item(plan: Plan, section_id: str, entry_id: str) -> str:
    """A new item in the section, titled as the entry, its text field holding the template's note
    (e.g. how old the dates in it are) and the entry's text. Returns the new item's id.
    Raises ValueRefused when the section takes no new items, KeyError for an unknown entry."""
    entry = reference_entry(plan.template, entry_id)
    if entry is None:
        raise KeyError(entry_id)
    item_id = plan.add_item(section_id, entry.title)
    _, item = plan.find_item(item_id)
    target = reference_target(plan.template, plan.item_type(item))
    if target is not None:
        note = plan.template.reference_use.note
        # The note first: it is in view when the field is, however long the text.
        plan.set_value(item_id, target.id, "\n\n".join(p for p in (note, plain_text(entry.text)) if p))
    return item_id
