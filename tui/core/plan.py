"""A plan: answers by stable ids, the items and sections users added, and progress.

The stored form is a plain dict (what the database and the exchange file hold); `Plan` wraps it
together with its template and is the one place that knows how answers are read and written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from tui.core.dates import DateError, to_iso
from tui.core.kinds import KINDS, FieldKind, Kind, kind_of
from tui.core.stamps import utc_stamp
from tui.core.summaries import bar_cells as bar_cells  # the list and the plan count one way
from tui.core.templates import (
    AddedItems,
    FieldSpec,
    Guidance,
    ItemSpec,
    ItemType,
    SectionSpec,
    Template,
)
from tui.core.values import MAX_TEXT_LENGTH as MAX_TEXT_LENGTH
from tui.core.values import MAX_TITLE_LENGTH as MAX_TITLE_LENGTH
from tui.core.values import ValueRefused as ValueRefused
from tui.core.values import clean_text as clean_text
from tui.core.values import new_id as new_id

MAX_DRAFT_LENGTH = 200


def new_plan_data(template: Template, title: str, organisation: str = "") -> dict[str, Any]:
    title = clean_text(title, single_line=True, limit=MAX_TITLE_LENGTH).strip()
    if not title:
        raise ValueRefused("Planen skal have en titel.")
    now = utc_stamp()
    return {
        "id": new_id(),
        "template": {"id": template.id, "version": template.version},
        "title": title,
        "organisation": clean_text(organisation, single_line=True, limit=MAX_TITLE_LENGTH).strip(),
        "created": now,
        "updated": now,
        "revision": 0,
        "answers": {},
        "added_sections": [],
        "added_items": [],
        "history": [],
        "meetings": [],
        "drafts": {},
    }


def fraction(filled: int, total: int) -> float:
    return filled / total if total else 1.0


def percent(filled: int, total: int) -> int:
    """Rounded, but never "100 %" while something is missing (nor 100 before it is all there)."""
    if filled >= total:
        return 100
    return min(99, int(fraction(filled, total) * 100 + 0.5))


@dataclass(frozen=True)
class SectionProgress:
    section: SectionSpec
    filled: int
    total: int
    item_count: int

    @property
    def fraction(self) -> float:
        return fraction(self.filled, self.total)

    @property
    def complete(self) -> bool:
        return self.item_count > 0 and self.filled == self.total

    @property
    def percent(self) -> int:
        return percent(self.filled, self.total)


@dataclass(frozen=True)
class PlanProgress:
    sections: tuple[SectionProgress, ...]

    @property
    def filled(self) -> int:
        return sum(s.filled for s in self.sections)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.sections)

    @property
    def fraction(self) -> float:
        return fraction(self.filled, self.total)

    @property
    def percent(self) -> int:
        return percent(self.filled, self.total)

    @property
    def sections_complete(self) -> int:
        return sum(1 for s in self.sections if s.complete)

    @property
    def complete(self) -> bool:
        return self.sections_complete == len(self.sections)

    def summary(self) -> str:
        return f"{self.sections_complete} af {len(self.sections)} afsnit udfyldt"

    def bar_cells(self, width: int) -> int:
        return bar_cells(self.sections_complete, len(self.sections), width)


class Plan:
    def __init__(self, data: dict[str, Any], template: Template) -> None:
        self.template = template
        self.data = data
        data.setdefault("answers", {})
        data.setdefault("added_sections", [])
        data.setdefault("added_items", [])
        data.setdefault("history", [])
        data.setdefault("meetings", [])
        data.setdefault("drafts", {})

    @property
    def data(self) -> dict[str, Any]:
        return self._data

    @data.setter
    def data(self, data: dict[str, Any]) -> None:
        self._data = data
        self._index: tuple[tuple[int, int], dict[str, tuple[SectionSpec, ItemSpec]]] | None = None
        # (item id, field id) -> its Kind: read for every answer; emptied with the index above.
        self._kinds: dict[tuple[str, str], Kind] = {}

    def _structure_changed(self) -> None:
        self._index = None
        self._kinds = {}

    def _item_index(self) -> dict[str, tuple[SectionSpec, ItemSpec]]:
        """item id -> (section, item). Every answer lookup needs it; without the index a plan with
        many activities is slow to read (each lookup walked every item)."""
        shape = (len(self._data["added_items"]), len(self._data["added_sections"]))
        if self._index is None or self._index[0] != shape:
            index: dict[str, tuple[SectionSpec, ItemSpec]] = {}
            for section in self.sections():
                for item in self.items(section):
                    index.setdefault(item.id, (section, item))
            self._index = (shape, index)
            self._kinds = {}
        return self._index[1]

    # -- identity ----------------------------------------------------------------------------
    @property
    def id(self) -> str:
        return cast(str, self.data["id"])

    @property
    def title(self) -> str:
        return cast(str, self.data.get("title", ""))

    @property
    def organisation(self) -> str:
        return cast(str, self.data.get("organisation", ""))

    def rename(self, title: str) -> None:
        title = clean_text(title, single_line=True, limit=MAX_TITLE_LENGTH).strip()
        if not title:
            raise ValueRefused("Planen skal have en titel.")
        self.data["title"] = title

    # -- structure ----------------------------------------------------------------------------
    def sections(self) -> list[SectionSpec]:
        added = self.template.added_sections
        user_sections = []
        if added is not None:
            for entry in self.data["added_sections"]:
                user_sections.append(
                    SectionSpec(
                        id=entry["id"],
                        title=entry.get("title") or added.label,
                        label=added.label,
                        intro=entry.get("intro", ""),
                        guidance=added.guidance,
                        added_items=added.added_items,
                    )
                )
        return list(self.template.sections) + user_sections

    def section(self, section_id: str) -> SectionSpec:
        for section in self.sections():
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def is_added_section(self, section_id: str) -> bool:
        return any(s["id"] == section_id for s in self.data["added_sections"])

    def items(self, section: SectionSpec | str) -> list[ItemSpec]:
        if isinstance(section, str):
            section = self.section(section)
        added = [
            ItemSpec(id=e["id"], type=e["type"], title=e.get("title", ""))
            for e in self.data["added_items"]
            if e.get("section") == section.id
        ]
        return list(section.items) + added

    def find_item(self, item_id: str) -> tuple[SectionSpec, ItemSpec]:
        found = self._item_index().get(item_id)
        if found is None:
            raise KeyError(item_id)
        return found

    def is_added_item(self, item_id: str) -> bool:
        return any(e["id"] == item_id for e in self.data["added_items"])

    def item_type(self, item: ItemSpec) -> ItemType:
        return self.template.item_types[item.type]

    def field_spec(self, item_id: str, field_id: str) -> FieldSpec:
        _, item = self.find_item(item_id)
        spec = self.item_type(item).field(field_id)
        if spec is None:
            raise KeyError(f"{item_id}/{field_id}")
        return spec

    def item_title(self, item: ItemSpec) -> str:
        if item.title:
            return item.title
        return f"{self.item_type(item).label} uden titel"

    # -- answers ------------------------------------------------------------------------------
    def value(self, item_id: str, field_id: str) -> Any:
        """The stored answer as its kind reads it ("" or [] when missing or of the wrong shape)."""
        return self._kind(item_id, field_id).read(self._data["answers"].get(item_id, {}).get(field_id))

    def _kind(self, item_id: str, field_id: str) -> Kind:
        # Cached only for a field that exists: an item's id keeps its type, so its kinds hold.
        found = self._kinds.get((item_id, field_id))
        if found is None:
            try:
                found = kind_of(self.field_spec(item_id, field_id).kind)
            except (KeyError, ValueRefused):
                return KINDS[FieldKind.SHORT_TEXT]
            self._kinds[(item_id, field_id)] = found
        return found

    def is_filled(self, item_id: str, field_id: str) -> bool:
        kind = self._kind(item_id, field_id)
        return kind.is_filled(kind.read(self._data["answers"].get(item_id, {}).get(field_id)))

    def set_value(self, item_id: str, field_id: str, raw: Any) -> Any:
        """Validate and store one answer; returns what was stored. Raises ValueRefused/DateError."""
        spec = self.field_spec(item_id, field_id)
        value = self.normalise(spec, raw)
        answers = self.data["answers"].setdefault(item_id, {})
        if value in ("", []):
            answers.pop(field_id, None)
            if not answers:
                self.data["answers"].pop(item_id, None)
        else:
            answers[field_id] = value
        return value

    # -- drafts: typed text that is not (yet) a valid answer ------------------------------------
    # A date the user typed that is not a date is kept here, beside the answer, so that it is
    # saved, survives a restart, is shown flagged in its field and listed by the review — and
    # the last valid answer stays what the rest of the program reads.
    @staticmethod
    def draft_key(item_id: str, field_id: str, milestone_id: str | None = None) -> str:
        return "/".join(p for p in (item_id, field_id, milestone_id) if p)

    def draft(self, item_id: str, field_id: str, milestone_id: str | None = None) -> str | None:
        drafts = self._data["drafts"]
        if not drafts:  # the usual case, asked for every date the views read
            return None
        return cast("str | None", drafts.get(self.draft_key(item_id, field_id, milestone_id)))

    def set_draft(self, item_id: str, field_id: str, text: str | None, milestone_id: str | None = None) -> bool:
        """Keep (or with None/"" drop) typed text; True when the stored drafts changed."""
        key = self.draft_key(item_id, field_id, milestone_id)
        before = self.data["drafts"].get(key)
        text = clean_draft(text)
        if text:
            self.data["drafts"][key] = text
        else:
            self.data["drafts"].pop(key, None)
        return bool(self.data["drafts"].get(key) != before)

    def drop_milestone_drafts(self, item_id: str, field_id: str, keep: set[str]) -> bool:
        """Forget drafts of milestones that no longer exist (removed rows)."""
        prefix = self.draft_key(item_id, field_id) + "/"
        gone = [k for k in self.data["drafts"] if k.startswith(prefix) and k[len(prefix):] not in keep]
        for key in gone:
            del self.data["drafts"][key]
        return bool(gone)

    def normalise(self, spec: FieldSpec, raw: Any) -> Any:
        """What storing `raw` in the field would store. Raises ValueRefused/DateError in Danish."""
        return kind_of(spec.kind).normalise(self.template, spec, raw)

    def display_value(self, item_id: str, field_id: str) -> str:
        """An answer as a reader sees it (scale labels, Danish dates)."""
        spec = self.field_spec(item_id, field_id)
        return kind_of(spec.kind).display(self.template, spec, self.value(item_id, field_id))

    # -- user-added items and sections ----------------------------------------------------------
    def added_items_spec(self, section_id: str) -> AddedItems | None:
        return self.section(section_id).added_items

    def add_item(self, section_id: str, title: str = "") -> str:
        self._structure_changed()
        spec = self.added_items_spec(section_id)
        if spec is None:
            raise ValueRefused("Der kan ikke tilføjes egne elementer i dette afsnit.")
        item_id = new_id("u-")
        self.data["added_items"].append({
            "id": item_id,
            "section": section_id,
            "type": spec.type,
            "title": clean_text(title, single_line=True, limit=MAX_TITLE_LENGTH).strip(),
        })
        return item_id

    def rename_item(self, item_id: str, title: str) -> bool:
        """Set an added item's title; True when the stored title changed."""
        self._structure_changed()
        entry = self._added_item(item_id)
        before = entry.get("title")
        entry["title"] = clean_text(title, single_line=True, limit=MAX_TITLE_LENGTH).strip()
        return bool(entry["title"] != before)

    def remove_item(self, item_id: str) -> None:
        self._structure_changed()
        entry = self._added_item(item_id)
        self.data["added_items"].remove(entry)
        self.data["answers"].pop(item_id, None)
        for key in [k for k in self.data["drafts"] if k.split("/")[0] == item_id]:
            del self.data["drafts"][key]

    def move_item(self, item_id: str, delta: int) -> None:
        """Move an added item up (-1) or down (+1) among the added items of its section."""
        self._structure_changed()
        entry = self._added_item(item_id)
        entries = self.data["added_items"]
        siblings = [i for i, e in enumerate(entries) if e.get("section") == entry["section"]]
        position = siblings.index(entries.index(entry))
        target = position + delta
        if not 0 <= target < len(siblings):
            return
        a, b = siblings[position], siblings[target]
        entries[a], entries[b] = entries[b], entries[a]

    def _added_item(self, item_id: str) -> dict[str, Any]:
        for entry in self.data["added_items"]:
            if entry["id"] == item_id:
                return cast("dict[str, Any]", entry)
        raise ValueRefused("Kun elementer, I selv har tilføjet, kan omdøbes, flyttes eller fjernes.")

    def add_section(self, title: str, intro: str = "") -> str:
        self._structure_changed()
        if self.template.added_sections is None:
            raise ValueRefused("Skabelonen giver ikke mulighed for at tilføje egne afsnit.")
        title = clean_text(title, single_line=True, limit=MAX_TITLE_LENGTH).strip()
        if not title:
            raise ValueRefused("Det nye afsnit skal have en titel.")
        section_id = new_id("u-")
        self.data["added_sections"].append({"id": section_id, "title": title, "intro": clean_text(intro)})
        return section_id

    def remove_section(self, section_id: str) -> None:
        self._structure_changed()
        entry = self._added_section(section_id)
        for item in [e for e in self.data["added_items"] if e.get("section") == section_id]:
            self.remove_item(item["id"])
        self.data["added_sections"].remove(entry)

    def _added_section(self, section_id: str) -> dict[str, Any]:
        for entry in self.data["added_sections"]:
            if entry["id"] == section_id:
                return cast("dict[str, Any]", entry)
        raise ValueRefused("Kun afsnit, I selv har tilføjet, kan omdøbes eller fjernes.")

    # -- progress ---------------------------------------------------------------------------------
    def required_fields(self, item: ItemSpec) -> list[FieldSpec]:
        """Fields that must be filled for the item to count as answered, given what is filled now."""
        result = []
        for spec in self.item_type(item).fields:
            if spec.required or (spec.required_if and self.is_filled(item.id, spec.required_if)):
                result.append(spec)
        return result

    def section_progress(self, section: SectionSpec, issues: int | None = None) -> SectionProgress:
        """How far the section is: its required answers, and what the review (F2) lists in it
        beyond them (an invalid date, a missing owner, a gap) counted as missing too, so that
        a section is never "100 %" while the review names something in it. `issues`: that
        count, when the caller has it already (see `progress`)."""
        filled = total = 0
        items = self.items(section)
        for item in items:
            required = self.required_fields(item)
            total += len(required)
            filled += sum(1 for f in required if self.is_filled(item.id, f.id))
        # A section that asks for items the user has not added yet is not done: count the
        # recommended minimum as missing items.
        spec = section.added_items
        if spec and spec.recommended_min and not section.items:
            missing = max(0, spec.recommended_min - len(items))
            per_item = sum(1 for f in self.template.item_types[spec.type].fields if f.required) or 1
            total += missing * per_item
        elif not items:
            total += 1
        if issues is None:
            issues = self.open_issues().get(section.id, 0)
        return SectionProgress(section, filled, total + issues, len(items))

    def open_issues(self) -> dict[str, int]:
        """section id -> what the review lists there that the required answers do not count."""
        from tui.core.findings import open_issue_counts

        return open_issue_counts(self)

    def progress(self) -> PlanProgress:
        issues = self.open_issues()
        return PlanProgress(tuple(self.section_progress(s, issues.get(s.id, 0)) for s in self.sections()))


