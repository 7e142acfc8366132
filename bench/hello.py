"""The framework's floor: a bare Flask "hello", served by bench/compare.py with the same
gunicorn settings as the portal (gunicorn.conf.py)."""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """Hello."""
    return "hello"
