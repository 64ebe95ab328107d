"""Reporting hooks: allure labels and evidence attachments per test, and ``results.jsonl`` for the report.

- At collection, every test gets allure labels from its requirements (epic = API family, feature = area,
  story = ID + title, severity from the level, ``requirement``/``level``/``source``/``profile`` labels).
- At each phase, the worker describes the outcome (failing requirement, message, error kind, redacted
  evidence) on the report itself (``report.conformance``, which pytest-xdist ships to the controller) and
  attaches the redacted exchange to allure on every failure and on a sample of passes.
- With ``--conformance-results FILE`` the controller merges the phases and appends one line per test.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import allure
import pytest
from schemathesis.generation.hypothesis.given import GIVEN_TARGET_ATTR

from conformance import __version__
from conformance.errors import TargetUnavailable
from conformance.plugin.options import option_value
from conformance.plugin.requirements import REQUIREMENT_PROPERTY, requirement_ids
from conformance.redaction import REDACTOR
from conformance.reporting.allure_files import ASSUMED_PREFIX, labels_for, severity_for, story_for, write_allure_extras
from conformance.reporting.curl import curl_line
from conformance.reporting.metadata import versions
from conformance.reporting.phases import merge_phases, phase_from_exception, skip_reason
from conformance.reporting.records import KIT_ERROR, TARGET_UNAVAILABLE, append_line, redact_exchange
from conformance.requirements import Requirement, load_catalogue
from conformance.results import Evidence, RequirementFailure
from conformance.target.config import TargetConfig

PASS_SAMPLE_PERCENT = 10
RECORD_ATTRIBUTE = "conformance"
SCHEMATHESIS_CASE = "case"
_target: dict[str, Any] = {"info": {}, "config": None, "sent": False}
"""This process's target: described once, sent to the controller on the next phase report."""
_session_exit: dict[str, str] = {}
"""Why this process's session stopped early (error kind and message), if it did."""


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register ``--conformance-results``."""
    parser.getgroup("conformance").addoption(
        "--conformance-results", default=None,
        help="append one JSON line per test to this file (used by `conformance run`)")


def pytest_configure(config: pytest.Config) -> None:
    """The controller (or a run without xdist) writes the results file."""
    destination = config.getoption("conformance_results", default=None)
    if destination and not hasattr(config, "workerinput"):
        config.pluginmanager.register(ResultsWriter(config, Path(destination)), "conformance-results-writer")


def _requirements_of(item: pytest.Item) -> list[Requirement]:
    catalogue = load_catalogue()
    return [catalogue[rid] for rid in requirement_ids(item) if rid in catalogue]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Label every test for allure before allure's own selection (``--allure-epics`` ...) runs."""
    profile = option_value(config, "--profile") or "omnissa"
    for item in items:
        requirements = _requirements_of(item)
        if not requirements:
            continue
        for label_type, value in {pair for r in requirements for pair in labels_for(r, profile)}:
            item.add_marker(pytest.mark.allure_label(value, label_type=label_type))
        item.add_marker(pytest.mark.allure_label(severity_for(requirements), label_type="severity"))


def _title(item: pytest.Item, failed_id: str | None) -> None:
    """Title the allure test after its failing (else first) requirement; a no-op without ``--alluredir``."""
    requirements = sorted(_requirements_of(item), key=lambda r: r.id != failed_id)
    if requirements:
        more = f" (+{len(requirements) - 1} more)" if len(requirements) > 1 else ""
        allure.dynamic.title(f"{story_for(requirements[0])}{more} · {item.name}")


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef[Any]):  # noqa: ANN201
    """Remember the session's target as soon as the ``target`` fixture has it (even if the test then errors)."""
    outcome = yield
    if fixturedef.argname == "target" and outcome.excinfo is None and not _target["info"]:
        value = outcome.get_result()
        if isinstance(value, TargetConfig):
            _target["info"] = describe_target(value)
            _target["config"] = value


def _target_of(item: pytest.Item) -> TargetConfig | None:
    target = getattr(item, "funcargs", {}).get("target", _target.get("config"))
    return target if isinstance(target, TargetConfig) else None


def _last_exchange(item: pytest.Item) -> Evidence | None:
    """The session client's last exchange, the evidence of a check that named no response. A schemathesis test
    sends its requests itself: the client's last exchange is only its token fetch, so it gets none."""
    funcargs = getattr(item, "funcargs", {})
    if SCHEMATHESIS_CASE in funcargs or hasattr(getattr(item, "obj", None), GIVEN_TARGET_ATTR):
        return None
    client = funcargs.get("client")
    history = getattr(client, "history", None)
    return history[-1] if history else None


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # noqa: ANN201
    """Describe the phase on the report (outermost wrapper: allure has already recorded its status)."""
    report: pytest.TestReport = (yield).get_result()
    exception = call.excinfo.value if call.excinfo else None
    phase = phase_from_exception(call.when, report.outcome, exception, _last_exchange(item))
    phase["duration"] = report.duration
    if report.skipped:
        phase["skip_reason"] = skip_reason(report.longrepr, getattr(report, "wasxfail", None))
    target = _target_of(item)
    if _target["info"] and not _target["sent"]:
        _target["sent"] = True
        phase["target"] = dict(_target["info"])
    setattr(report, RECORD_ATTRIBUTE, json.dumps(phase))
    if report.when != "teardown":
        _title(item, phase.get("failed_requirement"))
    _attach_evidence(item, report, phase, exception)
    if isinstance(exception, RequirementFailure) and target is not None and not target.is_emulator:
        _mark_assumed(item, exception)


