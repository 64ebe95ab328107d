"""The primitive every check is built from: ``require(ID, condition, message, response)``."""

from __future__ import annotations

import httpx

from conformance.requirements import load_catalogue
from conformance.results import RequirementFailure
from conformance.target.client import evidence_of


def fail(requirement_id: str, message: str, response: httpx.Response | None = None) -> RequirementFailure:
    """Build the failure for ``requirement_id`` with its catalogue level and redacted evidence."""
    requirement = load_catalogue()[requirement_id]
    evidence = evidence_of(response) if response is not None else None
    return RequirementFailure(requirement_id, requirement.level, message, evidence)


def require(requirement_id: str, condition: object, message: str, response: httpx.Response | None = None) -> None:
    """Raise ``RequirementFailure`` for ``requirement_id`` unless ``condition`` holds.

    The message should say what was expected and what was seen, e.g.
    ``"expected 401, got 200"``; the evidence carries the redacted exchange.
    """
    __tracebackhide__ = True
    if not condition:
        raise fail(requirement_id, message, response)
