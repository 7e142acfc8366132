"""What bench/compare.py and bench/load.py share: servers started and stopped, wrk driven over a
list of requests and its report read, resident memory sampled, the machine described.

Only 127.0.0.1 is contacted; every wait has a deadline.
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GUNICORN_CONF = ROOT / "gunicorn.conf.py"

# wrk's script: each thread walks the request list from its own offset; each request may carry
# a method and a body; answers of 400 and above are counted by status (wrk cannot tell which
# request an answer belongs to, so per-request categories would be guesses).
WRK_SCRIPT = r"""
local requests, counter, threads = {}, 0, {}
errors = {}  -- a global: done() reads each thread's copy
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end
function init(args)
  for line in io.lines(os.getenv("WRK_REQUESTS")) do
    local method, category, path, body = line:match("^(%S+)\t(%S+)\t(%S+)\t?(.*)$")
    local headers = {}
    if body ~= nil and body ~= "" then headers["Content-Type"] = "application/json" end
    local payload = nil
    if body ~= "" then payload = body end
    table.insert(requests, {wrk.format(method, path, headers, payload), category})
  end
  counter = (id or 1) * 7919
end
function request()
  counter = counter + 1
  return requests[(counter % #requests) + 1][1]
end
function response(status, headers, body)
  if status >= 400 then
    local key = tostring(status)
    errors[key] = (errors[key] or 0) + 1
  end
end
function done(summary, latency, requests_)
  local out = {}
  for _, thread in ipairs(threads) do
    local e = thread:get("errors") or {}
    for k, v in pairs(e) do out[k] = (out[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(out) do table.insert(parts, string.format('"%s": %d', k, v)) end
  io.write("WRK_ERRORS {" .. table.concat(parts, ", ") .. "}\n")
  io.write(string.format("WRK_LATENCY %d %d %d %d %d %d\n", latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max,
    summary.requests))
end
"""


def free_port() -> int:
    """A TCP port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as uptime prints them."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def machine() -> str:
    """Cores, CPU model, Python: the facts every figure is printed with."""
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return (
        f"{os.cpu_count()} cores ({model or platform.machine()}), Python "
        f"{platform.python_version()}, load average {load_average()}"
    )


def rss_mib(pid: int) -> float:
    """Resident memory of a process, in MiB (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


def children(pid: int) -> list[int]:
    """Process ids of a process's children."""
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


class Server:
    """A server process on 127.0.0.1, ready when `probe` answers 200."""

    def __init__(
        self, name: str, argv: Sequence[str], env: dict[str, str], probe: str, port: int
    ) -> None:
        self.name, self.port = name, port
        self.log = Path(tempfile.mkstemp(prefix=f"bench-{name}-", suffix=".log")[1])
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                list(argv), env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 120
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"{name} exited:\n{self.log.read_text()[-3000:]}")
            try:
                if get(self.port, probe)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"{name} did not answer {probe} within 120 s")
            time.sleep(0.2)

    def pids(self) -> list[int]:
        """The processes serving: gunicorn's workers, or the process itself."""
        return children(self.process.pid) or [self.process.pid]

    def stop(self) -> None:
        """Stop the server and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def gunicorn(name: str, app: str, env: dict[str, str], probe: str, workers: int = 2) -> Server:
    """The app under gunicorn with the project's gunicorn.conf.py (gthread workers)."""
    exe = BIN / "gunicorn"
    if not exe.exists():
        raise SystemExit(f"needs gunicorn in {BIN} (pip install -e .)")
    port = free_port()
    full = {
        # Several workers need one signing key, or gunicorn.conf.py refuses to start.
        "PORTAL_SECRET_KEY": "benchmark-" + secrets.token_hex(16),
        **os.environ,
        **env,
        "PORT": str(port),
        "PORTAL_WORKERS": str(workers),
        "PORTAL_WSGI_APP": app,
        "PORTAL_LOG_LEVEL": "warning",
    }
    argv = [str(exe), "-c", str(GUNICORN_CONF), "--pythonpath", str(ROOT / "bench")]
    return Server(name, argv, full, probe, port)


def get(port: int, path: str, timeout: float = 120) -> tuple[int, bytes]:
    """One GET on a fresh connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def get_json(port: int, path: str) -> dict[str, object]:
    """GET that must answer 200 with JSON."""
    status, body = get(port, path)
    if status != 200:
        raise SystemExit(f"{path}: {status} {body[:300]!r}")
    data: dict[str, object] = json.loads(body)
    return data


@dataclass
class Result:
    """What one wrk run measured."""

    rate: float = 0.0  # requests/s
    p50: float = 0.0  # ms
    p90: float = 0.0
    p99: float = 0.0
    p999: float = 0.0
    max: float = 0.0
    requests: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    socket_errors: str = ""
    load: str = ""

    @property
    def failed(self) -> int:
        """Answers of 400 and above, and socket errors (connect, read, write, timeout)."""
        sockets = sum(int(n) for n in re.findall(r"\d+", self.socket_errors))
        return sum(self.errors.values()) + sockets


@dataclass(frozen=True)
class Request:
    """One request wrk sends: method, a category for errors, a path and an optional body."""

    path: str
    category: str = "get"
    method: str = "GET"
    body: str = ""

    def line(self) -> str:
        if any(c in self.path for c in " \t\n") or "\n" in self.body or "\t" in self.body:
            raise ValueError(f"request not sendable by wrk's script: {self.path!r}")
        return f"{self.method}\t{self.category}\t{self.path}\t{self.body}"


def wrk(
    port: int,
    requests: Sequence[Request],
    *,
    seconds: float,
    connections: int,
    threads: int = 1,
    timeout: float = 30,
) -> Result:
    """Drive the server at `port` with wrk over the requests (in turn) and read its report."""
    exe = shutil.which("wrk")
    if exe is None:
        raise SystemExit("needs wrk: apt-get install -y wrk")
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as tmp:
        script, listing = Path(tmp) / "script.lua", Path(tmp) / "requests.tsv"
        script.write_text(WRK_SCRIPT)
        listing.write_text("\n".join(r.line() for r in requests) + "\n")
        argv = [
            exe,
            *("-t", str(threads), "-c", str(max(connections, threads))),
            *("-d", f"{max(1, round(seconds))}s", "--timeout", f"{timeout:.0f}s"),
            *("-s", str(script), f"http://127.0.0.1:{port}"),
        ]
        out = subprocess.run(
            argv,
            env={**os.environ, "WRK_REQUESTS": str(listing)},
            capture_output=True,
            text=True,
            timeout=seconds + timeout + 60,
            check=False,
        )
    if out.returncode != 0:
        raise SystemExit(f"wrk failed: {out.stderr or out.stdout}")
    return parse(out.stdout)


def parse(text: str) -> Result:
    """wrk's report (with our script's two lines) as a Result."""
    result = Result(load=load_average())
    rate = re.search(r"Requests/sec:\s*([\d.]+)", text)
    result.rate = float(rate.group(1)) if rate else 0.0
    latency = re.search(r"WRK_LATENCY (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", text)
    if latency:
        p50, p90, p99, p999, top, count = (int(v) for v in latency.groups())
        result.p50, result.p90, result.p99 = p50 / 1000, p90 / 1000, p99 / 1000
        result.p999, result.max, result.requests = p999 / 1000, top / 1000, count
    errors = re.search(r"WRK_ERRORS (\{.*\})", text)
    if errors:
        result.errors = json.loads(errors.group(1))
    sockets = re.search(r"Socket errors:(.*)", text)
    result.socket_errors = sockets.group(1).strip() if sockets else ""
    return result


@dataclass
class Download:
    """One whole-set download: its size, time and the serving processes' memory."""

    rows: int
    bytes: int
    seconds: float
    rss_before: float  # MiB, the busiest serving process
    rss_peak: float

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    @property
    def mib_per_s(self) -> float:
        return self.bytes / 2**20 / self.seconds if self.seconds else 0.0


class PeakMemory:
    """Samples the resident memory of processes every 10 ms until `stop`."""

    def __init__(self, pids: Sequence[int]) -> None:
        self.before = {pid: rss_mib(pid) for pid in pids}
        self.peak = dict(self.before)
        self._done = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def _sample(self) -> None:
        while not self._done.is_set():
            for pid in self.peak:
                self.peak[pid] = max(self.peak[pid], rss_mib(pid))
            time.sleep(0.01)  # the sampling period

    def stop(self) -> None:
        """Stop sampling."""
        self._done.set()
        self._sampler.join()

    def busiest(self) -> tuple[float, float]:
        """RSS before and at its peak (MiB) of the process that grew the most."""
        pid = max(self.peak, key=lambda p: self.peak[p] - self.before[p])
        return self.before[pid], self.peak[pid]


def download(server: Server, path: str, rows: int) -> Download:
    """Stream a whole download of `rows` rows, sampling the servers' RSS every 10 ms. A
    download with fewer lines than a header and `rows` rows was cut short (Datasette stops a
    CSV at its max_csv_mb, for one): that stops the benchmark rather than give a false rate."""
    memory = PeakMemory(server.pids())
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    size = lines = 0
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        if response.status != 200:
            raise SystemExit(f"{server.name} {path}: {response.status}")
        while block := response.read(1 << 16):
            size += len(block)
            lines += block.count(b"\n")  # quoted newlines count too: a lower bound is all we need
    finally:
        conn.close()
        seconds = time.perf_counter() - started
        memory.stop()
    if lines < rows + 1:
        raise SystemExit(f"{server.name} {path}: {lines:,} lines for {rows:,} rows: cut short")
    return Download(rows, size, seconds, *memory.busiest())