def clean_draft(text: Any) -> str:
    """Typed text kept as a draft: one clean line, cut to MAX_DRAFT_LENGTH (never refused)."""
    if not isinstance(text, str):
        return ""
    return clean_text(text[:MAX_TEXT_LENGTH], single_line=True)[:MAX_DRAFT_LENGTH]


def clean_drafts(raw: Any) -> dict[str, str]:
    """Drafts as read from a file: string keys of item/field[/milestone], short one-line text."""
    if not isinstance(raw, dict):
        return {}
    result = {}
    for key, text in raw.items():
        if isinstance(key, str) and 2 <= len(key.split("/")) <= 3 and (text := clean_draft(text)):
            result[key] = text
    return result


def split_milestone_dates(raw: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, str], str | None]:
    """Milestone rows as typed -> (rows to store, {milestone id: invalid date text}, first error).

    A row whose date is not a date is still stored — its text, its done flag and its place —
    without the date; the typed date goes to the drafts. Rows without an id get one here so
    the draft can name its row."""
    rows, bad, first_error = [], {}, None
    for number, entry in enumerate(raw, start=1):
        entry = dict(entry)
        entry["id"] = entry.get("id") or new_id("m-")
        try:
            to_iso(entry.get("date", "") or "")
        except DateError as exc:
            bad[entry["id"]] = entry.get("date", "")
            first_error = first_error or f"Milepæl {number}: {exc}"
            entry["date"] = ""
            entry["keep"] = True
        rows.append(entry)
    return rows, bad, first_error


def guidance_for(plan: Plan, item: ItemSpec, spec: FieldSpec | None) -> list[tuple[str, Guidance]]:
    """The help shown beside a field: the field's own, then the item's (e.g. a milestone's questions)."""
    found = []
    if spec is not None and not spec.guidance.is_empty():
        found.append((spec.label, spec.guidance))
    if not item.guidance.is_empty():
        found.append((plan.item_title(item), item.guidance))
    return found
