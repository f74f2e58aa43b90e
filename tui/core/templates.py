"""Templates: JSON files in schemas/ (shipped) and in the user's templates folder (their own).

A broken file never stops the others from loading: it becomes a TemplateError with a Danish
message naming the file and the place in it.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from tui.core.kinds import KINDS, FieldKind

MAX_TEMPLATE_BYTES = 2 * 1024 * 1024  # the shipped templates are 4-30 kB
MAX_PLAN_FILE_BYTES = 32 * 1024 * 1024  # a plan exchange file (every answer may hold 100.000 tegn)
MAX_LISTED_PROBLEMS = 50
MAX_COLLECTED_PROBLEMS = 1000  # a file with more errors than this is not worth checking to the end


def format_problems(subject: str, problems: list[tuple[str, str]]) -> str:
    """»<subject> kan ikke bruges (place): message«, or with several problems one per line (the
    first MAX_LISTED_PROBLEMS, then how many more). Everything is made terminal-safe here, so no
    value from the file reaches a terminal raw, however the message was built."""
    from tui.core.text import safe_for_terminal

    def safe(text: str) -> str:
        return safe_for_terminal(text, one_line=True)

    if len(problems) == 1:
        place, message = problems[0]
        if "(" in place:  # a place in words with its path in parentheses: not in parentheses again
            return f"{safe(subject)} kan ikke bruges – {safe(place)}: {safe(message)}"
        where = f" ({safe(place)})" if place else ""
        return f"{safe(subject)} kan ikke bruges{where}: {safe(message)}"
    lines = [f"{safe(subject)} kan ikke bruges. {len(problems)} fejl:"]
    for place, message in problems[:MAX_LISTED_PROBLEMS]:
        lines.append(f"  - {safe(place)}: {safe(message)}" if place else f"  - {safe(message)}")
    rest = len(problems) - MAX_LISTED_PROBLEMS
    if rest > 0:
        lines.append(f"  … og {rest} fejl mere")
    return "\n".join(lines)


class TemplateError(Exception):
    """A template file that cannot be used, with every problem found in it (place, message)."""

    def __init__(self, path: Path | str, place: str = "", message: str = "",
                 problems: list[tuple[str, str]] | None = None, what: str = "Skabelonen"):
        self.path = Path(path)
        self.problems = list(problems) if problems else [(place, message)]
        self.place, self.message = self.problems[0]
        super().__init__(format_problems(f"{what} {self.path}", self.problems))


@dataclass(frozen=True)
class Guidance:
    text: str = ""
    questions_intro: str = ""
    questions: tuple[str, ...] = ()
    examples_intro: str = ""
    examples: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Guidance:
        data = data or {}
        return cls(
            text=data.get("text", ""),
            questions_intro=data.get("questions_intro", ""),
            questions=tuple(data.get("questions", ())),
            examples_intro=data.get("examples_intro", ""),
            examples=tuple(data.get("examples", ())),
            notes=tuple(data.get("notes", ())),
        )

    def is_empty(self) -> bool:
        return not (self.text or self.questions or self.examples or self.notes)

    def to_markdown(self) -> str:
        """The help as one Markdown text, as the wizard and the export show it."""
        parts: list[str] = []
        if self.text:
            parts.append(self.text.strip())
        if self.questions:
            parts.append(f"**{self.questions_intro or 'Hjælpespørgsmål:'}**")
            parts.append("\n".join(f"- {q}" for q in self.questions))
        if self.examples:
            parts.append(f"**{self.examples_intro or 'Eksempler:'}**")
            parts.append("\n".join(f"- {e}" for e in self.examples))
        for note in self.notes:
            parts.append(f"*Note:* {note.strip()}")
        return "\n\n".join(parts)


@dataclass(frozen=True)
class GuidanceBlock:
    id: str
    title: str
    text: str


@dataclass(frozen=True)
class ReferenceUse:
    """How the wizard offers a template's reference material: the list's title, a note shown
    with every entry and written into the item made from one, and the field of that item that
    gets the entry's text (None: its first multi-line text field)."""

    title: str = "Referencemateriale"
    note: str = ""
    field: str | None = None


