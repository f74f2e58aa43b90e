"""textual-serve's Server with the access gate, the Danish page and addresses taken from the
request (so a link by name, by IP or through a proxy all reach their own websocket)."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

from tui.serve.gate import token_gate

TEMPLATES = Path(__file__).parent / "templates"
WEB_SESSION_ENV = "IMPLAN_WEB_SESSION"  # set for the sessions this server starts


def session_command(db_path: Path) -> str:
    """The shell command textual-serve runs for each browser session: implan itself on the
    server's database. `exec`, so the session is the shell's child no longer: when the server
    goes away, the session sees its parent change and closes (tui/app/web.py)."""
    return f"exec {shlex.quote(sys.executable)} -m tui --db {shlex.quote(str(db_path))}"


class ImplanServer(Server):
    def __init__(self, db_path: Path, host: str, port: int, token: str | None,
                 public_url: str | None = None) -> None:
        os.environ[WEB_SESSION_ENV] = "1"  # the sessions inherit the server's environment
        super().__init__(session_command(db_path), host=host, port=port, title="implan",
                         public_url=public_url, templates_path=TEMPLATES)
        self.token = token
        self.given_public_url = public_url

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(token_gate(self.token, self.given_public_url))
        return app

    def base_url(self, request: web.Request) -> str:
        """--public-url when given (behind a proxy), else the address the browser used."""
        if self.given_public_url:
            return self.given_public_url.rstrip("/")
        return f"{request.scheme}://{request.host}"

    async def handle_index(self, request: web.Request) -> web.Response:
        base = self.base_url(request)
        websocket = ("wss" if base.startswith("https:") else "ws") + base[base.index(":"):] + "/ws"
        context: dict[str, Any] = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": websocket,
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": "implan"},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.headers["Cache-Control"] = "no-store"
        return response

    async def on_startup(self, app: web.Application) -> None:
        """Said by the CLI before the server starts (in Danish); textual-serve's banner is not."""

    def initialize_logging(self) -> None:
        """textual-serve's log goes to the terminal that runs the server (one line per session)."""
        super().initialize_logging()
