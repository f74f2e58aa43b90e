"""What the plan list shows of each plan, kept beside the database (tui/store/summary_cache.py),
so the home screen and `implan list` read a small file instead of building every plan.

Dates are kept, never counts: what is overdue and what is next is worked out against today each
time it is shown. Reading a valid cache imports nothing of the plan logic; building one is
Workspace.overview's job (tui/core/workspace.py).
"""

from __future__ import annotations

import os
import zlib
from datetime import date
from pathlib import Path

from tui.lean import NamedTuple
from tui.store import summary_cache

TYPE_CHECKING = False  # typing is not imported at run time: see tui/lean.py
if TYPE_CHECKING:
    from typing import Any

# The code and files a summary is computed from: when any of them changes (an update of implan,
# an edited or added template), every summary is computed again.
_CODE_DIRS = ("core", "store")


def bar_cells(sections_complete: int, section_count: int, width: int) -> int:
    """The cells of a `width`-cell bar a progress fills: the sections done, the measure its
    summary counts beside it. Full only when every section is done, empty only when none is."""
    done = round(sections_complete / section_count * width) if section_count else width
    if sections_complete and not done:
        return 1
    return width - 1 if done == width and sections_complete < section_count else done


class ProgressFigures(NamedTuple):
    """A plan's progress as the list shows it (the figures of tui.core.plan.PlanProgress)."""

    percent: int
    fraction: float
    sections_complete: int
    section_count: int
    text: str

    def summary(self) -> str:
        return self.text

    @property
    def complete(self) -> bool:
        return self.sections_complete == self.section_count

    def bar_cells(self, width: int) -> int:
        return bar_cells(self.sections_complete, self.section_count, width)


class PlanSummary(NamedTuple):
    id: str
    title: str
    created: str
    template_id: str
    template_title: str  # the template's short title
    progress: ProgressFigures
    deadlines: tuple[str, ...]  # of the initiatives still open, ISO dates (which sort as dates do)
    milestones: tuple[str, ...] = ()  # the open milestones of those initiatives, ISO dates

    def next_deadline(self, today: date) -> date | None:
        """The soonest deadline or open milestone, today or later (as tui.core.initiatives.next_deadline)."""
        day = today.isoformat()
        soonest = min((d for d in (*self.deadlines, *self.milestones) if d >= day), default=None)
        return date.fromisoformat(soonest) if soonest else None

    def overdue_count(self, today: date) -> int:
        day = today.isoformat()
        return sum(1 for d in self.deadlines if d < day)

    def to_json(self) -> dict[str, Any]:
        p = self.progress
        return {"id": self.id, "title": self.title, "created": self.created, "template_id": self.template_id,
                "template_title": self.template_title,
                "progress": [p.percent, p.fraction, p.sections_complete, p.section_count, p.text],
                "deadlines": list(self.deadlines), "milestones": list(self.milestones)}

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> PlanSummary:
        percent, fraction, complete, count, text = doc["progress"]
        return cls(str(doc["id"]), str(doc["title"]), str(doc["created"]), str(doc["template_id"]),
                   str(doc["template_title"]), ProgressFigures(int(percent), float(fraction), int(complete),
                                                               int(count), str(text)),
                   tuple(str(d) for d in doc["deadlines"]), tuple(str(d) for d in doc.get("milestones", ())))


class Overview:
    """Every plan as the list shows it, and what the user is told about the database. (No
    dataclasses here: `implan list` would pay more for importing them than for the list.)"""

    def __init__(self, library_errors: list[str], set_aside_open: list[tuple[str, str, str]]) -> None:
        self.plans: list[PlanSummary] = []  # oldest first
        self.problems: list[str] = []  # plans whose template is not here
        self.damaged: list[tuple[str, str, str]] = []  # (document id, name, reason)
        self.set_aside_open = set_aside_open  # (number, name, reason)
        self.library_errors = library_errors

    def notices_for(self, db_path: Path) -> list[str]:
        """notices() with the command that opens `db_path` (worked out only when there are any)."""
        return self.notices(command_for(db_path)) if self.damaged or self.set_aside_open else []

    def notices(self, implan: str) -> list[str]:
        """Danish warnings about the database (the wording of Workspace.notices)."""
        out = []
        for _doc_id, name, reason in self.damaged:
            out.append(f"{name} er beskadiget og vises ikke ({reason}). Den er gemt uændret i databasen; "
                       f"se, hvordan du får den tilbage, med: {implan} set-aside")
        for number, name, reason in self.set_aside_open:
            out.append(f"{name} er beskadiget og lagt til side uændret ({reason}). "
                       f"Hent den ud med: {implan} set-aside {number} -o plan.json – ret filen, og "
                       f"importér den igen med: {implan} import plan.json")
        return out


