"""The emulator with proposed performance fixes applied at run time, for before/after measurements.

``python -m bench --emulator-patches nodelay,filter-index`` starts ``python -m bench.patched --patch nodelay
--patch filter-index <emulator flags>`` instead of ``python -m conformance.emulator``. Nothing on disk changes:
each patch replaces one function of the running process with the fix proposed in ``bench/README.md``, so the
lead can reproduce the "after" numbers and then apply the fix for real. Emulators started by the suite's own
launcher (the ``suite`` and ``kill_rate`` benchmarks) get the same patches through ``bench/site/sitecustomize.py``
(see ``patch_environment``). A patch whose target has changed (the fix
landed, or the code moved) is skipped with a note on stderr; delete a patch once its fix is in the emulator.
"""

from __future__ import annotations

import argparse
import functools
import os
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

PATCHES: dict[str, Callable[[], bool]] = {}
SITE = Path(__file__).resolve().parent / "site"
ENV = "BENCH_EMULATOR_PATCHES"


def patch_environment(names: tuple[str, ...]) -> dict[str, str]:
    """Environment for a process tree whose ``python -m conformance.emulator`` children should run patched."""
    if not names:
        return {}
    root = str(SITE.parent.parent)
    path = os.pathsep.join(p for p in (str(SITE), root, os.environ.get("PYTHONPATH", "")) if p)
    return {"PYTHONPATH": path, ENV: ",".join(names)}


def patch(name: str) -> Callable[[Callable[[], bool]], Callable[[], bool]]:
    """Register a patch (returns False when it does not apply)."""
    def register(function: Callable[[], bool]) -> Callable[[], bool]:
        PATCHES[name] = function
        return function
    return register


@patch("nodelay")
def _nodelay() -> bool:
    """cli._bind: a socket with proto=IPPROTO_TCP, so asyncio sets TCP_NODELAY on every accepted connection."""
    from conformance.emulator import cli

    if "IPPROTO_TCP" in cli._bind.__code__.co_names:
        return False

    def bind(host: str, port: int) -> socket.socket:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.set_inheritable(True)
        return sock

    cli._bind = bind
    return True


@patch("verify-cache")
def _verify_cache() -> bool:
    """core.keys.SigningKey.verify: remember the claims of the last 4096 tokens whose signature verified (the
    signature of a given token under a given key never changes; expiry, revocation and generation are still
    checked on every request by ``tokens._principal``)."""
    from conformance.emulator.core import keys

    verify = keys.SigningKey.verify
    if hasattr(verify, "cache_info"):
        return False

    @functools.lru_cache(maxsize=4096)
    def cached(key: Any, token: str) -> tuple[tuple[str, Any], ...]:
        return tuple(verify(key, token).items())

    keys.SigningKey.verify = lambda self, token: dict(cached(self, token))  # type: ignore[method-assign]
    return True


@patch("paging-cursor")
def _paging_cursor() -> bool:
    """scim.query._in_sql: remember, per database state (``Connection.total_changes``: any write in the one
    connection invalidates), each query's COUNT(*) and the ``seq`` that ended each page served in creation order;
    the next page then starts with ``seq > ?`` instead of stepping over OFFSET rows. A sequential walk costs the
    same per page at the end as at the start; a random jump still pays OFFSET."""
    from conformance.emulator.scim import query

    original = query._in_sql
    if getattr(original, "bench_patched", False):
        return False
    counts: dict[Any, int] = {}
    cursors: dict[Any, int] = {}

    def in_sql(ctx: Any, db: Any, kind: Any, sql: Any, order: str, scope: Any, window: tuple[int, int]) -> Any:
        count, offset = window
        where, params = query._where(ctx, sql, scope, sql.indexed)
        state = (db.total_changes, kind.table, where, params)
        if state not in counts:
            if len(counts) > 256:
                counts.clear()
                cursors.clear()
            counts[state] = db.execute(f"SELECT COUNT(*) FROM {kind.table} WHERE {where}", params).fetchone()[0]
        after = cursors.get((state, offset)) if order == "seq" else None
        if after is None:
            page = original(ctx, db, kind, sql, order, scope, window)[1]
        else:
            page = db.execute(f"SELECT * FROM {kind.table} WHERE ({where}) AND seq > ? ORDER BY seq LIMIT ?",
                              (*params, after, count)).fetchall()
        if order == "seq" and page:
            cursors[state, offset + len(page)] = page[-1]["seq"]
        return counts[state], page

    in_sql.bench_patched = True  # type: ignore[attr-defined]
    query._in_sql = in_sql
    return True


def apply(names: list[str]) -> None:
    """Apply the named patches in this process (a note on stderr for each one that does not apply)."""
    for name in names:
        if not PATCHES[name]():
            sys.stderr.write(f"bench.patched: {name} does not apply (already fixed or code changed); skipped\n")


def main() -> int:
    """Apply the named patches, then run the emulator's own command line with the remaining arguments."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patch", action="append", default=[], choices=sorted(PATCHES))
    args, rest = parser.parse_known_args()
    apply(args.patch)
    from conformance.emulator import cli

    return cli.main(rest)


if __name__ == "__main__":
    raise SystemExit(main())
