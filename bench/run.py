"""Run the benchmarks: ``python -m bench [--size smoke|full] [--only NAME[,NAME]] [--driver auto|wrk|httpx]``.

Each benchmark prints its figures, the ratio against the peer measured in the same run, and one
``TARGET <name> PASS|MISS <numbers>`` line per target; the summary at the end repeats those lines under the machine
they came from. Exit status: 0 when every benchmark ran (targets may MISS; ``--strict`` makes a MISS exit 1),
1 when a benchmark crashed.
"""

from __future__ import annotations

import argparse
import importlib
import tempfile
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from bench.common import SIZES, Bench, machine, say
from bench.load import choose_driver
from bench.patched import PATCHES

BENCHMARKS = {
    "scim_get": "bench.scim_get",
    "token": "bench.token_issue",
    "filters": "bench.filters",
    "seeding": "bench.seeding",
    "suite": "bench.suite",
    "kill_rate": "bench.kill_rate",
}


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=SIZES, default="full",
                        help="full: the real measurement; smoke: tiny sizes that only prove the harness runs")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help=f"run only these benchmarks (repeatable or comma separated): {', '.join(BENCHMARKS)}")
    parser.add_argument("--driver", choices=("auto", "wrk", "httpx"), default="auto",
                        help="load generator (auto: wrk when installed, else the async httpx driver)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--emulator-patches", default="", metavar="NAME[,NAME]",
                        help="run the emulator with proposed fixes applied at run time (bench/patched.py): "
                             + ", ".join(PATCHES))
    args = parser.parse_args(argv)
    args.emulator_patches = tuple(name for name in args.emulator_patches.split(",") if name)
    if set(args.emulator_patches) - set(PATCHES):
        parser.error(f"unknown patch in {args.emulator_patches}; choose from {', '.join(PATCHES)}")
    args.only = [name.strip() for item in args.only for name in item.split(",") if name.strip()]
    unknown = sorted(set(args.only) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen benchmarks one after another, then print the summary."""
    args = parse(argv)
    names = args.only or list(BENCHMARKS)
    for line in machine():
        say(line)
    crashed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as workdir:
        bench = Bench(args.size, choose_driver(args.driver), Path(workdir), patches=args.emulator_patches)
        patched = f", EMULATOR PATCHED WITH {', '.join(bench.patches)}" if bench.patches else ""
        say(f"size {args.size}, load generator {bench.driver}, benchmarks {', '.join(names)}{patched}")
        started = time.monotonic()
        for name in names:
            if not _run_one(bench, name):
                crashed.append(name)
    patched = f", emulator patched with {', '.join(args.emulator_patches)}" if args.emulator_patches else ""
    say(f"\n== Summary ({args.size} size, {time.monotonic() - started:.0f} s{patched})")
    for line in machine():
        say(line)
    for line in bench.summaries:
        say(line)
    missed = any(" MISS " in line for line in bench.summaries)
    return 1 if crashed or (args.strict and missed) else 0


def _run_one(bench: Bench, name: str) -> bool:
    module = importlib.import_module(BENCHMARKS[name])
    started = time.monotonic()
    try:
        module.run(bench)
    except Exception as exc:
        traceback.print_exc()
        line = f"TARGET {name:<26} ERROR {type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
        bench.summaries.append(line)
        say(line)
        return False
    say(f"  ({name} took {time.monotonic() - started:.1f} s)")
    return True
