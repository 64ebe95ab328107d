"""Build every report artifact of a run directory: certification JSON and HTML, manifest, signature.

A report directory looks like::

    reports/20250623T031700Z/
      allure-results/          allure-pytest output + environment.properties + categories.json
      junit.xml                pytest --junitxml
      results.jsonl            one line per test (conformance.plugin.reporting)
      pytest.log               the run's console output, redacted
      certification.json       validated against specs/schemas/certification.schema.json
      certification.html       self-contained page
      MANIFEST.sha256          digests of everything above
      MANIFEST.sig             Ed25519 signature of the manifest (with --sign-key)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conformance.errors import ConfigError
from conformance.reporting.certification import ReportInputs, build_certification, write_certification
from conformance.reporting.html_report import write_html
from conformance.reporting.junit_import import records_from_junit
from conformance.reporting.manifest import SIGNATURE, write_manifest
from conformance.reporting.metadata import versions
from conformance.reporting.records import RESULTS_FILE, RunRecords, read_records
from conformance.reporting.waivers import load_waivers
from conformance.requirements import Catalogue, load_catalogue

ALLURE_DIR = "allure-results"
JUNIT_FILE = "junit.xml"


@dataclass(frozen=True)
class BuiltReport:
    """What ``build_report`` produced."""

    document: dict[str, Any]
    json_path: Path
    html_path: Path
    manifest_path: Path
    signed: bool

    @property
    def verdict(self) -> str:
        """CONFORMANT, NOT CONFORMANT or INCOMPLETE."""
        return str(self.document["verdict"])


def load_run_records(report_dir: Path) -> RunRecords:
    """``results.jsonl`` when present, else ``junit.xml`` (no evidence then)."""
    results = report_dir / RESULTS_FILE
    if results.is_file():
        return read_records(results)
    junit = report_dir / JUNIT_FILE
    if junit.is_file():
        return records_from_junit(junit, report_dir / ALLURE_DIR / "environment.properties")
    raise ConfigError(f"{report_dir} holds neither {RESULTS_FILE} nor {JUNIT_FILE}: nothing to report on")


def build_report(report_dir: Path, *, waivers_file: Path | None = None, sign_key: Path | None = None,
                 extra_run: dict[str, Any] | None = None, today: dt.date | None = None,
                 catalogue: Catalogue | None = None) -> BuiltReport:
    """Write certification.json/.html and the manifest (+ signature) into ``report_dir``."""
    catalogue = catalogue or load_catalogue()
    inputs = ReportInputs(
        catalogue=catalogue,
        records=load_run_records(report_dir),
        waivers=load_waivers(waivers_file, catalogue) if waivers_file else [],
        versions=versions(),
        today=today or dt.datetime.now(dt.UTC).date(),
        extra_run={"waivers_file": str(waivers_file) if waivers_file else None, **(extra_run or {})},
    )
    document = build_certification(inputs)
    json_path = write_certification(document, report_dir)
    html_path = write_html(document, report_dir)
    stale_signature = report_dir / SIGNATURE
    if sign_key is None and stale_signature.exists():
        stale_signature.unlink()  # a rebuilt report is not covered by the old signature
    manifest = write_manifest(report_dir, sign_key)
    return BuiltReport(document, json_path, html_path, manifest, signed=sign_key is not None)
