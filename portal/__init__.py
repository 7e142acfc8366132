"""Clearwater: the app factory. Config, extensions and blueprints; nothing else."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from flask import Flask

from portal.config import load_settings


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the portal's WSGI application from PORTAL_* settings (or a test's overrides)."""
    from flask_openapi3 import OpenAPI

    from portal.api import openapi_options

    app = OpenAPI(
        __name__, static_folder="web/static", template_folder="web/templates", **openapi_options()
    )
    settings = load_settings()
    app.config.from_mapping(
        settings.app_config(),
        SETTINGS=settings,
        SECRET_KEY=settings.secret_key or secrets.token_hex(32),
        JSON_AS_ASCII=False,
    )
    if test_config:
        app.config.update(test_config)

    from portal import bodies, db

    db.init_app(app)
    bodies.init_app(app)

    from portal.cache import init_cache

    init_cache(app)

    from portal.alerts import worker as alerts_worker

    alerts_worker.install(app, db.get_engine(app.config["DATABASE_URL"]))

    from portal import search, web

    app.extensions["search"] = search.start(
        app.config["INDEX_DIR"],
        app.config["DATABASE_URL"],
        rebuild_if_missing=app.config["SEARCH_REBUILD_ON_START"],
    )

    app.register_blueprint(web.bp)
    web.register_errors(app)

    from portal.web import compliance as compliance_page
    from portal.web import obligations as obligations_page

    app.register_blueprint(obligations_page.bp)
    app.register_blueprint(compliance_page.bp)

    from portal import feeds, feeds_obligations, feeds_record  # noqa: F401  (add their routes)
    from portal.web import alerts, tips

    app.register_blueprint(feeds.bp)
    app.register_blueprint(tips.bp)
    app.register_blueprint(alerts.bp)

    from portal.assistant import web as ask

    app.register_blueprint(ask.bp)

    from portal import api

    api.init_app(app)
    return app
