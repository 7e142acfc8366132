"""Headers every HTML page is sent with: a Content-Security-Policy with no inline script or
style (record text can never run or restyle a page), and the usual hardening."""

from __future__ import annotations

from flask import Flask, Response, request

# Scripts, styles, images and fetches from this origin only; inline <script>, <style> and
# style="" are refused. Inline SVG is markup, not a resource: the maps and charts need nothing.
POLICY = "; ".join(
    (
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
)
# The API's own reader (Swagger UI) brings its own page; the API sets its own headers.
OWN_HEADERS = ("/api/",)


def protect(response: Response) -> Response:
    """Add the policy and hardening headers to an HTML response (not to the API's pages)."""
    if response.mimetype != "text/html" or request.path.startswith(OWN_HEADERS):
        return response
    response.headers.setdefault("Content-Security-Policy", POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def init_app(app: Flask) -> None:
    """Send the headers with every HTML response of the app."""
    app.after_request(protect)
