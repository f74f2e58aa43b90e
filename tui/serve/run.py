"""What `implan serve` does before and around the server: the token rule, the database checked
once, the link to share, and errors in Danish."""

from __future__ import annotations

import errno
import logging
import os
import re
import socket
import sys
from pathlib import Path

from tui.serve.gate import MIN_TOKEN_LENGTH, TOKEN_PARAMETER, is_loopback, new_token

TOKEN_ENV = "IMPLAN_SERVE_TOKEN"


class ServeRefused(Exception):
    """A setting `implan serve` will not run with; the message says what to do instead."""


def choose_token(host: str, option: str | None) -> tuple[str | None, bool]:
    """The token (None: none needed) and whether it was made here. `option` is --token's value:
    None when not given, "" when given without a value (make one)."""
    token = option if option else os.environ.get(TOKEN_ENV) or None
    if token is None and option == "":
        return new_token(), True
    if token is None and not is_loopback(host):
        raise ServeRefused(
            f"På {host} kan andre maskiner nå serveren, så den kræver en adgangsnøgle. Start med --token "
            f"(så laves en nøgle og vises én gang), med --token NØGLE eller miljøvariablen {TOKEN_ENV}; "
            "eller lyt kun på denne maskine med --host 127.0.0.1.")
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise ServeRefused(f"Adgangsnøglen er for kort: mindst {MIN_TOKEN_LENGTH} tegn. Brug --token uden "
                           "værdi for at få en tilfældig nøgle.")
    return token, False


def share_link(host: str, port: int, token: str | None, public_url: str | None) -> str:
    if public_url:
        base = public_url.rstrip("/")
    else:
        name = socket.gethostname() if host in ("0.0.0.0", "::", "") else host
        name = f"[{name}]" if ":" in name else name
        base = f"http://{name}:{port}"
    return f"{base}/?{TOKEN_PARAMETER}={token}" if token else f"{base}/"


class _HideToken(logging.Filter):
    """The access log names each request; never with the token in it."""

    _TOKEN = re.compile(rf"({TOKEN_PARAMETER}=)[^&\s\"]+")

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self._TOKEN.sub(r"\1…", str(record.msg))
        record.args = tuple(self._TOKEN.sub(r"\1…", a) if isinstance(a, str) else a
                            for a in (record.args or ()))
        return True


def serve(db_path: Path, host: str, port: int, token_option: str | None, public_url: str | None) -> int:
    from tui.core.workspace import Workspace

    try:
        token, made = choose_token(host, token_option)
        if public_url and not re.match(r"https?://[^/\s]+/?$", public_url):
            raise ServeRefused(f"--public-url skal være en adresse som https://implan.kommune.dk, ikke »{public_url}«.")
    except ServeRefused as exc:
        print(f"implan: {exc}", file=sys.stderr)
        return 2
    Workspace.open(db_path, write=True)  # a damaged or unwritable database is said now, once
    from tui.serve.server import ImplanServer

    print(f"implan serve: planerne i {db_path}")
    print(f"Åbn i browseren: {share_link(host, port, token, public_url)}")
    if made:
        print("Adgangsnøglen er lavet nu og vises kun denne ene gang; linket ovenfor indeholder den.")
    print("Stop serveren med Ctrl+C. Åbne planer gemmes, når en browserfane lukkes.", flush=True)
    logging.getLogger("aiohttp.access").addFilter(_HideToken())
    try:
        ImplanServer(db_path, host, port, token, public_url).serve()
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(f"implan: port {port} på {host} er allerede i brug. Vælg en anden med --port.", file=sys.stderr)
            return 1
        if exc.errno == errno.EACCES:
            print(f"implan: implan må ikke lytte på port {port} (porte under 1024 kræver særlige rettigheder). "
                  "Vælg en anden med --port.", file=sys.stderr)
            return 1
        raise
    print("implan serve er stoppet.", flush=True)
    # Now, not at interpreter exit: textual-serve leaves subprocess transports for a closed event
    # loop, whose finalizers print tracebacks. Each session saves on its own (its parent is gone).
    os._exit(0)
