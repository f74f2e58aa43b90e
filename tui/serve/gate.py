"""The access check in front of every page, websocket and download of `implan serve`.

A link with ?token=… sets a cookie (HttpOnly, SameSite=Lax) and redirects to the same address
without the token, so it does not stay in the address bar or the history. Every later request
carries the cookie. Without it: 401; with a wrong token: 403 — before any session starts.
A websocket from another site's page is refused whatever it carries (its Origin differs):
otherwise any web page the user visits could drive their implan session on loopback.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Middleware

COOKIE = "implan_adgang"
TOKEN_PARAMETER = "token"
MIN_TOKEN_LENGTH = 16
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

MISSING = ("Adgangsnøgle mangler",
           "Denne implan-server kræver en adgangsnøgle. Åbn det link med »?token=…«, som du har fået "
           "af den, der driver serveren.")
WRONG = ("Forkert adgangsnøgle",
         "Adgangsnøglen i linket passer ikke. Bed den, der driver serveren, om det rigtige link.")
FOREIGN = ("Afvist", "Forbindelsen kom fra en anden hjemmeside og er afvist.")


def is_loopback(host: str) -> bool:
    """Only this machine can reach the address (no token needed there)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _page(status: int, title: str, text: str) -> web.Response:
    body = (f'<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>{title} – implan</title>'
            f'</head><body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">'
            f"<h1>{title}</h1><p>{text}</p></body></html>")
    return web.Response(status=status, text=body, content_type="text/html", charset="utf-8")


def same_origin(request: web.Request, public_host: str = "") -> bool:
    """A websocket opened by a page from this server (browsers always send Origin on one): the
    address the request came to, or the public one a proxy serves it under."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True  # not a browser (curl, a test client): nothing to hijack
    return urlsplit(origin).netloc.lower() in {request.host.lower(), public_host.lower()} - {""}


def _matches(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def token_gate(token: str | None, public_url: str | None = None) -> Middleware:
    """aiohttp middleware: with `token`, nothing is served without it; the websocket's origin
    is checked in any case. `public_url`: where users reach the server through a proxy (then
    the cookie is Secure when that is https, though the request from the proxy is plain http)."""
    public = urlsplit(public_url or "")
    secure_cookie = public.scheme == "https"

    @web.middleware
    async def gate(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.headers.get("Upgrade", "").lower() == "websocket" and not same_origin(request, public.netloc):
            return _page(403, *FOREIGN)
        if token is None:
            return await handler(request)
        given = request.query.get(TOKEN_PARAMETER)
        if given is not None:
            if not _matches(given, token):
                return _page(403, *WRONG)
            rest = {key: value for key, value in request.query.items() if key != TOKEN_PARAMETER}
            response = web.HTTPSeeOther(request.rel_url.with_query(rest))
            response.set_cookie(COOKIE, token, httponly=True, samesite="Lax", path="/",
                                secure=secure_cookie or request.secure)
            return response
        cookie = request.cookies.get(COOKIE)
        if cookie is None:
            return _page(401, *MISSING)
        if not _matches(cookie, token):
            return _page(403, *WRONG)
        return await handler(request)

    return gate
