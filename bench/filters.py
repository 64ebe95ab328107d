"""Benchmark 3: SCIM filters ``userName eq`` and ``externalId eq`` at 1k, 10k and 100k users, and paging through
the largest population with count=100.

Latency is measured one request at a time on one keep-alive connection (no queueing in the figures); every answer
is checked (exactly the one expected user), so a fast wrong answer cannot pass. Targets: p50 <= 5 ms at 100k, and
p50(100k) / p50(1k) <= 2 (an index lookup, not a scan). Paging: the total time, and the time per page over the
first and the last pages of the largest population (target: last/first <= 2), and the mean time per page across
populations (target: 100k / 1k <= 2 -- a per-page cost that grows with the population makes the total quadratic).
Every page is checked, and each walk must see every user exactly once.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from bench import procs
from bench.common import Bench, fmt_ms, say
from bench.dataset import dataset
from bench.load import percentiles, serial
from bench.users import EMULATOR_SCIM, SCIM_JSON, emulator_token, external_id, user_name

NAME = "filters"
TITLE = "SCIM filters (userName eq, externalId eq) by population, and paging through each population"
FILTERS: dict[str, Callable[[int], str]] = {"userName": user_name, "externalId": external_id}
P50_LIMIT_MS, GROWTH_LIMIT, PAGE_GROWTH_LIMIT = 5.0, 2.0, 2.0
EDGE_PAGES = 10


def run(bench: Bench) -> None:
    """Latencies and a paging walk per population, then the targets on the largest one."""
    sizes, queries, count = bench.pick((50, 200), (1000, 10_000, 100_000)), bench.pick(5, 500), bench.pick(10, 100)
    bench.section(f"{TITLE} ({', '.join(map(str, sizes))} users, {queries} queries per filter, count={count})")
    p50s: dict[tuple[str, int], float] = {}
    walks: dict[int, Walk] = {}
    for users in sizes:
        data = dataset(bench, users)
        with procs.start_emulator(str(data.path), bench.secret, bench.patches) as emulator:
            headers = _headers(emulator)
            for attribute in FILTERS:
                p50s[attribute, users] = _filter_latency(emulator, headers, attribute, users, queries)
            walks[users] = _paging(emulator, headers, users, count)
    small, large = sizes[0], sizes[-1]
    for attribute in FILTERS:
        growth = bench.ratio(f"{attribute} eq p50 at {large} / at {small}", p50s[attribute, large],
                             p50s[attribute, small])
        p50 = p50s[attribute, large]
        bench.target(f"filter {attribute} p50", p50 <= P50_LIMIT_MS,
                     f"p50 {p50:.2f} ms at {large} users (target <= {P50_LIMIT_MS:.0f} ms)")
        bench.target(f"filter {attribute} growth", growth <= GROWTH_LIMIT,
                     f"p50 {p50:.2f} ms at {large} / {p50s[attribute, small]:.2f} ms at {small} = {growth:.2f}x "
                     f"(target <= {GROWTH_LIMIT:.0f}x)")
    _paging_targets(bench, walks[small], walks[large])


def _paging_targets(bench: Bench, small: Walk, large: Walk) -> None:
    within = bench.ratio(f"time per page at {large.users}, last pages / first pages", large.last, large.first)
    across = bench.ratio(f"mean time per page, {large.users} users / {small.users} users", large.mean, small.mean)
    bench.target("paging end vs start", within <= PAGE_GROWTH_LIMIT,
                 f"{large.pages} pages in {large.total:.1f} s; {fmt_ms(large.first)}/page first, "
                 f"{fmt_ms(large.last)}/page last = {within:.2f}x (target <= {PAGE_GROWTH_LIMIT:.0f}x)")
    bench.target("paging vs population", across <= PAGE_GROWTH_LIMIT,
                 f"{fmt_ms(large.mean)}/page at {large.users} vs {fmt_ms(small.mean)}/page at {small.users} = "
                 f"{across:.2f}x (target <= {PAGE_GROWTH_LIMIT:.0f}x: total time linear in the population)")


def _headers(emulator: procs.Server) -> dict[str, str]:
    return {"Authorization": f"Bearer {emulator_token(emulator.base_url, emulator.secret)}", "Accept": SCIM_JSON}


def _filter_latency(emulator: procs.Server, headers: dict[str, str], attribute: str, users: int,
                    queries: int) -> float:
    """p50 (ms) of ``<attribute> eq "<value>"`` for random users; prints p50 and p99."""
    rng = random.Random(f"{attribute}-{users}")
    picks = [rng.randrange(users) for _ in range(queries)]
    value_of = FILTERS[attribute]
    paths = [f"{EMULATOR_SCIM}/Users?filter=" + quote(f'{attribute} eq "{value_of(n)}"') for n in picks]
    expected = iter([user_name(n) for n in [*picks[:10], *picks]])

    def one_match(status: int, body: bytes) -> bool:
        answer = json.loads(body)
        found = [r.get("userName") for r in answer.get("Resources", [])]
        return status == 200 and answer.get("totalResults") == 1 and found == [next(expected)]

    serial(emulator.base_url, paths[:10], headers, one_match)  # warm-up
    p50, p99 = percentiles(serial(emulator.base_url, paths, headers, one_match))
    say(f"  {attribute} eq at {users:>6} users: p50 {p50:6.2f} ms  p99 {p99:6.2f} ms  ({queries} queries)")
    return p50


@dataclass(frozen=True)
class Walk:
    """A walk through every page of a population."""

    users: int
    pages: int
    total: float
    first: float  # mean seconds per page over the first pages
    last: float  # ... and over the last pages

    @property
    def mean(self) -> float:
        """Mean seconds per page."""
        return self.total / self.pages if self.pages else float("nan")


def _paging(emulator: procs.Server, headers: dict[str, str], users: int, count: int) -> Walk:
    """Walk every page of ``count`` (each checked, every user seen once); time per page at the start and the end."""
    seen: set[str] = set()
    paths = [f"{EMULATOR_SCIM}/Users?startIndex={start}&count={count}" for start in range(1, users + 1, count)]

    def full_page(status: int, body: bytes) -> bool:
        answer = json.loads(body)
        ids = [r["id"] for r in answer.get("Resources", [])]
        seen.update(ids)
        return status == 200 and answer.get("totalResults") == users and len(ids) == min(count, users)

    latencies = serial(emulator.base_url, paths, headers, full_page)
    if len(seen) != users:
        raise RuntimeError(f"paging saw {len(seen)} distinct users of {users}")
    edge = min(EDGE_PAGES, len(latencies))
    walk = Walk(users, len(paths), sum(latencies), sum(latencies[:edge]) / edge, sum(latencies[-edge:]) / edge)
    say(f"  paging {users:>6} users by {count}: {walk.pages} pages in {walk.total:.2f} s; per page "
        f"{fmt_ms(walk.first)} over the first {edge}, {fmt_ms(walk.last)} over the last {edge}, "
        f"mean {fmt_ms(walk.mean)}")
    return walk
