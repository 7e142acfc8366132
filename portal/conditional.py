"""HTTP validators shared by every read surface (API, downloads, feeds): the portal's public
address, entity tags from the facts that determine a response, and 304 on revalidation."""

from __future__ import annotations

import hashlib
from datetime import datetime
from functools import lru_cache

from flask import Response, current_app, request
from werkzeug.sansio.http import is_resource_modified

from portal.layout import DATA_DIR


def base_url() -> str:
    """The portal's public address: PORTAL_BASE_URL, or the address this request came to.

    Put together from the scheme, host and mount point as they came (`request.host_url` would
    also turn them into an IRI, a tenth of a kept record's CPU; the links must stay URLs)."""
    configured: str = current_app.config.get("BASE_URL") or ""
    if configured:
        return configured
    return f"{request.scheme}://{request.host}{request.root_path}".rstrip("/")


@lru_cache(maxsize=1)
def standards_version() -> str:
    """A digest of the standards file: exceedance factors change with it, so validators must."""
    return hashlib.sha256((DATA_DIR / "standards.csv").read_bytes()).hexdigest()[:16]


def validator(*parts: object) -> str:
    """An opaque entity tag from the facts that determine a response."""
    text = "\x1f".join(str(p) for p in (*parts, standards_version()))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def not_modified(
    tag: str, last_modified: datetime | None, *, max_age: int = 0, weak: bool = True
) -> Response | None:
    """304 when the client's copy is current: If-None-Match decides when sent (the weak
    comparison), else If-Modified-Since (to the second, as HTTP dates go).

    Werkzeug's comparison, given those two headers only: `werkzeug.http.is_resource_modified`
    also reads If-Match, which guards writes, and would answer a GET carrying a weak one 304."""
    if is_resource_modified(
        http_if_none_match=request.headers.get("If-None-Match"),
        http_if_modified_since=request.headers.get("If-Modified-Since"),
        etag=tag,
        last_modified=last_modified,
    ):
        return None
    return stamp(Response(status=304), tag, last_modified, max_age=max_age, weak=weak)


def stamp(
    response: Response,
    tag: str,
    last_modified: datetime | None,
    *,
    max_age: int = 0,
    weak: bool = True,
) -> Response:
    """Give a response its validators. With max_age 0 clients keep it but must revalidate;
    otherwise they may reuse it for max_age seconds first. A strong tag (`weak` False) promises
    the same bytes for the same tag (downloads: one data version gives one file)."""
    response.set_etag(tag, weak=weak)
    if last_modified is not None:
        response.last_modified = last_modified
    response.headers["Cache-Control"] = (
        f"public, max-age={max_age}" if max_age else "public, no-cache"
    )
    return response
