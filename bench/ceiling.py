"""The ceiling of the emulator's server stack: a bare Starlette "hello" app served exactly like the emulator.

``conformance/emulator/cli.py`` serves with ``uvicorn.Server(uvicorn.Config(app, log_level="warning",
access_log=False, lifespan="off", timeout_graceful_shutdown=2)).run(sockets=[sock])`` (default loop and HTTP
implementation, i.e. asyncio + h11 here): ``serve`` below does the same, so the only difference between the
ceiling and the emulator is the emulator's own work per request -- with one exception, on purpose: the listening
socket is created with ``proto=IPPROTO_TCP``, as uvicorn's own ``--host/--port`` path (``loop.create_server``, via
getaddrinfo) creates it. asyncio sets ``TCP_NODELAY`` on accepted sockets only when ``sock.proto == IPPROTO_TCP``;
the emulator's ``cli._bind`` passes no proto (0), so its connections keep Nagle's algorithm on, and every
keep-alive response written in two sends (headers, body) waits for the client's delayed ACK (~40 ms). That is the
emulator's defect, not the stack's ceiling (see bench/README.md, finding 1).
"""

from __future__ import annotations

import argparse
import socket
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route


async def hello(request: Request) -> PlainTextResponse:
    """The cheapest useful answer."""
    return PlainTextResponse("hello")


def app() -> Starlette:
    """One route, no middleware."""
    return Starlette(routes=[Route("/hello", hello)])


def serve(application: Any, port: int) -> None:
    """Serve ``application`` on 127.0.0.1:``port`` with the emulator's uvicorn settings."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    server = uvicorn.Server(uvicorn.Config(application, log_level="warning", access_log=False, lifespan="off",
                                           timeout_graceful_shutdown=2))
    server.run(sockets=[sock])


def serve_from_command_line(application: Any, description: str) -> None:
    """``--port P`` from the command line, then ``serve`` the application there."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--port", type=int, required=True)
    serve(application, parser.parse_args().port)


def main() -> None:
    """``python -m bench.ceiling --port P``."""
    serve_from_command_line(app(), __doc__.split("\n\n")[0])


if __name__ == "__main__":
    main()
