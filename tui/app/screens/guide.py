"""To read beside the wizard: the template's guidance for the whole plan (»Vejledning til
planen«), and its reference material (e.g. the national support on offer), one entry at a time,
any of which the wizard adds to the section as a new item."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import ContentSwitcher, Label, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from tui.app.widgets.footer import FittingFooter
from tui.core.guide import guidance_markdown, reference_markdown
from tui.core.plan import Plan
from tui.core.templates import SectionSpec, Template


class GuidanceScreen(ModalScreen[None]):
    """Every guidance block of the template, as one Markdown document to scroll through."""

    CSS_PATH = "guide.tcss"
    BINDINGS = [Binding("escape,f10,q", "close", "Luk", id="guidance.close")]

    def __init__(self, plan: Plan) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Vejledning til planen: {self.plan.template.title}", classes="dialog-heading",
                        markup=False)
            yield Static("Skabelonens egen vejledning til hele planen. Piletasterne og PgUp/PgDn bladrer; "
                         "Esc lukker.", classes="dialog-hint", markup=False)
            with VerticalScroll(id="guidance-scroll"):
                yield Markdown(guidance_markdown(self.plan), id="guidance-text")
        yield FittingFooter(compact=True, show_command_palette=False)

    def action_close(self) -> None:
        self.dismiss(None)


class ReferenceScreen(ModalScreen[str | None]):
    """The reference material's titles, the highlighted one's text beside them. Enter closes the
    screen with the entry's id (the wizard adds it to `section`); Esc with None."""

    CSS_PATH = "guide.tcss"
    BINDINGS = [
        # Priority: Enter adds the highlighted entry also while its text is being read.
        Binding("enter", "add", "Tilføj i planen", id="reference.add", priority=True),
        Binding("escape", "close", "Luk", id="reference.close"),
    ]

    def __init__(self, template: Template, section: SectionSpec) -> None:
        super().__init__()
        self.template = template
        self.section = section
        self.entries = template.reference

    def _hint(self) -> str:
        added = self.section.added_items
        what = self.template.item_types[added.type].label.lower() if added else "nyt element"
        return (f"Vælg med piletasterne; Enter tilføjer det valgte som ny {what} i »{self.section.heading}«, "
                "med teksten udfyldt, så I kan rette den til. Tab går til teksten. Esc lukker.")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.template.reference_use.title, classes="dialog-heading", markup=False)
            yield Static(self._hint(), classes="dialog-hint", markup=False)
            with Horizontal():
                yield OptionList(*[Option(e.title, id=e.id) for e in self.entries], id="reference-list",
                                 markup=False)
                with Vertical(id="reference-pane"):
                    if self.template.reference_use.note:
                        yield Static(self.template.reference_use.note, id="reference-note", markup=False)
                    with ContentSwitcher(initial=self._widget_id(0) if self.entries else None):
                        for index, entry in enumerate(self.entries):
                            with VerticalScroll(id=self._widget_id(index)):
                                yield Markdown(reference_markdown(entry))
        yield FittingFooter(compact=True, show_command_palette=False)

    @staticmethod
    def _widget_id(index: int) -> str:
        return f"reference--{index}"

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.query_one(ContentSwitcher).current = self._widget_id(event.option_index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    @property
    def shown(self) -> str | None:
        """The id of the entry whose text is shown."""
        index = self.query_one("#reference-list", OptionList).highlighted
        return self.entries[index].id if index is not None and self.entries else None

    def action_add(self) -> None:
        if self.shown is not None:
            self.dismiss(self.shown)

    def action_close(self) -> None:
        self.dismiss(None)
