"""``conformance`` console script: one entry point, one module per subcommand.

Every subcommand module exposes ``add_parser(subparsers)`` and ``run(args) -> int``. Tool errors
(``KitError``) end in one clear line on stderr and a non-zero exit, never a stack trace.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from conformance import __version__
from conformance.errors import KitError

SUBCOMMANDS = {
    "emulator": "conformance.emulator.cli",
    "run": "conformance.cli.run",
    "report": "conformance.cli.report",
    "verify-report": "conformance.cli.verify",
    "cleanup": "conformance.cli.cleanup",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        """Bad flags: one line and exit 2 (argparse prints the usage block otherwise)."""
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every available subcommand."""
    parser = _Parser(prog="conformance", description="Identity Service conformance kit")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, module_name in SUBCOMMANDS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.add_parser(subparsers, name)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse, dispatch, and turn tool errors into one line and an exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except KitError as exc:
        sys.stderr.write(exc.one_line() + "\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
