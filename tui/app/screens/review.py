"""Gennemgang: what the plan still lacks, each finding a jump back to its field."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui.app.widgets.footer import FittingFooter
from tui.core.enums import FindingKind
from tui.core.findings import plan_findings
from tui.core.plan import Plan
from tui.core.refs import FieldRef
from tui.core.smart import SMART_CHECKS


class ReviewScreen(ModalScreen[FieldRef | None]):
    """Enter closes the screen with the FieldRef of the chosen finding."""

    DEFAULT_CSS = """
    ReviewScreen { align: center middle; }
    ReviewScreen > Vertical { width: 90%; height: 90%; border: thick $accent; background: $surface; padding: 0 1; }
    ReviewScreen #review-title { text-style: bold; margin: 1 0 0 0; width: 1fr; }
    ReviewScreen #review-hint { color: $text-muted; margin-bottom: 1; width: 1fr; }
    ReviewScreen #review-cpr { color: $error; text-style: bold; margin-bottom: 1; width: 1fr; }
    ReviewScreen #review-smart { color: $text-muted; margin-bottom: 1; width: 1fr; }
    ReviewScreen OptionList { height: 1fr; }
    /* Nothing to list: a box round the message, not a screen of empty list. */
    ReviewScreen > Vertical.-clean { width: 70; max-width: 90%; height: auto; }
    """
    BINDINGS = [Binding("escape", "close", "Luk", id="review.close")]

    def __init__(self, plan: Plan) -> None:
        super().__init__()
        self.plan = plan
        self.findings = plan_findings(plan)

    def compose(self) -> ComposeResult:
        count = len(self.findings)
        with Vertical(classes="" if count else "-clean"):
            what = "1 punkt mangler" if count == 1 else f"{count} punkter mangler"
            title = ("Gennemgang: ingen mangler fundet – planen er klar." if not count else
                     f"Gennemgang: {what} eller bør skærpes.")
            yield Label(title, id="review-title", markup=False)
            yield Label("Vælg med piletasterne; Enter går til feltet, Esc lukker." if count else "Esc lukker.",
                        id="review-hint")
            if any(f.kind == FindingKind.CPR for f in self.findings):
                # Before everything else: a plan that is shared must not carry a citizen's number.
                yield Label("Planen indeholder tekst, der ligner et CPR-nummer. En plan handler om en "
                            "organisation, aldrig om en borger: fjern numrene, før planen deles.", id="review-cpr")
            if any(f.kind == FindingKind.NOT_SMART for f in self.findings):
                yield Label(SMART_CHECKS, id="review-smart", markup=False)
            if count:
                yield OptionList(*self._options(), id="findings", markup=False)
        yield FittingFooter(compact=True, show_command_palette=False)

    def _options(self) -> list[Option | None]:
        """The findings grouped by kind, each group under its heading."""
        options: list[Option | None] = []
        for kind in FindingKind:
            found = [(i, f) for i, f in enumerate(self.findings) if f.kind == kind]
            if not found:
                continue
            if options:
                options.append(None)
            options.append(Option(f"{kind.label} ({len(found)})", disabled=True))
            options += [Option(f"  {f.message}", id=str(i)) for i, f in found]
        return options

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        finding = self.findings[int(event.option.id or 0)]
        if not finding.section_id:  # the plan's title, a meeting note, the history: no field here
            self.notify("Det står ikke i et felt i planen. Planens titel ændres med R på listen over planer.",
                        title=finding.message, severity="warning", timeout=10)
            return
        self.dismiss(FieldRef(self.plan.id, finding.section_id, finding.item_id, finding.field_id,
                              finding.milestone_id))

    def action_close(self) -> None:
        self.dismiss(None)
