"""Plan exchange files: one plan as JSON, validated against schemas/plan.schema.json."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from tui.core.dates import DateError, from_iso
from tui.core.plan import MAX_TITLE_LENGTH, Plan, ValueRefused, clean_drafts, clean_text
from tui.core.templates import TemplateLibrary, read_json_file, schema_errors

FORMAT = "implan-plan/1"


class PlanFileError(Exception):
    def __init__(self, path: Path | str, place: str, message: str):
        self.path = Path(path)
        self.place = place
        self.detail = message
        where = f" ({place})" if place else ""
        super().__init__(f"Planfilen {self.path.name} kan ikke bruges{where}: {message}")


def plan_schema_path() -> Path:
    from tui.paths import builtin_templates_dir

    return builtin_templates_dir() / "plan.schema.json"


def to_exchange(plan_data: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "exported": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "plan": copy.deepcopy(plan_data),
    }


def dumps(plan_data: dict[str, Any]) -> str:
    return json.dumps(to_exchange(plan_data), ensure_ascii=False, indent=2) + "\n"


def check_exchange(data: Any, path: Path, library: TemplateLibrary | None = None) -> dict[str, Any]:
    """Validate an exchange document; returns the plan dict. Raises PlanFileError in Danish."""
    try:
        problems = schema_errors(data, plan_schema_path())
    except RecursionError:
        raise PlanFileError(path, "", "JSON-strukturen er for dybt indlejret") from None
    if problems:
        place, msg = problems[0]
        more = f" (og {len(problems) - 1} fejl mere)" if len(problems) > 1 else ""
        raise PlanFileError(path, place, msg + more)
    plan = copy.deepcopy(data["plan"])
    if library is not None:
        template = library.get(plan["template"]["id"])
        if template is None:
            raise PlanFileError(path, "plan.template.id", f"skabelonen »{plan['template']['id']}« findes ikke her")
        known_sections = {s.id for s in template.sections} | {s["id"] for s in plan.get("added_sections", [])}
        for i, entry in enumerate(plan.get("added_items", [])):
            if entry["section"] not in known_sections:
                raise PlanFileError(path, f"plan.added_items[{i}].section", f"afsnittet »{entry['section']}« findes ikke")
            if entry["type"] not in template.item_types:
                raise PlanFileError(path, f"plan.added_items[{i}].type", f"elementtypen »{entry['type']}« findes ikke")
        normalise_plan(plan, template, path)
    return plan


def normalise_plan(plan: dict[str, Any], template, path: Path) -> None:
    """Every text cleaned and every answer stored exactly as the program itself would store it;
    a value of the wrong kind is refused, so one bad file can never break the plan list."""
    try:
        plan["title"] = clean_text(plan["title"], single_line=True, limit=MAX_TITLE_LENGTH).strip() or "Uden titel"
        plan["organisation"] = clean_text(plan.get("organisation", ""), single_line=True, limit=MAX_TITLE_LENGTH).strip()
        for entry in plan.get("added_sections", []):
            entry["title"] = clean_text(entry["title"], single_line=True, limit=MAX_TITLE_LENGTH).strip() or "Uden titel"
            entry["intro"] = clean_text(entry.get("intro", ""))
        for entry in plan.get("added_items", []):
            entry["title"] = clean_text(entry.get("title", ""), single_line=True, limit=MAX_TITLE_LENGTH).strip()
    except ValueRefused as exc:
        raise PlanFileError(path, "plan", str(exc)) from None
    from tui.core.history import clean_history, clean_meetings

    plan["history"] = clean_history(plan.get("history", []))
    plan["meetings"] = clean_meetings(plan.get("meetings", []))
    plan["drafts"] = clean_drafts(plan.get("drafts", {}))
    wrapped = Plan(plan, template)
    for item_id, fields in plan.get("answers", {}).items():
        for field_id, value in list(fields.items()):
            try:
                spec = wrapped.field_spec(item_id, field_id)
            except KeyError:
                # An answer to an item or field this template version does not have: kept, so it
                # comes back if the template brings the id back, but it must be plain text.
                if not isinstance(value, str):
                    raise PlanFileError(path, f"plan.answers.{item_id}.{field_id}", "skal være tekst") from None
                fields[field_id] = clean_text(value)
                continue
            if (spec.kind == "milestones") != isinstance(value, list):
                wanted = "en liste af milepæle" if spec.kind == "milestones" else "tekst"
                raise PlanFileError(path, f"plan.answers.{item_id}.{field_id}", f"skal være {wanted}")
            try:
                fields[field_id] = wrapped.normalise(spec, value)
            except (ValueRefused, DateError) as exc:
                raise PlanFileError(path, f"plan.answers.{item_id}.{field_id}", str(exc)) from None


def read_plan_file(path: Path, library: TemplateLibrary | None = None) -> tuple[dict[str, Any], str | None]:
    """The plan in an exchange file and its demo anchor (sample plans only)."""
    try:
        data = read_json_file(path)
    except Exception as exc:  # TemplateError wording names "Skabelonen"; re-word for plans
        raise PlanFileError(path, getattr(exc, "place", ""), getattr(exc, "message", str(exc))) from None
    if not isinstance(data, dict):
        raise PlanFileError(path, "", "filen skal indeholde et JSON-objekt")
    return check_exchange(data, path, library), data.get("demo_anchor")


def shift_dates(plan_data: dict[str, Any], days: int, template) -> dict[str, Any]:
    """Move every date answer and milestone date by `days` (demo plans stay current whatever today is)."""
    plan_data = copy.deepcopy(plan_data)
    plan = Plan(plan_data, template)

    def moved(value: str) -> str:
        parsed = from_iso(value)
        return (parsed + timedelta(days=days)).isoformat() if parsed else value

    for item_id, fields in plan_data.get("answers", {}).items():
        for field_id, value in fields.items():
            try:
                kind = plan.field_spec(item_id, field_id).kind
            except KeyError:
                continue
            if kind == "date" and value:
                fields[field_id] = moved(value)
            elif kind == "milestones":
                for row in value:
                    if row.get("date"):
                        row["date"] = moved(row["date"])
    return plan_data


def demo_shift_days(anchor: str | None, today: date) -> int:
    parsed = from_iso(anchor) if anchor else None
    return (today - parsed).days if parsed else 0
