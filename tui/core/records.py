"""Which stored plan records can be used: each one is checked on load as an import is checked
(schemas/plan.schema.json and the checks against its template), so one damaged record is set
aside and never takes the other plans down."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from tui.core.exchange import FORMAT, PlanFileError, check_exchange
from tui.core.plan import clean_text
from tui.core.templates import TemplateLibrary
from tui.store.json_storage import RawRecord

_CACHE_LIMIT = 500
_verdicts: dict[str, str | None] = {}


def record_problem(record: Any, doc_id: str, library: TemplateLibrary) -> str | None:
    """None when the record is a usable plan; else a short Danish reason. A plan whose template is
    missing is usable here (Workspace names it as it always has): only damage counts."""
    if isinstance(record, RawRecord):
        return "JSON-strukturen er for dybt indlejret"
    if not isinstance(record, dict):
        return "posten er ikke et JSON-objekt"
    try:
        int(doc_id)
    except ValueError:
        return f"posten har et ugyldigt nummer »{clean_text(doc_id, single_line=True)[:40]}«"
    try:
        key = json.dumps(record, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return "posten kan ikke læses som JSON"
    template_id = record.get("template", {}).get("id") if isinstance(record.get("template"), dict) else None
    template = library.get(template_id) if isinstance(template_id, str) else None
    key = f"{id(template) if template is not None else '-'}:{key}"  # the verdict depends on the template
    if key in _verdicts:
        return _verdicts[key]
    verdict = _judge(record, library)
    if len(_verdicts) >= _CACHE_LIMIT:
        _verdicts.clear()
    _verdicts[key] = verdict
    return verdict


def _judge(record: dict[str, Any], library: TemplateLibrary) -> str | None:
    template_id = record.get("template", {}).get("id") if isinstance(record.get("template"), dict) else None
    known = library if isinstance(template_id, str) and library.get(template_id) is not None else None
    try:
        check_exchange({"format": FORMAT, "plan": copy.deepcopy(record)}, Path("database"), known,
                       normalise=False)
    except PlanFileError as exc:
        shown = [f"{place}: {message}" if place not in ("", "planen", "øverste niveau") else message
                 for place, message in exc.problems[:3]]
        more = f" (og {len(exc.problems) - 3} fejl mere)" if len(exc.problems) > 3 else ""
        return "; ".join(shown) + more
    except RecursionError:
        return "JSON-strukturen er for dybt indlejret"
    return None


def record_name(record: Any, doc_id: str) -> str:
    """How a damaged record is named to the user: »its title« if it has a text title, else its number."""
    title = record.get("title") if isinstance(record, dict) else None
    if isinstance(title, str):
        shown = clean_text(title[:1000], single_line=True, limit=1000).strip()
        if shown:
            return f"Planen »{shown[:80]}{'…' if len(shown) > 80 else ''}«"
    return f"Plan nr. {doc_id} i databasen"
