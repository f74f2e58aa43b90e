"""implan's default theme: Textual's dark theme with every text/background pair at WCAG AA
(4.5:1), in colour and under NO_COLOR (Textual turns colours into greys by their weight there,
so a red that reads in colour can turn as dark as the row behind it).

tests/test_contrast.py measures this from the snapshots."""

from __future__ import annotations

import dataclasses

from textual.app import App
from textual.theme import BUILTIN_THEMES, Theme

DEFAULT_THEME = "implan"


def implan_theme() -> Theme:
    base = BUILTIN_THEMES["textual-dark"]
    return dataclasses.replace(base, name=DEFAULT_THEME, variables={
        **base.variables,
        # The cursor row / highlighted option: light text on textual-dark's #0178D4 is 3.8:1.
        "block-cursor-background": "#0062AD",
        "block-cursor-foreground": "#FFFFFF",
        # A primary button's text (»Opret plan«): 3.8:1 in $text, 4.5:1 in white.
        "button-color-foreground": "#FFFFFF",
        # Headings in the help and on the plan screens: #0178D4 on the background is 4.1:1;
        # this is the theme's $text-primary (a variable's value cannot name another variable).
        "markdown-h1-color": "#57A5E2",
        "markdown-h2-color": "#57A5E2",
        "markdown-h3-color": "#57A5E2",
    })


# Textual draws placeholders and group headings in $text-disabled (3.5:1), though they are read,
# not disabled, and a table's header in $primary (4.1:1).
LEGIBLE_CSS = """
Input > .input--placeholder, TextArea > .text-area--placeholder { color: $text-muted; }
OptionList > .option-list--option-disabled { color: $text-muted; }
MarkdownTableContent > .header { color: $text-primary; }
/* Where the keys go shows also without colour: a focused list's border is the bright accent
   (the template list beside the title field looked the same focused or not). */
OptionList:focus { border: tall $accent; }
"""


def overdue_style(app: App) -> str:
    """The Rich style for overdue text: the theme's error text colour (red reads 3.6:1 on a
    table row, and 1.3:1 as the grey NO_COLOR makes of it)."""
    return f"bold {app.theme_variables.get('text-error', 'red')}"
