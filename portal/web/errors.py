"""HTML error pages: a sentence a person can act on, never a traceback."""

from __future__ import annotations

from flask import Flask, render_template
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from portal.db import DatabaseUnavailable


def install(app: Flask) -> None:
    """Register the error handlers on the app."""

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[str, int]:
        return render_template(
            "error.html", status=exc.code, title=exc.name, message=exc.description
        ), exc.code or 500

    @app.errorhandler(DatabaseUnavailable)
    @app.errorhandler(OperationalError)
    def database_down(exc: Exception) -> tuple[str, int, dict[str, str]]:
        app.logger.error("database unavailable: %s", str(exc).splitlines()[0])
        return (
            render_template(
                "error.html",
                status=503,
                title="Service Unavailable",
                message="The records database cannot be reached just now. Try again in a minute.",
            ),
            503,
            {"Retry-After": "30"},
        )