@dataclass(frozen=True)
class ScaleChoice:
    id: str
    label: str
    gap: bool = False
    status: str | None = None


@dataclass(frozen=True)
class Scale:
    id: str
    label: str
    choices: tuple[ScaleChoice, ...]

    def choice(self, choice_id: str) -> ScaleChoice | None:
        return next((c for c in self.choices if c.id == choice_id), None)


@dataclass(frozen=True)
class FieldSpec:
    id: str
    label: str
    kind: FieldKind
    scale: str | None = None
    required: bool = False
    required_if: str | None = None
    date_field: str | None = None
    placeholder: str = ""
    guidance: Guidance = Guidance()
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True)
class InitiativeSpec:
    responsible: str
    deadline: str
    status: str
    milestones: str | None = None
    title_field: str | None = None
    when_any_filled: tuple[str, ...] = ()


@dataclass(frozen=True)
class GapCheck:
    answer: str
    initiative: str


@dataclass(frozen=True)
class TableColumn:
    """A column of an item type's table in the Word export: its title as the national template
    prints it, and what goes in it (the item's title, then these fields' answers)."""

    title: str
    fields: tuple[str, ...] = ()
    item_title: bool = False


@dataclass(frozen=True)
class ItemType:
    id: str
    label: str
    label_plural: str
    fields: tuple[FieldSpec, ...]
    initiative: InitiativeSpec | None = None
    gap_check: GapCheck | None = None
    table: tuple[TableColumn, ...] = ()

    def field(self, field_id: str) -> FieldSpec | None:
        return self._fields_by_id.get(field_id)

    @cached_property
    def _fields_by_id(self) -> dict[str, FieldSpec]:
        """Looked up for every answer read (200 000 times for the outstanding list at 10 000
        initiatives): a dict, not a scan of the fields."""
        return {f.id: f for f in self.fields}

    @property
    def columns(self) -> tuple[TableColumn, ...]:
        """The template's own table, or: the item's title, then one column per field."""
        return self.table or (TableColumn(self.label, item_title=True),
                              *(TableColumn(f.label, (f.id,)) for f in self.fields))


@dataclass(frozen=True)
class ItemSpec:
    id: str
    type: str
    title: str
    note: str = ""
    guidance: Guidance = Guidance()


@dataclass(frozen=True)
class AddedItems:
    type: str
    add_label: str
    recommended_min: int | None = None
    recommended_max: int | None = None
    recommendation: str = ""


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class SectionSpec:
    id: str
    title: str
    label: str = ""
    intro: str = ""
    guidance: Guidance = Guidance()
    groups: tuple[Group, ...] = ()
    items: tuple[ItemSpec, ...] = ()
    added_items: AddedItems | None = None

    @property
    def heading(self) -> str:
        return f"{self.label}: {self.title}" if self.label else self.title


@dataclass(frozen=True)
class AddedSections:
    label: str
    add_label: str
    added_items: AddedItems
    guidance: Guidance = Guidance()


@dataclass(frozen=True)
class Template:
    id: str
    version: str
    title: str
    short_title: str
    description: str
    sources: tuple[dict[str, str], ...]
    section_label: str
    sections_label: str
    guidance_blocks: tuple[GuidanceBlock, ...]
    reference: tuple[GuidanceBlock, ...]
    scales: dict[str, Scale]
    item_types: dict[str, ItemType]
    sections: tuple[SectionSpec, ...]
    added_sections: AddedSections | None
    reference_use: ReferenceUse = ReferenceUse()
    path: Path | None = None
    builtin: bool = True

    def section(self, section_id: str) -> SectionSpec | None:
        return self._sections_by_id.get(section_id)

    @cached_property
    def _sections_by_id(self) -> dict[str, SectionSpec]:
        return {s.id: s for s in self.sections}

    def item_count(self) -> int:
        return sum(len(s.items) for s in self.sections)

    def sources_line(self) -> str:
        """The sources on one line: »Titel (Udgiver, år); …«."""
        return "; ".join(f"{s['title']} ({s['publisher']}{', ' + s['year'] if s.get('year') else ''})"
                         for s in self.sources)


