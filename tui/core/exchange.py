"""Plan exchange files: one plan as JSON, validated against schemas/plan.schema.json."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

from tui.core.dates import DateError, from_iso
from tui.core.kinds import kind_of
from tui.core.plan import MAX_TITLE_LENGTH, Plan, ValueRefused, clean_drafts, clean_text
from tui.core.stamps import utc_stamp
from tui.core.templates import (
    MAX_PLAN_FILE_BYTES,
    Template,
    TemplateLibrary,
    format_problems,
    json_place,
    read_json_file,
    schema_problems,
)
from tui.core.text import json_escape_unsafe, quote

FORMAT = "implan-plan/1"


class PlanFileError(Exception):
    """A plan file that cannot be used, with every problem found in it (place, message)."""

    def __init__(self, path: Path | str, place: str = "", message: str = "",
                 problems: list[tuple[str, str]] | None = None):
        self.path = Path(path)
        self.problems = list(problems) if problems else [(place, message)]
        self.place, self.message = self.problems[0]
        super().__init__(format_problems(f"Planfilen {self.path}", self.problems))


def _nth(index: Any) -> str:
    return f"nr. {index + 1}" if isinstance(index, int) else f"»{quote(str(index), 64)}«"


def plan_place(parts: tuple[Any, ...] | list[Any]) -> str:
    """A place in a plan file said in words, with its JSON path: »svaret på feltet »formaal« i
    elementet »a1« (plan.answers.a1.formaal)«. The path alone where there are no better words."""
    parts = list(parts)
    path = json_place(parts)
    if not parts:
        return "øverste niveau"
    words = ""
    if parts[0] == "plan":
        rest = parts[1:]
        simple = {"id": "planens id", "title": "planens titel", "organisation": "planens organisation",
                  "template": "planens skabelon", "answers": "svarene", "added_sections": "de tilføjede afsnit",
                  "added_items": "de tilføjede elementer", "history": "historikken", "meetings": "møderne",
                  "drafts": "kladderne", "revision": "planens revision", "created": "planens oprettelsestid",
                  "updated": "planens ændringstid"}
        if not rest:
            words = "planen"
        elif len(rest) == 1:
            words = simple.get(str(rest[0]), "")
        elif rest[0] == "template" and len(rest) == 2:
            words = f"planens skabelon, feltet »{quote(str(rest[1]), 64)}«"
        elif rest[0] == "answers":
            item = f"elementet »{quote(str(rest[1]), 64)}«"
            if len(rest) == 2:
                words = f"svarene i {item}"
            else:
                field = f"feltet »{quote(str(rest[2]), 64)}« i {item}"
                if len(rest) == 3:
                    words = f"svaret på {field}"
                elif len(rest) == 4:
                    words = f"milepæl {_nth(rest[3])} i {field}"
                elif len(rest) == 5:
                    what = {"date": "datoen for", "text": "teksten i", "done": "»færdig« for", "id": "id'et for"}
                    words = f"{what.get(str(rest[4]), 'et felt i')} milepæl {_nth(rest[3])} i {field}"
        elif rest[0] in ("added_sections", "added_items", "history", "meetings") and isinstance(rest[1], int):
            noun = {"added_sections": "tilføjet afsnit", "added_items": "tilføjet element",
                    "history": "historikpost", "meetings": "møde"}[rest[0]]
            words = f"{noun} {_nth(rest[1])}"
            if len(rest) == 3:
                of = {"title": "titlen på", "intro": "indledningen til", "section": "afsnittet for",
                      "type": "typen af", "id": "id'et for"}.get(str(rest[2]))
                words = f"{of} {words}" if of else f"feltet »{quote(str(rest[2]), 64)}« i {words}"
            elif len(rest) > 3:
                words = ""
        elif rest[0] == "drafts" and len(rest) == 2:
            words = f"kladden »{quote(str(rest[1]), 64)}«"
    elif len(parts) == 1:
        return f"feltet »{quote(str(parts[0]), 64)}«"
    return f"{words} ({path})" if words else path


def plan_schema_path() -> Path:
    from tui.paths import builtin_templates_dir

    return builtin_templates_dir() / "plan.schema.json"


def to_exchange(plan_data: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "exported": utc_stamp(),
        "plan": copy.deepcopy(plan_data),
    }


def dumps(plan_data: dict[str, Any]) -> str:
    # Stored text holds no control or format characters; one from a hand-edited database still
    # leaves as a \\u escape (the same JSON), never raw.
    return json_escape_unsafe(json.dumps(to_exchange(plan_data), ensure_ascii=False, indent=2)) + "\n"


def check_exchange(data: Any, path: Path, library: TemplateLibrary | None = None, *,
                   normalise: bool = True) -> dict[str, Any]:
    """Validate an exchange document; returns the plan dict. Raises PlanFileError in Danish,
    listing every problem (the schema's first: the other checks need the shape it guarantees).
    normalise=False checks the shape and the references to the template only: a stored plan
    with one value the program reads leniently (an old out-of-range date) is not damaged."""
    try:
        problems = schema_problems(data, plan_schema_path())
    except RecursionError:
        raise PlanFileError(path, "", "JSON-strukturen er for dybt indlejret") from None
    if problems:
        raise PlanFileError(path, problems=[(plan_place(parts), msg) for parts, msg in problems])
    plan = copy.deepcopy(data["plan"])
    if library is not None:
        template = library.get(plan["template"]["id"])
        if template is None:
            raise PlanFileError(path, plan_place(("plan", "template", "id")),
                                f"skabelonen »{quote(plan['template']['id'])}« findes ikke her")
        known_sections = {s.id for s in template.sections} | {s["id"] for s in plan.get("added_sections", [])}
        found: list[tuple[str, str]] = []
        for i, entry in enumerate(plan.get("added_items", [])):
            if entry["section"] not in known_sections:
                found.append((plan_place(("plan", "added_items", i, "section")),
                              f"afsnittet »{entry['section']}« findes ikke"))
            if entry["type"] not in template.item_types:
                found.append((plan_place(("plan", "added_items", i, "type")),
                              f"elementtypen »{entry['type']}« findes ikke"))
        if found:
            raise PlanFileError(path, problems=found)
        if normalise:
            normalise_plan(plan, template, path)
    return cast("dict[str, Any]", plan)


def normalise_plan(plan: dict[str, Any], template: Template, path: Path) -> None:
    """Every text cleaned and every answer stored exactly as the program itself would store it;
    a value of the wrong kind is refused, so one bad file can never break the plan list. Raises
    PlanFileError naming every value that cannot be stored."""
    found: list[tuple[str, str]] = []

    def cleaned(parts: tuple[Any, ...], value: Any, **kwargs: Any) -> Any:
        try:
            return clean_text(value, **kwargs)
        except ValueRefused as exc:
            found.append((plan_place(parts), str(exc)))
            return value if isinstance(value, str) else ""

    single = {"single_line": True, "limit": MAX_TITLE_LENGTH}
    plan["title"] = cleaned(("plan", "title"), plan["title"], **single).strip() or "Uden titel"
    plan["organisation"] = cleaned(("plan", "organisation"), plan.get("organisation", ""), **single).strip()
    for i, entry in enumerate(plan.get("added_sections", [])):
        place = ("plan", "added_sections", i, "title")
        entry["title"] = cleaned(place, entry["title"], **single).strip() or "Uden titel"
        entry["intro"] = cleaned(("plan", "added_sections", i, "intro"), entry.get("intro", ""))
    for i, entry in enumerate(plan.get("added_items", [])):
        entry["title"] = cleaned(("plan", "added_items", i, "title"), entry.get("title", ""), **single).strip()
    from tui.core.history import clean_history, clean_meetings

    plan["history"] = clean_history(plan.get("history", []))
    plan["meetings"] = clean_meetings(plan.get("meetings", []))
    plan["drafts"] = clean_drafts(plan.get("drafts", {}))
    _normalise_answers(plan, template, cleaned, found)
    if found:
        raise PlanFileError(path, problems=found)


def _normalise_answers(plan: dict[str, Any], template: Template, cleaned: Callable[..., Any],
                       found: list[tuple[str, str]]) -> None:
    """Every answer normalised in place as its field's kind stores it; what cannot be stored
    goes to `found` (in the order of the file, with what `cleaned` adds there)."""
    wrapped = Plan(plan, template)
    for item_id, fields in plan.get("answers", {}).items():
        for field_id, value in list(fields.items()):
            where = plan_place(("plan", "answers", item_id, field_id))
            try:
                spec = wrapped.field_spec(item_id, field_id)
            except KeyError:
                # An answer to an item or field this template version does not have: kept, so it
                # comes back if the template brings the id back, but it must be plain text.
                if not isinstance(value, str):
                    found.append((where, "skal være tekst"))
                    continue
                fields[field_id] = cleaned(("plan", "answers", item_id, field_id), value)
                continue
            kind = kind_of(spec.kind)
            if kind.is_list != isinstance(value, list):
                found.append((where, f"skal være {kind.shape}"))
                continue
            try:
                fields[field_id] = wrapped.normalise(spec, value)
            except (ValueRefused, DateError) as exc:
                found.append((where, str(exc)))


def read_plan_file(path: Path, library: TemplateLibrary | None = None) -> tuple[dict[str, Any], str | None]:
    """The plan in an exchange file and its demo anchor (sample plans only)."""
    try:
        data = read_json_file(path, limit=MAX_PLAN_FILE_BYTES)
    except Exception as exc:  # TemplateError wording names "Skabelonen"; re-word for plans
        raise PlanFileError(path, getattr(exc, "place", ""), getattr(exc, "message", str(exc))) from None
    if not isinstance(data, dict):
        raise PlanFileError(path, "", "filen skal indeholde et JSON-objekt")
    return check_exchange(data, path, library), data.get("demo_anchor")


def shift_dates(plan_data: dict[str, Any], days: int, template: Template) -> dict[str, Any]:
    """Move every date answer and milestone date by `days` (demo plans stay current whatever today is)."""
    plan_data = copy.deepcopy(plan_data)
    plan = Plan(plan_data, template)

    def moved(value: str) -> str:
        parsed = from_iso(value)
        return (parsed + timedelta(days=days)).isoformat() if parsed else value

    for item_id, fields in plan_data.get("answers", {}).items():
        for field_id, value in fields.items():
            try:
                kind = kind_of(plan.field_spec(item_id, field_id).kind)
            except KeyError:
                continue
            fields[field_id] = kind.shift_dates(value, moved)
    return plan_data


def demo_shift_days(anchor: str | None, today: date) -> int:
    parsed = from_iso(anchor) if anchor else None
    return (today - parsed).days if parsed else 0
