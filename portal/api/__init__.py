"""The open-data API: versioned JSON, streamed downloads, OpenAPI, data package, snapshots.

Routes live on one flask-openapi3 blueprint, `portal.api.blueprint.bp` (/api/v1), in the modules
of ROUTE_MODULES. A new surface adds its module there, as search (`GET /api/v1/search`) and the
assistant (`POST /api/v1/ask`) did, and its operations join the OpenAPI document by themselves.
Flask is imported only when the app is built: `portal snapshot` uses the Flask-free modules
(export, datapackage, snapshot) without it.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from flask import Flask

ROUTE_MODULES = (
    "compliance",
    "listing",
    "downloads",
    "readings",
    "meta",
    "search",
    "ask",
    "write",
    "obligations",
)
TITLE = "Clearwater open-data API"
DESCRIPTION = (
    "Records of China's recycled non-ferrous metal industry: enterprises, pollution incidents, "
    "inspections, disclosures and the departments that publish them. Read-only, no key needed, "
    "CC BY 4.0. Errors are application/problem+json; lists, records and downloads answer "
    "conditional requests with 304; every client has a rate limit (RateLimit-* headers)."
)


def openapi_options() -> dict[str, Any]:
    """Keyword arguments for the flask-openapi3 app class: document facts, no built-in UI."""
    from flask_openapi3 import Info

    return {
        "info": Info(title=TITLE, version="1.0.0", description=DESCRIPTION),
        # Reading needs no key; writing takes a publisher's token (docs/publishing.md).
        "security_schemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "doc_ui": False,  # the reader is ours, at /api/docs
        "validation_error_status": 400,
    }


def init_app(app: Flask) -> None:
    """Register the API on the app: routes, OpenAPI, reader, errors, headers, rate limits.

    Call after the HTML blueprint's error pages are installed: API errors take over under /api.
    """
    from flask_openapi3 import OpenAPI
    from flask_openapi3_swagger.plugins import RegisterPlugin

    from portal.api import http, problems
    from portal.api.blueprint import bp
    from portal.api.limits import init_limiter
    from portal.api.meta import docs

    for name in ROUTE_MODULES:
        import_module(f"portal.api.{name}")
    if not isinstance(app, OpenAPI):
        raise TypeError("the API needs create_app() to build a flask_openapi3.OpenAPI app")
    app.register_api(bp)
    app.register_blueprint(docs)
    app.register_blueprint(RegisterPlugin.register(doc_url="v1/openapi.json"), url_prefix="/api")
    problems.install(app)
    http.install(app)
    init_limiter(app)
    if app.config["API_KEEP_ANSWERS"]:
        from portal.api.listing import RECORD_KINDS, revision_of
        from portal.api.replay import KeptRecords

        app.wsgi_app = KeptRecords(app, app.wsgi_app, RECORD_KINDS, revision_of)  # type: ignore[method-assign]