# -- building -----------------------------------------------------------------------------------

def _added_items(data: dict[str, Any] | None) -> AddedItems | None:
    if not data:
        return None
    return AddedItems(
        type=data["type"],
        add_label=data["add_label"],
        recommended_min=data.get("recommended_min"),
        recommended_max=data.get("recommended_max"),
        recommendation=data.get("recommendation", ""),
    )


def _required_added_items(data: dict[str, Any]) -> AddedItems:
    found = _added_items(data)
    if found is None:
        raise ValueError("added_items")
    return found


def _field(data: dict[str, Any]) -> FieldSpec:
    return FieldSpec(
        id=data["id"],
        label=data["label"],
        kind=FieldKind(data["kind"]),
        scale=data.get("scale"),
        required=bool(data.get("required", False)),
        required_if=data.get("required_if"),
        date_field=data.get("date_field"),
        placeholder=data.get("placeholder", ""),
        guidance=Guidance.from_dict(data.get("guidance")),
        suggestions=tuple(data.get("suggestions", ())),
    )


def _item_type(type_id: str, data: dict[str, Any]) -> ItemType:
    ini = data.get("initiative")
    gap = data.get("gap_check")
    return ItemType(
        id=type_id,
        label=data["label"],
        label_plural=data["label_plural"],
        fields=tuple(_field(f) for f in data["fields"]),
        initiative=InitiativeSpec(
            responsible=ini["responsible"],
            deadline=ini["deadline"],
            status=ini["status"],
            milestones=ini.get("milestones"),
            title_field=ini.get("title_field"),
            when_any_filled=tuple(ini.get("when_any_filled", ())),
        )
        if ini
        else None,
        gap_check=GapCheck(gap["answer"], gap["initiative"]) if gap else None,
        table=tuple(TableColumn(c["title"], tuple(c.get("fields", ())), bool(c.get("item_title")))
                    for c in data.get("table", ())),
    )


def _section(data: dict[str, Any]) -> SectionSpec:
    return SectionSpec(
        id=data["id"],
        title=data["title"],
        label=data.get("label", ""),
        intro=data.get("intro", ""),
        guidance=Guidance.from_dict(data.get("guidance")),
        groups=tuple(Group(g["id"], g["title"], tuple(g["items"])) for g in data.get("groups", ())),
        items=tuple(
            ItemSpec(
                id=i["id"],
                type=i["type"],
                title=i["title"],
                note=i.get("note", ""),
                guidance=Guidance.from_dict(i.get("guidance")),
            )
            for i in data.get("items", ())
        ),
        added_items=_added_items(data.get("added_items")),
    )


def template_from_dict(data: dict[str, Any], path: Path | None = None, builtin: bool = True) -> Template:
    labels = data.get("labels", {})
    added = data.get("added_sections")
    return Template(
        id=data["id"],
        version=data["version"],
        title=data["title"],
        short_title=data.get("short_title", data["title"]),
        description=data.get("description", ""),
        sources=tuple(data.get("source", ())),
        section_label=labels.get("section", "Afsnit"),
        sections_label=labels.get("sections", "Afsnit"),
        guidance_blocks=tuple(GuidanceBlock(**b) for b in data.get("guidance_blocks", ())),
        reference=tuple(GuidanceBlock(**b) for b in data.get("reference", ())),
        reference_use=ReferenceUse(**data.get("reference_use", {})),
        scales={
            sid: Scale(sid, s["label"], tuple(ScaleChoice(**c) for c in s["choices"]))
            for sid, s in data.get("scales", {}).items()
        },
        item_types={tid: _item_type(tid, t) for tid, t in data["item_types"].items()},
        sections=tuple(_section(s) for s in data["sections"]),
        added_sections=AddedSections(
            label=added["label"],
            add_label=added["add_label"],
            added_items=_required_added_items(added["added_items"]),
            guidance=Guidance.from_dict(added.get("guidance")),
        )
        if added
        else None,
        path=path,
        builtin=builtin,
    )


