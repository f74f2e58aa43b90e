"""Plan exchange files: one plan as JSON, validated against schemas/plan.schema.json."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from tui.core.dates import from_iso
from tui.core.plan import Plan
from tui.core.templates import TemplateLibrary, read_json_file, schema_errors

FORMAT = "implan-plan/1"


class PlanFileError(Exception):
    def __init__(self, path: Path | str, place: str, message: str):
        self.path = Path(path)
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
    problems = schema_errors(data, plan_schema_path())
    if problems:
        place, msg = problems[0]
        more = f" (og {len(problems) - 1} fejl mere)" if len(problems) > 1 else ""
        raise PlanFileError(path, place, msg + more)
    plan = data["plan"]
    if library is not None:
        template = library.get(plan["template"]["id"])
        if template is None:
            raise PlanFileError(path, "plan.template.id", f"skabelonen »{plan['template']['id']}« findes ikke her")
        Plan(copy.deepcopy(plan), template)  # structure check: raises only on programming errors
        known_sections = {s.id for s in template.sections} | {s["id"] for s in plan.get("added_sections", [])}
        for i, entry in enumerate(plan.get("added_items", [])):
            if entry["section"] not in known_sections:
                raise PlanFileError(path, f"plan.added_items[{i}].section", f"afsnittet »{entry['section']}« findes ikke")
            if entry["type"] not in template.item_types:
                raise PlanFileError(path, f"plan.added_items[{i}].type", f"elementtypen »{entry['type']}« findes ikke")
    return plan


def read_plan_file(path: Path, library: TemplateLibrary | None = None) -> tuple[dict[str, Any], str | None]:
    """The plan in an exchange file and its demo anchor (sample plans only)."""
    try:
        data = read_json_file(path)
    except Exception as exc:  # TemplateError wording names "Skabelonen"; re-word for plans
        raise PlanFileError(path, getattr(exc, "place", ""), getattr(exc, "message", str(exc))) from None
    if not isinstance(data, dict):
        raise PlanFileError(path, "", "filen skal indeholde et JSON-objekt")
    return check_exchange(data, path, library), data.get("demo_anchor")


def shift_dates(plan_data: dict[str, Any], days: int) -> dict[str, Any]:
    """Move every date in the answers by `days` (demo plans stay current whatever today is)."""
    plan_data = copy.deepcopy(plan_data)

    def moved(value: str) -> str:
        parsed = from_iso(value)
        return (parsed + timedelta(days=days)).isoformat() if parsed and len(value) == 10 else value

    for fields in plan_data.get("answers", {}).values():
        for key, value in fields.items():
            if isinstance(value, str) and len(value) == 10 and value[4] == "-" and from_iso(value):
                fields[key] = moved(value)
            elif isinstance(value, list):
                for row in value:
                    if row.get("date"):
                        row["date"] = moved(row["date"])
    return plan_data


def demo_shift_days(anchor: str | None, today: date) -> int:
    parsed = from_iso(anchor) if anchor else None
    return (today - parsed).days if parsed else 0
