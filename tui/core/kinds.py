"""The field kinds, and what each does with its answers, in one place: FieldKind names them (as
templates and stored plans spell them) and KINDS maps each to the object that reads, checks,
stores, shows, exports and reviews its values.

The plan, the export, the findings, the exchange files, the initiatives and the template checks
ask the kind object; none of them switches on the kind's name. Adding a kind: its FieldKind
member and its object here, its editor in tui/app/widgets/kinds.py (README, "Add a field kind").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui.core.dates import format_date, from_iso, to_iso
from tui.core.enums import FindingKind, Status, Vocabulary
from tui.core.markdown_text import block, inline, table
from tui.core.text import plain_lines
from tui.core.values import (
    MAX_TEXT_LENGTH,
    MAX_TITLE_LENGTH,
    ValueRefused,
    clean_text,
    normalise_milestones,
    status_id,
)

if TYPE_CHECKING:
    from tui.core.plan import Plan
    from tui.core.templates import FieldSpec, Template

class FieldKind(Vocabulary):
    """What a template field holds; its behaviour is KINDS[kind] below, its editor and help
    tui/app/widgets/kinds.py."""

    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SCALE = "scale"
    RESPONSIBLE = "responsible"
    DATE = "date"
    MILESTONES = "milestones"
    STATUS = "status"


# A kind's own findings: (what, message, milestone id or None); tui/core/findings.py places them.
KindFinding = tuple[FindingKind, str, str | None]


def _text(raw: Any) -> Any:
    return raw if raw is not None else ""


@dataclass(frozen=True)
class Kind:
    """A field kind's behaviour. The defaults are a one-line text's; each kind overrides what
    differs. `roles` are the initiative roles a field of the kind may fill (templates check
    them); `text_limit` the longest text it stores (None: not typed text)."""

    kind: FieldKind
    roles: frozenset[str] = frozenset()
    text_limit: int | None = None
    is_list: bool = False
    holds_text: bool = True  # free text the user types (checked for CPR numbers as it is typed)
    multiline: bool = False  # text on several lines (what a template's longer texts fill in)

    @property
    def shape(self) -> str:
        """What a stored value must be, in Danish (for a plan file's errors)."""
        return "en liste af milepæle" if self.is_list else "tekst"

    def read(self, stored: Any) -> Any:
        """A stored answer as the program reads it; missing or of the wrong shape (a hand-edited
        file) reads as empty, never a crash."""
        if stored is None or isinstance(stored, list) != self.is_list:
            return [] if self.is_list else ""
        return stored if isinstance(stored, str) else str(stored)

    def normalise(self, template: Template, spec: FieldSpec, raw: Any) -> Any:
        """What is stored for `raw`. Raises ValueRefused or DateError in Danish."""
        return clean_text(_text(raw), single_line=True, limit=self.text_limit or MAX_TEXT_LENGTH).strip()

    def is_filled(self, value: Any) -> bool:
        return bool(str(value).strip())

    def display(self, template: Template, spec: FieldSpec, value: Any) -> str:
        """The answer as a reader sees it (labels, Danish dates)."""
        return str(value)

    def markdown(self, plan: Plan, item_id: str, spec: FieldSpec, label: str, help_md: str) -> list[str]:
        """The answer's paragraphs in the Markdown export: the label, its help, the answer."""
        shown = plan.display_value(item_id, spec.id)
        parts = [f"{label}: {inline(shown) if shown.strip() else '–'}"]
        return [*parts, help_md] if help_md else parts

    def document_lines(self, plan: Plan, item_id: str, spec: FieldSpec) -> list[str]:
        """The answer as plain paragraphs for a document with its own layout (Word): no Markdown."""
        shown = plan.display_value(item_id, spec.id).strip()
        return [shown] if shown else []

    def findings(self, plan: Plan, item_id: str, spec: FieldSpec, title: str) -> list[KindFinding]:
        """What is wrong with the answer itself (a date that is not a date)."""
        return []

    def shift_dates(self, value: Any, moved: Callable[[str], str]) -> Any:
        """The answer with every date in it passed through `moved` (demo plans)."""
        return value

    def status_of(self, template: Template, spec: FieldSpec, value: Any) -> str:
        """The initiative status an answer in a status field stands for."""
        return str(value) or Status.NOT_STARTED.value

    def value_for_status(self, template: Template, spec: FieldSpec, status: str) -> str:
        """What to store in a status field so that the initiative gets `status`."""
        return status

    def statuses(self, template: Template, spec: FieldSpec) -> list[Status]:
        """The statuses a status field of this kind can hold."""
        return list(Status)

    def status_is_answer(self) -> bool:
        """Is a status stored as an answer to the template's question (a scale), so that
        setting it changes what the group answered?"""
        return False


@dataclass(frozen=True)
class LongTextKind(Kind):
    def normalise(self, template: Template, spec: FieldSpec, raw: Any) -> Any:
        return clean_text(_text(raw), limit=self.text_limit or MAX_TEXT_LENGTH).strip("\n")

    def markdown(self, plan: Plan, item_id: str, spec: FieldSpec, label: str, help_md: str) -> list[str]:
        shown = plan.display_value(item_id, spec.id)
        if not shown.strip():
            return super().markdown(plan, item_id, spec, label, help_md)
        return [label, *([help_md] if help_md else []), block(shown)]

    def document_lines(self, plan: Plan, item_id: str, spec: FieldSpec) -> list[str]:
        """Each line its own paragraph; a line the user began with '- ' or '* ' is a bullet."""
        return plain_lines(plan.display_value(item_id, spec.id))


@dataclass(frozen=True)
class DateKind(Kind):
    def normalise(self, template: Template, spec: FieldSpec, raw: Any) -> Any:
        return to_iso(raw or "")

    def display(self, template: Template, spec: FieldSpec, value: Any) -> str:
        return format_date(value)

    def findings(self, plan: Plan, item_id: str, spec: FieldSpec, title: str) -> list[KindFinding]:
        typed = plan.draft(item_id, spec.id)
        value = plan.value(item_id, spec.id)
        if typed:
            return [(FindingKind.BAD_DATE, f"{title}: »{spec.label}« er ikke en gyldig dato (»{typed}«).", None)]
        if value and from_iso(value) is None:
            return [(FindingKind.BAD_DATE, f"{title}: »{spec.label}« er ikke en gyldig dato ({value}).", None)]
        return []

    def shift_dates(self, value: Any, moved: Callable[[str], str]) -> Any:
        return moved(value) if value else value


@dataclass(frozen=True)
class ScaleKind(Kind):
    def normalise(self, template: Template, spec: FieldSpec, raw: Any) -> Any:
        if raw in (None, ""):
            return ""
        scale = template.scales[spec.scale or ""]
        for choice in scale.choices:
            if raw == choice.id or (isinstance(raw, str) and raw.strip().casefold() == choice.label.casefold()):
                return choice.id
        raise ValueRefused(
            f"»{raw}« er ikke et svar på skalaen. Vælg en af: " + ", ".join(c.label for c in scale.choices) + "."
        )

    def display(self, template: Template, spec: FieldSpec, value: Any) -> str:
        choice = template.scales[spec.scale or ""].choice(value) if value else None
        return choice.label if choice else str(value)

    def status_of(self, template: Template, spec: FieldSpec, value: Any) -> str:
        """A template may keep status on its own scale: each choice names the status it means."""
        choice = template.scales[spec.scale or ""].choice(value) if value else None
        return choice.status if choice and choice.status else Status.NOT_STARTED.value

    def value_for_status(self, template: Template, spec: FieldSpec, status: str) -> str:
        return next((c.id for c in template.scales[spec.scale or ""].choices if c.status == status), "")

    def statuses(self, template: Template, spec: FieldSpec) -> list[Status]:
        """Only those a choice on the scale stands for: any other would empty the answer."""
        held = {c.status for c in template.scales[spec.scale or ""].choices if c.status}
        return [s for s in Status if s in held]

    def status_is_answer(self) -> bool:
        return True


@dataclass(frozen=True)
class StatusKind(Kind):
    def normalise(self, template: Template, spec: FieldSpec, raw: Any) -> Any:
        return status_id(raw)

    def display(self, template: Template, spec: FieldSpec, value: Any) -> str:
        known = Status.of(value)
        return known.label if known else ""

    def markdown(self, plan: Plan, item_id: str, spec: FieldSpec, label: str, help_md: str) -> list[str]:
        shown = plan.display_value(item_id, spec.id) or Status.NOT_STARTED.label  # as the initiatives table says
        return [f"{label}: {inline(shown)}", *([help_md] if help_md else [])]

    def document_lines(self, plan: Plan, item_id: str, spec: FieldSpec) -> list[str]:
        return [plan.display_value(item_id, spec.id) or Status.NOT_STARTED.label]


@dataclass(frozen=True)
class MilestonesKind(Kind):
    def read(self, stored: Any) -> Any:
        return [m for m in stored if isinstance(m, dict)] if isinstance(stored, list) else []

    def normalise(self, template: Template, spec: FieldSpec, raw: Any) -> Any:
        return normalise_milestones(raw)

    def is_filled(self, value: Any) -> bool:
        return any((m.get("text") or "").strip() or m.get("date") for m in value)

    def display(self, template: Template, spec: FieldSpec, value: Any) -> str:
        return "\n".join(
            f"{'[x]' if m.get('done') else '[ ]'} {format_date(m.get('date'))} {m.get('text', '')}".strip()
            for m in value
        )

    def markdown(self, plan: Plan, item_id: str, spec: FieldSpec, label: str, help_md: str) -> list[str]:
        value = plan.value(item_id, spec.id)
        if not value:
            return [f"{label}: –", *([help_md] if help_md else [])]
        rows = [[format_date(m.get("date")) or "uden dato", m.get("text", ""), "Ja" if m.get("done") else "Nej"]
                for m in value]
        return [label, *([help_md] if help_md else []), table(["Dato", "Milepæl", "Udført"], rows)]

    def document_lines(self, plan: Plan, item_id: str, spec: FieldSpec) -> list[str]:
        """'15-01-2027: Tekst (nået)' per milestone, in the order the plan keeps them (blank rows left out)."""
        lines = []
        for m in plan.value(item_id, spec.id):
            if not str(m.get("text", "")).strip() and not m.get("date"):
                continue
            when = format_date(m.get("date")) or "uden dato"
            lines.append(f"{when}: {' '.join(str(m.get('text', '')).split())}" + (" (nået)" if m.get("done") else ""))
        return lines

    def findings(self, plan: Plan, item_id: str, spec: FieldSpec, title: str) -> list[KindFinding]:
        found: list[KindFinding] = []
        for number, row in enumerate(plan.value(item_id, spec.id), start=1):
            typed = plan.draft(item_id, spec.id, row.get("id"))
            text = row.get("text") or f"milepæl {number}"
            if typed:
                found.append((FindingKind.BAD_DATE, f"{title}: milepælen »{text}« har en ugyldig dato (»{typed}«).",
                              row.get("id")))
            elif not row.get("date"):
                found.append((FindingKind.NOT_SMART, f"{title}: milepælen »{text}« har ingen dato.", row.get("id")))
            elif from_iso(row["date"]) is None:
                found.append((FindingKind.BAD_DATE, f"{title}: milepælen »{row.get('text', '')}« har en ugyldig dato.",
                              row.get("id")))
        return found

    def shift_dates(self, value: Any, moved: Callable[[str], str]) -> Any:
        for row in value:
            if row.get("date"):
                row["date"] = moved(row["date"])
        return value


# The longest text each text kind stores (a paste beyond it is cut, and the user told so).
_LINE = MAX_TITLE_LENGTH * 3

KINDS: dict[FieldKind, Kind] = {
    FieldKind.SHORT_TEXT: Kind(FieldKind.SHORT_TEXT, roles=frozenset({"responsible"}), text_limit=_LINE),
    FieldKind.LONG_TEXT: LongTextKind(FieldKind.LONG_TEXT, text_limit=MAX_TEXT_LENGTH, multiline=True),
    FieldKind.SCALE: ScaleKind(FieldKind.SCALE, roles=frozenset({"status"}), holds_text=False),
    FieldKind.RESPONSIBLE: Kind(FieldKind.RESPONSIBLE, roles=frozenset({"responsible"}), text_limit=_LINE),
    FieldKind.DATE: DateKind(FieldKind.DATE, roles=frozenset({"deadline"}), holds_text=False),
    FieldKind.MILESTONES: MilestonesKind(FieldKind.MILESTONES, roles=frozenset({"milestones"}), is_list=True),
    FieldKind.STATUS: StatusKind(FieldKind.STATUS, roles=frozenset({"status"}), holds_text=False),
}


# By plain name too: a template's field holds its kind as a str, and this is read for every answer.
_KINDS_BY_NAME: dict[str, Kind] = {str(name): kind for name, kind in KINDS.items()}


def kind_of(kind: str) -> Kind:
    """The object for a kind's name. Raises ValueRefused for a name that is no kind."""
    found = _KINDS_BY_NAME.get(kind) if isinstance(kind, str) else None
    if found is None:
        raise ValueRefused(f"Ukendt felttype »{kind}«.")
    return found
