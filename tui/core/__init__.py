"""Plan logic: templates, plans, initiatives, findings, export. Pure Python: never imports Textual."""
