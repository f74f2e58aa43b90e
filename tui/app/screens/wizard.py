"""The wizard: one section at a time; the section list left, fields in the middle, the focused
field's help questions and examples right — always in view."""

from __future__ import annotations

import asyncio
import contextlib

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Collapsible, Header, Input, Label, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from tui.app.autosave import IDLE_SECONDS, Autosaver, Saved, Snapshot
from tui.app.messages import OpenExport, OpenGuidance, OpenOutstanding, OpenReference, OpenReview
from tui.app.screens.choice import ChoiceScreen
from tui.app.screens.confirm import ConfirmScreen
from tui.app.screens.prompt import PromptScreen
from tui.app.widgets.fields import FieldChanged, FieldEditor, FieldFocused
from tui.app.widgets.footer import FittingFooter
from tui.app.widgets.item_editor import ItemAction, ItemEditor, ItemStub, ItemTitleChanged, estimated_height
from tui.app.widgets.kinds import kind_help
from tui.app.workers import finish_workers
from tui.core.cpr import ITEM_TITLE
from tui.core.guide import add_reference_item, can_add_reference, guidance_titles, reference_target
from tui.core.kinds import FieldKind
from tui.core.plan import Plan, PlanProgress, SectionProgress, ValueRefused, guidance_for
from tui.core.refs import FieldRef
from tui.core.smart import SMART_CHECKS
from tui.core.templates import FieldSpec, ItemSpec, SectionSpec
from tui.core.workspace import Workspace

WELCOME_HELP = """\
### Hjælp

Hjælpespørgsmål og eksempler til det felt, du står i, vises her.

Gå mellem felterne med **Tab** og **Shift+Tab**. Alt gemmes automatisk.

Rul i hjælpen med **Alt+PgDn** og **Alt+PgUp** (eller **Alt+↓** og **Alt+↑**).
"""


def enclosing(widget, cls):
    """The nearest ancestor of `widget` that is a `cls`, or None."""
    return next((a for a in widget.ancestors if isinstance(a, cls)), None) if widget is not None else None


