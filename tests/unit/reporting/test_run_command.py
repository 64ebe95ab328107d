"""``conformance run`` plumbing: secrets stay off argv, report directories, exit statuses."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from conformance.cli import build_parser
from conformance.cli import run as run_command
from conformance.redaction import REDACTOR
from tests.support.reporting_samples import CLIENT_SECRET


def parse(*argv: str) -> argparse.Namespace:
    """Parse ``conformance run ...`` as the console script does."""
    return build_parser().parse_args(["run", *argv])


def test_secret_goes_to_the_environment_never_argv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The secret file is handed over by env; neither the secret nor its value is on pytest's command line."""
    monkeypatch.delenv("CONFORMANCE_CLIENT_SECRET", raising=False)
    secret_file = tmp_path / "secret"
    secret_file.write_text(CLIENT_SECRET + "\n")
    args = parse("--target", "https://t.example.com", "--client-id", "ctk-admin", "--client-secret-file",
                 str(secret_file), "-n", "2", "-k", "token", "--profile", "omnissa")
    env = run_command.child_environment(args)
    argv = run_command.pytest_argv(args, tmp_path / "suite", tmp_path / "report")
    assert (str(secret_file.resolve()), False, False, True) == (
        env["CONFORMANCE_CLIENT_SECRET_FILE"], any(CLIENT_SECRET in part for part in argv),
        any(part.startswith("--client-secret") for part in argv), "***" == REDACTOR.text(CLIENT_SECRET))


def test_default_report_dir_is_timestamped_with_latest_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --report-dir: reports/<UTC stamp>/ and reports/latest pointing at it."""
    monkeypatch.chdir(tmp_path)
    report_dir = run_command.prepare_report_dir(None)
    latest = tmp_path / "reports" / "latest"
    assert (True, report_dir.name, True) == (report_dir.name.endswith("Z"), str(latest.readlink()), latest.is_dir())


def test_latest_moves_to_the_newest_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An older run's reports/latest is replaced (atomically, no leftover temp link); --report-dir leaves it alone."""
    monkeypatch.chdir(tmp_path)
    reports = tmp_path / "reports"
    (reports / "20000101T000000Z").mkdir(parents=True)
    (reports / "latest").symlink_to("20000101T000000Z")
    newest = run_command.prepare_report_dir(None)
    run_command.prepare_report_dir(tmp_path / "elsewhere")
    assert (newest.name, ["20000101T000000Z", newest.name, "latest"]) == (
        str((reports / "latest").readlink()), sorted(p.name for p in reports.iterdir()))


def test_reused_report_dir_loses_the_previous_outputs(tmp_path: Path) -> None:
    """A previous certification.json or signature never survives into a new run."""
    (tmp_path / "certification.json").write_text("{}")
    (tmp_path / "MANIFEST.sig").write_text("old")
    run_command.prepare_report_dir(tmp_path)
    assert [] == sorted(p.name for p in tmp_path.iterdir())


def test_missing_suite_is_one_clear_config_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A broken install without conformance/suite: ConfigError naming the fix."""
    monkeypatch.setattr(run_command.conformance, "__file__", str(tmp_path / "site" / "conformance" / "__init__.py"))
    with pytest.raises(run_command.ConfigError, match="reinstall the kit"):
        run_command.suite_dir()


@pytest.mark.parametrize(("verdict", "unavailable", "kit_error", "expected"), [
    ("CONFORMANT", False, "", 0),
    ("NOT CONFORMANT", True, "", 1),
    ("INCOMPLETE", True, "", 3),
    ("INCOMPLETE", False, "pytest ended with exit status 4", 2),
    ("INCOMPLETE", False, "", 4),
], ids=["conformant", "not-conformant", "target-unavailable", "kit-error", "incomplete"])
def test_exit_status(verdict: str, unavailable: bool, kit_error: str, expected: int) -> None:
    """0 only for CONFORMANT; 3 is reserved for an unavailable target."""
    document = {"verdict": verdict, "run": {"target_unavailable": unavailable, "kit_error": kit_error}}
    assert expected == run_command.exit_status(document)
