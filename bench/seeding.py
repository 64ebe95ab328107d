"""Benchmark 4: seeding 100k users through the emulator's store, and the emulator's memory at 100k users.

Peers in the same run: the emulator's own ``POST /Users`` rate and scim2-server's (the same users, 8 concurrent
clients), and the emulator's memory with no user at all. Target: RSS <= 250 MB at 100k users, read from
``/proc/<pid>/status`` after start-up and a mix of lookups and pages over the whole population.
"""

from __future__ import annotations

import secrets
import time
from urllib.parse import quote

from bench import procs
from bench.common import Bench, say
from bench.dataset import dataset
from bench.load import serial
from bench.users import EMULATOR_SCIM, PEER_SCIM, SCIM_JSON, create_directory, emulator_token, seed_http, user_name

NAME = "seeding"
TITLE = "Seeding users through the store, and the emulator's memory at that population"
RSS_LIMIT_MB = 250


def run(bench: Bench) -> None:
    """Seed the big population, compare with HTTP creation, then measure memory with and without it."""
    users, sample = bench.pick(200, 100_000), bench.pick(10, 1000)
    bench.section(f"{TITLE} ({users} users; HTTP peers create {sample})")
    seeded = dataset(bench, users)
    say(f"  store: {users} users in {seeded.seconds:.1f} s = {seeded.rate:.0f} users/s "
        f"(scim2-models validation {seeded.validate_seconds:.1f} s, SQL and the rest "
        f"{seeded.seconds - seeded.validate_seconds:.1f} s), file {seeded.path.stat().st_size / 2**20:.0f} MiB")
    empty, http_rate = _http_rate(bench, sample)
    peer_rate = _peer_rate(sample)
    bench.ratio("store seeding / emulator POST /Users", seeded.rate, http_rate)
    bench.ratio("emulator POST /Users / scim2-server POST /Users", http_rate, peer_rate)
    with procs.start_emulator(str(seeded.path), bench.secret, bench.patches) as emulator:
        full = _memory(emulator, users, bench.pick(20, 200))
    bench.ratio(f"RSS at {users} users / RSS with none", full[0], empty[0])
    bench.info("seeding time", f"{users} users through the store in {seeded.seconds:.1f} s = {seeded.rate:.0f}/s "
                               f"(HTTP {http_rate:.0f}/s, scim2-server HTTP {peer_rate:.0f}/s)")
    bench.target("seeding RSS", full[0] <= RSS_LIMIT_MB,
                 f"RSS {full[0]:.0f} MB (peak {full[1]:.0f} MB) at {users} users vs {empty[0]:.0f} MB empty "
                 f"(target <= {RSS_LIMIT_MB} MB)")


def _http_rate(bench: Bench, sample: int) -> tuple[tuple[float, float], float]:
    """The memory of an emulator holding no user (see ``_memory``), then its ``POST /Users`` rate."""
    db = str(bench.workdir / "seed-http.sqlite3")
    with procs.start_emulator(db, bench.secret, bench.patches) as emulator:
        empty = _memory(emulator, 0, 1)
        token = emulator_token(emulator.base_url, emulator.secret)
        create_directory(emulator.base_url, token)
        started = time.perf_counter()
        seed_http(emulator.base_url, EMULATOR_SCIM, token, sample)
        rate = sample / (time.perf_counter() - started)
    say(f"  emulator POST /Users: {sample} users at {rate:.0f} users/s")
    return empty, rate


def _peer_rate(sample: int) -> float:
    token = secrets.token_hex(16)
    with procs.start_scim2_server(token) as peer:
        started = time.perf_counter()
        seed_http(peer.base_url, PEER_SCIM, token, sample)
        rate = sample / (time.perf_counter() - started)
    say(f"  scim2-server POST /Users: {sample} users at {rate:.0f} users/s")
    return rate


def _memory(emulator: procs.Server, users: int, lookups: int) -> tuple[float, float]:
    """RSS and peak RSS (MiB) of an emulator holding ``users`` users, after lookups and pages spread over them."""
    token = emulator_token(emulator.base_url, emulator.secret)
    headers = {"Authorization": f"Bearer {token}", "Accept": SCIM_JSON}
    picks = range(0, users, max(users // lookups, 1))
    paths = [f"{EMULATOR_SCIM}/Users?filter=" + quote(f'userName eq "{user_name(n)}"') for n in picks]
    paths += [f"{EMULATOR_SCIM}/Users?startIndex={start}&count=100" for start in range(1, users + 1, 1000)]
    paths = paths or [f"{EMULATOR_SCIM}/Users?count=1"]
    serial(emulator.base_url, paths, headers, lambda status, body: status == 200)
    rss, peak = emulator.memory_mb()
    say(f"  emulator with {users:>6} users: RSS {rss:.0f} MiB, peak {peak:.0f} MiB (after {len(paths)} requests)")
    return rss, peak
