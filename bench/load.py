"""Load test: 100 concurrent connections for 60 s against a mix of pages, API, search, feeds and
the assistant, on the generated data set, with gunicorn as deployed (gunicorn.conf.py).

    python bench/load.py [--records 100000] [--connections 100] [--seconds 60] [--workers 2]

Uses the data set and search index of bench/compare.py (made on first use), serves the portal
with gunicorn (PORTAL_WORKERS=2 gthread workers; rate limits raised, since every connection
comes from one address), points the assistant at a stand-in OpenAI-compatible server
(bench/_fake_llm.py, answering after --llm-delay seconds: the portal around a model, not a
model), and holds --connections keep-alive connections with wrk for --seconds over the mix.
Meanwhile one probe client asks each kind of request in turn, so each kind gets latency
figures under that load.

Prints requests/s, errors (answers of 400 and above, and socket errors: must be 0), latency
percentiles over all requests (wrk) and per kind (the probe), the servers' memory, and the load
average. Exits 1 when any request failed. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _load import (
    ROOT,
    Request,
    free_port,
    get_json,
    gunicorn,
    machine,
    rss_mib,
    wrk,
)
from compare import prepare

APP = (
    "portal:create_app({'API_RATE_LIMIT': '1000000000 per minute', "
    "'ASK_RATE_LIMIT': '1000000000 per minute', 'SEARCH_REBUILD_ON_START': False})"
)
QUESTION = "Which enterprises were penalised for cadmium in Guangxi?"


def mix(port: int) -> list[tuple[str, Request, int]]:
    """(kind, request, weight): what a day's visitors, readers and programs ask for."""
    inspections = get_json(port, "/api/v1/inspections?limit=20")["items"]
    enterprises = get_json(port, "/api/v1/enterprises?limit=20")["items"]
    assert isinstance(inspections, list) and isinstance(enterprises, list)
    ins = [str(i["id"]) for i in inspections]
    ent = [str(e["id"]) for e in enterprises]
    guangxi = quote("广西")
    ask = json.dumps({"question": QUESTION}, separators=(",", ":"))
    return [
        ("page: home", Request("/?lang=en", "page"), 2),
        ("page: listing", Request(f"/incidents?province={guangxi}", "page"), 3),
        ("page: listing", Request("/inspections?outcome=violation&lang=en", "page"), 2),
        *(("page: record", Request(f"/inspections/{i}", "page"), 1) for i in ins[:5]),
        *(("page: enterprise", Request(f"/enterprises/{e}?lang=en", "page"), 1) for e in ent[:3]),
        ("page: search", Request(f"/search?q={quote('镉 广西')}", "page"), 2),
        ("api: listing", Request("/api/v1/inspections?outcome=violation&limit=50", "api"), 4),
        ("api: listing", Request(f"/api/v1/enterprises?province={guangxi}", "api"), 2),
        *(("api: record", Request(f"/api/v1/inspections/{i}", "api"), 1) for i in ins),
        ("api: search", Request(f"/api/v1/search?q={quote('lead smelter')}", "search"), 3),
        ("api: search", Request(f"/api/v1/search?q={quote('镉')}", "search"), 2),
        ("feed", Request("/feeds/all.atom", "feed"), 2),
        ("feed", Request(f"/feeds/incidents.rss?province={guangxi}", "feed"), 1),
        ("feed", Request(f"/feeds/search.atom?q={quote('cadmium')}", "feed"), 1),
        ("ask", Request("/api/v1/ask", "ask", "POST", ask), 1),
    ]


