"""``conformance emulator`` (and ``python -m conformance.emulator``): serve the emulator with uvicorn.

Bad flags, a busy port or an unopenable database end in one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import threading
import time
from collections.abc import Sequence

import uvicorn

from conformance.emulator.app import create_app
from conformance.emulator.core.faults import REGISTRY
from conformance.emulator.settings import MIME_PHASES, Settings

SECRET_ENV = "CONFORMANCE_EMULATOR_BOOTSTRAP_SECRET"
WATCH_ENV = "CONFORMANCE_EMULATOR_WATCH_PID"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The emulator's flags (shared by both entry points)."""
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="TCP port (default 8080; 0 = any free port)")
    parser.add_argument("--db", default="conformance-emulator.sqlite3", help="SQLite file, or :memory:")
    parser.add_argument("--fqdn", default="localhost", help="the tenant FQDN expected in Host (others get 444)")
    parser.add_argument("--mime-phase", choices=MIME_PHASES, default="transition", help="admin API media types")
    parser.add_argument("--bootstrap-client-id", default="bootstrap-admin", help="id of the TENANT_ADMIN client")
    parser.add_argument("--bootstrap-client-secret", default=None,
                        help=f"its secret (prefer env {SECRET_ENV}; generated and printed when absent)")
    parser.add_argument("--fault", action="append", default=[], metavar="NAME", help="switch on a fault (repeatable)")
    parser.add_argument("--control", action="store_true", help="mount the /_emulator test control surface")
    parser.add_argument("--list-faults", action="store_true", help="print the fault catalogue and exit")


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> None:  # type: ignore[type-arg]
    """Register ``conformance emulator``."""
    parser = subparsers.add_parser(name, help="run the local emulator of the Identity Service")
    add_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted (or until the watched parent process exits)."""
    if args.list_faults:
        for fault in sorted(REGISTRY.values(), key=lambda f: (f.family, f.name)):
            print(f"{fault.name:38} {fault.family:12} {','.join(fault.requirements):24} {fault.description}")
        return 0
    try:
        settings = _settings(args)
        sock = _bind(args.host, args.port)
        app = create_app(settings)
    except (ValueError, OSError) as exc:
        sys.stderr.write(f"conformance emulator: error: {exc}\n")
        return 2
    port = sock.getsockname()[1]
    print(f"emulator listening on http://{settings.fqdn}:{port} (phase {settings.mime_phase}, db {settings.db})")
    print(f"bootstrap client: {settings.bootstrap_client_id}")
    if app.state.context.generated_secret:
        print(f"bootstrap client secret (generated, shown once): {app.state.context.generated_secret}")
    sys.stdout.flush()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                                           timeout_graceful_shutdown=2))
    _watch_parent(server)
    server.run(sockets=[sock])
    return 0


def _settings(args: argparse.Namespace) -> Settings:
    secret = args.bootstrap_client_secret or os.environ.get(SECRET_ENV) or None
    return Settings(db=args.db, fqdn=args.fqdn, mime_phase=args.mime_phase,
                    bootstrap_client_id=args.bootstrap_client_id, bootstrap_client_secret=secret,
                    faults=tuple(args.fault), control=args.control)


def _bind(host: str, port: int) -> socket.socket:
    # proto=IPPROTO_TCP: asyncio sets TCP_NODELAY only on sockets whose protocol says TCP; without it every
    # keep-alive response waits ~40 ms for the client's delayed ACK (Nagle), see bench/README.md.
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise OSError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.set_inheritable(True)
    return sock


def _watch_parent(server: uvicorn.Server) -> None:
    """Exit when the process named by CONFORMANCE_EMULATOR_WATCH_PID is gone (a crashed test run leaks nothing)."""
    pid = int(os.environ.get(WATCH_ENV, "0") or 0)
    if not pid:
        return

    def watch() -> None:
        while True:
            time.sleep(0.5)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                server.should_exit = True
                return

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


class _OneLineParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        """Bad flags: one line and exit 2."""
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m conformance.emulator``."""
    parser = _OneLineParser(prog="conformance emulator", description="Identity Service emulator")
    add_arguments(parser)
    return run(parser.parse_args(argv))
