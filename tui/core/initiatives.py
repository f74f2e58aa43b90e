"""The initiative: anything with a responsible person, a deadline and a status.

Derived from a plan and its template every time, never stored: the review, the outstanding list,
the overdue warnings, the CLI report and the export's summary table all read this one view.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from tui.core.dates import format_date, from_iso
from tui.core.enums import CLOSED_STATUSES, Status
from tui.lean import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tui.core.plan import Plan

# Initiative and Milestone are NamedTuples, and the plan logic is imported where it is used:
# `implan outstanding` reads initiatives from the cache beside the database (tui/core/summaries.py)
# and pays neither for the templates nor for importing dataclasses.

Day = date  # a Milestone's field is called `date`; inside the class the type goes by this name


class Milestone(NamedTuple):
    id: str
    text: str
    date: Day | None
    done: bool

    def is_overdue(self, today: Day) -> bool:
        return not self.done and self.date is not None and self.date < today


class Initiative(NamedTuple):
    plan_id: str
    plan_title: str
    template_id: str
    section_id: str
    section_title: str
    item_id: str
    item_title: str
    title: str
    responsible: str
    deadline: date | None
    status: str
    milestones: tuple[Milestone, ...]
    responsible_field: str
    deadline_field: str
    status_field: str
    milestones_field: str | None

    @property
    def status_label(self) -> str:
        known = Status.of(self.status)
        return known.label if known else self.status

    @property
    def closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def is_overdue(self, today: date) -> bool:
        return not self.closed and self.deadline is not None and self.deadline < today

    def days_left(self, today: date) -> int | None:
        return None if self.deadline is None else (self.deadline - today).days

    def next_milestone(self, today: Day) -> Milestone | None:
        """The next milestone not yet reached: the earliest open one dated today or later; else
        the first open one without a date. One whose date has passed is overdue, not "next"."""
        open_ = [m for m in self.milestones if not m.done]
        coming = sorted((m for m in open_ if m.date and m.date >= today), key=lambda m: m.date or date.max)
        if coming:
            return coming[0]
        return next((m for m in open_ if m.date is None), None)

    def next_milestone_text(self, today: Day) -> str:
        """The next milestone as one line: »01-03-2027 Skabelon klar« ("" when none)."""
        nxt = self.next_milestone(today)
        return "" if nxt is None else " ".join(x for x in (format_date(nxt.date), nxt.text) if x)

    def overdue_milestones(self, today: Day) -> tuple[Milestone, ...]:
        return tuple(m for m in self.milestones if m.is_overdue(today))

    def next_date(self, today: Day) -> Day | None:
        """The soonest date still ahead, today or later: the deadline or an open milestone's."""
        if self.closed:
            return None
        dates = [m.date for m in self.milestones if not m.done and m.date and m.date >= today]
        if self.deadline and self.deadline >= today:
            dates.append(self.deadline)
        return min(dates, default=None)

    @property
    def key(self) -> str:
        return f"{self.plan_id}/{self.item_id}"


def _first_line(text: str, limit: int = 120) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    line = line.lstrip("-*• ").strip()
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def item_status(plan: Plan, item_id: str, field_id: str) -> str:
    """The item's status id, also where the template keeps status on its own scale."""
    from tui.core.kinds import kind_of

    spec = plan.field_spec(item_id, field_id)
    return kind_of(spec.kind).status_of(plan.template, spec, plan.value(item_id, field_id))


def status_value_for(plan: Plan, item_id: str, field_id: str, status: str) -> str:
    """What to store in the status field so that the item gets `status` (for scale-backed status)."""
    from tui.core.kinds import kind_of

    spec = plan.field_spec(item_id, field_id)
    return kind_of(spec.kind).value_for_status(plan.template, spec, status)


def plan_initiatives(plan: Plan) -> list[Initiative]:
    found: list[Initiative] = []
    for section in plan.sections():
        for item in plan.items(section):
            itype = plan.item_type(item)
            spec = itype.initiative
            if spec is None:
                continue
            if spec.when_any_filled and not any(plan.is_filled(item.id, f) for f in spec.when_any_filled):
                continue
            title = ""
            if spec.title_field:
                title = _first_line(str(plan.value(item.id, spec.title_field)))
            title = title or plan.item_title(item)
            milestones: tuple[Milestone, ...] = ()
            if spec.milestones:
                milestones = tuple(
                    Milestone(m.get("id", ""), m.get("text", ""), from_iso(m.get("date")), bool(m.get("done")))
                    for m in plan.value(item.id, spec.milestones)
                )
            found.append(
                Initiative(
                    plan_id=plan.id,
                    plan_title=plan.title,
                    template_id=plan.template.id,
                    section_id=section.id,
                    section_title=section.title,
                    item_id=item.id,
                    item_title=plan.item_title(item),
                    title=title,
                    responsible=str(plan.value(item.id, spec.responsible)).strip(),
                    deadline=from_iso(plan.value(item.id, spec.deadline)),
                    status=item_status(plan, item.id, spec.status),
                    milestones=milestones,
                    responsible_field=spec.responsible,
                    deadline_field=spec.deadline,
                    status_field=spec.status,
                    milestones_field=spec.milestones,
                )
            )
    return found


