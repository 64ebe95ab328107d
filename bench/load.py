"""Load generators: ``wrk`` (preferred) or an asyncio + httpx driver, and a serial latency sampler.

Why wrk: it is C on epoll with a LuaJIT request hook; one wrk thread on this machine drives a bare uvicorn app at
several times the rate any of the Python servers reach, so with one wrk thread on one core and the server on the
other, the server is the bottleneck. Every run reports the load generator's own CPU use next to the server's, so a
reader can see which one saturated. The httpx fallback is pure Python and saturates near the servers' own rates:
its figures are lower bounds, and the bench says so when it has to use it.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import re
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

WRK_MISSING = "wrk not found: install it with `apt-get install -y wrk` (Debian/Ubuntu); using the async httpx driver"


@dataclass(frozen=True)
class LoadSpec:
    """What to send: requests rotate over ``paths``; the same method, headers and body on each."""

    base_url: str
    paths: tuple[str, ...]
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""
    connections: int = 16
    seconds: int = 5


@dataclass(frozen=True)
class LoadResult:
    """What a load run measured."""

    driver: str
    requests: int
    seconds: float
    bad: int  # socket errors + non-2xx/3xx responses
    p50_ms: float
    p99_ms: float
    client_cpu: float  # CPU seconds the load generator used

    @property
    def rps(self) -> float:
        """Requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0


def choose_driver(requested: str) -> str:
    """``wrk`` when asked for or available, else ``httpx`` (saying why on stdout)."""
    if requested == "httpx":
        return "httpx"
    if shutil.which("wrk"):
        return "wrk"
    if requested == "wrk":
        raise SystemExit("wrk was requested but is not installed: apt-get install -y wrk")
    print(f"  note: {WRK_MISSING}")
    return "httpx"


def run_load(spec: LoadSpec, driver: str) -> LoadResult:
    """Drive ``spec`` with the chosen driver."""
    return _wrk(spec) if driver == "wrk" else asyncio.run(_httpx(spec))


def _lua(spec: LoadSpec) -> str:
    lines = [f"wrk.method = {json.dumps(spec.method)}", f"wrk.body = {json.dumps(spec.body)}"]
    lines += [f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in spec.headers.items()]
    lines.append("local paths = {" + ",".join(json.dumps(p) for p in spec.paths) + "}")
    lines.append("local i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format(nil, paths[i])\nend")
    return "\n".join(lines) + "\n"


def _wrk(spec: LoadSpec) -> LoadResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(_lua(spec))
        script.flush()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        out = subprocess.run(["wrk", "-t1", f"-c{spec.connections}", f"-d{spec.seconds}s", "--latency",
                              "-s", script.name, spec.base_url], capture_output=True, text=True, check=True).stdout
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return parse_wrk(out, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))


def parse_wrk(out: str, cpu: float) -> LoadResult:
    """The figures of ``wrk --latency`` output (``cpu``: the CPU seconds wrk used)."""
    done = re.search(r"(\d+) requests in ([\d.]+)(\w+),", out)
    if done is None:
        raise RuntimeError(f"cannot read wrk output:\n{out}")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return LoadResult("wrk", int(done[1]), _seconds(done[2], done[3]), errors + (int(non2xx[1]) if non2xx else 0),
                      _percentile(out, "50"), _percentile(out, "99"), cpu)


def _seconds(value: str, unit: str) -> float:
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}[unit]


def _percentile(out: str, pct: str) -> float:
    match = re.search(rf"^\s+{pct}%\s+([\d.]+)(\w+)", out, re.MULTILINE)
    return _seconds(match[1], match[2]) * 1000 if match else float("nan")


async def _httpx(spec: LoadSpec) -> LoadResult:
    latencies: list[float] = []
    bad = 0
    limits = httpx.Limits(max_connections=spec.connections, max_keepalive_connections=spec.connections)
    started_cpu, started = time.process_time(), time.perf_counter()
    deadline = started + spec.seconds
    async with httpx.AsyncClient(base_url=spec.base_url, limits=limits, timeout=30.0) as client:

        async def worker(offset: int) -> None:
            nonlocal bad
            i = offset
            while time.perf_counter() < deadline:
                t0 = time.perf_counter()
                try:
                    response = await client.request(spec.method, spec.paths[i % len(spec.paths)],
                                                    headers=spec.headers, content=spec.body or None)
                    bad += response.status_code >= 400
                except httpx.HTTPError:
                    bad += 1
                latencies.append(time.perf_counter() - t0)
                i += spec.connections

        await asyncio.gather(*(worker(n) for n in range(spec.connections)))
    elapsed = time.perf_counter() - started
    p50, p99 = percentiles(latencies)
    return LoadResult("httpx", len(latencies), elapsed, bad, p50, p99, time.process_time() - started_cpu)


def percentiles(latencies: list[float]) -> tuple[float, float]:
    """p50 and p99 of latencies given in seconds, in milliseconds."""
    if len(latencies) < 2:
        value = latencies[0] * 1000 if latencies else float("nan")
        return value, value
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[98] * 1000


def serial(base_url: str, paths: list[str], headers: dict[str, str],
           check: Callable[[int, bytes], bool] | None = None) -> list[float]:
    """One keep-alive connection, one request at a time: each request's latency in seconds.

    ``check(status, body)`` validates every answer (a fast wrong answer must not pass for a fast right one).
    """
    url = urlsplit(base_url)
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=60)
    latencies = []
    try:
        for path in paths:
            t0 = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            latencies.append(time.perf_counter() - t0)
            if check is not None and not check(response.status, body):
                raise RuntimeError(f"unexpected answer to GET {path}: {response.status} {body[:300]!r}")
    finally:
        connection.close()
    return latencies