# -- checking ------------------------------------------------------------------------------------

def json_place(parts: Iterable[Any]) -> str:
    """A place in a JSON document as a path: sections[1].items[0]; keys escaped for the terminal."""
    from tui.core.text import quote

    out = ""
    for part in parts:
        part = part if isinstance(part, int) else quote(str(part), 64)
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_SCHEMA_CACHE: dict[str, Any] = {}


def _schema_validator(schema_path: Path) -> Any:
    key = str(schema_path)
    if key not in _SCHEMA_CACHE:
        import jsonschema  # imported only when a file is actually validated

        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        _with_field_kinds(schema)
        _SCHEMA_CACHE[key] = jsonschema.Draft202012Validator(schema)
    return _SCHEMA_CACHE[key]


def _with_field_kinds(schema: dict[str, Any]) -> None:
    """The template schema's field kinds are FieldKind's (tui/core/enums.py), whatever the file
    lists: the program knows what it can edit, and a kind added there is allowed at once."""
    kind = schema.get("$defs", {}).get("field", {}).get("properties", {}).get("kind")
    if isinstance(kind, dict) and "enum" in kind:
        kind["enum"] = [k.value for k in FieldKind]


def kind_problem(kind: Any) -> str | None:
    """The Danish message for a field kind the program does not know (None for one it knows)."""
    if FieldKind.of(kind) is not None:
        return None
    return "skal være en af: " + ", ".join(f"»{k.value}«" for k in FieldKind)


_TYPE_NAMES = {"string": "tekst", "object": "et objekt", "array": "en liste", "integer": "et heltal",
               "boolean": "true eller false", "number": "et tal", "null": "null"}

# The patterns the schemas use, said in words.
_PATTERN_WORDS = {
    "^[a-z0-9][a-z0-9-]{0,63}$": "små bogstaver a-z, tal og bindestreg, højst 64 tegn",
    "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$": "bogstaver a-z, tal, bindestreg og understregning, højst 64 tegn",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "en dato skrevet åååå-mm-dd",
    "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$": "en dato skrevet åååå-mm-dd, eller tom",
    "^[0-9]+\\.[0-9]+(\\.[0-9]+)?$": "et versionsnummer som 1.0 eller 1.0.0",
}


def _names(values: Iterable[Any]) -> str:
    from tui.core.text import quote

    shown = [f"»{quote(str(v), 64)}«" for v in values]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " og " + shown[-1]


def _num(value: Any) -> str:
    return f"{value:,}".replace(",", ".") if isinstance(value, int) else str(value)


def describe_schema_error(error: Any) -> str:
    """One jsonschema error in plain Danish, without JSON Schema's own words."""
    from tui.core.text import quote

    v = error.validator
    val = error.validator_value
    if "propertyNames" in error.relative_schema_path:
        words = _PATTERN_WORDS.get(val) if v == "pattern" else None
        return f"navnet »{quote(error.instance, 64)}« kan ikke bruges" + (f" (kun {words})" if words else "")
    if v == "required":
        missing = [name for name in val if isinstance(error.instance, dict) and name not in error.instance] or list(val)
        return f"mangler feltet {_names(missing)}" if len(missing) == 1 else f"mangler felterne {_names(missing)}"
    if v == "additionalProperties":
        known = error.schema.get("properties", {})
        extra = [k for k in error.instance if k not in known] if isinstance(error.instance, dict) else []
        if not extra:
            return "har felter, der ikke hører til her"
        return f"ukendt felt {_names(extra)}" if len(extra) == 1 else f"ukendte felter {_names(extra)}"
    if (words := _limit_words(v, val, error.instance)) is not None:
        return words
    if v in ("anyOf", "oneOf"):
        kinds = _branch_types(error)
        if kinds:
            return "skal være " + " eller ".join(kinds)
        return "passer ikke på nogen af de former, der er tilladt her"
    return "har en værdi, der ikke er tilladt her"