def all_initiatives(plans: Iterable[Plan]) -> list[Initiative]:
    return [i for plan in plans for i in plan_initiatives(plan)]


def overdue_count(initiatives: Iterable[Initiative], today: date) -> int:
    return sum(1 for i in initiatives if i.is_overdue(today))


def next_deadline(initiatives: Iterable[Initiative], today: date) -> date | None:
    """The soonest date, today or later, of the initiatives still open: a deadline or an open
    milestone's date (a milestone is a deadline too, "Næste deadline" counts it)."""
    return min((d for i in initiatives if (d := i.next_date(today)) is not None), default=None)


def by_deadline(initiatives: Iterable[Initiative]) -> list[Initiative]:
    """Soonest first; those without a deadline last."""
    return sorted(initiatives, key=lambda i: (i.deadline is None, i.deadline or date.max, i.plan_title, i.title))


def outstanding(
    initiatives: Iterable[Initiative],
    today: date,
    *,
    responsible: str | None = None,
    overdue_only: bool = False,
    include_closed: bool = False,
) -> list[Initiative]:
    """Filtered and sorted by deadline. `responsible` matches case-insensitively as a substring."""
    wanted = responsible.casefold().strip() if responsible else None
    result = []
    for ini in initiatives:
        if ini.closed and not include_closed:
            continue
        if overdue_only and not ini.is_overdue(today):
            continue
        if wanted and wanted not in ini.responsible.casefold():
            continue
        result.append(ini)
    return by_deadline(result)


def status_choices(plan: Plan, initiative: Initiative) -> list[Status]:
    """The statuses the initiative can be given (where status is a scale's answer: its choices')."""
    from tui.core.kinds import kind_of

    spec = plan.field_spec(initiative.item_id, initiative.status_field)
    return kind_of(spec.kind).statuses(plan.template, spec)


class AnswerChange(NamedTuple):
    """A status the template keeps as the answer to one of its questions: setting it changes the
    answer, which the user is asked about first."""

    question: str
    before: str
    after: str

    def question_text(self, status_label: str) -> str:
        """The Danish confirm question."""
        was = f"fra »{self.before}« " if self.before else ""
        return (f"Status gemmes i planen som svaret på »{self.question}«.\n\nStatus »{status_label}« ændrer "
                f"svaret {was}til »{self.after}«.\n\nVil du ændre svaret?")


def answer_change(plan: Plan, initiative: Initiative, status: str) -> AnswerChange | None:
    """What setting `status` does to an answer in the plan (None: no answer changes)."""
    from tui.core.kinds import kind_of

    spec = plan.field_spec(initiative.item_id, initiative.status_field)
    kind = kind_of(spec.kind)
    if not kind.status_is_answer():
        return None
    before = plan.value(initiative.item_id, initiative.status_field)
    after = status_value_for(plan, initiative.item_id, initiative.status_field, status)
    if after == before:
        return None
    return AnswerChange(spec.label, kind.display(plan.template, spec, before) if before else "",
                        kind.display(plan.template, spec, after))


def set_status(plan: Plan, initiative: Initiative, status: str) -> None:
    """Give the initiative `status`. Refused (ValueRefused, in Danish) for a status its field
    cannot hold: storing it would empty a scale's answer."""
    from tui.core.values import ValueRefused

    if status not in status_choices(plan, initiative):
        known = Status.of(status)
        raise ValueRefused(f"Status »{known.label if known else status}« kan ikke gives her; vælg en af: "
                           + ", ".join(s.label for s in status_choices(plan, initiative)) + ".")
    value = status_value_for(plan, initiative.item_id, initiative.status_field, status)
    plan.set_value(initiative.item_id, initiative.status_field, value)


def set_milestone_done(plan: Plan, initiative: Initiative, milestone_id: str, done: bool) -> None:
    if not initiative.milestones_field:
        raise KeyError(milestone_id)
    rows = [dict(m) for m in plan.value(initiative.item_id, initiative.milestones_field)]
    for row in rows:
        if row.get("id") == milestone_id:
            row["done"] = done
            break
    else:
        raise KeyError(milestone_id)
    plan.set_value(initiative.item_id, initiative.milestones_field, rows)
