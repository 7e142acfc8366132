"""gunicorn settings for Clearwater: `gunicorn -c gunicorn.conf.py` (docs/deployment.md).

Every value comes from the environment, so one file serves a laptop, a node behind a load
balancer and the benchmarks:

- PORTAL_WORKERS (default 2): worker processes; one per core is right for this app, whose
  requests mostly wait on the database or run Python.
- PORTAL_THREADS (default 4): threads per worker (gthread). They overlap database and Redis
  waits, and keep a worker's heartbeat going during a long CSV download.
- PORT (default 5000) and HOST (default 127.0.0.1; 0.0.0.0 behind a load balancer).
- PORTAL_WSGI_APP (default wsgi:app): what to serve; the benchmarks serve other apps with the
  same settings.

The app is not preloaded: each worker builds it after the fork, so each opens its own database
engine (no pooled connection shared across a fork) and starts its own search service (jieba's
dictionary, Whoosh searchers and the index catch-up belong to the process that uses them).
"""

from __future__ import annotations

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("PORTAL_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("PORTAL_THREADS", "4"))
wsgi_app = os.environ.get("PORTAL_WSGI_APP", "wsgi:app")
preload_app = False
# A worker silent this long is restarted; gthread workers keep beating during long downloads.
timeout = 60
graceful_timeout = 30
keepalive = 5  # seconds an idle keep-alive connection is held (behind a proxy that reuses them)
backlog = 2048
limit_request_line = 8190  # long filtered listing addresses
accesslog = os.environ.get("PORTAL_ACCESS_LOG") or None  # "-" for stdout
errorlog = "-"
loglevel = os.environ.get("PORTAL_LOG_LEVEL", "info")
proc_name = "clearwater"
