"""gunicorn settings for Clearwater: `gunicorn -c gunicorn.conf.py` (docs/deployment.md).

Every value comes from the environment, checked by portal/config.py like every other setting
(docs/configuration.md), so one file serves a laptop, a node behind a load balancer and the
benchmarks, and a wrong value stops gunicorn with a sentence before any worker starts:

- PORTAL_WORKERS (default 2): worker processes; one per core is right for this app, whose
  requests mostly wait on the database or run Python. More than one needs PORTAL_SECRET_KEY
  (each worker would otherwise sign forms and sign-ins with its own key): gunicorn refuses to
  start without it, whether the count comes from here or from `-w`.
- PORTAL_THREADS (default 4): threads per worker (gthread). They overlap database and Redis
  waits, and keep a worker's heartbeat going during a long CSV download.
- PORT (default 5000) and HOST (default 127.0.0.1; 0.0.0.0 behind a load balancer).
- PORTAL_WSGI_APP (default wsgi:app): what to serve; the benchmarks serve other apps with the
  same settings.
- PORTAL_ACCESS_LOG (default none; - for stdout) and PORTAL_LOG_LEVEL (default info).

The app is not preloaded: each worker builds it after the fork, so each opens its own database
engine (no pooled connection shared across a fork) and starts its own search service (jieba's
dictionary, Whoosh searchers and the index catch-up belong to the process that uses them).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from gunicorn import util
from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine
from gunicorn.workers.gthread import ThreadWorker

from portal.config import ConfigError, check_workers, load_settings

try:
    settings = load_settings()
except ConfigError as exc:
    sys.exit(f"error: {exc}")  # gunicorn prints it and exits 1 (an exception would print more)

# What gunicorn refuses before the app sees the request, said the way the app says its errors
# (problem+json with a sentence, RFC 9457) instead of gunicorn's HTML page. The app refuses a
# query string over 8,000 bytes itself (portal/api/http.py); a request line over
# limit_request_line never reaches it. gunicorn cannot take a longer line without taking any
# length (0 is unlimited, read whole into memory), so the limit stays and is answered here.
REFUSALS: dict[type[Exception], tuple[int, str, str]] = {
    LimitRequestLine: (
        414,
        "URI Too Long",
        "The address is over 8,190 bytes: shorten the query string (the API reads up to 8,000 "
        "bytes of it), or ask for less at once.",
    ),
    LimitRequestHeaders: (
        431,
        "Request Header Fields Too Large",
        "The request's headers are too many or too large: send fewer or shorter ones (cookies "
        "included).",
    ),
}


class ProblemWorker(ThreadWorker):
    """The gthread worker, answering gunicorn's own size refusals as problem+json."""

    def handle_error(self, req: Any, client: Any, addr: Any, exc: Exception) -> None:
        """problem+json for the refusals above; gunicorn's answer for everything else."""
        for kind, (status, reason, detail) in REFUSALS.items():
            if isinstance(exc, kind):
                self.log.warning("Invalid request from ip=%s: %s", addr[0], exc)
                problem = {
                    "type": "about:blank",
                    "title": reason,
                    "status": status,
                    "detail": detail,
                    "problems": [],
                }
                body = json.dumps(problem).encode()
                head = (
                    f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
                    f"Content-Type: application/problem+json\r\nContent-Length: {len(body)}\r\n"
                    "Access-Control-Allow-Origin: *\r\n\r\n"
                )
                try:
                    util.write_nonblock(client, head.encode("latin1") + body)
                except OSError:
                    self.log.debug("Failed to send error message.")
                return
        super().handle_error(req, client, addr, exc)


bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
workers = settings.workers
worker_class = ProblemWorker  # gthread
threads = settings.threads
wsgi_app = settings.wsgi_app
preload_app = False
# A worker silent this long is restarted; gthread workers keep beating during long downloads.
timeout = 60
graceful_timeout = 30
keepalive = 5  # seconds an idle keep-alive connection is held (behind a proxy that reuses them)
backlog = 2048
limit_request_line = 8190  # gunicorn's most: long filtered listing addresses (ProblemWorker)
accesslog = settings.access_log or None  # "-" for stdout
errorlog = "-"
loglevel = settings.log_level
proc_name = "clearwater"


def on_starting(server: Any) -> None:
    """Before any worker: refuse several workers without PORTAL_SECRET_KEY. The count is the
    one gunicorn settled on (`-w` on the command line wins over PORTAL_WORKERS); gunicorn
    prints a RuntimeError's sentence and exits 1."""
    try:
        check_workers(settings, server.cfg.workers)
    except ConfigError as exc:
        raise RuntimeError(str(exc)) from None
