"""The fixed vocabularies of a plan, each a StrEnum with its Danish labels beside it (the field
kinds, with what each does, are in tui/core/kinds.py).

The values are the strings templates and stored plans hold, so a member compares equal to its
stored string and is written as it. The labels are what a reader sees.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self, cast


class Vocabulary(StrEnum):
    """A StrEnum that can look a stored string up without raising."""

    @classmethod
    def of(cls, value: object) -> Self | None:
        """The member whose value is `value`, or None for anything else."""
        found = cls._value2member_map_.get(value) if isinstance(value, str) else None
        return cast("Self | None", found)


class Status(Vocabulary):
    """An initiative's status."""

    NOT_STARTED = "ikke-startet"
    IN_PROGRESS = "i-gang"
    DONE = "gennemfoert"
    DROPPED = "udgaaet"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def closed(self) -> bool:
        """Done or dropped: no longer outstanding."""
        return self in CLOSED_STATUSES


STATUS_LABELS: dict[Status, str] = {
    Status.NOT_STARTED: "Ikke startet",
    Status.IN_PROGRESS: "I gang",
    Status.DONE: "Gennemført",
    Status.DROPPED: "Udgået",
}

CLOSED_STATUSES: frozenset[Status] = frozenset({Status.DONE, Status.DROPPED})


class Group(Vocabulary):
    """Where an initiative stands in the outstanding view, in the order it is shown."""

    OVERDUE = "overskredet"
    THIS_WEEK = "denne-uge"
    LATER = "senere"
    NO_DATE = "uden-deadline"
    CLOSED = "afsluttet"

    @property
    def label(self) -> str:
        return GROUP_LABELS[self]


GROUP_LABELS: dict[Group, str] = {
    Group.OVERDUE: "Overskredet",
    Group.THIS_WEEK: "Denne uge",
    Group.LATER: "Senere",
    Group.NO_DATE: "Uden deadline",
    Group.CLOSED: "Afsluttet",
}


class Sort(Vocabulary):
    """How the outstanding initiatives are sorted (the screen's O key cycles through them)."""

    DEADLINE = "deadline"
    RESPONSIBLE = "ansvarlig"
    PLAN = "plan"

    @property
    def label(self) -> str:
        return SORT_LABELS[self]

    def next(self) -> Sort:
        """The sort after this one, round again after the last."""
        order = list(Sort)
        return order[(order.index(self) + 1) % len(order)]


SORT_LABELS: dict[Sort, str] = {Sort.DEADLINE: "deadline", Sort.RESPONSIBLE: "ansvarlig", Sort.PLAN: "plan"}


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

    CPR = "cpr-nummer"
    BAD_DATE = "ugyldig-dato"
    GAP = "gab"
    NO_RESPONSIBLE = "mangler-ansvarlig"
    NO_DEADLINE = "mangler-deadline"
    NOT_SMART = "ikke-smart"
    TOO_FEW = "faa-elementer"
    UNANSWERED = "ubesvaret"

    @property
    def label(self) -> str:
        return FINDING_LABELS[self]


FINDING_LABELS: dict[FindingKind, str] = {
    FindingKind.CPR: "Ligner et CPR-nummer",
    FindingKind.BAD_DATE: "Ugyldig dato",
    FindingKind.GAP: "Mangler initiativ",
    FindingKind.NO_RESPONSIBLE: "Initiativ uden ansvarlig",
    FindingKind.NO_DEADLINE: "Initiativ uden deadline",
    FindingKind.NOT_SMART: "Ikke SMART (mangler dato)",
    FindingKind.TOO_FEW: "Færre end anbefalet",
    FindingKind.UNANSWERED: "Ikke besvaret",
}
