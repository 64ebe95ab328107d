"""What a run leaves behind for the report: one JSON line per test, plus a line per session event.

``results.jsonl`` holds four kinds of lines (``kind`` key):

- ``session-start``: when the run began, the kit version, the options that shape the verdict;
- ``test``: one per test, merged from its setup/call/teardown phases (``TestRecord``);
- ``session-finish``: pytest's exit status, an exit message (a ``KitError`` that stopped the run) and the target;
- ``leak-check``: written only when the end-of-run sweep found resources of the run still on the target.

Evidence in a record is already redacted where it was produced; it is redacted again when written.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from conformance.redaction import REDACTOR

RESULTS_FILE = "results.jsonl"
OUTCOMES = ("passed", "failed", "skipped", "error")
TARGET_UNAVAILABLE = "target-unavailable"
KIT_ERROR = "kit-error"
PYTEST_TOOL_STATUSES = {2: "interrupted", 3: "internal error", 4: "usage error", 5: "no tests collected"}


@dataclass
class TestRecord:
    """The outcome of one test as the report needs it.

    ``failed_requirement`` is the ID a ``RequirementFailure`` named; a failure without it counts against
    every ID of the test. ``error_kind`` is ``target-unavailable`` or ``kit-error`` when a ``KitError``
    (not the target's behaviour) ended the test.
    """

    __test__ = False  # not a pytest test class

    nodeid: str
    outcome: str
    requirements: list[str] = field(default_factory=list)
    failed_requirement: str | None = None
    message: str = ""
    skip_reason: str = ""
    error_kind: str | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    duration: float = 0.0
    teardown_error: str = ""

    def counts_against(self, requirement_id: str) -> bool:
        """Whether this test's failure is a failure of ``requirement_id``."""
        if self.outcome != "failed":
            return False
        if self.failed_requirement and self.failed_requirement in self.requirements:
            return self.failed_requirement == requirement_id
        return requirement_id in self.requirements

    def as_line(self) -> dict[str, Any]:
        """The JSON line for ``results.jsonl``."""
        return {"kind": "test", **asdict(self)}

    @classmethod
    def from_line(cls, line: dict[str, Any]) -> TestRecord:
        """Parse one ``test`` line (unknown keys are ignored, so old files stay readable)."""
        known = {name: line[name] for name in cls.__dataclass_fields__ if name in line}
        return cls(**known)


@dataclass
class RunRecords:
    """Everything ``results.jsonl`` holds: test records and the session lines."""

    tests: list[TestRecord] = field(default_factory=list)
    session_start: dict[str, Any] = field(default_factory=dict)
    session_finish: dict[str, Any] = field(default_factory=dict)
    leak_check: dict[str, Any] = field(default_factory=dict)

    @property
    def target(self) -> dict[str, Any]:
        """What the run knew about its target (base URL, host, emulator or not, profile, MIME phase)."""
        return dict(self.session_finish.get("target") or self.session_start.get("target") or {})

    @property
    def target_unavailable(self) -> bool:
        """The target could not be reached or kept failing: the run cannot certify."""
        if self.session_finish.get("error_kind") == TARGET_UNAVAILABLE:
            return True
        return any(record.error_kind == TARGET_UNAVAILABLE for record in self.tests)

    @property
    def unavailable_message(self) -> str:
        """What the first sign of an unavailable target said."""
        if self.session_finish.get("error_kind") == TARGET_UNAVAILABLE:
            return str(self.session_finish.get("exit_message") or "")
        return next((r.message for r in self.tests if r.error_kind == TARGET_UNAVAILABLE), "")

    @property
    def kit_error(self) -> str:
        """The first tool error (bad configuration, broken catalogue, crashed session), or ``""``."""
        if self.session_finish.get("error_kind") == KIT_ERROR:
            return str(self.session_finish.get("exit_message") or "the session ended with a tool error")
        if self.session_start and not self.session_finish:
            return "the test session did not finish (interrupted or crashed)"
        if self.leak_check.get("lines"):
            return "the leak check failed: " + "; ".join(self.leak_check["lines"])
        status = self.session_finish.get("exitstatus")
        if status in PYTEST_TOOL_STATUSES:
            return f"pytest ended with exit status {status} ({PYTEST_TOOL_STATUSES[status]}); see pytest.log"
        return next((r.message for r in self.tests if r.error_kind == KIT_ERROR), "")


def redact_values(value: Any) -> Any:
    """A copy of report data with every string value redacted and every ``evidence`` exchange masked by name.

    Keys are left alone: report keys such as the ``token`` family are not secrets (``REDACTOR.data`` would mask
    them); the exchanges under ``evidence``/``exchanges`` are HTTP data and get the field-name rules too.
    """
    if isinstance(value, dict):
        return {key: _redact_exchanges(item) if key in ("evidence", "exchanges") else redact_values(item)
                for key, item in value.items()}
    if isinstance(value, list):
        return [redact_values(item) for item in value]
    return REDACTOR.text(value) if isinstance(value, str) else value


def _redact_exchanges(value: Any) -> Any:
    if isinstance(value, list):
        return [_redact_exchanges(item) for item in value]
    if isinstance(value, dict) and "url" in value:
        return redact_exchange(value)
    return redact_values(value)


def redact_exchange(exchange: dict[str, Any]) -> dict[str, Any]:
    """One ``Evidence.as_dict()`` with URL, headers and bodies masked by the redaction layer's rules."""
    request_headers = {str(k): str(v) for k, v in (exchange.get("request_headers") or {}).items()}
    response_headers = {str(k): str(v) for k, v in (exchange.get("response_headers") or {}).items()}
    return {
        **redact_values({k: v for k, v in exchange.items() if k not in _EXCHANGE_FIELDS}),
        "method": str(exchange.get("method", "")),
        "url": REDACTOR.url(str(exchange.get("url", ""))),
        "request_headers": REDACTOR.headers(request_headers),
        "request_body": REDACTOR.body(str(exchange.get("request_body") or ""), _content_type(request_headers)),
        "status": exchange.get("status"),
        "response_headers": REDACTOR.headers(response_headers),
        "response_body": REDACTOR.body(str(exchange.get("response_body") or ""), _content_type(response_headers)),
    }


_EXCHANGE_FIELDS = frozenset({"method", "url", "request_headers", "request_body", "status", "response_headers",
                              "response_body"})


def _content_type(headers: dict[str, str]) -> str:
    return next((v for k, v in headers.items() if k.lower() == "content-type"), "")


def append_line(path: Path, line: dict[str, Any]) -> None:
    """Append one redacted JSON line (the file is created with owner-only permissions)."""
    text = json.dumps(redact_values(line), sort_keys=True) + "\n"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def read_records(path: Path) -> RunRecords:
    """Parse ``results.jsonl``; a torn last line (killed run) is ignored."""
    records = RunRecords()
    for raw in path.read_text(encoding="utf-8").splitlines():
        try:
            line = json.loads(raw)
        except ValueError:
            continue
        kind = line.get("kind")
        if kind == "test":
            records.tests.append(TestRecord.from_line(line))
        elif kind == "session-start":
            records.session_start = line
        elif kind == "session-finish":
            records.session_finish = line
        elif kind == "leak-check":
            records.leak_check = line
    return records
