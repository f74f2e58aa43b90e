"""Templates: JSON files in schemas/ (shipped) and in the user's templates folder (their own).

A broken file never stops the others from loading: it becomes a TemplateError with a Danish
message naming the file and the place in it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

FIELD_KINDS = ("short_text", "long_text", "scale", "responsible", "date", "milestones", "status")


class TemplateError(Exception):
    def __init__(self, path: Path | str, place: str, message: str):
        self.path = Path(path)
        self.place = place
        self.message = message
        where = f" ({place})" if place else ""
        super().__init__(f"Skabelonen {self.path.name} kan ikke bruges{where}: {message}")


@dataclass(frozen=True)
class Guidance:
    text: str = ""
    questions_intro: str = ""
    questions: tuple[str, ...] = ()
    examples_intro: str = ""
    examples: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "Guidance":
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
    kind: str
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
class ItemType:
    id: str
    label: str
    label_plural: str
    fields: tuple[FieldSpec, ...]
    initiative: InitiativeSpec | None = None
    gap_check: GapCheck | None = None

    def field(self, field_id: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.id == field_id), None)


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
    path: Path | None = None
    builtin: bool = True

    def section(self, section_id: str) -> SectionSpec | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def item_count(self) -> int:
        return sum(len(s.items) for s in self.sections)


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


def _field(data: dict[str, Any]) -> FieldSpec:
    return FieldSpec(
        id=data["id"],
        label=data["label"],
        kind=data["kind"],
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
        scales={
            sid: Scale(sid, s["label"], tuple(ScaleChoice(**c) for c in s["choices"]))
            for sid, s in data.get("scales", {}).items()
        },
        item_types={tid: _item_type(tid, t) for tid, t in data["item_types"].items()},
        sections=tuple(_section(s) for s in data["sections"]),
        added_sections=AddedSections(
            label=added["label"],
            add_label=added["add_label"],
            added_items=_added_items(added["added_items"]),
            guidance=Guidance.from_dict(added.get("guidance")),
        )
        if added
        else None,
        path=path,
        builtin=builtin,
    )


# -- checking ------------------------------------------------------------------------------------

def _place(parts: Iterable[Any]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_SCHEMA_CACHE: dict[str, Any] = {}


def _schema_validator(schema_path: Path):
    key = str(schema_path)
    if key not in _SCHEMA_CACHE:
        import jsonschema  # imported only when a file is actually validated

        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        _SCHEMA_CACHE[key] = jsonschema.Draft202012Validator(schema)
    return _SCHEMA_CACHE[key]


def describe_schema_error(error: Any) -> str:
    """One jsonschema error in plain Danish."""
    v = error.validator
    val = error.validator_value
    if v == "required":
        missing = [name for name in val if isinstance(error.instance, dict) and name not in error.instance]
        return f"mangler feltet »{missing[0] if missing else val[0]}«"
    if v == "additionalProperties":
        extra = [k for k in error.instance if k not in error.schema.get("properties", {})] if isinstance(error.instance, dict) else []
        return f"ukendt felt »{extra[0] if extra else '?'}«"
    if v == "type":
        names = {"string": "tekst", "object": "et objekt", "array": "en liste", "integer": "et heltal",
                 "boolean": "true eller false", "number": "et tal", "null": "null"}
        wanted = val if isinstance(val, list) else [val]
        return "skal være " + " eller ".join(names.get(w, w) for w in wanted)
    if v == "enum":
        return "skal være en af: " + ", ".join(f"»{x}«" for x in val)
    if v == "const":
        return f"skal være »{val}«"
    if v == "pattern":
        return f"»{error.instance}« har ikke det rigtige format (små bogstaver a-z, tal og bindestreg)"
    if v == "minItems":
        return f"skal have mindst {val} element(er)"
    if v == "minLength":
        return "må ikke være tom"
    if v == "maxLength":
        return f"er for lang (højst {val} tegn)"
    if v == "minimum":
        return f"skal være mindst {val}"
    if v == "minProperties":
        return f"skal have mindst {val} element(er)"
    return f"er ugyldig ({v})"


def schema_errors(data: Any, schema_path: Path, limit: int = 5) -> list[tuple[str, str]]:
    """(place, Danish message) for the first few schema violations, most specific first."""
    validator = _schema_validator(schema_path)
    errors = sorted(validator.iter_errors(data), key=lambda e: (-len(e.absolute_path), list(map(str, e.absolute_path))))
    return [(_place(e.absolute_path) or "øverste niveau", describe_schema_error(e)) for e in errors[:limit]]


def semantic_errors(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Cross-references JSON Schema cannot express: ids unique, references point somewhere."""
    errors: list[tuple[str, str]] = []
    scales = data.get("scales", {})
    types = data.get("item_types", {})
    for tid, itype in types.items():
        field_ids = [f["id"] for f in itype.get("fields", [])]
        for i, fid in enumerate(field_ids):
            if field_ids.index(fid) != i:
                errors.append((f"item_types.{tid}.fields[{i}]", f"feltet »{fid}« findes to gange"))
        by_id = {f["id"]: f for f in itype.get("fields", [])}
        for i, f in enumerate(itype.get("fields", [])):
            where = f"item_types.{tid}.fields[{i}]"
            if f.get("kind") == "scale" and f.get("scale") not in scales:
                errors.append((where, f"skalaen »{f.get('scale')}« findes ikke under »scales«"))
            for ref in ("required_if", "date_field"):
                if f.get(ref) and f[ref] not in by_id:
                    errors.append((where, f"»{ref}« peger på feltet »{f[ref]}«, som ikke findes"))
            if f.get("date_field") and by_id.get(f["date_field"], {}).get("kind") != "date":
                errors.append((where, "»date_field« skal pege på et datofelt"))
        ini = itype.get("initiative") or {}
        wanted_kinds = {"responsible": ("responsible", "short_text"), "deadline": ("date",),
                        "status": ("status", "scale"), "milestones": ("milestones",)}
        for role, kinds in wanted_kinds.items():
            fid = ini.get(role)
            if fid is None:
                continue
            if fid not in by_id:
                errors.append((f"item_types.{tid}.initiative.{role}", f"feltet »{fid}« findes ikke"))
            elif by_id[fid]["kind"] not in kinds:
                errors.append((f"item_types.{tid}.initiative.{role}", f"feltet »{fid}« har en forkert slags"))
        for fid in [ini.get("title_field"), *ini.get("when_any_filled", [])]:
            if fid and fid not in by_id:
                errors.append((f"item_types.{tid}.initiative", f"feltet »{fid}« findes ikke"))
        gap = itype.get("gap_check")
        if gap:
            for role in ("answer", "initiative"):
                if gap[role] not in by_id:
                    errors.append((f"item_types.{tid}.gap_check.{role}", f"feltet »{gap[role]}« findes ikke"))
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
    return errors


