"""From pytest's per-phase reports (setup, call, teardown) to one ``TestRecord`` per test.

The plugin turns each phase into a small JSON-ready dict on the worker (where the exception is still
available) and attaches it to the report, which pytest-xdist ships to the controller; the controller merges
the phases of a test with ``merge_phases`` and writes the record.
"""

from __future__ import annotations

from typing import Any

from conformance.errors import KitError, TargetUnavailable
from conformance.redaction import REDACTOR
from conformance.reporting.records import KIT_ERROR, TARGET_UNAVAILABLE, TestRecord, redact_exchange
from conformance.results import Evidence, RequirementFailure

MESSAGE_LIMIT = 1500


def phase_from_exception(when: str, outcome: str, exception: BaseException | None,
                         fallback: Evidence | None = None) -> dict[str, Any]:
    """What one phase says about the test: outcome, failing ID, message, error kind, redacted evidence."""
    phase: dict[str, Any] = {"when": when, "outcome": outcome}
    if exception is None or outcome == "skipped":
        return phase
    if isinstance(exception, RequirementFailure):
        phase["failed_requirement"] = exception.requirement_id
        phase["message"] = REDACTOR.text(exception.message)[:MESSAGE_LIMIT]
        evidence = exception.evidence or fallback
    else:
        phase["message"] = _message_of(exception)
        evidence = fallback
    if isinstance(exception, KitError):
        phase["error_kind"] = TARGET_UNAVAILABLE if isinstance(exception, TargetUnavailable) else KIT_ERROR
    if evidence is not None:
        phase["evidence"] = [redact_exchange(evidence.as_dict())]
    return phase


def _message_of(exception: BaseException) -> str:
    if isinstance(exception, KitError):
        return REDACTOR.text(f"{type(exception).__name__}: {exception}")[:MESSAGE_LIMIT]
    text = str(exception).strip() or type(exception).__name__
    return REDACTOR.text(f"{type(exception).__name__}: {text}" if not isinstance(exception, AssertionError)
                         else text)[:MESSAGE_LIMIT]


def skip_reason(longrepr: Any, wasxfail: str | None = None) -> str:
    """The reason of a skip, from pytest's ``(path, line, "Skipped: reason")`` longrepr."""
    if wasxfail is not None:
        return f"expected failure (xfail){': ' + wasxfail if wasxfail else ''}"
    if isinstance(longrepr, tuple | list) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr or "skipped")


def merge_phases(nodeid: str, requirements: list[str], phases: list[dict[str, Any]]) -> TestRecord:
    """One record for a test from the dicts of its phases (in order)."""
    record = TestRecord(nodeid=nodeid, outcome="error", requirements=sorted(requirements),
                        message="the test did not run to completion")
    for phase in phases:
        record.duration += float(phase.get("duration", 0.0))
        if phase["when"] == "teardown":
            _merge_teardown(record, phase)
        elif phase["when"] == "setup" and phase["outcome"] == "passed":
            continue
        else:
            _merge_main(record, phase)
    return record


def _merge_main(record: TestRecord, phase: dict[str, Any]) -> None:
    outcome = phase["outcome"]
    if phase["when"] == "setup" and outcome == "failed":
        outcome = "error"  # a fixture broke: the test could not check anything
    if phase.get("error_kind"):
        outcome = "error"
    record.outcome = outcome
    record.message = str(phase.get("message", "")) if outcome != "passed" else ""
    record.skip_reason = str(phase.get("skip_reason", ""))
    record.failed_requirement = phase.get("failed_requirement")
    record.error_kind = phase.get("error_kind")
    record.evidence = list(phase.get("evidence", []))


def _merge_teardown(record: TestRecord, phase: dict[str, Any]) -> None:
    if phase["outcome"] != "failed":
        return
    record.teardown_error = str(phase.get("message", "teardown failed"))
    record.error_kind = record.error_kind or phase.get("error_kind")
