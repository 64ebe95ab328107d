"""``conformance run``: the suite against a tenant (or the emulator), then the certification report.

Exit status: 0 CONFORMANT, 1 NOT CONFORMANT, 2 tool error (configuration, usage, crashed session),
3 target unavailable, 4 INCOMPLETE for any other reason (a needed MUST requirement was not verified).
Secrets reach pytest through its environment, never its command line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

import conformance
from conformance.errors import ConfigError
from conformance.redaction import REDACTOR
from conformance.reporting.build import ALLURE_DIR, JUNIT_FILE, BuiltReport, build_report
from conformance.reporting.manifest import MANIFEST, SIGNATURE, load_private_key
from conformance.reporting.progress import LOG_FILE, log_tail, run_pytest
from conformance.reporting.records import RESULTS_FILE
from conformance.reporting.waivers import load_waivers
from conformance.requirements import load_catalogue
from conformance.target.config import MIME_PHASES, PROFILES

EXIT_CODES = {"CONFORMANT": 0, "NOT CONFORMANT": 1}
EXIT_KIT_ERROR, EXIT_TARGET_UNAVAILABLE, EXIT_INCOMPLETE = 2, 3, 4
STALE_OUTPUTS = (RESULTS_FILE, JUNIT_FILE, LOG_FILE, "certification.json", "certification.html", MANIFEST, SIGNATURE)


def add_parser(subparsers: Any, name: str) -> None:
    """Register ``conformance run``."""
    parser = subparsers.add_parser(name, help="run the conformance suite and write the certification report",
                                   description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", help="tenant base URL; default: start the embedded emulator")
    parser.add_argument("--client-id", help="admin OAuth2 client id")
    parser.add_argument("--client-secret-file", type=Path,
                        help="file holding its secret (or env CONFORMANCE_CLIENT_SECRET)")
    parser.add_argument("--tenant-host", help="the FQDN the service expects in Host")
    parser.add_argument("--mime-phase", choices=MIME_PHASES, help="MIME phase of the admin APIs (default auto)")
    parser.add_argument("--profile", choices=PROFILES, help="omnissa (everything) or generic-scim")
    parser.add_argument("--report-dir", type=Path, help="where to write the report (default reports/<UTC time>/)")
    parser.add_argument("--waivers", type=Path, help="TOML file of accepted failures")
    parser.add_argument("--sign-key", type=Path, help="Ed25519 private key (PEM) to sign MANIFEST.sha256")
    parser.add_argument("-n", dest="workers", help="pytest-xdist workers (a number or 'auto')")
    parser.add_argument("-k", dest="keyword", help="only tests matching this pytest -k expression")
    parser.add_argument("--hypothesis-profile", choices=("dev", "ci", "nightly"), help="hypothesis settings profile")
    parser.set_defaults(handler=run)


def suite_dir() -> Path:
    """The installed suite package, ``conformance/suite`` (in a checkout or inside the wheel)."""
    suite = Path(conformance.__file__).resolve().parent / "suite"
    if not (suite / "__init__.py").is_file():
        raise ConfigError(f"the conformance suite is missing from this install ({suite}); "
                          "reinstall the kit: `pip install --force-reinstall identity-conformance-kit`")
    return suite


def prepare_report_dir(chosen: Path | None) -> Path:
    """The report directory, emptied of a previous run's outputs; the default also updates ``reports/latest``."""
    if chosen is not None:
        report_dir = chosen.resolve()
    else:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        report_dir = (Path("reports") / stamp).resolve()
    report_dir.mkdir(parents=True, exist_ok=True)
    for name in STALE_OUTPUTS:
        (report_dir / name).unlink(missing_ok=True)
    if chosen is None:
        latest = report_dir.parent / "latest"
        temporary = report_dir.parent / ".latest.tmp"
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(report_dir.name)
        os.replace(temporary, latest)
    return report_dir


def pytest_argv(args: argparse.Namespace, suite: Path, report_dir: Path) -> list[str]:
    """The pytest command line: non-secret options only."""
    argv = [sys.executable, "-m", "pytest", str(suite), "--junitxml", str(report_dir / JUNIT_FILE),
            "--alluredir", str(report_dir / ALLURE_DIR), "--clean-alluredir", "--allure-no-capture",
            "--conformance-results", str(report_dir / RESULTS_FILE), "--tb=short", "--show-capture=no"]
    flags = {"--target": args.target, "--client-id": args.client_id, "--tenant-host": args.tenant_host,
             "--mime-phase": args.mime_phase, "--profile": args.profile, "-n": args.workers, "-k": args.keyword,
             "--hypothesis-profile": args.hypothesis_profile}
    for flag, value in flags.items():
        if value:
            argv.extend([flag, str(value)])
    return argv


def child_environment(args: argparse.Namespace) -> dict[str, str]:
    """The environment of pytest: secrets travel here; the secret's value is registered for redaction."""
    env = dict(os.environ)
    if args.client_secret_file:
        try:
            REDACTOR.register(args.client_secret_file.read_text().strip())
        except OSError as exc:
            raise ConfigError(f"cannot read client secret file {args.client_secret_file}: {exc.strerror}") from None
        env["CONFORMANCE_CLIENT_SECRET_FILE"] = str(args.client_secret_file.resolve())
    REDACTOR.register(env.get("CONFORMANCE_CLIENT_SECRET"), env.get("CONFORMANCE_BEARER_TOKEN"))
    return env


def _check_inputs(args: argparse.Namespace) -> None:
    """Fail before a long run, not after it: waivers and signing key are read up front."""
    if args.waivers:
        load_waivers(args.waivers, load_catalogue())
    if args.sign_key:
        load_private_key(args.sign_key)


def run(args: argparse.Namespace) -> int:
    """Run the suite, build the report, print the verdict line and the report path."""
    _check_inputs(args)
    suite = suite_dir()
    env = child_environment(args)
    report_dir = prepare_report_dir(args.report_dir)
    argv = pytest_argv(args, suite, report_dir)
    print(f"conformance run: writing {report_dir}", flush=True)
    run_pytest(argv, env, report_dir, report_dir / RESULTS_FILE)
    if not (report_dir / RESULTS_FILE).exists():
        raise ConfigError(f"pytest wrote no results; last lines of {LOG_FILE}:\n{log_tail(report_dir)}")
    built = build_report(report_dir, waivers_file=args.waivers, sign_key=args.sign_key,
                         extra_run={"command": [REDACTOR.text(part) for part in ["conformance", *argv[3:]]]})
    return finish(built, report_dir)


def finish(built: BuiltReport, report_dir: Path) -> int:
    """Print the verdict line and the report path; return the exit status for the verdict."""
    document = built.document
    code = exit_status(document)
    if code == EXIT_KIT_ERROR and LOG_FILE in document["run"]["kit_error"]:
        sys.stderr.write(log_tail(report_dir) + "\n")  # pytest itself failed: its last lines say why
    print(f"{document['verdict']}: {document['verdict_reason']}")
    print(f"report: {built.html_path}")
    return code


def exit_status(document: dict[str, Any]) -> int:
    """0 CONFORMANT, 1 NOT CONFORMANT, 3 target unavailable, 2 tool error, 4 other INCOMPLETE."""
    if document["verdict"] in EXIT_CODES:
        return EXIT_CODES[document["verdict"]]
    if document["run"]["target_unavailable"]:
        return EXIT_TARGET_UNAVAILABLE
    return EXIT_KIT_ERROR if document["run"]["kit_error"] else EXIT_INCOMPLETE
