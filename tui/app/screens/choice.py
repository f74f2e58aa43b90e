"""Small pickers: one choice from a list; milestones ticked off one by one."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from tui.app.widgets.footer import FittingFooter
from tui.app.widgets.tickbox import TickList
from tui.app.workers import finish_workers

PICKER_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 76; max-width: 100%; height: auto; max-height: 90%; border: thick $accent;
                     background: $surface; padding: 0 1; }}
{name} Label {{ text-style: bold; margin: 1 0; width: 1fr; }}
{name} OptionList, {name} SelectionList {{ height: auto; max-height: 20; }}
{name} #milestones-saved {{ color: $success; height: auto; width: 1fr; }}
"""


class ChoiceScreen(ModalScreen[str | None]):
    """Pick one of `choices` (id, label); dismisses with the id, or None on Escape."""

    DEFAULT_CSS = PICKER_CSS.format(name="ChoiceScreen")
    BINDINGS = [Binding("escape", "close", "Luk", id="choice.close")]

    def __init__(self, question: str, choices: list[tuple[str, str]], current: str | None = None) -> None:
        super().__init__()
        self.question = question
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question, markup=False)
            yield OptionList(*[Option(("● " if key == self.current else "  ") + label, id=key)
                               for key, label in self.choices], markup=False)
        yield FittingFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        for index, (key, _) in enumerate(self.choices):
            if key == self.current:
                options.highlighted = index

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)


class MilestonesScreen(ModalScreen[None]):
    """Tick milestones done or not; every tick is handed to `on_toggle` (which saves) at once,
    one after the other; a tick that was not saved is taken back."""

    DEFAULT_CSS = PICKER_CSS.format(name="MilestonesScreen")
    BINDINGS = [Binding("escape", "close", "Luk", id="milestones.close")]

    def __init__(self, title: str, milestones: list[tuple[str, str, bool]],
                 on_toggle: Callable[[str, bool], Awaitable[bool]]) -> None:
        super().__init__()
        self.heading = title
        self.milestones = milestones
        self.on_toggle = on_toggle
        self._reverting = False
        self._saving = asyncio.Lock()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.heading, markup=False)
            yield TickList(*[(Content(label), key, done) for key, label, done in self.milestones])
            # What a tick did, said here: a toast would lie over the list it reports on.
            yield Static("", id="milestones-saved", markup=False)
        yield FittingFooter(compact=True, show_command_palette=False)

    def on_selection_list_selection_toggled(self, event: SelectionList.SelectionToggled) -> None:
        if self._reverting:
            self._reverting = False
            return
        key = event.selection.value
        done = key in event.selection_list.selected
        self.run_worker(self._save(event.selection_list, key, done), group="milestones")

    async def _save(self, selection_list: SelectionList, key: str, done: bool) -> None:
        async with self._saving:
            saved = await self.on_toggle(key, done)
            if not saved and selection_list.is_mounted:
                self._reverting = True  # not saved: show it as it is stored
                selection_list.toggle(key)
            if saved and self.is_mounted:
                self.query_one("#milestones-saved", Static).update(
                    "Milepæl udført. Gemt." if done else "Milepæl ikke udført. Gemt.")

    async def action_close(self) -> None:
        await finish_workers(self, "milestones")  # every tick is saved before the dialog goes
        self.dismiss(None)
