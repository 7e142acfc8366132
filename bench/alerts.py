"""What one `portal alerts send` round costs: N confirmed subscribers of the incidents feed, one
new incident, every mail handed to a real SMTP server on loopback (aiosmtpd); then a round with
nothing new (what cron or the worker pays every few minutes).

    PYTHONPATH=. .venv/bin/python bench/alerts.py [--subscribers 200]

Runs on a fresh SQLite file in a temporary folder; prints seconds and mails per second.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from smtp_support import smtp_server
from sqlmodel import Session

from factories import basics, incident, publish
from portal import create_app
from portal.db import get_engine, upgrade
from portal.models.alert import AlertSubscription
from portal.records.tokens import now_utc


def main() -> int:
    """Measure a round with news for every subscriber, and one with none."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscribers", type=int, default=200)
    n = parser.parse_args().subscribers
    from portal.alerts.sender import send_due

    with tempfile.TemporaryDirectory() as tmp, smtp_server() as (inbox, smtp_url):
        url = f"sqlite:///{tmp}/bench.db"
        upgrade(url)
        app = create_app(
            {
                "DATABASE_URL": url,
                "INDEX_DIR": f"{tmp}/index",
                "SEARCH_REBUILD_ON_START": False,
                "SMTP_URL": smtp_url,
                "ALERTS_FROM": "alerts@example.org",
                "BASE_URL": "https://clearwater.example.org",
            }
        )
        with Session(get_engine(url)) as session:
            basics(session)
            moment = now_utc()
            for i in range(n):
                session.add(
                    AlertSubscription(
                        email=f"reader{i}@example.org",
                        feed="/feeds/incidents.atom",
                        lang="en" if i % 2 else "zh",
                        frequency="immediate",
                        created_at=moment,
                        confirmed_at=moment,
                    )
                )
            session.commit()
            publish(session, incident(title_en="Benchmark spill"))
        started = time.perf_counter()
        tally = send_due(app)
        busy = time.perf_counter() - started
        assert tally.mails == n and len(inbox.drain()) == n
        started = time.perf_counter()
        idle = send_due(app)
        quiet = time.perf_counter() - started
        assert idle.mails == 0
    print(f"{n} subscribers, one new incident: {busy:.2f} s, {n / busy:.0f} mails/s")
    print(f"a round with nothing new: {quiet:.2f} s ({quiet / n * 1000:.1f} ms per subscriber)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
