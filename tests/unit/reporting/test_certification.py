"""certification.json: content, schema validation before writing, and rebuilding from junit.xml."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from conformance.reporting.build import build_report
from conformance.reporting.certification import ReportInputs, build_certification, validate, write_certification
from conformance.reporting.metadata import versions
from conformance.requirements import Catalogue
from tests.support.reporting_samples import TODAY, sample_records, write_results

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="3">
<testcase classname="conformance.suite.test_token" name="test_ok" time="0.1">
  <properties><property name="requirements" value="TOKEN-001 TOKEN-002"/></properties></testcase>
<testcase classname="conformance.suite.test_scim.TestCreate" name="test_create" time="0.2">
  <properties><property name="requirements" value="SCIM-001"/></properties>
  <failure message="conformance.results.RequirementFailure: [SCIM-001 MUST] expected 201">trace</failure></testcase>
<testcase classname="conformance.suite.test_scim" name="test_filter" time="0.0">
  <properties><property name="requirements" value="SCIM-002"/></properties>
  <skipped type="pytest.skip" message="needs the emulator's control surface">skip</skipped></testcase>
</testsuite></testsuites>
"""


def sample_document(catalogue: Catalogue) -> dict:
    """The certification document of the sample run on a live tenant."""
    return build_certification(ReportInputs(catalogue, sample_records(), [], versions(), TODAY, {}))


def test_sample_run_document(catalogue: Catalogue) -> None:
    """Statuses, verdict and totals of the sample run."""
    document = sample_document(catalogue)
    statuses = {entry["id"]: entry["status"] for entry in document["requirements"]}
    assert {"TOKEN-001": "PASS", "TOKEN-002": "DEVIATION", "TOKEN-003": "SKIPPED", "TOKEN-004": "NOT_RUN",
            "SCIM-001": "FAIL", "SCIM-002": "SKIPPED", "SCIM-003": "REVIEW"} == statuses
    assert ("NOT CONFORMANT", 7, 1) == (document["verdict"], document["totals"]["requirements"],
                                        document["totals"]["by_family"]["scim"]["FAIL"])


def test_document_validates_against_the_schema(catalogue: Catalogue) -> None:
    """The builder's output matches specs/schemas/certification.schema.json."""
    validate(sample_document(catalogue))


def test_invalid_document_is_refused_before_writing(catalogue: Catalogue, tmp_path: Path) -> None:
    """A document with an unknown status is not written."""
    document = sample_document(catalogue)
    document["requirements"][0]["status"] = "MAYBE"
    with pytest.raises(jsonschema.ValidationError):
        write_certification(document, tmp_path)
    assert not (tmp_path / "certification.json").exists()


def test_failure_evidence_carries_a_curl_line(catalogue: Catalogue) -> None:
    """Each failure's exchange has a curl line that reproduces it with credentials as variables."""
    entry = next(e for e in sample_document(catalogue)["requirements"] if e["id"] == "SCIM-001")
    curl = entry["evidence"][0]["exchanges"][0]["curl"]
    assert (True, True) == (curl.startswith("curl -sS -i -X POST"), "$TOKEN" in curl)


def test_report_rebuilds_from_junit_without_results_jsonl(catalogue: Catalogue, tmp_path: Path) -> None:
    """``conformance report`` works from junit.xml alone (no evidence then)."""
    report_dir = tmp_path / "report"
    report_dir.mkdir()
    (report_dir / "junit.xml").write_text(JUNIT)
    built = build_report(report_dir, catalogue=catalogue, today=TODAY)
    statuses = {e["id"]: e["status"] for e in json.loads(built.json_path.read_text())["requirements"]}
    assert ("PASS", "FAIL", "SKIPPED") == (statuses["TOKEN-001"], statuses["SCIM-001"], statuses["SCIM-002"])


def test_build_writes_every_artifact(catalogue: Catalogue, tmp_path: Path) -> None:
    """JSON, HTML and manifest appear; the manifest lists the results file and both reports."""
    write_results(tmp_path / "report", sample_records())
    built = build_report(tmp_path / "report", catalogue=catalogue, today=TODAY)
    listed = [line.split("  ", 1)[1] for line in built.manifest_path.read_text().splitlines()]
    assert ["certification.html", "certification.json", "results.jsonl"] == listed
