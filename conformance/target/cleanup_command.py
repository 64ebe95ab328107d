"""``conformance cleanup --run-id ID``: remove what an older (crashed or interrupted) run left behind."""

from __future__ import annotations

import argparse
import os
import sys

from conformance.errors import ConfigError
from conformance.target.auth import TokenSource
from conformance.target.client import TargetClient
from conformance.target.config import TargetConfig
from conformance.target.leftovers import find_leftovers


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> None:  # type: ignore[type-arg]
    """Register the subcommand."""
    parser = subparsers.add_parser(name, help="remove resources left by an older run (names ctk-<run-id>-*)")
    parser.add_argument("--run-id", required=True, help="the run whose resources to remove")
    parser.add_argument("--target", default=os.environ.get("CONFORMANCE_TARGET"), help="tenant base URL")
    parser.add_argument("--client-id", default=os.environ.get("CONFORMANCE_CLIENT_ID"))
    parser.add_argument("--dry-run", action="store_true", help="list, do not delete")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """List the run's leftovers and delete them; exit 1 if any could not be deleted."""
    secret = os.environ.get("CONFORMANCE_CLIENT_SECRET")
    if not (args.target and args.client_id and secret):
        raise ConfigError("cleanup needs --target, --client-id and CONFORMANCE_CLIENT_SECRET in the environment")
    target = TargetConfig(base_url=args.target.rstrip("/"), client_id=args.client_id, client_secret=secret,
                          run_id=args.run_id)
    client = TargetClient(target)
    token = TokenSource(client, args.client_id, secret).token()
    leftovers = find_leftovers(client, token, target.resource_prefix)
    failed = 0
    for leftover in leftovers:
        status = "kept (dry run)" if args.dry_run else client.delete(leftover.delete_path, token=token).status_code
        failed += 0 if args.dry_run or status in (200, 202, 204, 404) else 1
        print(f"{leftover.kind:18} {leftover.name:40} {status}")
    print(f"{len(leftovers)} resources with prefix {target.resource_prefix}; {failed} could not be deleted",
          file=sys.stderr)
    return 1 if failed else 0
