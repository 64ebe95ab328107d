"""``conformance report --results DIR``: rebuild certification.json/.html (and the manifest) of a finished run.

It reads ``results.jsonl`` (or, without it, ``junit.xml`` and allure's ``environment.properties``), applies
``--waivers`` as of today, and exits like ``conformance run`` does for the verdict.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from conformance.cli.run import finish
from conformance.errors import ConfigError
from conformance.reporting.build import build_report


def add_parser(subparsers: Any, name: str) -> None:
    """Register ``conformance report``."""
    parser = subparsers.add_parser(name, help="rebuild the certification report of a finished run",
                                   description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=Path, required=True, help="the run's report directory")
    parser.add_argument("--waivers", type=Path, help="TOML file of accepted failures")
    parser.add_argument("--sign-key", type=Path, help="Ed25519 private key (PEM) to sign MANIFEST.sha256")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Rebuild the report in place and print the verdict line."""
    report_dir = args.results.resolve()
    if not report_dir.is_dir():
        raise ConfigError(f"{args.results} is not a directory")
    built = build_report(report_dir, waivers_file=args.waivers, sign_key=args.sign_key)
    return finish(built, report_dir)
