"""HTML error pages: a sentence a person can act on, in the page language, never a traceback."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from portal.db import DatabaseUnavailable


def _titles() -> dict[int, tuple[str, str]]:
    """Title and advice of the errors a reader meets, in the page language."""
    return {
        400: (
            gettext("Bad request"),
            gettext("The address asks for something the portal cannot show."),
        ),
        404: (
            gettext("Page not found"),
            gettext("There is no page at this address. Check it, or search the records."),
        ),
        405: (gettext("Not allowed"), gettext("This page can only be read, not sent to.")),
        413: (
            gettext("Too much sent"),
            gettext(
                "What you sent is larger than this page accepts. Shorten the text and send it "
                "again."
            ),
        ),
        429: (gettext("Too many requests"), gettext("Wait a minute, then try again.")),
    }


def install(app: Flask) -> None:
    """Register the error handlers on the app."""

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[str, int]:
        status = exc.code or 500
        title, advice = _titles().get(status, (exc.name, ""))
        # A page's own sentence (abort(404, description=...)) beats the generic advice.
        generic = type(exc).description
        message = exc.description if exc.description and exc.description != generic else advice
        return render_template("error.html", status=status, title=title, message=message), status

    @app.errorhandler(DatabaseUnavailable)
    @app.errorhandler(OperationalError)
    def database_down(exc: Exception) -> tuple[str, int, dict[str, str]]:
        app.logger.error("database unavailable: %s", str(exc).splitlines()[0])
        return (
            render_template(
                "error.html",
                status=503,
                title=gettext("Service unavailable"),
                message=gettext(
                    "The records database cannot be reached just now. Try again in a minute."
                ),
            ),
            503,
            {"Retry-After": "30"},
        )
