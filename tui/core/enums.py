"""The fixed vocabularies of a plan, each a StrEnum whose members carry their Danish label (the
field kinds, with what each does, are in tui/core/kinds.py).

The values are the strings templates and stored plans hold, so a member compares equal to its
stored string and is written as it. The labels are what a reader sees.
"""

from __future__ import annotations

from enum import StrEnum

TYPE_CHECKING = False  # typing is not imported at run time: see tui/lean.py
if TYPE_CHECKING:
    from typing import Self


class Vocabulary(StrEnum):
    """A StrEnum whose members are declared as (stored value, Danish label), and that can look a
    stored string up without raising."""

    label: str

    def __new__(cls, value: str, label: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value
        return member

    @classmethod
    def of(cls, value: object) -> Self | None:
        """The member whose value is `value`, or None for anything else."""
        found = cls._value2member_map_.get(value) if isinstance(value, str) else None
        return found  # type: ignore[return-value]  # (typing.cast: typing is not imported, tui/lean.py)


class Status(Vocabulary):
    """An initiative's status."""

    NOT_STARTED = "ikke-startet", "Ikke startet"
    IN_PROGRESS = "i-gang", "I gang"
    DONE = "gennemfoert", "Gennemført"
    DROPPED = "udgaaet", "Udgået"

    @property
    def closed(self) -> bool:
        """Done or dropped: no longer outstanding."""
        return self in CLOSED_STATUSES


CLOSED_STATUSES: frozenset[Status] = frozenset({Status.DONE, Status.DROPPED})


class Group(Vocabulary):
    """Where an initiative stands in the outstanding view, in the order it is shown."""

    OVERDUE = "overskredet", "Overskredet"
    THIS_WEEK = "denne-uge", "Denne uge"
    LATER = "senere", "Senere"
    NO_DATE = "uden-deadline", "Uden deadline"
    CLOSED = "afsluttet", "Afsluttet"


class Sort(Vocabulary):
    """How the outstanding initiatives are sorted (the screen's O key cycles through them)."""

    DEADLINE = "deadline", "deadline"
    RESPONSIBLE = "ansvarlig", "ansvarlig"
    PLAN = "plan", "plan"

    def next(self) -> Sort:
        """The sort after this one, round again after the last."""
        order = list(Sort)
        return order[(order.index(self) + 1) % len(order)]


class HistoryKind(Vocabulary):
    """A history entry's kind, as stored."""

    NEW = "ny"
    REMOVED = "fjernet"
    STATUS = "status"
    DEADLINE = "deadline"
    RESPONSIBLE = "ansvarlig"
    MILESTONE_ADDED = "milepael-ny"
    MILESTONE_REMOVED = "milepael-fjernet"
    MILESTONE_DONE = "milepael-udfoert"
    MILESTONE_DATE = "milepael-dato"
    # The same field changed in two places: the editor's text was saved, the other version is
    # kept here ("field" names it, "value" holds it). Not a follow-up change.
    CONFLICT = "konflikt"

    @property
    def is_change(self) -> bool:
        """A follow-up change (every kind but CONFLICT)."""
        return self is not HistoryKind.CONFLICT


class FindingKind(Vocabulary):
    """What a plan lacks, in the order the review lists them: what is wrong or blocks follow-up
    first, plain gaps last."""

    CPR = "cpr-nummer", "Ligner et CPR-nummer"
    BAD_DATE = "ugyldig-dato", "Ugyldig dato"
    GAP = "gab", "Mangler initiativ"
    NO_RESPONSIBLE = "mangler-ansvarlig", "Initiativ uden ansvarlig"
    NO_DEADLINE = "mangler-deadline", "Initiativ uden deadline"
    NOT_SMART = "ikke-smart", "Ikke SMART"  # a goal not measurable, a goal or milestone without date
    TOO_FEW = "faa-elementer", "Færre end anbefalet"
    UNANSWERED = "ubesvaret", "Ikke besvaret"
