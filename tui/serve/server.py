"""textual-serve's Server with the access gate, the Danish page and addresses taken from the
request (so a link by name, by IP or through a proxy all reach their own websocket)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shlex
import sys
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from tui.serve.gate import token_gate

TEMPLATES = Path(__file__).parent / "templates"
WEB_SESSION_ENV = "IMPLAN_WEB_SESSION"  # set for the sessions this server starts
log = logging.getLogger("textual-serve")


class BoundedAppService(AppService):
    """textual-serve's session, whose end is bounded: asked to quit (the tab closed, the
    connection gone), a session saves and exits in well under a second; one that has not within
    STOP_SECONDS is hung and is killed, so its plan's lock (the kernel's) is free."""

    STOP_SECONDS = 20.0

    async def stop(self) -> None:
        process = getattr(self, "_process", None)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.STOP_SECONDS
        # (wait_for may also return normally at the deadline: textual-serve's reader swallows
        # the cancellation. So the process itself is asked, not the exception.)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(super().stop(), self.STOP_SECONDS)
        if process is None:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(process.wait(), max(0.1, deadline - loop.time()))
        if process.returncode is None:
            log.warning("En implan-session svarede ikke på at skulle lukke og er stoppet.")
            process.kill()
            await process.wait()


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

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's (1.1), with a session whose stop is bounded (BoundedAppService)."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        session: BoundedAppService | None = None
        try:
            await websocket.prepare(request)
            session = BoundedAppService(self.command, write_bytes=websocket.send_bytes,
                                        write_str=websocket.send_str, close=websocket.close,  # type: ignore[arg-type]
                                        download_manager=self.download_manager, debug=self.debug)
            await session.start(width, height)
            await self._process_messages(websocket, session)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:
            log.exception(error)
        finally:
            if session is not None:
                await session.stop()
        return websocket

    async def on_startup(self, app: web.Application) -> None:
        """Said by the CLI before the server starts (in Danish); textual-serve's banner is not."""
