"""``conformance verify-report DIR [--public-key KEY]``: check a report's digests and signature.

Exit 0 when every file matches ``MANIFEST.sha256`` (and ``MANIFEST.sig`` verifies with the key); otherwise
exit 1 with one line naming the first file that does not match.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from conformance.reporting.manifest import verify


def add_parser(subparsers: Any, name: str) -> None:
    """Register ``conformance verify-report``."""
    parser = subparsers.add_parser(name, help="check a report directory against its manifest and signature",
                                   description=__doc__.split("\n\n")[0])
    parser.add_argument("report_dir", type=Path, help="the run's report directory")
    parser.add_argument("--public-key", type=Path, help="Ed25519 public key (PEM) of the signer")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print one line: OK, or the first mismatch."""
    result = verify(args.report_dir, args.public_key)
    stream = sys.stdout if result.ok else sys.stderr
    stream.write(result.message + "\n")
    return 0 if result.ok else 1
