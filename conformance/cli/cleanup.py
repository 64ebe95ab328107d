"""``conformance cleanup --run-id ID``: remove what an older (crashed or interrupted) run left behind.

1. the run's ledgers, if they are still on this machine (pytest's temp directories, or ``--ledger-dir``), are
   replayed: every resource the run registered and did not remove is deleted by the path it was created at;
2. every resource named ``ctk-<run-id>-…`` found on the target (also ones created by a request whose answer
   never arrived) is deleted;
3. the target is listed again: exit 0 when nothing with the prefix is left, 1 otherwise.

Nothing without the run prefix is ever deleted. The secret comes from ``CONFORMANCE_CLIENT_SECRET`` or the file
named by ``--client-secret-file`` / ``CONFORMANCE_CLIENT_SECRET_FILE``, never from the command line.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from conformance.errors import ConfigError
from conformance.housekeeping.ledger import find_ledgers, pytest_temp_root, replay
from conformance.housekeeping.leftovers import describe, find_leftovers, remove_leftovers
from conformance.target.auth import TokenSource
from conformance.target.client import TargetClient
from conformance.target.config import TargetConfig


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> None:  # type: ignore[type-arg]
    """Register the subcommand."""
    parser = subparsers.add_parser(name, help="remove resources left by an older run (names ctk-<run-id>-*)")
    parser.add_argument("--run-id", required=True, help="the run whose resources to remove")
    parser.add_argument("--target", default=os.environ.get("CONFORMANCE_TARGET"), help="tenant base URL")
    parser.add_argument("--client-id", default=os.environ.get("CONFORMANCE_CLIENT_ID"))
    parser.add_argument("--client-secret-file", type=Path, default=os.environ.get("CONFORMANCE_CLIENT_SECRET_FILE"),
                        help="file holding the secret (or env CONFORMANCE_CLIENT_SECRET)")
    parser.add_argument("--ledger-dir", type=Path, default=None,
                        help="where to look for the run's ledgers (default: pytest's temp directories)")
    parser.add_argument("--dry-run", action="store_true", help="list, do not delete")
    parser.set_defaults(handler=run)


def _secret(args: argparse.Namespace) -> str | None:
    if args.client_secret_file:
        try:
            return Path(args.client_secret_file).read_text().strip()
        except OSError as exc:
            raise ConfigError(f"cannot read client secret file {args.client_secret_file}: {exc.strerror}") from None
    return os.environ.get("CONFORMANCE_CLIENT_SECRET")


def run(args: argparse.Namespace) -> int:
    """Replay the run's ledgers, delete what carries its prefix, and check that nothing is left."""
    secret = _secret(args)
    if not (args.target and args.client_id and secret):
        raise ConfigError("cleanup needs --target, --client-id and CONFORMANCE_CLIENT_SECRET in the environment")
    target = TargetConfig(base_url=args.target.rstrip("/"), client_id=args.client_id, client_secret=secret,
                          run_id=args.run_id)
    prefix = target.resource_prefix
    client = TargetClient(target)
    try:
        token = TokenSource(client, args.client_id, secret).token()
        ledgers = [ledger for ledger in find_ledgers(args.ledger_dir or pytest_temp_root(), prefix)
                   if ledger.belongs_to(target.base_url)]
        pending = sum(len(ledger.pending) for ledger in ledgers)
        if pending and not args.dry_run:
            failed = replay(client, token, ledgers)
            print(f"ledgers: {len(ledgers)} found, {pending} pending resources replayed, {len(failed)} failed")
        leftovers = find_leftovers(client, token, prefix)
        failures = [] if args.dry_run else remove_leftovers(client, token, leftovers)
        for leftover in leftovers:
            status = "kept (dry run)" if args.dry_run else next((s for f, s in failures if f == leftover), "deleted")
            print(f"{leftover.kind:18} {leftover.name:48} {status}")
        remaining = leftovers if args.dry_run else find_leftovers(client, token, prefix)
    finally:
        client.close()
    print(f"{len(leftovers)} resources with prefix {prefix} found; {len(remaining)} left on the target"
          + (f": {describe(remaining)}" if remaining else ""), file=sys.stderr)
    return 1 if remaining else 0
