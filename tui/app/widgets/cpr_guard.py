"""CPR-like numbers where they are typed: a warning under the field at once, and when the field is
left an offer to remove the number. Each number is asked about once per field: "Behold" is
remembered for as long as the program runs."""

from __future__ import annotations

import weakref
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Input, Static, TextArea

from tui.app.screens.confirm import ConfirmScreen
from tui.core.cpr import CPR_WARNING, CprMatch, find_cpr, masked_list, remove_cpr

# (plan) -> {(place, number)} the user chose to keep; not stored in the plan.
_KEPT: weakref.WeakKeyDictionary[Any, set[tuple]] = weakref.WeakKeyDictionary()


class CprQuestion(ConfirmScreen, inherit_bindings=False):
    """A yes/no question about a CPR-like number. No letter answers it: it can come up while
    the user is still typing, and a typed-ahead "n" or "j" must not decide for them."""

    BINDINGS = [
        Binding("escape", "answer(False)", "Fortryd", id="cpr.no"),
        Binding("tab,right", "app.focus_next", "Næste knap", show=False),
        Binding("shift+tab,left", "app.focus_previous", "Forrige knap", show=False),
    ]

    def __init__(self, question: str, yes: str, no: str, *, default_yes: bool = True) -> None:
        super().__init__(question, yes, no)
        self.default_yes = default_yes
        self.focused_button = "yes" if default_yes else "no"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, markup=False)  # it quotes titles the user wrote
            with Horizontal():
                yield Button(self.yes, id="yes", variant="primary" if self.default_yes else "error")
                yield Button(self.no, id="no", variant="default" if self.default_yes else "primary")


def values_text(value: Any) -> list[str]:
    """The texts in a stored answer: the text itself, or each milestone's text."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [row.get("text", "") for row in value if isinstance(row, dict)]
    return []


def cpr_note(value: Any) -> str | None:
    """The warning shown under a field whose answer holds a CPR-like number, or None."""
    matches = [m for text in values_text(value) for m in find_cpr(text)]
    if not matches:
        return None
    return f"Ligner et CPR-nummer ({masked_list(matches)}) – {CPR_WARNING}."


def removal_question(what: str, matches: list[CprMatch]) -> str:
    one = len({m.key for m in matches}) == 1
    return (f"{what} indeholder noget, der ligner {'et CPR-nummer' if one else 'CPR-numre'} "
            f"({masked_list(matches)}).\n\nEn plan handler om en organisation, aldrig om en borger, og må ikke "
            f"indeholde personnumre. Vil du fjerne {'det' if one else 'dem'}?")


def widget_text(widget: Widget) -> str:
    return widget.text if isinstance(widget, TextArea) else getattr(widget, "value", "")


def set_widget_text(widget: Widget, text: str) -> None:
    """Change what the widget shows; its Changed message stores it the usual way."""
    if isinstance(widget, TextArea):
        widget.text = text
    elif isinstance(widget, Input):
        widget.value = text


def is_text_widget(widget: Widget) -> bool:
    return isinstance(widget, TextArea) or (isinstance(widget, Input) and not widget.has_class("ms-date", "date"))


def offer_removal(owner: Widget, widget: Widget, plan: Any, place: tuple) -> None:
    """After the user has left `widget`: offer to remove the CPR-like numbers not asked about
    before. Run after the focus change has settled, and only while `owner`'s screen is on top
    (not when the plan is being closed or another screen has just opened)."""
    if not find_cpr(widget_text(widget)):
        return

    def start() -> None:
        if owner.is_mounted and owner.app.screen is owner.screen:
            owner.run_worker(_ask(owner, widget, plan, place), group="cpr-offer", exclusive=True)

    owner.call_after_refresh(start)


async def _ask(owner: Widget, widget: Widget, plan: Any, place: tuple) -> None:
    kept = _KEPT.setdefault(plan, set())
    new: list[CprMatch] = [m for m in find_cpr(widget_text(widget)) if (place, m.key) not in kept]
    if not new or not widget.is_mounted or owner.app.screen is not owner.screen:
        return
    question = removal_question("Teksten", new)
    keys = {m.key for m in new}
    if await owner.app.push_screen_wait(CprQuestion(question, "Fjern", "Behold")):
        if widget.is_mounted:
            set_widget_text(widget, remove_cpr(widget_text(widget), keys))
            owner.notify("Fjernet fra teksten.", timeout=4)
    else:
        kept.update((place, key) for key in keys)
