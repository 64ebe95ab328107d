"""A tiny local HTTP server that plays a failing tenant: it answers every request with a scripted status (503
storms, 429 with ``Retry-After``) and records when each request arrived, so tests can count retries."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Script:
    """What the server answers: ``statuses`` in turn (the last one repeats), with ``headers``."""

    statuses: list[int]
    headers: dict[str, str] = field(default_factory=dict)
    arrivals: list[tuple[float, str, str]] = field(default_factory=list)

    def next_status(self) -> int:
        """The status of the next answer."""
        return self.statuses[min(len(self.arrivals) - 1, len(self.statuses) - 1)]

    def gaps(self) -> list[float]:
        """Seconds between consecutive requests."""
        times = [moment for moment, _, _ in self.arrivals]
        return [later - earlier for earlier, later in itertools.pairwise(times)]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        script = self.server.script
        script.arrivals.append((time.monotonic(), self.command, self.path))
        body = b'{"ok": true}'
        self.send_response(script.next_status())
        for name, value in {**script.headers, "Content-Type": "application/json"}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _answer

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, script: Script) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script = script


@contextmanager
def fake_target(statuses: list[int], headers: dict[str, str] | None = None) -> Iterator[tuple[str, Script]]:
    """``(base_url, script)`` of a running fake target; stopped when the block ends."""
    script = Script(list(statuses), dict(headers or {}))
    server = _Server(script)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", script
    finally:
        server.shutdown()
        server.server_close()
