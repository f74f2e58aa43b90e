"""Storage errors. Each carries its data (path, plan id and title, what failed), and str() of each
is a complete Danish message that names no command-line flag and no key: how to go on is worded
by the side that shows it, from that data (tui/cli.py's describe_error for the terminal,
tui/app/wording.py's for the TUI)."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    pass


class DatabaseDamaged(StoreError):
    def __init__(self, path: Path, detail: str, moved_to: Path | None, newest_backup: Path | None):
        self.path = path
        self.detail = detail
        self.moved_to = moved_to
        self.newest_backup = newest_backup
        lines = [f"Databasen {path} er beskadiget og kan ikke læses ({detail})."]
        if moved_to:
            lines.append(f"Den er flyttet til {moved_to}, så intet bliver overskrevet.")
        if newest_backup:
            lines.append(f"Nyeste sikkerhedskopi: {newest_backup}")
        else:
            lines.append("Der findes ingen sikkerhedskopi; næste gang startes en tom database.")
        super().__init__("\n".join(lines))


class DatabaseTooNew(StoreError):
    def __init__(self, path: Path, found: int, supported: int):
        self.path = path
        self.found = found
        self.supported = supported
        super().__init__(
            f"Databasen {path} er skrevet af en nyere version af implan (skemaversion {found}); "
            f"denne version forstår op til skemaversion {supported}. "
            "Opdatér implan. Filen er ikke ændret."
        )


class DatabaseLocked(StoreError):
    def __init__(self, path: Path, seconds: float):
        self.path = path
        self.seconds = seconds
        super().__init__(
            f"Databasen {path} er optaget af et andet implan-program (ventede {seconds:.0f} sekunder). "
            "Prøv igen om lidt."
        )


class PlanConflict(StoreError):
    def __init__(self, title: str):
        self.title = title
        super().__init__(
            f"Planen »{title}« er ændret et andet sted, siden du åbnede den. "
            "Åbn planen igen for at se de nyeste ændringer."
        )


class PlanNotFound(StoreError):
    def __init__(self, plan_id: str, title: str = ""):
        self.plan_id = plan_id
        self.title = title
        name = f"»{title}«" if title else f"med id {plan_id}"
        super().__init__(f"Planen {name} findes ikke (længere) i databasen; måske er den slettet et andet sted.")


class PlanBusy(StoreError):
    def __init__(self, title: str, holder: str = "", since: str = ""):
        self.title = title
        self.holder = holder  # who has it open, as they or their window named themselves
        where = f"hos {holder}" if holder else "i et andet implan-vindue"
        when = f" (siden kl. {since})" if since else ""
        super().__init__(
            f"Planen »{title}« er allerede åben {where}{when}. "
            "Den skal lukkes dér først, så intet bliver overskrevet."
        )


class PlanExists(StoreError):
    def __init__(self, title: str, plan_id: str):
        self.title = title
        self.plan_id = plan_id
        super().__init__(f"Planen »{title}« findes allerede.")


class DatabaseReadOnly(StoreError):
    def __init__(self, path: Path):
        self.path = path
        super().__init__(
            f"Databasen {path} er skrivebeskyttet, så implan ændrer intet i den. "
            f'Giv skriveadgang med: chmod u+w "{path}"'
        )


class DatabasePathLoop(StoreError):
    def __init__(self, path: Path):
        self.path = path
        super().__init__(
            f"Databasestien {path} er et symbolsk link, der (via andre links) peger på sig selv."
        )