def send(port: int, request: Request) -> tuple[int, float]:
    """One request on a fresh connection: status and seconds."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Content-Type": "application/json"} if request.body else {}
        conn.request(request.method, request.path, body=request.body or None, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        conn.close()


def probe(port: int, kinds: dict[str, list[Request]], stop: threading.Event) -> dict[str, list]:
    """Ask each kind of request in turn until stopped: (status, seconds) per kind."""
    seen: dict[str, list[tuple[int, float]]] = {k: [] for k in kinds}
    turn = 0
    while not stop.is_set():
        for kind, requests in kinds.items():
            if stop.is_set():
                break
            try:
                seen[kind].append(send(port, requests[turn % len(requests)]))
            except OSError:
                seen[kind].append((0, 0.0))
        turn += 1
    return seen


def pct(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] * 1000 if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def main() -> None:
    """Serve, load, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--llm-delay", type=float, default=0.05)
    args = parser.parse_args()
    db, index = prepare(args.records)

    llm_port = free_port()
    llm = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "bench" / "_fake_llm.py"),
            *("--port", str(llm_port), "--delay", str(args.llm_delay)),
        ]
    )
    env = {
        "PORTAL_DATABASE_URL": f"sqlite:///{db}",
        "PORTAL_INDEX_DIR": str(index),
        "PORTAL_LLM_BASE_URL": f"http://127.0.0.1:{llm_port}/v1",
        "PORTAL_LLM_MODEL": "fake",
        "PORTAL_LLM_API_KEY": "not-needed",
    }
    server = gunicorn("clearwater", APP, env, "/api/v1/departments", workers=args.workers)
    try:
        chosen = mix(server.port)
        weighted = [r for _, r, w in chosen for _ in range(w)]
        kinds: dict[str, list[Request]] = {}
        for kind, request, _ in chosen:
            kinds.setdefault(kind, []).append(request)
        for kind, requests in kinds.items():  # every kind answers before the load starts
            for request in requests:
                status, _ = send(server.port, request)
                if status != 200:
                    raise SystemExit(f"{kind} {request.method} {request.path}: {status}")
        rss_before = sum(rss_mib(p) for p in server.pids())
        print(f"\n{args.records:,} records; {machine()}")
        print(
            f"gunicorn -c gunicorn.conf.py, {args.workers} workers; wrk {args.connections} "
            f"connections for {args.seconds:.0f} s over {len(weighted)} weighted requests "
            f"of {len(kinds)} kinds; fake LLM delay {args.llm_delay * 1000:.0f} ms\n"
        )
        stop = threading.Event()
        probed: dict[str, list] = {}
        thread = threading.Thread(
            target=lambda: probed.update(probe(server.port, kinds, stop)), daemon=True
        )
        thread.start()
        result = wrk(
            server.port,
            weighted,
            seconds=args.seconds,
            connections=args.connections,
            threads=args.threads,
        )
        stop.set()
        thread.join(timeout=90)
        rss_after = sum(rss_mib(p) for p in server.pids())
    finally:
        server.stop()
        llm.terminate()
        llm.wait(timeout=10)

    probe_errors = sum(1 for seen in probed.values() for status, _ in seen if status != 200)
    print(f"requests       {result.requests:,} in {args.seconds:.0f} s = {result.rate:,.0f}/s")
    print(
        f"errors         {result.failed} (by status: {result.errors or 'none'}; "
        f"sockets: {result.socket_errors or 'none'}); probe errors {probe_errors}"
    )
    print(
        f"latency (all)  p50 {result.p50:.0f} ms, p90 {result.p90:.0f} ms, "
        f"p99 {result.p99:.0f} ms, p99.9 {result.p999:.0f} ms, max {result.max:.0f} ms"
    )
    print(f"memory         workers {rss_before:.0f} MiB before, {rss_after:.0f} MiB after")
    print(f"load average   {result.load} (at the end of the load)\n")
    print(
        f"{'under load, one request at a time':<36}{'n':>5}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}"
    )
    for kind, seen in probed.items():
        times = [s for status, s in seen if status == 200]
        print(
            f"{kind:<36}{len(seen):>5}{pct(times, 50):>9.0f}{pct(times, 90):>9.0f}"
            f"{pct(times, 99):>9.0f}"
        )
    if result.failed or probe_errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
