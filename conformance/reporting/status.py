"""From test records to one status per requirement, and from those to the run's verdict.

Status of a requirement (first rule that applies):

1. not part of the active profile                      → SKIPPED ("not part of the <profile> profile")
2. a test failed *on it*                               → FAIL (MUST), DEVIATION (SHOULD/MAY), or REVIEW when the
                                                          requirement is ``assumed`` and the target is a live tenant;
                                                          WAIVED instead when a valid waiver covers it
3. a test passed                                       → PASS
4. a test errored, or stopped at another ID's failure  → NOT_RUN (with the reason)
5. every test skipped                                  → SKIPPED (with the reasons)
6. no test ran (deselected, or none exists)            → NOT_RUN

Verdict: NOT CONFORMANT when an active MUST requirement has status FAIL; otherwise INCOMPLETE when the run
could not certify — the target became unavailable, a tool error stopped the run, or a *needed* requirement
was not verified; otherwise CONFORMANT. A requirement is *needed* when it is an active MUST of the active
profile; a needed requirement that ends NOT_RUN, or SKIPPED for any reason other than "needs the emulator",
"not part of the profile" or "not applicable" (see ``EXCUSED_SKIPS``), blocks CONFORMANT. DEVIATION, REVIEW
and WAIVED never do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from conformance.reporting.records import RunRecords, TestRecord
from conformance.reporting.waivers import Waiver, WaiverBook
from conformance.requirements import Catalogue, Level, Requirement

EXCUSED_SKIPS = re.compile(r"emulator|control surface|not part of the .* profile|not applicable|does not claim",
                           re.IGNORECASE)
"""Skip reasons that do not block CONFORMANT: checks only the emulator can make, profile exclusions, and
optional features the target does not offer (skip reasons starting "not applicable: ..." or saying the server
"does not claim" a capability)."""


class Status(StrEnum):
    """The status of one requirement in the certification report."""

    PASS = "PASS"
    FAIL = "FAIL"
    DEVIATION = "DEVIATION"
    REVIEW = "REVIEW"
    WAIVED = "WAIVED"
    SKIPPED = "SKIPPED"
    NOT_RUN = "NOT_RUN"


class Verdict(StrEnum):
    """The run's overall result."""

    CONFORMANT = "CONFORMANT"
    NOT_CONFORMANT = "NOT CONFORMANT"
    INCOMPLETE = "INCOMPLETE"


@dataclass
class RequirementResult:
    """One requirement's status, the tests behind it and the failures that decided it."""

    requirement: Requirement
    status: Status
    reason: str = ""
    tests: list[str] = field(default_factory=list)
    failures: list[TestRecord] = field(default_factory=list)
    waiver: Waiver | None = None

    @property
    def needed(self) -> bool:
        """An active MUST requirement of the active profile: it must be verified for CONFORMANT."""
        excused = self.status is Status.SKIPPED and bool(EXCUSED_SKIPS.search(self.reason))
        return self.requirement.level is Level.MUST and not excused

    @property
    def unverified(self) -> bool:
        """A needed requirement that the run did not verify."""
        return self.needed and self.status in (Status.SKIPPED, Status.NOT_RUN)


def in_profile(requirement: Requirement, profile: str) -> bool:
    """``omnissa`` covers everything; ``generic-scim`` only the RFC-sourced SCIM requirements."""
    if profile == "generic-scim":
        return requirement.family == "scim" and requirement.source == "rfc"
    return True


def failed_status(requirement: Requirement, live: bool) -> Status:
    """The status of a failed requirement before waivers."""
    if live and requirement.source == "assumed":
        return Status.REVIEW
    return Status.FAIL if requirement.level is Level.MUST else Status.DEVIATION


def derive(requirement: Requirement, tests: list[TestRecord], *, live: bool, profile: str,
           waivers: WaiverBook) -> RequirementResult:
    """The status of one requirement from the records of the tests that name it."""
    result = RequirementResult(requirement, Status.NOT_RUN, tests=[t.nodeid for t in tests])
    if not in_profile(requirement, profile):
        result.status, result.reason = Status.SKIPPED, f"not part of the {profile} profile"
        return result
    result.failures = [t for t in tests if t.counts_against(requirement.id)]
    if result.failures:
        result.status, result.reason = failed_status(requirement, live), result.failures[0].message
        result.waiver = waivers.for_requirement(requirement.id)
        if result.waiver:
            result.status = Status.WAIVED
        return result
    result.status, result.reason = _status_without_failure(tests)
    return result


def _status_without_failure(tests: list[TestRecord]) -> tuple[Status, str]:
    if any(t.outcome == "passed" for t in tests):
        return Status.PASS, ""
    errored = [t for t in tests if t.outcome in ("error", "failed")]
    if errored:
        first = errored[0]
        if first.outcome == "failed":
            return Status.NOT_RUN, f"test stopped at a failure of {first.failed_requirement} first"
        return Status.NOT_RUN, f"test errored: {first.message}"
    reasons = sorted({t.skip_reason or "skipped" for t in tests})
    if reasons:
        return Status.SKIPPED, "; ".join(reasons)
    return Status.NOT_RUN, "no test ran (deselected, or no test names this requirement)"


def derive_all(catalogue: Catalogue, records: RunRecords, *, live: bool, profile: str,
               waivers: WaiverBook) -> list[RequirementResult]:
    """One result per active requirement, in ID order."""
    by_id: dict[str, list[TestRecord]] = {}
    for record in records.tests:
        for requirement_id in record.requirements:
            by_id.setdefault(requirement_id, []).append(record)
    return [derive(r, by_id.get(r.id, []), live=live, profile=profile, waivers=waivers) for r in catalogue.active()]


def verdict(results: list[RequirementResult], records: RunRecords) -> tuple[Verdict, str]:
    """The verdict and one sentence saying why."""
    if records.target_unavailable:  # failures met while the target was failing say nothing about conformance
        detail = records.unavailable_message.removeprefix("error: ")
        return Verdict.INCOMPLETE, "the target became unavailable; it could not be certified" + (
            f" ({detail})" if detail else "")
    failed = [r.requirement.id for r in results if r.status is Status.FAIL and r.requirement.level is Level.MUST]
    if failed:
        return Verdict.NOT_CONFORMANT, f"{len(failed)} MUST requirement(s) failed: {_ids(failed)}"
    if records.kit_error:
        return Verdict.INCOMPLETE, f"a tool error stopped the run: {records.kit_error}"
    unverified = [r.requirement.id for r in results if r.unverified]
    if unverified:
        return Verdict.INCOMPLETE, f"{len(unverified)} MUST requirement(s) were not verified: {_ids(unverified)}"
    return Verdict.CONFORMANT, "every MUST requirement of the profile passed or is waived"


def _ids(ids: list[str], limit: int = 8) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def stale_waivers(results: list[RequirementResult], waivers: WaiverBook) -> list[Waiver]:
    """Valid waivers whose requirement passes now: they can be removed."""
    passing = {r.requirement.id for r in results if r.status is Status.PASS}
    return [w for w in waivers.active.values() if w.requirement in passing]
