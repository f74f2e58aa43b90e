"""Plans from the store joined with their templates: what the CLI and the app work on."""

from __future__ import annotations

import contextlib
import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from tui.core.exchange import demo_shift_days, read_plan_file, shift_dates
from tui.core.followup import outstanding_record
from tui.core.history import conflict_entry, record_changes
from tui.core.initiatives import plan_initiatives
from tui.core.merge import merge_plan
from tui.core.outstanding_view import Outstanding, cached_plans, from_cached, responsibles_record
from tui.core.plan import Plan, new_id, new_plan_data
from tui.core.records import (
    check_context,
    good_digests,
    has_unsaved_good,
    record_name,
    record_problem,
    remember_good,
)
from tui.core.summaries import (
    Overview,
    command_for,
    overview_from_cache,
    rows_complete,
    summarise,
    summary_context,
    usable_cache,
)
from tui.core.templates import TemplateLibrary, load_library
from tui.store import PlanStore
from tui.store.plan_store import SET_ASIDE_TABLE
from tui.store.recovery import Recovery
from tui.store.summary_cache import RowsWriter, current_key, read_cache, read_rows, write_cache


class LookupFailed(Exception):
    """A plan reference that names no plan, or more than one. str() is Danish."""


@dataclass
class Workspace:
    store: PlanStore
    library: TemplateLibrary
    problems: list[str] = field(default_factory=list)
    _checked_loaded: bool = field(default=False, repr=False)
    # The plan-list cache beside the database is used only with the templates implan loads itself
    # (its fingerprint is of those files); a workspace given another library computes afresh.
    use_summary_cache: bool = field(default=False, repr=False)
    # The overview read last and the state of the file it describes: opening, the notices and
    # the home screen's first load all ask for it, and a stat says whether it still holds.
    _overview_of: tuple[Any, Overview] | None = field(default=None, repr=False)
    # The cache entries that overview read or wrote (summaries.usable_cache's form), for the
    # commands that read more of each plan than the list shows (`implan outstanding`).
    summary_doc: dict[str, Any] | None = field(default=None, repr=False)
    # Whether overview makes the rows `implan outstanding` reads (tui/store/summary_cache.py),
    # and the rows it made last (read from memory where the folder cannot be written).
    with_rows: bool = field(default=False, repr=False)
    summary_rows: RowsWriter | None = field(default=None, repr=False)

    @classmethod
    def open(cls, db_path: Path, *, write: bool = False, library: TemplateLibrary | None = None) -> Workspace:
        workspace = cls(PlanStore.open(db_path, write=write), library or load_library(),
                        use_summary_cache=library is None)
        if write and workspace.overview().damaged:
            workspace.set_aside_damaged()
        return workspace

    # -- damaged records ----------------------------------------------------------------------------
    def _load_checked(self) -> None:
        if not self._checked_loaded:
            remember_good(self.library, self.store.read_checked(check_context(self.library)))
            self._checked_loaded = True

    def _save_checked(self, digests: list[str | None]) -> None:
        if has_unsaved_good(self.library):
            good = good_digests(self.library, digests)
            self.store.write_checked(check_context(self.library), good)
            remember_good(self.library, good)

    def _checked_records(self) -> list[tuple[str, Any, str | None]]:
        """Every record of the plans table with its problem (None: usable), read afresh. Records
        found good before (fingerprints kept beside the database) are not checked again."""
        records = self.store.read_state().records
        self._load_checked()
        checked = [(r.doc_id, r.record, record_problem(r.record, r.doc_id, self.library, r.digest)) for r in records]
        self._save_checked([r.digest for r, (_, _, problem) in zip(records, checked, strict=True) if problem is None])
        return checked

    # -- the plan list --------------------------------------------------------------------------------
    def overview(self, *, rebuild: bool = False) -> Overview:
        """Every plan as the list shows it, with what the user is told about the database: from
        the cache beside the database when it describes the file as it is, else built again
        (only the records that changed since the cache was written are read and checked).
        `rebuild`: built again in any case (`implan outstanding` asks when rows are missing)."""
        context = summary_context() if self.use_summary_cache else None
        if not rebuild and context and self._overview_of is not None \
                and self._overview_of[0] == (current_key(self.store.path), context):
            return self._overview_of[1]
        doc = usable_cache(self.store.path, context) if context and not rebuild else None
        if doc is not None:
            with contextlib.suppress(KeyError, TypeError, ValueError):
                overview = overview_from_cache(doc)
                self._overview_of = ((doc["file"], context), overview)
                self.summary_doc = doc
                return overview
        state = self.store.read_state()
        old = read_cache(self.store.path) if context else None
        known = old["records"] if old is not None and old.get("context") == context else {}
        token = old.get("rows") if old is not None and known else None
        # The rows `implan outstanding` reads are made only for it: the list and home never pay
        # for them. Otherwise an entry keeps the rows it had (the rows file is left as it is).
        rows = RowsWriter(self.store.path, token) if context and self.with_rows else None
        self._load_checked()
        entries = {}
        for stored in state.records:
            entry = known.get(stored.doc_id)
            if stored.digest is None or not isinstance(entry, dict) or entry.get("d") != stored.digest \
                    or (rows is not None and not self._kept(entry, rows)):
                entry = self._summary_entry(stored.doc_id, stored.record, stored.digest, rows)
            entries[stored.doc_id] = entry
        self._save_checked([e["d"] for e in entries.values() if "damaged" not in e])
        doc = {"file": state.key, "context": context, "count": len(entries), "records": entries,
               "sound": state.sound, "set_aside_open": self._set_aside_open_in(state.tables),
               "library_errors": [str(e) for e in self.library.errors], "rows": token}
        overview = overview_from_cache(doc)
        if context and state.key is not None:
            if rows is not None:  # first: a cache never names a rows file that is not there yet
                doc["rows"] = rows.write()
                self.summary_rows = rows
            write_cache(self.store.path, doc)
            self._overview_of = ((state.key, context), overview)
        self.summary_doc = doc
        return overview

    def refresh_rows(self) -> None:
        """The summary cache and its rows file brought up to date (summary_doc, summary_rows)."""
        kept, self.with_rows = self.with_rows, True
        try:
            self.overview()
            if self.summary_doc is None or not rows_complete(self.summary_doc, self.store.path):
                self.overview(rebuild=True)
        finally:
            self.with_rows = kept

    def cached_outstanding(self, today: date) -> Outstanding | None:
        """Every plan's outstanding view from the rows kept beside the database, as
        build_outstanding builds it from the plans: made now only for the plans without rows
        (all of them once, then those changed since), so no plan is built when they are current.
        None when the cache cannot be used; then build from self.plans()."""
        self.refresh_rows()
        doc, rows, self.summary_rows = self.summary_doc, self.summary_rows, None
        plans = cached_plans(doc) if doc is not None else None
        if doc is None or plans is None:
            return None
        usable = [plan for plan in plans if plan.summary is not None]
        places = [plan.place for plan in usable]
        records = rows.read(places) if rows is not None else read_rows(self.store.path, doc.get("rows"), places)
        return from_cached(zip(usable, records, strict=True), today) if records is not None else None

    @staticmethod
    def _kept(entry: dict[str, Any], rows: RowsWriter) -> bool:
        """Whether an entry of the old cache can stay: its outstanding rows are in the old rows file."""
        if "summary" not in entry:
            return True
        entry["o"], entry["w"] = rows.keep(entry.get("o")), rows.keep(entry.get("w"))
        return entry["o"] is not None and entry["w"] is not None

    def _summary_entry(self, doc_id: str, record: Any, digest: str | None,
                       rows: RowsWriter | None = None) -> dict[str, Any]:
        problem = record_problem(record, doc_id, self.library, digest)
        if problem is not None:
            return {"d": digest, "damaged": [record_name(record, doc_id), problem]}
        try:
            plan = self.wrap(record)
        except LookupFailed as exc:
            # What `implan outstanding` needs to name the plan as Workspace.plans and resolve do.
            return {"d": digest, "missing": str(exc), "id": str(record.get("id", "")),
                    "title": str(record.get("title", "")), "created": str(record.get("created", ""))}
        initiatives = plan_initiatives(plan)
        entry: dict[str, Any] = {"d": digest, "summary": summarise(plan, initiatives).to_json()}
        if rows is not None:
            # "o": the plan's rows for `implan outstanding`; "w": who is responsible in it, so
            # `outstanding --responsible` reads the rows of only the plans the person is in.
            entry["o"] = rows.add(outstanding_record(plan, initiatives))
            entry["w"] = rows.add(responsibles_record(initiatives))
        return entry

    @staticmethod
    def _set_aside_open_in(tables: dict[str, Any]) -> list[list[str]]:
        table = tables.get(SET_ASIDE_TABLE)
        if isinstance(table, list):
            table = {str(n): entry for n, entry in enumerate(table, start=1)}
        if not isinstance(table, dict):
            return []
        entries = sorted(((str(k), v) for k, v in table.items() if isinstance(v, dict)),
                         key=lambda e: int(e[0]) if e[0].isdigit() else 0)
        return [[number, record_name(e.get("record"), str(e.get("doc_id", "?"))), str(e.get("reason", "ukendt fejl"))]
                for number, e in entries if not e.get("restored") and not e.get("dismissed")]

    def _records(self) -> list[dict[str, Any]]:
        """The plan records that can be used, oldest first; damaged ones are left out (see damaged())."""
        good = [record for _, record, problem in self._checked_records() if problem is None]
        return sorted(good, key=lambda p: str(p.get("created", "")))

    def damaged(self) -> list[tuple[str, str, str]]:
        """(document id, name, reason) of each damaged record still in the plans table."""
        return [(doc_id, record_name(record, doc_id), problem)
                for doc_id, record, problem in self._checked_records() if problem is not None]

    def set_aside_damaged(self) -> list[str]:
        """Move each damaged plan record aside, unchanged (needs the database open for writing)."""
        numbers = []
        for doc_id, record, problem in self._checked_records():
            if problem is not None:
                number = self.store.set_aside(doc_id, record, problem)
                if number is not None:
                    numbers.append(number)
        return numbers

    def set_aside_open(self) -> list[tuple[str, dict[str, Any]]]:
        """Set-aside entries nobody has dealt with yet (brought back or dismissed)."""
        return [(number, entry) for number, entry in self.store.set_aside_entries()
                if not entry.get("restored") and not entry.get("dismissed")]

    def command(self) -> str:
        """`implan`, with --db when this is not the database implan opens by default."""
        return command_for(self.store.path)

    def notices(self, overview: Overview | None = None) -> list[str]:
        """Danish warnings about the database: each damaged plan, and how to get it back."""
        return list(self.store.warnings) + (overview or self.overview()).notices(self.command())

    # -- reading ----------------------------------------------------------------------------------
    def wrap(self, data: dict[str, Any]) -> Plan:
        template = self.library.get(data.get("template", {}).get("id", ""))
        if template is None:
            raise LookupFailed(
                f"Planen »{data.get('title', data.get('id'))}« bruger skabelonen "
                f"»{data.get('template', {}).get('id')}«, som ikke findes her."
            )
        return Plan(data, template)

    def plans(self) -> list[Plan]:
        """Every plan whose template is known; the others are named in self.problems."""
        result = []
        self.problems = []
        for data in self._records():
            try:
                result.append(self.wrap(data))
            except LookupFailed as exc:
                self.problems.append(str(exc))
        return result

    def get(self, plan_id: str) -> Plan:
        data = next((r for r in self._records() if r["id"] == plan_id), None)
        if data is None:
            raise LookupFailed(f"Planen med id {plan_id} findes ikke.")
        return self.wrap(data)

    def resolve(self, ref: str) -> Plan:
        """A plan by id, id prefix or title (exact, else a unique part of it)."""
        ref = ref.strip()
        records = self._records()
        if not ref:
            raise LookupFailed("Angiv en plan (id eller titel).")
        for test in (
            lambda r: r["id"] == ref,
            lambda r: len(ref) >= 4 and r["id"].startswith(ref),
            lambda r: r.get("title", "").casefold() == ref.casefold(),
            lambda r: ref.casefold() in r.get("title", "").casefold(),
        ):
            hits = [r for r in records if test(r)]
            if len(hits) == 1:
                return self.wrap(hits[0])
            if len(hits) > 1:
                names = "\n".join(f"  {r['id'][:8]}  {r.get('title', '')}" for r in hits)
                raise LookupFailed(f"»{ref}« passer på {len(hits)} planer:\n{names}\n"
                                   "Angiv planens id (de første 8 tegn er nok).")
        raise LookupFailed(f"Ingen plan passer på »{ref}«. Se dine planer med: implan list")

    # -- writing ----------------------------------------------------------------------------------
    def create(self, template_id: str, title: str, organisation: str = "") -> Plan:
        template = self.library.get(template_id)
        if template is None:
            known = ", ".join(sorted(self.library.templates))
            raise LookupFailed(f"Skabelonen »{template_id}« findes ikke. Vælg en af: {known}")
        data = self.store.add_plan(new_plan_data(template, title, organisation))
        return Plan(data, template)

    def save(self, plan: Plan, *, expected_revision: int | None = None) -> Plan:
        plan.data = self.save_data(plan.data, expected_revision=expected_revision)
        return plan

    def save_data(self, data: dict[str, Any], *, expected_revision: int | None = None) -> dict[str, Any]:
        """Store an editor's copy of a plan. What changed in its initiatives is added to the stored
        history; history and meetings themselves are always the stored ones (never an editor's)."""
        def merge(stored: dict[str, Any], new: dict[str, Any]) -> None:
            new["meetings"] = stored.get("meetings", [])
            new["history"] = stored.get("history", [])
            with contextlib.suppress(LookupFailed):  # no template, no initiatives to compare
                record_changes(self.wrap(stored), self.wrap(new))

        return self.store.save_plan(data, expected_revision=expected_revision, merge=merge)

    def save_edits(self, base: dict[str, Any], mine: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        """Store what an editor changed since it read `base`, merged field by field into the plan
        as it is stored now (a meeting, an import or the outstanding screen may have saved in
        between). A field changed in both places keeps the editor's value; the other version goes
        to the history. Returns the stored plan and a Danish description of each such field."""
        described: list[str] = []

        def merge(stored: dict[str, Any], new: dict[str, Any]) -> None:
            merged, conflicts = merge_plan(base, new, stored)
            try:
                after = self.wrap(merged)
                record_changes(self.wrap(stored), after)
            except LookupFailed:
                after = None  # no template, no initiatives to compare
            for conflict in conflicts:
                name = describe_field(after, conflict.path)
                item = conflict.path[1].split("/")[0] if len(conflict.path) > 1 else ""
                other = conflict.theirs
                text = other if isinstance(other, str) else json.dumps(other, ensure_ascii=False)
                merged["history"].append(conflict_entry("/".join(conflict.path), name, item, text))
                described.append(name)
            new.clear()
            new.update(merged)

        stored = self.store.save_plan(copy.deepcopy(mine), merge=merge)
        return stored, described

    def recover(self, recovery: Recovery) -> Plan:
        """Lay the changes in a recovery file over the plan as it is stored now; a plan that is
        gone (deleted, or a restore took it) is added back as it was in the editor."""
        if self.store.get_plan(str(recovery.mine.get("id", ""))) is not None:
            stored, _ = self.save_edits(recovery.base, recovery.mine)
            return self.wrap(stored)
        return self.wrap(self.store.add_plan(recovery.mine))

    def update(self, plan_id: str, change: Callable[[Plan], None]) -> Plan:
        """Change one plan under the database lock, on its newest stored state; the change is
        added to the plan's history."""
        def apply(data: dict[str, Any]) -> None:
            before = self.wrap(copy.deepcopy(data))
            after = self.wrap(data)
            change(after)
            record_changes(before, after)

        return self.wrap(self.store.update_plan(plan_id, apply))

    def duplicate(self, plan: Plan, title: str | None = None) -> Plan:
        data = copy.deepcopy(plan.data)
        data["id"] = new_id()
        data["title"] = title or f"Kopi af {plan.title}"
        data.pop("created", None)
        data.pop("updated", None)
        data["history"] = []
        data["meetings"] = []
        return self.wrap(self.store.add_plan(data))

    def delete(self, plan: Plan) -> None:
        self.store.delete_plan(plan.id)

    def import_data(self, data: dict[str, Any], *, as_copy: bool = False, replace: bool = False) -> Plan:
        data = copy.deepcopy(data)
        self.wrap(data)  # the template must exist before anything is stored
        existing = self.store.get_plan(data["id"])
        if existing is not None and replace:
            self.store.pin_backup()  # one unwanted --replace can be undone, however many edits follow
            # What the file changes is recorded like any other change; the plan's history here stays.
            return self._imported(self.wrap(self.save_data(data)))

        def as_new(plan: dict[str, Any]) -> None:
            plan["id"] = new_id()
            plan["title"] = f"{plan['title']} (importeret)"

        # Whether the id is taken is decided under the store's lock: two imports of one file at
        # once both succeed with --copy, and without it the second gets a clear Danish message.
        return self._imported(self.wrap(self.store.add_plan(data, if_exists=as_new if as_copy else None)))

    def _imported(self, plan: Plan) -> Plan:
        """A set-aside record with the imported plan's id is now brought back: stop naming it."""
        back = [number for number, entry in self.set_aside_open()
                if isinstance(entry.get("record"), dict) and entry["record"].get("id") == plan.id]
        self.store.mark_set_aside(back, "restored")
        return plan

    def import_file(self, path: Path, *, as_copy: bool = False, replace: bool = False) -> Plan:
        data, _anchor = read_plan_file(path, self.library)
        return self.import_data(data, as_copy=as_copy, replace=replace)

    def load_demo(self, folder: Path, today: date) -> tuple[list[Plan], list[str]]:
        """Import the sample plans, dates moved to today; those already present are skipped."""
        added, skipped = [], []
        for path in sorted(folder.glob("*.json")):
            data, anchor = read_plan_file(path, self.library)
            if self.store.get_plan(data["id"]) is not None:
                skipped.append(data["title"])
                continue
            template = self.library.get(data["template"]["id"])
            assert template is not None  # read_plan_file refuses a plan whose template is not here
            added.append(self.import_data(shift_dates(data, demo_shift_days(anchor, today), template)))
        return added, skipped


def describe_field(plan: Plan | None, path: tuple[str, ...]) -> str:
    """A field of a plan named the way the wizard shows it, e.g. »Formål« i »Læsevenner«."""
    head = path[0]
    if head == "title":
        return "planens titel"
    if head == "organisation":
        return "planens organisation"
    if head in ("answers", "drafts") and len(path) > 1:
        item_id, _, field_id = (path[1] if head == "drafts" else f"{path[1]}/{path[2]}").partition("/")
        field_id = field_id.split("/")[0]
        try:
            _, item = plan.find_item(item_id)  # type: ignore[union-attr]
            return f"»{plan.field_spec(item_id, field_id).label}« i »{plan.item_title(item)}«"  # type: ignore[union-attr]
        except (AttributeError, KeyError):
            return f"feltet »{field_id}«"
    if head == "added_items" and len(path) > 1:
        try:
            _, item = plan.find_item(path[1])  # type: ignore[union-attr]
            return f"»{plan.item_title(item)}«"  # type: ignore[union-attr]
        except (AttributeError, KeyError):
            return "et element, I har tilføjet"
    return "et afsnit, I har tilføjet"