def describe_target(target: TargetConfig) -> dict[str, Any]:
    """What the report shows about the target (no secrets)."""
    return {"base_url": REDACTOR.url(target.base_url), "host": target.host, "expected_host": target.expected_host,
            "is_emulator": target.is_emulator, "profile": target.profile, "mime_phase": target.mime_phase,
            "run_id": target.run_id}


def _sampled(nodeid: str) -> bool:
    return int(hashlib.sha256(nodeid.encode()).hexdigest()[:8], 16) % 100 < PASS_SAMPLE_PERCENT


def _attach_evidence(item: pytest.Item, report: pytest.TestReport, phase: dict[str, Any],
                     exception: BaseException | None) -> None:
    exchanges = phase.get("evidence", [])
    if report.passed and report.when == "call" and _sampled(item.nodeid):
        last = _last_exchange(item)
        exchanges = [redact_exchange(last.as_dict())] if last else []
    elif not report.failed:
        return
    for index, exchange in enumerate(exchanges, start=1):
        suffix = f" {index}" if len(exchanges) > 1 else ""
        allure.attach(json.dumps(redact_exchange(exchange), indent=2), name=f"exchange{suffix} (redacted)",
                      attachment_type=allure.attachment_type.JSON)
        allure.attach(curl_line(exchange), name=f"curl{suffix}", attachment_type=allure.attachment_type.TEXT)


def _mark_assumed(item: pytest.Item, failure: RequirementFailure) -> None:
    """Prefix the allure message so the "Assumption to review" category matches (assumed ID, live tenant)."""
    catalogue = load_catalogue()
    if failure.requirement_id not in catalogue or catalogue[failure.requirement_id].source != "assumed":
        return
    listener = item.config.pluginmanager.get_plugin("allure_listener")
    result = listener.allure_logger.get_test(None) if listener else None
    if result is not None and result.statusDetails is not None and result.statusDetails.message:
        result.statusDetails.message = ASSUMED_PREFIX + result.statusDetails.message


def pytest_keyboard_interrupt(excinfo: pytest.ExceptionInfo[BaseException]) -> None:
    """Remember why the session stopped early (``pytest.exit`` from a ``KitError``, or Ctrl-C)."""
    _session_exit.clear()
    exit_exception = excinfo.value
    if isinstance(exit_exception, pytest.exit.Exception):
        unavailable = exit_exception.returncode == TargetUnavailable.exit_code
        _session_exit.update(error_kind=TARGET_UNAVAILABLE if unavailable else KIT_ERROR,
                             exit_message=REDACTOR.text(exit_exception.msg))
    else:
        _session_exit.update(error_kind=KIT_ERROR, exit_message="interrupted")


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A worker hands its early-exit reason to the controller through ``workeroutput``."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None and _session_exit:
        workeroutput["conformance_exit"] = dict(_session_exit)


class ResultsWriter:
    """Controller-side: merges the phases of each test and appends the lines of ``results.jsonl``."""

    def __init__(self, config: pytest.Config, path: Path) -> None:
        self.config = config
        self.path = path
        self.pending: dict[str, list[dict[str, Any]]] = {}
        self.requirements: dict[str, list[str]] = {}
        self.target: dict[str, Any] = {}
        self.counted = False

    def pytest_sessionstart(self) -> None:
        """Start the file with the run's options."""
        append_line(self.path, {"kind": "session-start", "started": _now(), "kit_version": __version__,
                                "profile": option_value(self.config, "--profile") or "omnissa",
                                "mime_phase": option_value(self.config, "--mime-phase") or "auto"})

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        """How many tests will run (for progress displays)."""
        append_line(self.path, {"kind": "collected", "count": len(session.items)})

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        """Under xdist the controller learns the count from the first worker."""
        if not self.counted:
            self.counted = True
            append_line(self.path, {"kind": "collected", "count": len(ids)})

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        """A worker that stopped early (``pytest.exit``) reports why."""
        reason = getattr(node, "workeroutput", {}).get("conformance_exit")
        if reason and not _session_exit:
            _session_exit.update(reason)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Collect one phase; write the test's line after its teardown."""
        raw = getattr(report, RECORD_ATTRIBUTE, None)
        phase = json.loads(raw) if raw else {"when": report.when, "outcome": report.outcome,
                                             "message": "the test process crashed" if report.failed else ""}
        self.target = self.target or phase.get("target", {})
        properties = dict(report.user_properties)
        self.requirements[report.nodeid] = str(properties.get(REQUIREMENT_PROPERTY, "")).split()
        self.pending.setdefault(report.nodeid, []).append(phase)
        if report.when in ("teardown", "???"):
            self._flush(report.nodeid)

    def _flush(self, nodeid: str) -> None:
        phases = self.pending.pop(nodeid, [])
        record = merge_phases(nodeid, self.requirements.get(nodeid, []), phases)
        append_line(self.path, record.as_line())

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        """Flush unfinished tests, note how the session ended, add allure's environment and categories."""
        for nodeid in list(self.pending):
            self._flush(nodeid)
        append_line(self.path, {"kind": "session-finish", "finished": _now(), "exitstatus": int(exitstatus),
                                "target": self.target, **_session_exit})
        alluredir = getattr(self.config.option, "allure_report_dir", None)
        if alluredir:
            write_allure_extras(Path(alluredir), self.target, versions())


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