class WizardScreen(Screen):
    CSS_PATH = "wizard.tcss"
    # Not None: None means "the app's default" (the first focusable widget, the section list).
    AUTO_FOCUS = ""  # show_section puts focus in the first field
    # The section list only where it leaves the fields room: below 150 columns it is F6's picker,
    # so at 120 a milestone's text shows 40+ characters; below 70 the help goes under the fields.
    HORIZONTAL_BREAKPOINTS = [(0, "-tiny"), (70, "-narrow"), (150, "-wide")]
    BINDINGS = [
        # Priority: the text area has its own meaning for F6, F7 and Ctrl+PgUp/PgDn.
        # Short descriptions so the essential keys fit the Footer at 80 columns; F1 lists them all.
        Binding("f7", "prev_section", "Forrige", id="wizard.prev", priority=True),
        Binding("f8", "next_section", "Næste", id="wizard.next", priority=True),
        Binding("f2", "review", "Gennemgang", id="wizard.review", priority=True),
        Binding("f3", "export", "Eksport", id="wizard.export", priority=True),
        Binding("f4", "add_item", "Tilføj", id="wizard.add_item", priority=True),
        Binding("f9", "outstanding", "Udestående", id="wizard.outstanding", priority=True),
        Binding("f6", "goto_section_list", "Gå til afsnit", id="wizard.sections", show=False, priority=True),
        Binding("f5", "add_section", "Nyt afsnit", id="wizard.add_section", show=False, priority=True),
        Binding("f10", "guidance", "Vejledning til planen", id="wizard.guidance", show=False, priority=True),
        # Only where the template has reference material (e.g. national support on offer).
        Binding("f12", "reference", "Forslag til aktiviteter", id="wizard.reference", show=False, priority=True),
        Binding("escape", "back", "Til planerne", id="wizard.back", show=False),
        # The help panel is no Tab stop (Tab goes field to field); Alt+PgDn/PgUp reach it from any
        # field, and Alt+arrow where the terminal keeps Alt+PgDn for itself.
        Binding("alt+pagedown,alt+down", "scroll_help(1)", "Rul hjælpen ned", id="wizard.help.down",
                show=False, priority=True),
        Binding("alt+pageup,alt+up", "scroll_help(-1)", "Rul hjælpen op", id="wizard.help.up",
                show=False, priority=True),
        # Kept out of this Footer (no room at 80 columns); F1 and the home screen show it.
        Binding("ctrl+q", "app.quit", "Afslut", id="wizard.quit", show=False, priority=True),
        # For terminals that take F7/F8 for themselves.
        Binding("ctrl+pageup", "prev_section", "Forrige afsnit", id="wizard.prev.alt", show=False, priority=True),
        Binding("ctrl+pagedown", "next_section", "Næste afsnit", id="wizard.next.alt", show=False, priority=True),
    ]

    def __init__(self, workspace: Workspace, plan: Plan, edit_lock=None, at: FieldRef | None = None) -> None:
        """`at`: where to open the plan, e.g. the item chosen in the outstanding list."""
        super().__init__()
        self.at = at
        self.workspace = workspace
        self.plan = plan
        self.edit_lock = edit_lock
        self.section_index = 0
        self.autosaver = Autosaver(workspace, plan)
        self._timer: Timer | None = None
        self._shown = 0
        self._help_shown = self._help_wanted = WELCOME_HELP
        self._help_busy = False
        self._help_ready = asyncio.Event()
        self._last_blurred: Widget | None = None  # which way Tab went into a stub
        self.keeping_in_view: Widget | None = None  # a field held in view while the section settles

    # -- layout ------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        # The breakpoint class is otherwise set after the first frame, which flashes the wide layout.
        width = self.app.size.width
        current = [name for least, name in self.HORIZONTAL_BREAKPOINTS if width >= least][-1]
        for _, name in self.HORIZONTAL_BREAKPOINTS:
            self.set_class(name == current, name)
        yield Header()
        with Horizontal(id="body"):
            with Vertical(id="sections"):
                yield Label(self.plan.template.sections_label, classes="section-heading")
                yield OptionList(id="section-list", markup=False)
                if self.plan.template.added_sections is not None:
                    yield Button(Content(f"+ {self.plan.template.added_sections.add_label} (F5)"), id="add-section")
            # Not focusable itself: focusing it would restyle every field in the section (slow)
            yield VerticalScroll(id="content", can_focus=False)
            with VerticalScroll(id="help"):
                self._help_shown = self._help_wanted = self.opening_help()
                yield Markdown(self._help_shown, id="help-text")
        with Horizontal(id="statusline"):
            yield Static("", id="progress-text", markup=False)
            yield Static("", id="saved")
        yield FittingFooter(compact=True, show_command_palette=False)

    async def on_mount(self) -> None:
        self.title = self.plan.title
        self.sub_title = self.plan.template.short_title
        self.refresh_section_list()
        content = self.query_one("#content", VerticalScroll)
        self.watch(content, "scroll_y", self._scrolled, init=False)
        # Straight to where `at` points: showing the first section before it cost a second render.
        at = self.at
        index = next((i for i, s in enumerate(self.sections) if at is not None and s.id == at.section), None)
        if at is None or index is None:
            await self.show_section(0)
        else:
            await self.show_section(index, at if at.item else None)

    def on_resize(self) -> None:
        self.call_after_refresh(self.reveal_visible)

    def _scrolled(self) -> None:
        self.call_after_refresh(self.reveal_visible)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "add_section":
            return self.plan.template.added_sections is not None
        if action == "add_item":
            return self.current_section.added_items is not None
        if action == "guidance":
            return bool(guidance_titles(self.plan))
        if action == "reference":
            return self.can_add_reference()
        return True

    def can_add_reference(self) -> bool:
        return can_add_reference(self.plan, self.current_section.id)

    @property
    def sections(self) -> list[SectionSpec]:
        return self.plan.sections()

    @property
    def current_section(self) -> SectionSpec:
        return self.sections[self.section_index]

    def section_prompt(self, section: SectionSpec, progress: SectionProgress | None = None) -> str:
        progress = progress or self.plan.section_progress(section)
        mark = "✓" if progress.complete else ("◐" if progress.filled else "○")
        return f"{mark} {section.heading}\n  {progress.percent} % udfyldt"  # own line: a wrapped "%" read badly

    def refresh_section_list(self) -> None:
        options = self.query_one("#section-list", OptionList)
        options.clear_options()
        # One progress for all sections: each counts what the review finds, read from the whole plan.
        progress = self.plan.progress()
        options.add_options([Option(self.section_prompt(s.section, s), id=s.section.id) for s in progress.sections])
        options.highlighted = self.section_index
        self.refresh_progress(progress)

    def refresh_progress(self, progress: PlanProgress | None = None) -> None:
        progress = progress or self.plan.progress()
        here = progress.sections[self.section_index]
        self.query_one("#progress-text", Static).update(
            f"{self.current_section.heading}: {here.percent} %  ·  Planen: {progress.sections_complete}/"
            f"{len(progress.sections)} afsnit, {progress.percent} %")
        options = self.query_one("#section-list", OptionList)
        if options.option_count == len(self.sections):
            options.replace_option_prompt_at_index(self.section_index, self.section_prompt(here.section, here))

    async def show_section(self, index: int, focus: FieldRef | None = None) -> None:
        """Show section `index`; with `focus` (naming an item), focus in that item and field."""
        await self._stop_mounting()
        self.save_soon(immediately=True)
        self.section_index = max(0, min(index, len(self.sections) - 1))
        section = self.current_section
        content = self.query_one("#content", VerticalScroll)
        await content.remove_children()
        widgets: list[Widget] = [Static(section.heading, classes="section-heading", markup=False)]
        # The intro is open until the section has answers; then the answers come first.
        intro_open = bool(section.intro) and self.plan.section_progress(section, issues=0).filled == 0
        if section.intro:
            widgets.append(Collapsible(Markdown(section.intro), title="Introduktion", collapsed=not intro_open))
        spec = section.added_items
        items = self.plan.items(section)
        if spec and spec.recommendation:
            itype = self.plan.template.item_types[spec.type]
            label = (itype.label if len(items) == 1 else itype.label_plural).lower()
            widgets.append(Static(f"{spec.recommendation} I har {len(items)} {label}.", classes="recommendation",
                                  markup=False))
        widgets += self._item_widgets(items, focus.item if focus else None, len(widgets))
        if spec:
            widgets.append(Button(Content(f"+ {spec.add_label} (F4)"), id="add-item"))
        if self.plan.is_added_section(section.id):
            widgets.append(Button("Fjern dette afsnit", id="remove-section", variant="error"))
        with self.app.batch_update():
            await content.mount_all(widgets)
        content.scroll_home(animate=False)
        self.query_one("#section-list", OptionList).highlighted = self.section_index
        self.refresh_progress()
        self.refresh_bindings()
        self._focus_shown_section(focus, intro_open)
        self.call_after_refresh(self.reveal_visible)  # where the estimates of the heights were short

    def _item_widgets(self, items: list[ItemSpec], focus_item: str | None, above: int) -> list[Widget]:
        """An editor for each item that is in sight when the section opens (or is to be focused),
        a stub for the others: a phase of 20 questions is ~1000 widgets, seconds to lay out."""
        content = self.query_one("#content", VerticalScroll)
        width = content.size.width or self.app.size.width
        room = (content.size.height or self.app.size.height) - 2 * above
        widgets: list[Widget] = []
        for number, item in enumerate(items, start=1):
            height = estimated_height(self.plan, item, width - 2)
            shown = item.id == focus_item if focus_item else (room > 0 or number == 1)
            widgets.append(ItemEditor(self.plan, item, number) if shown else ItemStub(self.plan, item, number, height))
            room -= height
        return widgets

    def reveal_visible(self) -> None:
        """Put editors in place of the stubs scrolled into view."""
        if not self.is_mounted:
            return
        content = self.query_one("#content", VerticalScroll)
        top = content.scroll_y - 2
        bottom = content.scroll_y + content.scrollable_content_region.height + 2
        stubs = [stub for stub in content.query_children(ItemStub) if not stub.revealing
                 and stub.virtual_region.y < bottom and stub.virtual_region.bottom > top]
        if stubs:
            self._start_reveal(stubs)

    def _start_reveal(self, stubs: list[ItemStub], backwards: bool = False) -> None:
        for stub in stubs:
            stub.revealing = True  # at once: the scroll watch can ask again before the worker runs
        self.run_worker(self._reveal(stubs, backwards), group="mount-later")

    async def _reveal(self, stubs: list[ItemStub], backwards: bool = False) -> None:
        """The editors in place of `stubs`; one of them focused takes focus into its editor."""
        content = self.query_one("#content", VerticalScroll)
        shown = self._shown
        editors = [ItemEditor(self.plan, stub.item, stub.number) for stub in stubs]
        with self.app.batch_update():
            await asyncio.gather(*(content.mount(e, before=s) for e, s in zip(editors, stubs, strict=True)))
            if shown != self._shown:
                return
            if self.focused in stubs:  # the editor takes the focus before its stub goes
                self._focus_in(editors[stubs.index(self.focused)], last=backwards)
            await content.remove_children(stubs)

    async def reveal_item(self, item_id: str) -> None:
        """The item's editor in place of its stub, if it is one (as scrolling to it does)."""
        stub = next(self.query(f"#stub--{item_id}").results(ItemStub), None)
        if stub is not None and not stub.revealing:
            stub.revealing = True
            await self._reveal([stub])
        await finish_workers(self, "mount-later")

    def _focus_in(self, editor: ItemEditor, last: bool) -> None:
        chain = [w for w in self.focus_chain if editor in w.ancestors]
        if chain:
            chain[-1 if last else 0].focus()

    def _enter_stub(self, stub: ItemStub) -> None:
        """Tab (or a click) reached a stub: its editor, with focus on its first field (its last
        when the focus came from below, Shift+Tab)."""
        if stub.revealing:
            return
        content = self.query_one("#content", VerticalScroll)
        came_from = next((w for w in content.children if self._last_blurred in (w, *w.ancestors)), None)
        backwards = came_from is not None and content.children.index(came_from) > content.children.index(stub)
        self._start_reveal([stub], backwards)

    def _focus_shown_section(self, focus: FieldRef | None, intro_open: bool) -> None:
        """Focus `focus`'s field, else the intro while it is open, else the first field."""
        if focus and focus.item:
            self.focus_field(focus.item, focus.field, focus.milestone)
        elif intro_open:
            # Focus on the intro, not on a field below it and out of sight; Tab goes on to the first field.
            self.query_one("CollapsibleTitle").focus(scroll_visible=False)
            self.show_section_help()
        else:
            fields = list(self.query(FieldEditor))
            if fields:
                # The section opens at its top (heading, intro, first item); a scroll to the
                # field would race the scroll home and land differently each time.
                fields[0].focus_input(scroll=False)
            else:  # e.g. a theme with no activities yet: the way forward is to add one
                self.show_section_help()
                buttons = self.query("#add-item")
                if buttons:
                    buttons.first().focus()

    async def _stop_mounting(self) -> None:
        """Abandon the rest of a section still being mounted, and let the batch in flight finish:
        removing widgets while Textual mounts them (a Select) fails inside Textual."""
        self._shown += 1
        await finish_workers(self, "mount-later")

    def focus_field(self, item_id: str, field_id: str | None, milestone_id: str | None = None) -> None:
        """One focus call only: Textual applies focus later, so a second call would race the first."""
        if field_id in (None, ITEM_TITLE):
            titles = self.query(f"#item--{item_id} .item-title").results(Input)
            title = next(titles, None)
            if title is not None and (field_id or not title.value):  # a new item: it needs a title first
                title.focus()
                if isinstance(title.parent, Widget):
                    self.call_after_refresh(title.parent.scroll_visible, animate=False)
                return
        target: FieldEditor | None = None
        if field_id:
            target = next(self.query(f"#field--{item_id}--{field_id}").results(FieldEditor), None)
        if target is None:
            item = next(self.query(f"#item--{item_id}").results(ItemEditor), None)
            target = next(item.query(FieldEditor).results(), None) if item is not None else None
        if target is not None:
            target.focus_input(milestone_id)
            self._bring_into_view(target)

    def _bring_into_view(self, widget: Widget, ticks: int = 40, still: int = 0, last: object = None) -> None:
        """Scroll a field into view and keep it there while the section settles: text areas
        take their height after the first layout, which moves everything below them. Stops
        once the field has stood in view for a few checks, or when the focus leaves it (the
        user has moved on), at the latest after `ticks` checks (4 s)."""
        self.keeping_in_view = None
        if ticks == 0 or not widget.is_mounted:
            return
        focused = self.focused  # Textual applies a focus call later: not yet on the first check
        moved_on = focused is None or (focused is not widget and widget not in focused.ancestors)
        if last is not None and moved_on:
            return
        content = self.query_one("#content", VerticalScroll)
        in_view = content.region.contains_region(widget.region)
        if not in_view:
            # With its item's heading (the question) above it when both fit on the screen.
            item = enclosing(widget, ItemEditor)
            if item is not None and widget.region.bottom - item.region.y <= content.region.height:
                item.scroll_visible(animate=False, top=True)
            else:
                widget.scroll_visible(animate=False, top=True)
        placed = (widget.region, content.scroll_y, content.virtual_size)
        still = still + 1 if in_view and placed == last else 0
        if still < 3:
            self.keeping_in_view = widget
            self.set_timer(0.1, lambda: self._bring_into_view(widget, ticks - 1, still, placed))

    # -- help beside the field --------------------------------------------------------------------
    def set_help(self, markdown: str) -> None:
        self._help_wanted = markdown
        if not self._help_busy:
            self._help_busy = True
            self.run_worker(self._render_help(), group="help")

    async def _render_help(self) -> None:
        """One Markdown update at a time, the newest text last. Markdown.update picks the blocks
        to remove when it is called, not when it runs: an update started before the previous one
        (or the widget's own first one, at mount) has finished leaves the old help in place."""
        try:
            await self._help_ready.wait()
            while self._help_wanted != self._help_shown and self.is_mounted:
                text = self._help_wanted
                await self.query_one("#help-text", Markdown).update(text)
                self._help_shown = text
                self.query_one("#help", VerticalScroll).scroll_home(animate=False)
        finally:
            self._help_busy = False

    @on(Markdown.TableOfContentsUpdated, "#help-text")
    def _help_mounted(self) -> None:
        self._help_ready.set()  # the help's own first update (at mount) is done

    def show_section_help(self) -> None:
        self.set_help(self.section_help_text())

    def section_help_text(self) -> str:
        section = self.current_section
        parts = [f"### {section.heading}"]
        if section.intro:
            parts.append("**Enter** på »Introduktion« folder den sammen eller ud; **Tab** går til det første felt.")
        spec = section.added_items
        if spec:
            parts.append(f"Tryk **F4** for at tilføje: {spec.add_label.lower()}.")
            if spec.recommendation:
                parts.append(spec.recommendation)
        if spec and self.can_add_reference():
            label = self.plan.template.item_types[spec.type].label.lower()
            parts.append(f"**F12**: {self.plan.template.reference_use.title.lower()} – vælg et forslag, og "
                         f"tilføj det her som ny {label}, som I retter til.")
        added = self.plan.template.added_sections
        if added is not None:
            parts.append(f"**F5**: {added.add_label.lower()}.")
        titles = guidance_titles(self.plan)
        if titles:
            parts.append("**F10**: vejledning til hele planen – " + ", ".join(f"»{t}«" for t in titles) + ".")
        parts.append("Gå mellem felterne med **Tab** og **Shift+Tab**; **F8** går til næste afsnit. "
                     "Alt gemmes automatisk.")
        return "\n\n".join(parts)

    def opening_help(self) -> str:
        """The help for where the plan opens (as _focus_shown_section focuses it): the help panel
        is drawn once, with it, instead of a second time on the first frames."""
        section = self.current_section
        if self.at is not None:
            return WELCOME_HELP
        if section.intro and self.plan.section_progress(section).filled == 0:
            return self.section_help_text()
        for item in self.plan.items(section):
            fields = self.plan.item_type(item).fields
            if fields:
                return self.field_help_text(item, fields[0])
        return self.section_help_text()

    def on_descendant_focus(self, event) -> None:
        """Help for whatever has focus, also where it is not an answer field."""
        widget = event.widget
        if isinstance(widget, ItemStub):
            self._enter_stub(widget)
            return
        if enclosing(widget, FieldEditor) is not None:
            return  # the field posts FieldFocused with its own help
        item = enclosing(widget, ItemEditor)
        if widget.id == "section-list":
            self.set_help("### Afsnit\n\nVælg et afsnit med piletasterne og **Enter**. "
                          "Mærket viser, hvor langt I er: ○ ikke begyndt, ◐ i gang, ✓ udfyldt.")
        elif item is not None and widget.has_class("item-title"):
            parts = ["### Titel\n\nSkriv en kort titel, som alle i gruppen kan genkende. Den står i oversigten "
                     "over initiativer, på tidslinjen og i eksporten."]
            for title, guidance in guidance_for(self.plan, item.item, None):
                parts.append(f"### {title}\n\n{guidance.to_markdown()}")
            self.set_help("\n\n".join(parts))
        elif item is not None:
            self.set_help("### Flyt eller fjern\n\n**Flyt op** og **Flyt ned** ændrer rækkefølgen; "
                          "**Fjern** sletter elementet, når du har bekræftet det.")
        else:
            self.show_section_help()

    @on(FieldFocused)
    def show_help(self, event: FieldFocused) -> None:
        self.set_help(self.field_help_text(event.editor.item, event.editor.spec))

    def field_help_text(self, item: ItemSpec, spec: FieldSpec) -> str:
        parts = []
        for title, guidance in guidance_for(self.plan, item, spec):
            parts.append(f"### {title}\n\n{guidance.to_markdown()}")
        if spec.suggestions:
            parts.append("**Forslag:**\n\n" + "\n".join(f"- {s}" for s in spec.suggestions))
        if spec.date_field or spec.kind == FieldKind.MILESTONES:  # a goal, or its steps
            parts.append(f"**SMART-tjek:** {SMART_CHECKS}")
        if not parts:
            parts.append(f"### {spec.label}\n\n{kind_help(spec.kind)}")
        return "\n\n".join(parts)

    # -- autosave ---------------------------------------------------------------------------------
    @on(FieldChanged)
    def field_changed(self, event: FieldChanged) -> None:
        self.autosaver.mark_dirty()
        self.refresh_progress()
        self.save_soon()

    @on(ItemTitleChanged)
    def title_changed(self, event: ItemTitleChanged) -> None:
        self.autosaver.mark_dirty()
        self.save_soon()

    def on_descendant_blur(self, event) -> None:
        self._last_blurred = event.widget
        self.save_soon(immediately=True)

    def commit_pending(self) -> None:
        """A date is checked when its field is left; leaving the plan or the app leaves it too.
        Only the focused field can hold text not stored yet: every other one was stored on blur."""
        editor = enclosing(self.app.focused, FieldEditor)
        if editor is not None:
            before = editor.change_count
            editor.commit()
            if editor.change_count != before:
                self.autosaver.mark_dirty()  # the FieldChanged message may come after the save

    def save_soon(self, immediately: bool = False) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if immediately:
            self.commit_pending()
            self._save_in_background()
        else:
            self._timer = self.set_timer(IDLE_SECONDS, self._save_in_background)

    def _save_in_background(self) -> None:
        snapshot = self.autosaver.snapshot()
        if snapshot is not None:
            self._write(snapshot)

    @work(thread=True, group="autosave")
    def _write(self, snapshot: Snapshot) -> None:
        saved = self.autosaver.write(snapshot)
        with contextlib.suppress(RuntimeError):  # the app is closing; save_and_release writes what is left
            self.app.call_from_thread(self._after_save, saved)

    def _after_save(self, saved: Saved | None) -> None:
        """On the event loop: show the result and take in what others saved meanwhile."""
        if saved is None:
            self.notify(self.autosaver.last_error or "", title="Ikke gemt – prøver igen", severity="error",
                        timeout=10)
            return
        changed = self.autosaver.apply(saved)
        if self.is_mounted:
            self.query_one("#saved", Static).update(f"Gemt {saved.when}")
            self._show_changes_from_elsewhere(changed)
        for name in saved.conflicts:
            self.notify(f"{name} blev også ændret et andet sted. Din tekst er gemt; den anden version "
                        "ligger i planens historik.", title="Ændret to steder", severity="warning", timeout=15)

    def _show_changes_from_elsewhere(self, changed: set[tuple[str, ...]]) -> None:
        """Fields another window, the CLI or the outstanding screen changed: shown here too,
        except the field being typed in (its text is the one that counts)."""
        if not changed:
            return
        focused = enclosing(self.app.focused, FieldEditor)
        fields = {(p[1], p[2]) if p[0] == "answers" else tuple(p[1].split("/")[:2])
                  for p in changed if p[0] in ("answers", "drafts") and len(p) > 1}
        for editor in self.query(FieldEditor):
            if editor.key in fields and editor is not focused:
                self.run_worker(editor.recompose(), group="refresh-field")
        if any(p[0] in ("added_items", "added_sections") for p in changed):
            self.refresh_section_list()
            self.notify("Planen er ændret et andet sted. Nye eller fjernede elementer vises, når du åbner "
                        "afsnittet igen.", timeout=8)
        self.title = self.plan.title
        self.refresh_progress()

    def save_and_release(self) -> str | None:
        """Called when the plan closes (leaving it or quitting): write what is left, synchronously.
        The plan is always let go: what cannot be saved goes to a recovery file that the next
        start offers. Returns a Danish message when that happened."""
        if self._timer is not None:
            self._timer.stop()
        if self.is_mounted:
            self.commit_pending()
        message = None
        if not self.autosaver.save_now():
            message = self._rescue()
        if self.edit_lock is not None:
            self.edit_lock.release()
            self.edit_lock = None
        return message

    def _rescue(self) -> str:
        reason = self.autosaver.last_error or "ukendt fejl"
        try:
            path = self.autosaver.rescue()
        except OSError:
            try:
                path = self.autosaver.rescue_elsewhere()
            except OSError as exc:
                return (f"Ændringerne i »{self.plan.title}« kunne ikke gemmes: {reason}\nDer var heller "
                        f"ikke plads til en gendannelsesfil ({exc.strerror or exc}).")
        return (f"Ændringerne i »{self.plan.title}« kunne ikke gemmes i databasen: {reason}\n"
                f"De er gemt i gendannelsesfilen {path}, og implan tilbyder at gendanne dem, næste gang "
                "programmet starter.")

    # -- actions ----------------------------------------------------------------------------------
    @on(OptionList.OptionSelected, "#section-list")
    async def section_chosen(self, event: OptionList.OptionSelected) -> None:
        await self.show_section(event.option_index)

    async def action_next_section(self) -> None:
        if self.section_index < len(self.sections) - 1:
            await self.show_section(self.section_index + 1)
        else:
            self.notify("Det var sidste afsnit. Tryk F2 for at gennemgå planen.")

    async def action_prev_section(self) -> None:
        if self.section_index > 0:
            await self.show_section(self.section_index - 1)

    @work
    async def action_goto_section_list(self) -> None:
        section_list = self.query_one("#section-list", OptionList)
        if section_list.display and self.query_one("#sections").display:
            section_list.focus()
            return
        # Narrow terminal: the list is hidden, so it comes up as a picker instead.
        choices = [(s.section.id, self.section_prompt(s.section, s)) for s in self.plan.progress().sections]
        chosen = await self.app.push_screen_wait(ChoiceScreen("Gå til afsnit", choices, self.current_section.id))
        if chosen:
            await self.goto_section(chosen)

    async def goto_section(self, section_id: str, focus: FieldRef | None = None) -> None:
        for index, section in enumerate(self.sections):
            if section.id == section_id:
                await self.show_section(index, focus)
                return

    async def goto(self, ref: FieldRef | None) -> None:
        """Show the section `ref` names, with focus in its item and field when it names them."""
        if ref is not None:
            await self.goto_section(ref.section, ref if ref.item else None)

    async def action_add_item(self) -> None:
        section = self.current_section
        if section.added_items is None:
            return
        item_id = self.plan.add_item(section.id, "")
        self.autosaver.mark_dirty()
        await self.show_section(self.section_index, FieldRef(self.plan.id, section.id, item_id))

    def action_guidance(self) -> None:
        self.post_message(OpenGuidance(self.plan))

    def action_reference(self) -> None:
        """The reference material; the entry chosen becomes a new item of this section."""
        if not self.can_add_reference():
            return
        self.save_soon(immediately=True)
        section = self.current_section
        self.post_message(OpenReference(self.plan.template, section,
                                        done=lambda entry_id: self._add_reference(section.id, entry_id)))

    async def _add_reference(self, section_id: str, entry_id: str | None) -> None:
        if not entry_id:
            return
        if not can_add_reference(self.plan, section_id):  # removed meanwhile, e.g. in another window
            self.notify("Afsnittet findes ikke længere; forslaget er ikke tilføjet.", severity="error")
            return
        item_id = add_reference_item(self.plan, section_id, entry_id)
        self.autosaver.mark_dirty()
        _, item = self.plan.find_item(item_id)
        target = reference_target(self.plan.template, self.plan.item_type(item))
        await self.goto_section(section_id, FieldRef(self.plan.id, section_id, item_id,
                                                     target.id if target else None))
        note = self.plan.template.reference_use.note
        self.notify(" ".join(p for p in (f"»{item.title}« er tilføjet.", note, "Ret teksten til, så den passer "
                                         "til jeres plan.") if p), timeout=8)

    @on(Button.Pressed, "#add-section")
    def add_section_pressed(self) -> None:
        self.action_add_section()

    @on(Button.Pressed, "#add-item")
    async def add_item_pressed(self) -> None:
        await self.action_add_item()

    @work
    async def action_add_section(self) -> None:
        added = self.plan.template.added_sections
        if added is None:
            return
        title = await self.app.push_screen_wait(PromptScreen(f"{added.add_label}: titel", ""))
        if not title:
            return
        try:
            section_id = self.plan.add_section(title)
        except ValueRefused as exc:
            self.notify(str(exc), severity="error")
            return
        self.autosaver.mark_dirty()
        self.refresh_section_list()
        await self.goto_section(section_id)

    @on(Button.Pressed, "#remove-section")
    @work
    async def remove_section(self) -> None:
        section = self.current_section
        if not await self.app.push_screen_wait(ConfirmScreen(
                f"Vil du fjerne afsnittet »{section.title}« og alt, hvad der er skrevet i det?", "Fjern", "Behold")):
            return
        self.plan.remove_section(section.id)
        self.autosaver.mark_dirty()
        self.section_index = max(0, self.section_index - 1)
        self.refresh_section_list()
        await self.show_section(self.section_index)

    @on(ItemAction)
    @work
    async def item_action(self, event: ItemAction) -> None:
        if event.action == "remove":
            _, item = self.plan.find_item(event.item_id)
            if not await self.app.push_screen_wait(ConfirmScreen(
                    f"Vil du fjerne »{self.plan.item_title(item)}« og alt, hvad der er skrevet i den?",
                    "Fjern", "Behold")):
                return
            self.plan.remove_item(event.item_id)
        else:
            self.plan.move_item(event.item_id, -1 if event.action == "up" else 1)
        self.autosaver.mark_dirty()
        moved = FieldRef(self.plan.id, self.current_section.id, event.item_id) if event.action != "remove" else None
        await self.show_section(self.section_index, moved)

    def action_scroll_help(self, pages: int) -> None:
        help_panel = self.query_one("#help", VerticalScroll)
        if pages > 0:
            help_panel.scroll_page_down(animate=False)
        else:
            help_panel.scroll_page_up(animate=False)

    def action_review(self) -> None:
        self.save_soon(immediately=True)
        self.post_message(OpenReview(self.plan, done=self.goto))

    def action_outstanding(self) -> None:
        """The plan's outstanding initiatives; changes there are saved to the store, so the plan
        is read back afterwards."""
        if self._timer is not None:
            self._timer.stop()
        self.commit_pending()
        if not self.autosaver.save_now():
            # Reading the plan back afterwards must not drop what is not saved yet.
            self.notify(self.autosaver.last_error or "", title="Ikke gemt", severity="error", timeout=10)
            return
        self.post_message(OpenOutstanding(self.plan, done=self._outstanding_closed))

    async def _outstanding_closed(self, ref: FieldRef | None) -> None:
        await self.reload_from_store()
        if ref:
            await self.goto(ref)
        else:
            await self.show_section(self.section_index)

    async def reload_from_store(self) -> None:
        """Read the plan back (in a thread) and take in what was saved to it elsewhere."""
        try:
            stored = await asyncio.to_thread(self.workspace.get, self.plan.id)
        except Exception as exc:  # shown; the plan in memory stays as it is
            self.notify(str(exc), severity="error")
            return
        self.autosaver.take_in(stored.data)
        self.refresh_section_list()

    def action_export(self) -> None:
        self.save_soon(immediately=True)
        self.post_message(OpenExport(self.plan))

    async def action_back(self) -> None:
        await self._stop_mounting()
        message = self.save_and_release()
        if message:
            self.notify(message, title="Ikke gemt", severity="error", timeout=30)
        self.dismiss(self.plan.id)