def _limit_words(v: str, val: Any, instance: Any) -> str | None:
    """The words for the validators that need only their own value (and the instance)."""
    from tui.core.text import quote

    if v == "type":
        wanted = val if isinstance(val, list) else [val]
        return "skal være " + " eller ".join(_TYPE_NAMES.get(w, str(w)) for w in wanted)
    if v == "enum":
        return "skal være en af: " + ", ".join(f"»{x}«" for x in val)
    if v == "const":
        return f"skal være »{val}«"
    if v == "pattern":
        words = _PATTERN_WORDS.get(val)
        shown = f"»{quote(instance, 64)}«" if isinstance(instance, str) else "værdien"
        return f"{shown} har ikke det rigtige format" + (f" ({words})" if words else "")
    if v == "minItems":
        return "må ikke være tom" if val == 1 else f"skal have mindst {val} elementer"
    if v == "maxItems":
        return f"har for mange elementer (højst {_num(val)})"
    if v == "minLength":
        return "må ikke være tom" if val == 1 else f"skal være mindst {_num(val)} tegn"
    if v == "maxLength":
        return f"er for lang (højst {_num(val)} tegn)"
    if v == "minimum":
        return f"skal være mindst {val}"
    if v == "maximum":
        return f"må højst være {val}"
    if v == "minProperties":
        return "må ikke være tom" if val == 1 else f"skal have mindst {val} felter"
    if v == "uniqueItems":
        return "har det samme element flere gange"
    return None


def _branch_types(error: Any) -> list[str]:
    """For an anyOf/oneOf where every branch failed on the type alone: the types allowed."""
    kinds: list[str] = []
    for sub in error.context:
        if sub.validator != "type" or sub.relative_path:
            return []
        for wanted in sub.validator_value if isinstance(sub.validator_value, list) else [sub.validator_value]:
            name = _TYPE_NAMES.get(wanted, str(wanted))
            if name not in kinds:
                kinds.append(name)
    return kinds


def _leaf_errors(error: Any) -> list[Any]:
    """An anyOf/oneOf error stands for the errors of the branch the value was meant for: the
    branch whose type matched. Those are what the user has to fix, each at its own place."""
    if error.validator not in ("anyOf", "oneOf") or not error.context or _branch_types(error):
        return [error]
    branches: dict[Any, list[Any]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    meant = [subs for subs in branches.values()
             if not any(sub.validator == "type" and not sub.relative_path for sub in subs)]
    if len(meant) != 1:
        from jsonschema.exceptions import best_match

        best = best_match(error.context)
        return [error] if best is None else _leaf_errors(best)
    return [leaf for sub in meant[0] for leaf in _leaf_errors(sub)]


def _sort_key(parts: Iterable[Any]) -> tuple[tuple[int, Any, str], ...]:
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in parts)


def schema_problems(data: Any, schema_path: Path) -> list[tuple[tuple[Any, ...], str]]:
    """Every schema violation as (path parts, Danish message), in the order of the document.
    Raises RecursionError for JSON nested too deep to check."""
    import itertools

    validator = _schema_validator(schema_path)
    found = itertools.islice(validator.iter_errors(data), MAX_COLLECTED_PROBLEMS)
    problems: list[tuple[tuple[Any, ...], str]] = []
    for error in found:
        for leaf in _leaf_errors(error):
            entry = (tuple(leaf.absolute_path), describe_schema_error(leaf))
            if entry not in problems:
                problems.append(entry)
    return sorted(problems, key=lambda p: _sort_key(p[0]))


