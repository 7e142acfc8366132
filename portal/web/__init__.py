"""The HTML blueprint: home, listings and record pages, rendered from records queries."""

from portal.web.errors import install as register_errors
from portal.web.views import bp

__all__ = ["bp", "register_errors"]
