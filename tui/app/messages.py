"""What screens ask the app to open. A screen never pushes another screen itself: it posts one of
these (they bubble from the screen to the App, which handles them in tui/app/app.py), or it
returns a FieldRef from `dismiss` to the screen that asked for it.

`done`, where there is one, is called with the opened screen's result when it closes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:  # the home screen's first frame need not import the plan logic
    from tui.core.initiatives import Initiative
    from tui.core.plan import Plan
    from tui.core.refs import FieldRef
    from tui.core.templates import SectionSpec, Template

Done = Callable[[Any], Any]


@dataclass
class OpenPlan(Message):
    """Open the plan in the wizard, at `at` if given; `done` gets the plan's id when it closes."""

    plan_id: str
    at: FieldRef | None = None
    done: Done | None = None


@dataclass
class OpenNewPlan(Message):
    """Ask for a template, a title and an organisation; `done` gets the answer or None."""

    done: Done


@dataclass
class OpenOutstanding(Message):
    """The outstanding initiatives of one plan, or of all plans; `done` gets a FieldRef or None
    (only with `plan`: from all plans, the list opens the plan itself)."""

    plan: Plan | None = None
    done: Done | None = None


@dataclass
class OpenReview(Message):
    """What the plan lacks; `done` gets the FieldRef of the finding chosen, or None."""

    plan: Plan
    done: Done


@dataclass
class OpenExport(Message):
    """The plan's export (preview, write .md or .html)."""

    plan: Plan


@dataclass
class OpenDocument(Message):
    """A ready Markdown document (agenda, one person's list) in the export screen."""

    markdown: str
    heading: str
    filename: str


@dataclass
class OpenTimeline(Message):
    """Initiatives on a timeline; `done` gets the FieldRef of the one chosen, or None."""

    initiatives: list[Initiative]
    heading: str
    done: Done


@dataclass
class OpenGuidance(Message):
    """The template's guidance for the whole plan, to read."""

    plan: Plan


@dataclass
class OpenReference(Message):
    """The template's reference material, to read; `done` gets the id of the entry chosen to add
    to `section` as a new item, or None."""

    template: Template
    section: SectionSpec
    done: Done
