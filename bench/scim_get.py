"""Benchmark 1: SCIM GET /Users/{id} on the emulator, on scim2-server 0.8.3 (same users, same load) and on a bare
Starlette "hello" served like the emulator (the ceiling of the stack).

Targets: emulator >= 2x scim2-server; emulator >= 60 % of the ceiling. scim2-server runs twice: as its
``scim2-server`` command ships (wsgiref, a thread per request) and as its own ASGI app on the emulator's uvicorn
settings; the target is taken against the faster of the two. Servers run one at a time (one core for the server,
one for wrk).
"""

from __future__ import annotations

import json
import secrets
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import httpx

from bench import procs
from bench.common import Bench, say
from bench.load import LoadSpec
from bench.measure import Measured, measure
from bench.users import EMULATOR_SCIM, PEER_SCIM, SCIM_JSON, create_directory, emulator_token, seed_http

NAME = "scim_get"
TITLE = "SCIM GET /Users/{id}: emulator vs scim2-server 0.8.3 vs the Starlette+uvicorn ceiling"
CONNECTIONS = 16


def run(bench: Bench) -> None:
    """Seed the same users into each SCIM server, then GET them round-robin under the same load."""
    users, seconds = bench.pick(10, 1000), bench.pick(1, 10)
    bench.section(f"{TITLE} ({users} users, {CONNECTIONS} connections, {seconds} s per server)")
    peer_token = secrets.token_hex(16)
    with ExitStack() as stack:
        servers = procs.start_all(stack, {
            "ceiling": procs.start_ceiling,
            "emulator": lambda: procs.start_emulator(str(bench.workdir / "scim-get.sqlite3"), bench.secret,
                                                     bench.patches),
            "wsgi": lambda: procs.start_scim2_server(peer_token),
            "asgi": procs.start_scim2_server_asgi,
        })
        token = emulator_token(servers["emulator"].base_url, bench.secret)
        create_directory(servers["emulator"].base_url, token)
        with ThreadPoolExecutor(3) as pool:  # seeding is not measured: all three at once
            seeded = {name: pool.submit(seed_http, servers[name].base_url, prefix, secret, users)
                      for name, prefix, secret in (("emulator", EMULATOR_SCIM, token), ("wsgi", PEER_SCIM, peer_token),
                                                   ("asgi", PEER_SCIM, None))}
        ceiling = servers["ceiling"]
        top = measure(bench, ceiling, LoadSpec(ceiling.base_url, ("/hello",), connections=CONNECTIONS,
                                               seconds=seconds), "ceiling (hello)")
        emu = _scim(bench, servers["emulator"], EMULATOR_SCIM, token, seeded["emulator"].result(), seconds)
        wsgi = _scim(bench, servers["wsgi"], PEER_SCIM, peer_token, seeded["wsgi"].result(), seconds)
        asgi = _scim(bench, servers["asgi"], PEER_SCIM, None, seeded["asgi"].result(), seconds)
    _report(bench, top, emu, wsgi, asgi)


def _report(bench: Bench, top: Measured, emu: Measured, wsgi: Measured, asgi: Measured) -> None:
    best = max((wsgi, asgi), key=lambda m: m.rps)
    bench.ratio("emulator / scim2-server (command, wsgiref)", emu.rps, wsgi.rps)
    bench.ratio("emulator / scim2-server (ASGI on uvicorn)", emu.rps, asgi.rps)
    vs_peer = bench.ratio(f"emulator / best peer ({best.name})", emu.rps, best.rps)
    vs_top = bench.ratio("emulator / ceiling", emu.rps, top.rps, percent=True)
    bench.ratio(f"server CPU per request, {best.name} / emulator (>1: the emulator is cheaper)",
                best.cpu_ms_per_request, emu.cpu_ms_per_request)
    bench.ratio("server CPU per request, ceiling / emulator", top.cpu_ms_per_request, emu.cpu_ms_per_request,
                percent=True)
    clean = not (emu.load.bad or best.load.bad or top.load.bad)
    bench.target("scim_get vs scim2-server", clean and vs_peer >= 2.0,
                 f"{emu.rps:.0f} vs {best.rps:.0f} req/s ({best.name}) = {vs_peer:.2f}x (target >= 2x)")
    bench.target("scim_get vs ceiling", clean and vs_top >= 0.6,
                 f"{emu.rps:.0f} vs {top.rps:.0f} req/s = {vs_top * 100:.0f} % (target >= 60 %)")


def _scim(bench: Bench, server: procs.Server, prefix: str, token: str | None, ids: list[str],
          seconds: int) -> Measured:
    headers = {"Accept": SCIM_JSON, **({"Authorization": f"Bearer {token}"} if token else {})}
    paths = tuple(f"{prefix}/Users/{user_id}" for user_id in ids)
    _check_one(server.name, server.base_url + paths[-1], headers, ids[-1])
    return measure(bench, server, LoadSpec(server.base_url, paths, headers=headers, connections=CONNECTIONS,
                                           seconds=seconds))


def _check_one(name: str, url: str, headers: dict[str, str], user_id: str) -> None:
    """The request under load really answers the user (a fast 404 must not pass for a fast GET)."""
    response = httpx.get(url, headers=headers, timeout=30)
    body = json.loads(response.content) if response.content else {}
    if response.status_code != 200 or body.get("id") != user_id:
        raise RuntimeError(f"GET {url} answered {response.status_code}: {response.text[:300]}")
    say(f"  {name}: GET /Users/{{id}} answers 200 with {len(response.content)} bytes")
