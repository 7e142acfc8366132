"""The security headers of every response the portal sends, set in this one place.

- HTML pages get a Content-Security-Policy with no inline script or style (record text can
  never run or restyle a page). The API's reader (/api/docs, Swagger UI) brings two inline
  blocks of its own: they are allowed by their SHA-256 hashes, never by 'unsafe-inline'.
- Everything else (JSON, problems, CSV, NDJSON, feeds, static files) gets a policy that loads
  nothing at all, so a browser that renders one of them can run nothing from it.
- Every response: X-Content-Type-Options: nosniff, a Referrer-Policy, frame-ancestors 'none'
  and X-Frame-Options: DENY (the same, for browsers older than CSP level 2).
- Strict-Transport-Security only on a request that came over TLS (`request.is_secure`). The
  portal trusts no X-Forwarded-Proto of its own: gunicorn turns it into the request's scheme
  only for the proxies in its `--forwarded-allow-ips` (127.0.0.1 by default), so a client
  cannot make a plain-HTTP portal send HSTS, nor switch it off behind a TLS proxy.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache

from flask import Flask, Request, Response, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

# Scripts, styles, images and fetches from this origin only; inline <script>, <style> and
# style="" are refused. Inline SVG is markup, not a resource: the maps and charts need nothing.
DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)
POLICY = "; ".join(DIRECTIVES)
# Data is data: a JSON answer, a download or a feed opened in a browser loads and runs nothing.
DATA_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
# Pages whose inline blocks are ours and fixed (no record text): allowed by hash.
HASHED_PAGES = ("/api/docs",)
HSTS = "max-age=31536000"  # a year; no includeSubDomains: the operator's other hosts are theirs
REFERRER = "strict-origin-when-cross-origin"
HTML_TYPES = ("text/html", "application/xhtml+xml")
# Where everything is data, whatever its type says: a 304 or a CORS preflight has no body
# (a browser updates its cached copy's headers with a 304's, so it must carry the right one).
DATA_PREFIXES = ("/api/", "/feeds/", "/static/")
_INLINE = re.compile(rb"<(script|style)(?![^>]*\ssrc=)[^>]*>(.*?)</\1>", re.S | re.I)


def _sha256(source: bytes) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source).digest()).decode() + "'"


@lru_cache(maxsize=8)
def hashed_policy(page: bytes) -> str:
    """The HTML policy with the page's own inline scripts and styles allowed by hash."""
    scripts = [
        _sha256(m.group(2)) for m in _INLINE.finditer(page) if m.group(1).lower() == b"script"
    ]
    styles = [_sha256(m.group(2)) for m in _INLINE.finditer(page) if m.group(1).lower() == b"style"]
    extra = {"script-src": scripts, "style-src": styles}
    parts = []
    for directive in DIRECTIVES:
        name = directive.split(" ", 1)[0]
        parts.append(" ".join([directive, *extra.get(name, [])]))
    return "; ".join(parts)


def policy_for(response: Response) -> str:
    """The Content-Security-Policy a response is sent with."""
    path = request.path
    if path in HASHED_PAGES:
        html = response.mimetype in HTML_TYPES and not response.is_streamed
        return hashed_policy(response.get_data()) if html else POLICY
    if path == "/api" or path.startswith(DATA_PREFIXES):
        return DATA_POLICY  # the API, feeds and files (their 304s and preflights too)
    if response.status_code == 304 or response.mimetype in HTML_TYPES:
        return POLICY
    return DATA_POLICY


def protect(response: Response) -> Response:
    """Add the policy and the hardening headers to any response of the app."""
    headers = response.headers
    headers["Content-Security-Policy"] = policy_for(response)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = REFERRER
    headers["X-Frame-Options"] = "DENY"
    if request.is_secure:
        headers["Strict-Transport-Security"] = HSTS
    else:
        headers.pop("Strict-Transport-Security", None)
    return response


class PageSessions(SecureCookieSessionInterface):
    """Signed-cookie sessions for the pages that keep one (moderation, the forms' tokens); none
    for the API, feeds and files, which never read one: no cookie is parsed or signed, and no
    serializer built, on their requests (a tenth of a kept record's CPU).

    The cookie is HttpOnly (Flask's default), SameSite=Lax (no other site's request carries
    it, save a link followed) and Secure whenever the request came over TLS: the same
    `request.is_secure` that decides HSTS, so a plain-HTTP portal on a laptop still works."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """A null session (None) for data addresses; the cookie's session elsewhere."""
        if request.path.startswith(DATA_PREFIXES):
            return None
        return super().open_session(app, request)

    def get_cookie_secure(self, app: Flask) -> bool:
        """Secure when the operator says so, and always when the request came over TLS."""
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure

    def get_cookie_samesite(self, app: Flask) -> str | None:
        """Lax unless the operator chose another value."""
        return app.config["SESSION_COOKIE_SAMESITE"] or "Lax"


def init_app(app: Flask) -> None:
    """Send the headers with every response of the app (pages, API, feeds, files, errors), and
    keep sessions to the pages."""
    app.after_request(protect)
    app.session_interface = PageSessions()
