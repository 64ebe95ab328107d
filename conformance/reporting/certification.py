"""``certification.json``: the partner-facing record of a run, validated against its JSON Schema before writing."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

from conformance import __version__
from conformance.paths import spec_path
from conformance.reporting.curl import curl_line
from conformance.reporting.records import RunRecords, TestRecord, redact_values
from conformance.reporting.status import RequirementResult, Status, derive_all, stale_waivers, verdict
from conformance.reporting.waivers import Waiver, WaiverBook
from conformance.requirements import Catalogue

CERTIFICATION_FILE = "certification.json"
SCHEMA_FILE = "schemas/certification.schema.json"
FORMAT = "identity-conformance-kit/certification"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class ReportInputs:
    """What a certification report is built from."""

    catalogue: Catalogue
    records: RunRecords
    waivers: list[Waiver]
    versions: dict[str, Any]
    today: dt.date
    extra_run: dict[str, Any]


def build_certification(inputs: ReportInputs) -> dict[str, Any]:
    """The certification document (redacted, not yet validated)."""
    target = inputs.records.target
    live = not bool(target.get("is_emulator", False))
    profile = str(target.get("profile") or inputs.records.session_start.get("profile") or "omnissa")
    book = WaiverBook.for_run(inputs.waivers, str(target.get("host", "")), inputs.today)
    results = derive_all(inputs.catalogue, inputs.records, live=live, profile=profile, waivers=book)
    outcome, reason = verdict(results, inputs.records)
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "kit": {"name": "identity-conformance-kit", "version": __version__},
        "run": _run_metadata(inputs, target, profile),
        "verdict": outcome.value,
        "verdict_reason": reason,
        "totals": _totals(results, inputs.records.tests),
        "requirements": [_requirement_entry(result) for result in results],
        "waivers": {
            "applied": [r.waiver.as_dict() for r in results if r.waiver and r.status is Status.WAIVED],
            "expired": [w.as_dict() for w in book.expired],
            "stale": [w.as_dict() for w in stale_waivers(results, book)],
        },
        "problems": _problems(inputs.records),
    }
    return redact_values(document)


def _run_metadata(inputs: ReportInputs, target: dict[str, Any], profile: str) -> dict[str, Any]:
    start, finish = inputs.records.session_start, inputs.records.session_finish
    return {
        "id": str(target.get("run_id") or start.get("run_id") or ""),
        "started": str(start.get("started") or ""),
        "finished": str(finish.get("finished") or ""),
        "target": {
            "base_url": str(target.get("base_url") or "unknown"),
            "host": str(target.get("host") or "unknown"),
            "expected_host": str(target.get("expected_host") or target.get("host") or "unknown"),
            "is_emulator": bool(target.get("is_emulator", False)),
        },
        "profile": profile,
        "mime_phase": str(target.get("mime_phase") or start.get("mime_phase") or "auto"),
        "python": str(inputs.versions["python"]),
        "platform": str(inputs.versions.get("platform", "")),
        "libraries": dict(inputs.versions["libraries"]),
        "spec_digests": dict(inputs.versions["spec_digests"]),
        "pytest_exit_status": finish.get("exitstatus"),
        "target_unavailable": inputs.records.target_unavailable,
        "kit_error": inputs.records.kit_error,
        **inputs.extra_run,
    }


def _totals(results: list[RequirementResult], tests: list[TestRecord]) -> dict[str, Any]:
    by_status = {status.value: 0 for status in Status}
    by_family: dict[str, dict[str, int]] = {}
    for result in results:
        by_status[result.status.value] += 1
        family = by_family.setdefault(result.requirement.family, {status.value: 0 for status in Status})
        family[result.status.value] += 1
    outcomes = Counter(test.outcome for test in tests)
    test_counts = {name: outcomes.get(name, 0) for name in ("passed", "failed", "skipped", "error")}
    return {
        "requirements": len(results),
        "by_status": by_status,
        "by_family": dict(sorted(by_family.items())),
        "tests": {"total": len(tests), **test_counts},
    }


def _requirement_entry(result: RequirementResult) -> dict[str, Any]:
    requirement = result.requirement
    return {
        "id": requirement.id,
        "title": requirement.title,
        "level": requirement.level.value,
        "source": requirement.source,
        "family": requirement.family,
        "ref": requirement.ref,
        "text": requirement.text,
        "status": result.status.value,
        "reason": result.reason,
        "tests": result.tests,
        "evidence": [_evidence_entry(record) for record in result.failures],
        "waiver": result.waiver.as_dict() if result.waiver and result.status is Status.WAIVED else None,
    }


def _evidence_entry(record: TestRecord) -> dict[str, Any]:
    exchanges = [{**exchange, "curl": curl_line(exchange)} for exchange in record.evidence if exchange.get("url")]
    return {"test": record.nodeid, "message": record.message, "exchanges": exchanges}


def _problems(records: RunRecords) -> list[str]:
    problems = [f"{r.nodeid}: {r.message}" for r in records.tests if r.error_kind]
    problems += [f"{r.nodeid} (teardown): {r.teardown_error}" for r in records.tests if r.teardown_error]
    session_error = records.kit_error or records.session_finish.get("exit_message", "")
    if session_error and session_error not in " ".join(problems):
        problems.insert(0, str(session_error))
    return problems


def load_schema() -> dict[str, Any]:
    """The JSON Schema of ``certification.json``."""
    return json.loads(spec_path(SCHEMA_FILE).read_text(encoding="utf-8"))


def validate(document: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` when the document does not match the schema."""
    jsonschema.Draft202012Validator(load_schema(), format_checker=jsonschema.FormatChecker()).validate(document)


def write_certification(document: dict[str, Any], report_dir: Path) -> Path:
    """Validate, then write ``certification.json`` (redacted once more on the way out)."""
    validate(document)
    path = report_dir / CERTIFICATION_FILE
    path.write_text(json.dumps(redact_values(document), indent=2) + "\n", encoding="utf-8")
    return path
