"""A load run against one server, with the server's, the load generator's and everybody else's CPU use beside the
throughput: on a shared 2-core machine, a run where other processes took a core is not a measurement of the server.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.common import Bench, say
from bench.load import LoadResult, LoadSpec, run_load
from bench.procs import Server, machine_busy_seconds

BUSY_MACHINE_CORES = 0.25  # other processes using more than this during a run make its figures lower bounds


@dataclass(frozen=True)
class Measured:
    """Throughput and latency of a server under load, and how busy each side was (in cores)."""

    name: str
    load: LoadResult
    server_cpu: float  # CPU seconds the server used during the run
    machine_cpu: float  # CPU seconds the whole machine used during the run

    @property
    def rps(self) -> float:
        """Requests per second."""
        return self.load.rps

    @property
    def server_cores(self) -> float:
        """Cores the server kept busy."""
        return self.server_cpu / self.load.seconds if self.load.seconds else 0.0

    @property
    def client_cores(self) -> float:
        """Cores the load generator kept busy."""
        return self.load.client_cpu / self.load.seconds if self.load.seconds else 0.0

    @property
    def other_cores(self) -> float:
        """Cores other processes of the machine kept busy meanwhile (noise)."""
        other = self.machine_cpu - self.server_cpu - self.load.client_cpu
        return max(other / self.load.seconds, 0.0) if self.load.seconds else 0.0

    @property
    def cpu_ms_per_request(self) -> float:
        """Server CPU time per request (robust to a busy machine, blind to idle waits)."""
        return self.server_cpu * 1000 / self.load.requests if self.load.requests else float("nan")

    def line(self) -> str:
        """One printed row."""
        bad = f"  BAD ANSWERS {self.load.bad}" if self.load.bad else ""
        noisy = "  (machine busy: lower bound)" if self.other_cores > BUSY_MACHINE_CORES else ""
        return (f"  {self.name:<22} {self.rps:>7.0f} req/s  p50 {self.load.p50_ms:6.2f} ms  p99 "
                f"{self.load.p99_ms:6.2f} ms  server {self.server_cores:4.2f} cores, "
                f"{self.cpu_ms_per_request:5.2f} CPU ms/req  load gen {self.client_cores:4.2f} cores  "
                f"others {self.other_cores:4.2f} cores  ({self.load.requests} req, {self.load.driver}){bad}{noisy}")


def measure(bench: Bench, server: Server, spec: LoadSpec, name: str | None = None) -> Measured:
    """Warm up (full size only), then load ``server`` with ``spec`` and print the row."""
    if not bench.smoke:
        run_load(LoadSpec(spec.base_url, spec.paths, spec.method, spec.headers, spec.body, spec.connections, 1),
                 bench.driver)
    server_before, machine_before = server.cpu_seconds(), machine_busy_seconds()
    load = run_load(spec, bench.driver)
    measured = Measured(name or server.name, load, server.cpu_seconds() - server_before,
                        machine_busy_seconds() - machine_before)
    say(measured.line())
    return measured