def check_template_data(data: Any, path: Path, schema_path: Path | None) -> None:
    if schema_path is not None:
        try:
            problems = schema_errors(data, schema_path)
        except RecursionError:
            raise TemplateError(path, "", "JSON-strukturen er for dybt indlejret") from None
        if problems:
            place, msg = problems[0]
            more = f" (og {len(problems) - 1} fejl mere)" if len(problems) > 1 else ""
            raise TemplateError(path, place, msg + more)
    if not isinstance(data, dict):
        raise TemplateError(path, "", "filen skal indeholde et JSON-objekt")
    problems = semantic_errors(data)
    if problems:
        place, msg = problems[0]
        raise TemplateError(path, place, msg)


def read_json_file(path: Path, what: str = "Skabelonen") -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")  # a BOM from Windows Notepad is fine
    except UnicodeDecodeError:
        raise TemplateError(path, "", "filen er ikke gemt som UTF-8") from None
    except FileNotFoundError:
        raise TemplateError(path, "", "filen findes ikke") from None
    except IsADirectoryError:
        raise TemplateError(path, "", "det er en mappe, ikke en fil") from None
    except PermissionError:
        raise TemplateError(path, "", "du har ikke adgang til at læse filen") from None
    except OSError as exc:
        raise TemplateError(path, "", f"filen kan ikke læses (fejlkode {exc.errno})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise TemplateError(path, f"linje {exc.lineno}, kolonne {exc.colno}", "ugyldig JSON") from None
    except RecursionError:
        raise TemplateError(path, "", "JSON-strukturen er for dybt indlejret") from None


def template_schema_path() -> Path:
    from tui.paths import builtin_templates_dir

    return builtin_templates_dir() / "template.schema.json"


def load_template_file(path: Path, *, validate_schema: bool = True, builtin: bool = False) -> Template:
    data = read_json_file(path)
    check_template_data(data, path, template_schema_path() if validate_schema else None)
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

    def __iter__(self):
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
    user_dir = user_dir if user_dir is not None else user_templates_dir()
    library = TemplateLibrary()
    for folder, builtin in ((builtin_dir, True), (user_dir, False)):
        for path in template_files(folder):
            try:
                template = load_template_file(path, validate_schema=validate_builtin or not builtin, builtin=builtin)
            except TemplateError as exc:
                library.errors.append(exc)
                continue
            except Exception as exc:  # noqa: BLE001 - one odd file must never stop the others
                library.errors.append(TemplateError(path, "", f"uventet fejl ({type(exc).__name__})"))
                continue
            if template.id in library.templates:
                library.errors.append(TemplateError(path, "id", f"der findes allerede en skabelon med id »{template.id}«"))
                continue
            library.templates[template.id] = template
    return library
