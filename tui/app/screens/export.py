"""Eksport: the plan's Markdown rendered as a preview; write it, in one of the formats of
tui/core/formats.py, to a path the user edits."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Header, Input, Label, Markdown, Static

from tui.app.web import BROWSER_KEYS, deliver, show_text
from tui.app.widgets.cpr_guard import CprQuestion
from tui.app.widgets.footer import FittingFooter
from tui.app.widgets.tickbox import TickBox
from tui.core import formats
from tui.core.cpr import CPR_WARNING, CprHit, describe_hits, find_cpr, plan_cpr_hits
from tui.core.export_md import plan_to_markdown
from tui.core.plan import Plan
from tui.fileio import atomic_write_bytes, describe_os_error, safe_filename
from tui.paths import export_dir, prepare_folder

if TYPE_CHECKING:
    from tui.app.app import ImplanApp

# The key for each format's button; a format without one still gets its button. Ctrl+letters:
# every function key already means something in the plan (F9 Udestående, F8 Næste, F10 Vejledning,
# F12 Forslag), and a key means one thing everywhere. None of these is an editing key of the path field.
KEYS = {"md": "ctrl+t", "html": "ctrl+o", "docx": "ctrl+s"}  # tekst, »open« in a browser, »save« the document
# (Not Ctrl+B: it is tmux's prefix key and never reaches an app run inside tmux.)
COPY_KEY = "ctrl+y"


def key_label(key: str) -> str:
    """'ctrl+t' -> 'Ctrl+T', as the README and the key list write keys."""
    return "+".join(part.capitalize() if len(part) > 1 else part.upper() for part in key.split("+"))


class ExportScreen(Screen):
    DEFAULT_CSS = """
    ExportScreen #preview { height: 1fr; border: round $primary 50%; }
    ExportScreen #controls { height: auto; padding: 0 1; }
    ExportScreen #controls Horizontal { height: auto; }
    ExportScreen #path { width: 1fr; }
    ExportScreen Button { margin-left: 1; }
    ExportScreen #written { color: $success; width: 1fr; }
    ExportScreen #written.-error { color: $error; }
    ExportScreen #options { height: auto; }
    ExportScreen #options Checkbox { width: auto; margin-right: 2; border: none; padding: 0; height: 1; }
    ExportScreen #options-hint { width: 1fr; color: $text-muted; }
    """
    BINDINGS = [
        *(Binding(KEYS[f.name], f"write('{f.name}')", f.button, id=f"export.{f.name}")
          for f in formats.app_formats(plan=True) if f.name in KEYS),
        Binding(COPY_KEY, "copy", "Kopiér", id="export.copy"),
        Binding("escape", "app.pop_screen", "Tilbage", id="export.back"),
    ]

    def __init__(self, plan: Plan | None = None, folder: Path | None = None, *, markdown: str | None = None,
                 heading: str = "", filename: str = "") -> None:
        """The plan's export; or, with `markdown`, any ready document (agenda, one person's list)."""
        super().__init__()
        self.plan = plan
        self.markdown = markdown or ""
        self.heading = heading or (f"Eksport: {plan.title}" if plan else "Eksport")
        self.filename = filename or safe_filename(plan.title if plan else "")
        self.folder = folder or export_dir()  # the documents folder, not where implan was started
        self.plan_export = plan is not None and markdown is None
        self.cpr_accepted = False  # the user has said yes to writing CPR-like text once here
        self.formats = formats.app_formats(plan=self.plan_export)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="preview"):
            yield Markdown("", id="preview-text")
        with Vertical(id="controls"):
            if self.plan_export:
                with Horizontal(id="options"):
                    yield TickBox("Med skabelonens vejledning", id="with-help")
                    yield TickBox("Med alle mangler", id="with-findings")
                    yield Static("", id="options-hint", markup=False)
            # The whole path in view (it names the documents folder), the buttons below it. In a
            # browser the file is a download: only its name is asked.
            if self.app.is_web:
                yield Label("Filnavn (uden endelse) – filen hentes i din browser:")
                yield Input(self.filename, id="path")
            else:
                yield Label("Gemmes som (mappe og filnavn, uden endelse):")
                yield Input(str(self.folder / self.filename), id="path")
            with Horizontal(id="buttons"):
                for index, fmt in enumerate(self.formats):
                    key = f" ({key_label(self.key_of(fmt.name))})" if fmt.name in KEYS else ""
                    yield Button(fmt.button + key, id=fmt.name, variant="primary" if index == 0 else "default")
            yield Static("", id="written", markup=False)
        yield FittingFooter(compact=True, show_command_palette=False)

    def key_of(self, name: str) -> str:
        """The format's key: in a browser, the one the browser leaves to the page."""
        key = KEYS[name]
        return BROWSER_KEYS.get(f"export.{name}", key) if self.app.is_web else key

    def on_mount(self) -> None:
        self.title = self.heading
        if self.plan is not None and self.plan_export:
            self.markdown = plan_to_markdown(self.plan, cast("ImplanApp", self.app).today)
        self.query_one("#preview-text", Markdown).update(self.markdown)

    def _options(self) -> dict[str, bool]:
        if not self.plan_export:
            return {}
        return {"with_help": self.query_one("#with-help", Checkbox).value,
                "with_findings": self.query_one("#with-findings", Checkbox).value}

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        """The options go into the files; the preview stays the plan's answers, since laying out
        all of the template's guidance as a preview would hold the screen for seconds."""
        options = self._options()
        chosen = [label for label, on in (("skabelonens vejledning", options["with_help"]),
                                          ("alle mangler", options["with_findings"])) if on]
        hint = f"Filen får også {' og '.join(chosen)} med (ikke vist her)." if chosen else ""
        self.query_one("#options-hint", Static).update(hint)

    def _document(self) -> formats.Document:
        """What the buttons write: the plan itself, rendered with the options, or the ready text."""
        if self.plan is not None and self.plan_export:
            options = self._options()
            return formats.Document(self.plan.title, self.plan, today=cast("ImplanApp", self.app).today,
                                    with_help=options["with_help"], with_findings=options["with_findings"])
        return formats.Document(self.heading, markdown=self.markdown)

    async def cpr_confirmed(self, verb: str = "gemme", button: str = "Gem alligevel") -> bool:
        """A plan (or document) with text that looks like a CPR number is written only when the
        user says so, once per visit to this screen."""
        if self.cpr_accepted:
            return True
        if self.plan is not None and self.plan_export:
            hits = plan_cpr_hits(self.plan)
        else:
            hits = [CprHit(m, "dokumentet") for m in find_cpr(self.markdown)]
        if not hits:
            return True
        lines = "\n".join(f"  {line}" for line in describe_hits(hits, limit=6))
        what, it = ("Planen", "den") if self.plan_export else ("Dokumentet", "det")
        self.cpr_accepted = await self.app.push_screen_wait(CprQuestion(
            f"{what} indeholder tekst, der ligner et CPR-nummer:\n\n{lines}\n\n"
            f"{CPR_WARNING[0].upper()}{CPR_WARNING[1:]}. Vil du alligevel {verb} {it}?",
            button, "Fortryd", default_yes=False))
        return self.cpr_accepted

    @work(group="export-write", exclusive=True)
    async def action_copy(self) -> None:
        if not await self.cpr_confirmed("kopiere", "Kopiér alligevel"):
            return
        text = await asyncio.to_thread(self._document().text)
        if self.app.is_web:
            show_text(self.app, f"{safe_filename(self.filename)}.md", text)
            self.say("Markdown er åbnet i en ny fane i browseren: markér og kopiér den dér.")
            return
        self.app.copy_to_clipboard(text)
        self.say("Markdown er kopieret til udklipsholderen (hvis terminalen tillader det).")

    def say(self, text: str, error: bool = False) -> None:
        """What a button or key did, on the line under the buttons: a toast would cover them."""
        written = self.query_one("#written", Static)
        written.set_class(error, "-error")
        written.update(text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_write(event.button.id)

    @work(group="export-write", exclusive=True)
    async def action_write(self, fmt: str) -> None:
        if not await self.cpr_confirmed():
            self.say("Intet er gemt.", error=True)
            return
        await self.write_file(fmt)

    @staticmethod
    def _render_and_write(fmt: formats.ExportFormat, document: formats.Document, target: Path) -> None:
        prepare_folder(target)
        if not target.parent.is_dir():
            raise FileNotFoundError(f"Mappen {target.parent} findes ikke.")
        atomic_write_bytes(target, fmt.data(document), mode=None)

    def _without_format_suffix(self, name: str) -> str:
        """»plan.docx« typed, then saved as Markdown, is plan.md (not plan.docx.md), in a terminal
        and in a browser alike."""
        path = Path(name)
        if path.suffix.lower().lstrip(".") in {s for f in self.formats for s in f.suffixes}:
            return str(path.with_suffix(""))
        return name

    async def write_file(self, name: str) -> None:
        if name not in {f.name for f in self.formats}:
            return  # a key for a format this document is not offered in
        fmt = formats.get(name)
        raw = self.query_one("#path", Input).value.strip()
        if not raw:
            self.say("Skriv et filnavn.", error=True)
            return
        if self.app.is_web:
            await self.download(fmt, Path(raw).name)
            return
        target = Path(self._without_format_suffix(raw)).expanduser()
        if not target.is_absolute():  # a bare name goes to the export folder, not the current one
            target = self.folder / target
        target = target.with_name(target.name + "." + fmt.suffix)
        document = self._document()
        self.say(f"Gemmer {target.name} …")
        try:
            # Off the event loop: a large plan as Word takes seconds to lay out.
            await asyncio.to_thread(self._render_and_write, fmt, document, target)
        except OSError as exc:
            self.say(f"Ikke gemt: {describe_os_error(exc) if exc.errno else exc}", error=True)
            return
        except ValueError as exc:  # text the format cannot hold; nothing was written
            self.say(f"Ikke gemt – filen kunne ikke laves: {exc}", error=True)
            return
        # Under the path, in full; a toast would cover the buttons and cut the path.
        self.say(f"Skrevet: {target.resolve()}")

    async def download(self, fmt: formats.ExportFormat, name: str) -> None:
        """In a browser (implan serve): the file is the user's download, not the server's."""
        filename = f"{safe_filename(self._without_format_suffix(name))}.{fmt.suffix}"
        try:
            data = await asyncio.to_thread(fmt.data, self._document())
        except ValueError as exc:
            self.say(f"Ikke hentet – filen kunne ikke laves: {exc}", error=True)
            return
        deliver(self.app, filename, data)
        self.say(f"Hentes i browseren: {filename}")