def command_for(db_path: Path) -> str:
    """`implan`, with --db when this is not the database implan opens by default."""
    from tui.paths import default_db_path

    try:
        path = Path(db_path).expanduser().resolve()
        default = default_db_path().expanduser().resolve() == path
    except (OSError, RuntimeError):
        return f'implan --db "{db_path}"'
    return "implan" if default else f'implan --db "{path}"'


def summary_context() -> str:
    """A fingerprint of what summaries are computed from besides the plan: implan's code and the
    template files (their names, sizes and modification times: no file is read)."""
    from tui.paths import builtin_templates_dir, user_templates_dir

    parts = []
    code = Path(__file__).resolve().parent.parent
    folders = [code / name for name in _CODE_DIRS] + [builtin_templates_dir(), user_templates_dir()]
    for folder in folders:
        try:
            with os.scandir(folder) as entries:
                for entry in sorted(entries, key=lambda e: e.name):
                    if entry.name.endswith((".py", ".json")):
                        st = entry.stat()
                        parts.append(f"{entry.path}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{folder}:-")
    # Two checksums, not a hash: hashlib's import (OpenSSL) costs `implan list` more than its list.
    data = "\n".join(parts).encode("utf-8", "replace")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data):x}"


def overview_from_cache(doc: dict[str, Any]) -> Overview:
    """The overview a cache entry set describes (entries in the file's record order)."""
    overview = Overview([str(e) for e in doc.get("library_errors", [])],
                        [(str(a), str(b), str(c)) for a, b, c in doc.get("set_aside_open", [])])
    for doc_id, entry in doc["records"].items():
        if "summary" in entry:
            overview.plans.append(PlanSummary.from_json(entry["summary"]))
        elif "missing" in entry:
            overview.problems.append(str(entry["missing"]))
        else:
            name, reason = entry["damaged"]
            overview.damaged.append((doc_id, str(name), str(reason)))
    overview.plans.sort(key=lambda s: s.created)
    return overview


def usable_cache(db_path: Path, context: str | None = None) -> dict[str, Any] | None:
    """The cache beside the database when it describes the file exactly as it is now, with an
    entry for every record; else None (Workspace.overview then rebuilds it)."""
    doc = summary_cache.read_cache(db_path)
    if doc is None or doc["file"] != summary_cache.current_key(db_path):
        return None
    if doc.get("context") != (context or summary_context()) or len(doc["records"]) != doc.get("count"):
        return None
    return doc


def rows_complete(doc: dict[str, Any], db_path: Path) -> bool:
    """Whether the rows file the cache names is there, with rows for every plan in the cache
    (the list and home write the cache without rows: only `implan outstanding` and Udestående
    read them)."""
    records = doc.get("records")
    return isinstance(records, dict) and summary_cache.rows_named(db_path, doc.get("rows")) and all(
        "o" in entry and "w" in entry for entry in records.values() if isinstance(entry, dict) and "summary" in entry)


def cache_warnings(doc: dict[str, Any], db_path: Path) -> list[str]:
    """What a command tells the user about the database a usable cache describes (as
    Workspace.open and .notices would): the templates' errors, then each damaged plan."""
    overview = Overview([str(e) for e in doc.get("library_errors", [])],
                        [(str(a), str(b), str(c)) for a, b, c in doc.get("set_aside_open", [])])
    for doc_id, entry in doc["records"].items():
        if "damaged" in entry:
            name, reason = entry["damaged"]
            overview.damaged.append((doc_id, str(name), str(reason)))
    return overview.library_errors + overview.notices_for(db_path)


def cached_overview(db_path: Path) -> Overview | None:
    """The plan list from the cache alone, or None when it must be rebuilt from the database."""
    doc = usable_cache(db_path)
    if doc is None:
        return None
    try:
        return overview_from_cache(doc)
    except (KeyError, TypeError, ValueError):
        return None


def summarise(plan: Any, initiatives: list[Any] | None = None) -> PlanSummary:
    """A Plan's summary (tui.core.plan.Plan; imported by the caller), of its initiatives when
    they are given."""
    from tui.core.initiatives import plan_initiatives

    progress = plan.progress()
    still_open = [i for i in (plan_initiatives(plan) if initiatives is None else initiatives) if not i.closed]
    deadlines = tuple(sorted(i.deadline.isoformat() for i in still_open if i.deadline))
    milestones = tuple(sorted(m.date.isoformat() for i in still_open for m in i.milestones if not m.done and m.date))
    figures = ProgressFigures(progress.percent, progress.fraction, progress.sections_complete,
                              len(progress.sections), progress.summary())
    return PlanSummary(plan.id, plan.title, str(plan.data.get("created", "")), plan.template.id,
                       plan.template.short_title, figures, deadlines, milestones)
