"""Ny plan: choose a template (its description beside the list), a title and an organisation."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, Markdown, OptionList
from textual.widgets.option_list import Option

from tui.app.widgets.cpr_guard import CprQuestion, removal_question
from tui.app.widgets.footer import FittingFooter
from tui.core.cpr import find_cpr, remove_cpr
from tui.core.templates import TemplateLibrary

HINT = "Enter i sidste felt opretter planen. Esc fortryder."


class NewPlanScreen(Screen[tuple[str, str, str] | None]):
    DEFAULT_CSS = """
    NewPlanScreen #choose { height: 1fr; }
    NewPlanScreen #templates { width: 40%; height: 1fr; }
    NewPlanScreen #description { width: 1fr; border: round $primary 50%; padding: 0 1; }
    NewPlanScreen #form { height: auto; padding: 0 1; }
    NewPlanScreen .row { height: 3; }
    NewPlanScreen .row Label { width: 16; padding-top: 1; text-style: bold; }
    NewPlanScreen .row Input { width: 1fr; }
    NewPlanScreen #create-row { height: 3; }
    NewPlanScreen #hint { width: 1fr; padding-top: 1; color: $text-muted; }
    NewPlanScreen #hint.-missing { color: $text-error; text-style: bold; }
    """
    BINDINGS = [Binding("escape", "cancel", "Fortryd", id="new.cancel")]

    def __init__(self, library: TemplateLibrary) -> None:
        super().__init__()
        self.library = library
        self.templates = list(library)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="choose"):
            yield OptionList(*[Option(f"{t.short_title}\n  {t.title}", id=t.id) for t in self.templates],
                             id="templates", markup=False)
            # Not a Tab stop: it only describes the highlighted template (the mouse can scroll it).
            with VerticalScroll(id="description", can_focus=False):
                yield Markdown("", id="template-text")
        with Vertical(id="form"):
            with Horizontal(classes="row"):
                yield Label("Titel *")
                yield Input(id="title", max_length=300)
            with Horizontal(classes="row"):
                yield Label("Organisation")
                yield Input(placeholder="Fx Solbjerg Kommune, Børne- og Familieafdelingen", id="organisation",
                            max_length=300)
            with Horizontal(id="create-row"):
                yield Label(HINT, id="hint")
                yield Button("Opret plan", id="create", variant="primary")
        yield FittingFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.title = "Ny plan"
        self.query_one("#templates", OptionList).highlighted = 0
        self.show_template(0)

    def show_template(self, index: int | None) -> None:
        if index is None or not self.templates:
            return
        t = self.templates[index]
        sources = "\n".join(f"- {s['title']} ({s['publisher']})" for s in t.sources)
        counts = f"{len(t.sections)} {t.sections_label.lower()}"
        if t.item_count():
            counts += f", {t.item_count()} {next(iter(t.item_types.values())).label_plural.lower()}"
        self.query_one("#template-text", Markdown).update(
            f"## {t.title}\n\n*{counts}*\n\n{t.description}\n\n**Kilde:**\n\n{sources}")
        self.query_one("#title", Input).placeholder = f"Fx {t.short_title} i Solbjerg Kommune 2027"

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show_template(event.option_index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#title", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "title" and event.value.strip():
            self._say(HINT, missing=False)

    def _say(self, text: str, missing: bool) -> None:
        """Beside the button it is about: a toast would lie over »Opret plan«."""
        hint = self.query_one("#hint", Label)
        hint.update(text)
        hint.set_class(missing, "-missing")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "title":
            self.query_one("#organisation", Input).focus()
        else:
            self.create()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.create()

    @work(group="new-plan", exclusive=True)
    async def create(self) -> None:
        for field, what in (("#title", "Titlen"), ("#organisation", "Organisationen")):
            widget = self.query_one(field, Input)
            found = find_cpr(widget.value)
            if not found:
                continue
            question = CprQuestion(removal_question(what, found), "Fjern", "Behold")
            if await self.app.push_screen_wait(question):
                widget.value = remove_cpr(widget.value)
        title = self.query_one("#title", Input).value.strip()
        if not title:
            self._say("Giv planen en titel: den står på listen over planer.", missing=True)
            self.query_one("#title", Input).focus()
            return
        index = self.query_one("#templates", OptionList).highlighted or 0
        self.dismiss((self.templates[index].id, title, self.query_one("#organisation", Input).value.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)