def schema_errors(data: Any, schema_path: Path, limit: int | None = None) -> list[tuple[str, str]]:
    """(place, Danish message) for every schema violation (or the first `limit`)."""
    problems = schema_problems(data, schema_path)
    return [(json_place(parts) or "øverste niveau", msg) for parts, msg in problems[:limit]]


def _field_errors(tid: str, itype: dict[str, Any], scales: dict[str, Any]) -> list[tuple[str, str]]:
    """An item type's fields: ids unique, kinds known, references to scales and fields sound."""
    errors: list[tuple[str, str]] = []
    field_ids = [f["id"] for f in itype.get("fields", [])]
    for i, fid in enumerate(field_ids):
        if field_ids.index(fid) != i:
            errors.append((f"item_types.{tid}.fields[{i}]", f"feltet »{fid}« findes to gange"))
    by_id = {f["id"]: f for f in itype.get("fields", [])}
    for i, f in enumerate(itype.get("fields", [])):
        where = f"item_types.{tid}.fields[{i}]"
        problem = kind_problem(f.get("kind"))
        if problem:  # the schema says it first; this is for the shipped files, read without it
            errors.append((f"{where}.kind", problem))
        elif f["kind"] == FieldKind.SCALE and f.get("scale") not in scales:
            errors.append((where, f"skalaen »{f.get('scale')}« findes ikke under »scales«"))
        for ref in ("required_if", "date_field"):
            if f.get(ref) and f[ref] not in by_id:
                errors.append((where, f"»{ref}« peger på feltet »{f[ref]}«, som ikke findes"))
        if f.get("date_field") and by_id.get(f["date_field"], {}).get("kind") != FieldKind.DATE:
            errors.append((where, "»date_field« skal pege på et datofelt"))
    return errors


def _initiative_errors(tid: str, itype: dict[str, Any]) -> list[tuple[str, str]]:
    """An item type's initiative and gap check: the fields they name exist and are of a kind
    that can fill the role (each kind's `roles`, tui/core/kinds.py)."""
    errors: list[tuple[str, str]] = []
    by_id = {f["id"]: f for f in itype.get("fields", [])}
    ini = itype.get("initiative") or {}
    for role in ("responsible", "deadline", "status", "milestones"):
        fid = ini.get(role)
        if fid is None:
            continue
        kind = FieldKind.of(by_id[fid].get("kind")) if fid in by_id else None
        if fid not in by_id:
            errors.append((f"item_types.{tid}.initiative.{role}", f"feltet »{fid}« findes ikke"))
        elif kind is None or role not in KINDS[kind].roles:
            errors.append((f"item_types.{tid}.initiative.{role}", f"feltet »{fid}« har en forkert slags"))
    for fid in [ini.get("title_field"), *ini.get("when_any_filled", [])]:
        if fid and fid not in by_id:
            errors.append((f"item_types.{tid}.initiative", f"feltet »{fid}« findes ikke"))
    gap = itype.get("gap_check")
    if gap:
        for role in ("answer", "initiative"):
            if gap[role] not in by_id:
                errors.append((f"item_types.{tid}.gap_check.{role}", f"feltet »{gap[role]}« findes ikke"))
    for i, column in enumerate(itype.get("table", [])):
        for fid in column.get("fields", []):
            if fid not in by_id:
                errors.append((f"item_types.{tid}.table[{i}]", f"feltet »{fid}« findes ikke"))
    return errors


