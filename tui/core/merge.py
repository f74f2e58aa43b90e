"""Field-level three-way merge of a plan: an editor's changes laid over what is stored now.

A plan is changed from several places at once (the wizard, the outstanding screen, the CLI at a
follow-up meeting, cron). Each editor knows the version it started from (`base`); what it changed
since is laid over the stored version (`theirs`), and everything it did not touch is taken from
the stored one. Only a field changed both here and there is a conflict: the editor's value wins
(the person typing keeps their text) and the other value is handed back so it can be kept in the
plan's history.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

# Top-level keys that are one field each. Everything not named here or below (id, template,
# created, revision, updated, meetings, history) belongs to the store and is taken from `theirs`.
SCALAR_KEYS = ("title", "organisation")
# Lists of records with an "id": merged record by record, their order kept.
LIST_KEYS = ("added_sections", "added_items")

_ABSENT = object()


@dataclass(frozen=True)
class Conflict:
    """One field changed both by the editor and elsewhere. `path` names the field in the data:
    ("title",), ("answers", item, field), ("drafts", key), ("added_items", id)."""
    path: tuple[str, ...]
    mine: Any
    theirs: Any


def _pick(base: Any, mine: Any, theirs: Any, path: tuple[str, ...], conflicts: list[Conflict]) -> Any:
    if mine == base:
        return theirs
    if theirs in (base, mine):
        return mine
    conflicts.append(Conflict(path, None if mine is _ABSENT else mine, None if theirs is _ABSENT else theirs))
    return mine


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _by_id(value: Any) -> dict[str, dict[str, Any]]:
    records = value if isinstance(value, list) else []
    return {r["id"]: r for r in records if isinstance(r, dict) and isinstance(r.get("id"), str)}


def _order(base: list[str], mine: list[str], theirs: list[str], kept: set[str]) -> list[str]:
    """Mine's order when the editor reordered, else the stored order; records only one side has
    follow in the order that side has them."""
    reordered = [i for i in mine if i in base] != [i for i in base if i in mine]
    first, second = (mine, theirs) if reordered else (theirs, mine)
    ordered = [i for i in first if i in kept]
    ordered += [i for i in second if i in kept and i not in ordered]
    return ordered


def merge_plan(base: dict[str, Any], mine: dict[str, Any],
               theirs: dict[str, Any]) -> tuple[dict[str, Any], list[Conflict]]:
    """The stored plan `theirs` with the editor's changes (`mine` against `base`) laid over it."""
    merged = copy.deepcopy(theirs)
    conflicts: list[Conflict] = []
    for key in SCALAR_KEYS:
        value = _pick(base.get(key, _ABSENT), mine.get(key, _ABSENT), theirs.get(key, _ABSENT), (key,), conflicts)
        if value is _ABSENT:
            merged.pop(key, None)
        else:
            merged[key] = copy.deepcopy(value)

    # Answers: one field is answers[item][field].
    b, m, t = (_as_dict(d.get("answers")) for d in (base, mine, theirs))
    answers: dict[str, dict[str, Any]] = {}
    for item in dict.fromkeys([*t, *m, *b]):
        bi, mi, ti = _as_dict(b.get(item)), _as_dict(m.get(item)), _as_dict(t.get(item))
        fields = {}
        for field in dict.fromkeys([*ti, *mi, *bi]):
            value = _pick(bi.get(field, _ABSENT), mi.get(field, _ABSENT), ti.get(field, _ABSENT),
                          ("answers", item, field), conflicts)
            if value is not _ABSENT:
                fields[field] = copy.deepcopy(value)
        if fields:
            answers[item] = fields
    merged["answers"] = answers

    b, m, t = (_as_dict(d.get("drafts")) for d in (base, mine, theirs))
    drafts = {}
    for key in dict.fromkeys([*t, *m, *b]):
        value = _pick(b.get(key, _ABSENT), m.get(key, _ABSENT), t.get(key, _ABSENT), ("drafts", key), conflicts)
        if value is not _ABSENT:
            drafts[key] = value
    merged["drafts"] = drafts

    for key in LIST_KEYS:
        b, m, t = (_by_id(d.get(key)) for d in (base, mine, theirs))
        records = {}
        for rid in dict.fromkeys([*t, *m, *b]):
            value = _pick(b.get(rid, _ABSENT), m.get(rid, _ABSENT), t.get(rid, _ABSENT), (key, rid), conflicts)
            if value is not _ABSENT:
                records[rid] = value
        order = _order(list(b), list(m), list(t), set(records))
        merged[key] = [copy.deepcopy(records[rid]) for rid in order]
    return merged, conflicts


def changed_paths(before: dict[str, Any], after: dict[str, Any]) -> set[tuple[str, ...]]:
    """The fields that differ between two versions of a plan (in merge_plan's paths)."""
    paths: set[tuple[str, ...]] = set()
    for key in SCALAR_KEYS:
        if before.get(key) != after.get(key):
            paths.add((key,))
    b, a = _as_dict(before.get("answers")), _as_dict(after.get("answers"))
    for item in set(b) | set(a):
        bi, ai = _as_dict(b.get(item)), _as_dict(a.get(item))
        paths |= {("answers", item, f) for f in set(bi) | set(ai) if bi.get(f) != ai.get(f)}
    b, a = _as_dict(before.get("drafts")), _as_dict(after.get("drafts"))
    paths |= {("drafts", k) for k in set(b) | set(a) if b.get(k) != a.get(k)}
    for key in LIST_KEYS:
        b2, a2 = _by_id(before.get(key)), _by_id(after.get(key))
        paths |= {(key, r) for r in set(b2) | set(a2) if b2.get(r) != a2.get(r)}
    return paths
