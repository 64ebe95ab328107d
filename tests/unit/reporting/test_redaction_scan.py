"""No secret reaches any report file: build every artifact from secret-laden results and scan them all."""

from __future__ import annotations

from pathlib import Path

from conformance.reporting.allure_files import write_allure_extras
from conformance.reporting.build import build_report
from conformance.reporting.metadata import versions
from conformance.requirements import Catalogue
from tests.support.reporting_samples import ACCESS_TOKEN, CLIENT_SECRET, JWT, TODAY, sample_records, write_results

SECRETS = (CLIENT_SECRET, ACCESS_TOKEN, JWT)


def test_no_secret_in_any_output_file(catalogue: Catalogue, tmp_path: Path) -> None:
    """Evidence, messages and URLs carry the client secret, a token and a JWT; no written file contains them.

    The results file goes through the plugin's writer, allure's extras and the whole build follow; then every
    file of the report directory is scanned.
    """
    report_dir = tmp_path / "report"
    write_results(report_dir, sample_records())
    target = {"host": "tenant.example.com", "base_url": f"https://tenant.example.com/?client_secret={CLIENT_SECRET}"}
    write_allure_extras(report_dir / "allure-results", target, versions())
    build_report(report_dir, catalogue=catalogue, today=TODAY)
    files = [path for path in report_dir.rglob("*") if path.is_file()]
    hits = [(path.name, secret) for path in files for secret in SECRETS if secret in path.read_text()]
    assert ([], 6) == (hits, len(files))
