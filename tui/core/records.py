"""Which stored plan records can be used: each one is checked on load as an import is checked
(schemas/plan.schema.json and the checks against its template), so one damaged record is set
aside and never takes the other plans down."""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path
from typing import Any

from tui.core.exchange import FORMAT, PlanFileError, check_exchange
from tui.core.plan import clean_text
from tui.core.templates import TemplateLibrary
from tui.store.json_storage import RawRecord, content_digest

_CACHE_LIMIT = 5000
_verdicts: dict[str, str | None] = {}
_known_good: dict[str, set[str]] = {}  # context -> fingerprints found good before (remember_good)
_good: dict[str, set[str]] = {}  # context -> fingerprints judged good in this process


def record_digest(record: Any) -> str | None:
    """A short fingerprint of a record's content (None when it cannot be written as JSON): that
    of the line the store writes it as, so a record read from the file needs no encoding."""
    if isinstance(record, RawRecord):
        return None
    return content_digest(record)


def check_context(library: TemplateLibrary) -> str:
    """What a verdict depends on besides the record: the plan schema and the templates known.
    Verdicts kept from another context (an update of implan, a new template) are not used."""
    context = getattr(library, "_check_context", None)
    if context is None:
        from tui.core.exchange import plan_schema_path

        parts = [plan_schema_path().read_bytes()]
        parts += [f"{t.id}/{t.version}/{','.join(sorted(t.item_types))}".encode() for t in library]
        context = hashlib.blake2b(b"\0".join(parts), digest_size=16).hexdigest()
        library._check_context = context  # type: ignore[attr-defined]
    return context


def remember_good(library: TemplateLibrary, digests: set[str]) -> None:
    """Fingerprints of records found good before (kept beside the database): checked again only
    when their content changes. Checking a large plan against the schema takes tens of ms, and
    every CLI call would check every plan."""
    context = check_context(library)
    # What this process judged good itself is then remembered too (also earlier versions of
    # records that changed since), so has_unsaved_good turns false.
    _known_good.setdefault(context, set()).update(digests, _good.get(context, set()))


def has_unsaved_good(library: TemplateLibrary) -> bool:
    """Records were judged good in this process that are not among those remembered."""
    context = check_context(library)
    return bool(_good.get(context, set()) - _known_good.get(context, set()))


def good_digests(library: TemplateLibrary, digests: list[str | None]) -> set[str]:
    """Those of the records' fingerprints `digests` that were found good."""
    context = check_context(library)
    known = _known_good.get(context, set()) | _good.get(context, set())
    return {d for d in digests if d is not None and d in known}


def record_problem(record: Any, doc_id: str, library: TemplateLibrary, digest: str | None = None) -> str | None:
    """None when the record is a usable plan; else a short Danish reason. A plan whose template is
    missing is usable here (Workspace names it as it always has): only damage counts. `digest`:
    the record's fingerprint when the store read it with one (record_digest otherwise)."""
    if isinstance(record, RawRecord):
        return "JSON-strukturen er for dybt indlejret"
    if not isinstance(record, dict):
        return "posten er ikke et JSON-objekt"
    try:
        int(doc_id)
    except ValueError:
        return f"posten har et ugyldigt nummer »{clean_text(doc_id, single_line=True)[:40]}«"
    digest = digest or record_digest(record)
    if digest is None:
        return "posten kan ikke læses som JSON"
    if digest in _known_good.get(check_context(library), ()):
        return None
    template_id = record.get("template", {}).get("id") if isinstance(record.get("template"), dict) else None
    template = library.get(template_id) if isinstance(template_id, str) else None
    key = f"{id(template) if template is not None else '-'}:{digest}"  # the verdict depends on the template
    if key in _verdicts:
        return _verdicts[key]
    verdict = _judge(record, library if template is not None else None)
    if len(_verdicts) >= _CACHE_LIMIT:
        _verdicts.clear()
    _verdicts[key] = verdict
    if verdict is None:
        _good.setdefault(check_context(library), set()).add(digest)
    return verdict


def _judge(record: dict[str, Any], library: TemplateLibrary | None) -> str | None:
    """`library` only when it has the record's template: a missing template is no damage."""
    try:
        check_exchange({"format": FORMAT, "plan": copy.deepcopy(record)}, Path("database"), library,
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
