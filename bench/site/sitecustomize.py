"""Bench only: on ``PYTHONPATH`` (set by ``python -m bench --emulator-patches ...`` for the suite and kill-rate
runs), every ``python -m conformance.emulator`` process of the run applies the patches named in
``BENCH_EMULATOR_PATCHES`` (``bench/patched.py``); every other process is left alone."""

import os
import sys

if os.environ.get("BENCH_EMULATOR_PATCHES") and sys.orig_argv[1:3] == ["-m", "conformance.emulator"]:
    from bench.patched import apply

    apply(os.environ["BENCH_EMULATOR_PATCHES"].split(","))
