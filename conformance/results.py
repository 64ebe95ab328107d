"""Conformance failures: the target broke a requirement.

A ``RequirementFailure`` is an ``AssertionError`` so pytest reports it as a test failure; it carries the
requirement ID, its level and the (already redacted) evidence of the exchange that broke it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from conformance.requirements import Level


@dataclass(frozen=True)
class Evidence:
    """One HTTP exchange, redacted before it is stored anywhere."""

    method: str
    url: str
    request_headers: dict[str, str] = field(default_factory=dict)
    request_body: str = ""
    status: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: str = ""

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view for reports and allure attachments."""
        return {
            "method": self.method,
            "url": self.url,
            "request_headers": self.request_headers,
            "request_body": self.request_body,
            "status": self.status,
            "response_headers": self.response_headers,
            "response_body": self.response_body,
        }


class RequirementFailure(AssertionError):
    """The target does not meet requirement ``requirement_id`` (a conformance failure, not a tool error)."""

    def __init__(
        self, requirement_id: str, level: Level, message: str, evidence: Evidence | None = None
    ) -> None:
        self.requirement_id = requirement_id
        self.level = level
        self.message = message
        self.evidence = evidence
        super().__init__(f"[{requirement_id} {level.value}] {message}")
