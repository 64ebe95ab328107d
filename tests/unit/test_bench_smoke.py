"""The benchmark harness (``bench/``) still runs: each benchmark at its smoke size, plus the load drivers.

No timing is asserted anywhere here: the smoke sizes measure nothing, they only prove that every benchmark starts
its servers, drives them, prints its ratio lines and one summary line per target (PASS, MISS or INFO, never
ERROR).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench import load, procs

ROOT = Path(__file__).resolve().parents[2]
SUMMARY = {
    "scim_get": ("scim_get vs scim2-server", "scim_get vs ceiling"),
    "token": ("token vs RSA floor",),
    "filters": ("filter userName p50", "filter userName growth", "filter externalId p50",
                "filter externalId growth", "paging end vs start", "paging vs population"),
    "seeding": ("seeding time", "seeding RSS"),
    "suite": ("suite wall time", "suite xdist speed-up"),
    "kill_rate": ("kill-rate wall time",),
}
WRK_OUTPUT = """Running 1s test @ http://127.0.0.1:1234
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.37ms    1.20ms  16.62ms   90.00%
  Latency Distribution
     50%    3.37ms
     75%    4.00ms
     90%    5.10ms
     99%   16.62ms
  4086 requests in 1.00s, 552.00KB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   4086.00
"""


def _targets(output: str) -> dict[str, str]:
    return {m[1].strip(): m[2] for m in re.finditer(r"^TARGET (.{26}) (PASS|MISS|INFO|ERROR)", output, re.MULTILINE)}


HEAVY = {"filters", "seeding", "suite", "kill_rate"}  # each runs the kit or seeds thousands of users: nightly only


@pytest.mark.slow
@pytest.mark.parametrize("name", [pytest.param(name, marks=[pytest.mark.nightly] if name in HEAVY else [])
                                  for name in SUMMARY])
def test_benchmark_runs_at_smoke_size(name):
    """``python -m bench --size smoke --only NAME`` exits 0, prints ratios and every target's summary line."""
    done = subprocess.run([sys.executable, "-m", "bench", "--size", "smoke", "--only", name], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, check=False)
    output = done.stdout + done.stderr
    targets = _targets(done.stdout.split("== Summary")[-1])
    assert (0, set(SUMMARY[name])) == (done.returncode, set(targets)), output[-3000:]
    assert "ERROR" not in targets.values(), output[-3000:]
    assert re.search(r"^  ratio .+ = [\d.]+(x| %)$", done.stdout, re.MULTILINE), output[-3000:]


def test_wrk_output_is_read():
    """Requests, duration, bad answers (socket errors + non-2xx) and the p50/p99 latencies come out of wrk's text."""
    result = load.parse_wrk(WRK_OUTPUT, cpu=0.1)
    assert pytest.approx((4086, 1.0, 7, 3.37, 16.62)) == (result.requests, result.seconds, result.bad,
                                                           result.p50_ms, result.p99_ms)


def test_httpx_driver_loads_a_server():
    """The fallback driver (used when wrk is not installed) completes requests and counts no bad answer."""
    with procs.start_ceiling() as ceiling:
        result = load.run_load(load.LoadSpec(ceiling.base_url, ("/hello",), connections=2, seconds=1), "httpx")
    assert ("httpx", 0) == (result.driver, result.bad)
    assert result.requests > 0


def test_missing_wrk_falls_back_to_httpx(monkeypatch, capsys):
    """Without wrk on PATH, ``auto`` picks the httpx driver and says how to install wrk."""
    monkeypatch.setattr(load.shutil, "which", lambda name: None)
    assert "httpx" == load.choose_driver("auto")
    assert "apt-get install -y wrk" in capsys.readouterr().out
