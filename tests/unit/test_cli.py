"""The console script answers bad flags and tool errors with one clear line and a non-zero exit."""

from __future__ import annotations

import subprocess
import sys


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``conformance`` as a user would."""
    return subprocess.run([sys.executable, "-m", "conformance.cli", *args], capture_output=True, text=True,
                          timeout=60)


def test_unknown_subcommand_is_one_line_and_exit_2() -> None:
    """A typo in the subcommand gives one line on stderr, no usage dump, exit 2."""
    completed = run_cli("bogus")
    assert (2, 1) == (completed.returncode, len(completed.stderr.strip().splitlines()))


def test_version_prints_the_kit_version() -> None:
    """--version prints the version and exits 0."""
    from conformance import __version__

    completed = run_cli("--version")
    assert (0, f"conformance {__version__}") == (completed.returncode, completed.stdout.strip())
