"""Test records rebuilt from ``junit.xml`` (``pytest --junitxml``) when a run left no ``results.jsonl``.

JUnit carries each test's requirement IDs (the ``requirements`` property), its outcome, the failure
message and skip reason, but no evidence; the target comes from allure's ``environment.properties``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # only parses files the run wrote itself
from pathlib import Path
from typing import Any

from conformance.reporting.records import KIT_ERROR, TARGET_UNAVAILABLE, RunRecords, TestRecord

REQUIREMENT_PROPERTY = "requirements"
"""The JUnit property ``conformance.plugin.requirements`` gives each test (its IDs, space-separated)."""
_FAILED_ID = re.compile(r"\[([A-Z]+(?:-[A-Z]+)*-\d{3}) (?:MUST|SHOULD|MAY)\]")


def records_from_junit(junit: Path, environment: Path | None = None) -> RunRecords:
    """Parse a JUnit XML file into ``RunRecords`` (one record per ``testcase``)."""
    root = ET.parse(junit).getroot()
    tests = [_record(case) for case in root.iter("testcase")]
    target = _target_from_environment(environment) if environment and environment.is_file() else {}
    return RunRecords(tests=tests, session_finish={"target": target} if target else {})


def _nodeid(case: ET.Element) -> str:
    classname, name = case.get("classname", ""), case.get("name", "")
    parts = classname.split(".")
    module = "/".join(p for p in parts if p and p[0].islower()) + ".py"
    classes = [p for p in parts if p and p[0].isupper()]
    return "::".join([module, *classes, name]) if classname else name


def _record(case: ET.Element) -> TestRecord:
    properties = {p.get("name"): p.get("value", "") for p in case.iter("property")}
    record = TestRecord(nodeid=_nodeid(case), outcome="passed",
                        requirements=sorted(properties.get(REQUIREMENT_PROPERTY, "").split()),
                        duration=float(case.get("time", "0") or 0))
    for tag in ("failure", "error", "skipped"):
        element = case.find(tag)
        if element is not None:
            _apply(record, tag, element.get("message", "") or (element.text or "").strip())
            break
    return record


def _apply(record: TestRecord, tag: str, message: str) -> None:
    first_line = message.splitlines()[0] if message else ""
    if tag == "skipped":
        record.outcome, record.skip_reason = "skipped", first_line.removeprefix("Skipped: ")
        return
    record.outcome, record.message = ("failed" if tag == "failure" else "error"), first_line
    match = _FAILED_ID.search(message)
    if match:
        record.failed_requirement = match.group(1)
    if "TargetUnavailable" in message:
        record.outcome, record.error_kind = "error", TARGET_UNAVAILABLE
    elif "KitError" in message or "ConfigError" in message or "CatalogueError" in message:
        record.outcome, record.error_kind = "error", KIT_ERROR


def _target_from_environment(path: Path) -> dict[str, Any]:
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        values[key.replace("\\", "")] = value
    return {
        "host": values.get("target.host", "unknown"),
        "is_emulator": values.get("target.emulator") == "true",
        "profile": values.get("profile", "omnissa"),
        "mime_phase": values.get("mime.phase", "auto"),
    }