def semantic_errors(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Cross-references JSON Schema cannot express: ids unique, references point somewhere."""
    errors: list[tuple[str, str]] = []
    scales = data.get("scales", {})
    types = data.get("item_types", {})
    for tid, itype in types.items():
        errors += _field_errors(tid, itype, scales)
        errors += _initiative_errors(tid, itype)
    seen: dict[str, str] = {}
    for si, section in enumerate(data.get("sections", [])):
        where = f"sections[{si}]"
        if section["id"] in seen:
            errors.append((where, f"id »{section['id']}« er allerede brugt"))
        seen[section["id"]] = where
        for ii, item in enumerate(section.get("items", [])):
            iw = f"{where}.items[{ii}]"
            if item["id"] in seen:
                errors.append((iw, f"id »{item['id']}« er allerede brugt"))
            seen[item["id"]] = iw
            if item["type"] not in types:
                errors.append((iw, f"elementtypen »{item['type']}« findes ikke under »item_types«"))
        item_ids = {i["id"] for i in section.get("items", [])}
        for gi, group in enumerate(section.get("groups", [])):
            for ref in group["items"]:
                if ref not in item_ids:
                    errors.append((f"{where}.groups[{gi}]", f"elementet »{ref}« findes ikke i afsnittet"))
        added = section.get("added_items")
        if added and added["type"] not in types:
            errors.append((f"{where}.added_items", f"elementtypen »{added['type']}« findes ikke"))
    added_sections = data.get("added_sections")
    if added_sections and added_sections["added_items"]["type"] not in types:
        errors.append(("added_sections.added_items", "elementtypen findes ikke"))
    target = data.get("reference_use", {}).get("field")
    if target and not any(f["id"] == target for t in types.values() for f in t["fields"]):
        errors.append(("reference_use.field", f"feltet »{target}« findes ikke i nogen elementtype"))
    return errors


def check_template_data(data: Any, path: Path, schema_path: Path | None) -> None:
    """Raises TemplateError listing every problem: the schema's, or (once the schema is met,
    since they need its shape) the cross-references'."""
    if schema_path is not None:
        try:
            problems = schema_errors(data, schema_path)
        except RecursionError:
            raise TemplateError(path, "", "JSON-strukturen er for dybt indlejret") from None
        if problems:
            raise TemplateError(path, problems=problems)
    if not isinstance(data, dict):
        raise TemplateError(path, "", "filen skal indeholde et JSON-objekt")
    problems = semantic_errors(data)
    if problems:
        raise TemplateError(path, problems=problems)


def _size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "en pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "en enhedsfil (fx /dev/zero)"
    if stat.S_ISSOCK(mode):
        return "en socket"
    return "ikke en almindelig fil"


