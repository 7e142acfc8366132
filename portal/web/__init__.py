"""The HTML blueprint: home, listings and record pages, rendered from records queries.

Registering the blueprint also gives the app what every page needs: Flask-Babel with the
portal's catalogues, the security headers of HTML responses, and text echoed back without
invisible control characters (portal/web/reflect.py)."""

from typing import cast

from flask import Flask
from flask.blueprints import BlueprintSetupState

from portal.web import i18n, reflect, security
from portal.web.errors import install as register_errors
from portal.web.views import bp

__all__ = ["bp", "register_errors"]


@bp.record_once
def _setup(state: BlueprintSetupState) -> None:
    app = cast(Flask, state.app)
    i18n.init_app(app)
    security.init_app(app)
    reflect.init_app(app)