def _os_problem(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "filen findes ikke"
    if isinstance(exc, IsADirectoryError):
        return "det er en mappe, ikke en fil"
    if isinstance(exc, PermissionError):
        return "du har ikke adgang til at læse filen"
    if isinstance(exc, NotADirectoryError):
        return "en del af stien er ikke en mappe"
    if exc.errno == errno.ELOOP:
        return "for mange symbolske links i stien"
    return f"filen kan ikke læses (fejlkode {exc.errno})"


def _not_readable(st: os.stat_result, limit: int) -> str | None:
    """Why a file with this status is not read, or None."""
    if stat.S_ISDIR(st.st_mode):
        return "det er en mappe, ikke en fil"
    if not stat.S_ISREG(st.st_mode):
        return f"det er {_file_kind(st.st_mode)}, ikke en almindelig fil; gem indholdet i en fil først"
    if st.st_size > limit:
        return f"filen er for stor ({_size_text(st.st_size)}); der læses højst {_size_text(limit)}"
    return None


def read_bounded(path: Path, limit: int, what: str = "Skabelonen") -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or TemplateError in Danish.

    Only regular files are opened (checked on the path and again on the open file, so a file
    swapped in between is caught too), opened without blocking (a FIFO never hangs a command),
    and never more than limit + 1 bytes are read (a link to /dev/zero or a growing file never
    fills the memory)."""

    def refuse(message: str) -> TemplateError:
        return TemplateError(path, "", message, what=what)

    def check(st: os.stat_result) -> None:
        if problem := _not_readable(st, limit):
            raise refuse(problem)

    def os_problem(exc: OSError) -> TemplateError:
        return refuse(_os_problem(exc))

    try:
        check(os.stat(path))
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise os_problem(exc) from None
    try:
        check(os.fstat(fd))
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1024 * 1024, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise os_problem(exc) from None
    finally:
        os.close(fd)
    if size > limit:
        raise refuse(f"filen er for stor (over {_size_text(limit)})")
    return b"".join(chunks)


def read_json_file(path: Path, what: str = "Skabelonen", limit: int = MAX_TEMPLATE_BYTES) -> Any:
    raw = read_bounded(Path(path), limit, what)
    try:
        text = raw.decode("utf-8-sig")  # a BOM from Windows Notepad is fine
    except UnicodeDecodeError:
        raise TemplateError(path, "", "filen er ikke gemt som UTF-8", what=what) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise TemplateError(path, f"linje {exc.lineno}, kolonne {exc.colno}", "ugyldig JSON", what=what) from None
    except RecursionError:
        raise TemplateError(path, "", "JSON-strukturen er for dybt indlejret", what=what) from None


def template_schema_path() -> Path:
    from tui.paths import builtin_templates_dir

    return builtin_templates_dir() / "template.schema.json"


def _without_unsafe(data: Any) -> Any:
    """Every string in the template without control and format characters (tui/core/text.py):
    a template's titles and help are shown in the terminal, so ESC in a title never acts there."""
    from tui.core.text import strip_unsafe

    if isinstance(data, str):
        return strip_unsafe(data)
    if isinstance(data, list):
        return [_without_unsafe(v) for v in data]
    if isinstance(data, dict):
        return {k: _without_unsafe(v) for k, v in data.items()}
    return data


def load_template_file(path: Path, *, validate_schema: bool = True, builtin: bool = False) -> Template:
    data = read_json_file(path)
    check_template_data(data, path, template_schema_path() if validate_schema else None)
    data = _without_unsafe(data)
    try:
        return template_from_dict(data, path=Path(path), builtin=builtin)
    except (KeyError, TypeError, ValueError) as exc:  # only reachable without schema validation
        raise TemplateError(path, "", f"uventet indhold ({exc})") from None


@dataclass
class TemplateLibrary:
    """Every template that loaded, by id, and the files that did not (with why)."""

    templates: dict[str, Template] = field(default_factory=dict)
    errors: list[TemplateError] = field(default_factory=list)

    def get(self, template_id: str) -> Template | None:
        return self.templates.get(template_id)

    def __iter__(self) -> Iterator[Template]:
        return iter(self.templates.values())


def template_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.json") if not p.name.endswith(".schema.json"))


def load_library(builtin_dir: Path | None = None, user_dir: Path | None = None,
                 *, validate_builtin: bool = False) -> TemplateLibrary:
    """Shipped templates (schema-checked by the test suite, so not again at every start) and the
    user's own (always schema-checked: they are hand-written)."""
    from tui.paths import builtin_templates_dir, user_templates_dir

    builtin_dir = builtin_dir or builtin_templates_dir()
    user_dir = Path(os.path.abspath(user_dir if user_dir is not None else user_templates_dir()))
    library = TemplateLibrary()
    for folder, builtin in ((builtin_dir, True), (user_dir, False)):
        for path in template_files(folder):
            try:
                template = load_template_file(path, validate_schema=validate_builtin or not builtin, builtin=builtin)
            except TemplateError as exc:
                library.errors.append(exc)
                continue
            except Exception as exc:
                library.errors.append(TemplateError(path, "", f"uventet fejl ({type(exc).__name__})"))
                continue
            if template.id in library.templates:
                library.errors.append(
                    TemplateError(path, "id", f"der findes allerede en skabelon med id »{template.id}«"))
                continue
            library.templates[template.id] = template
    return library
