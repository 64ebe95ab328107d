"""Per-requirement status derivation and the verdict rule (conformance.reporting.status)."""

from __future__ import annotations

import pytest

from conformance.reporting.records import TARGET_UNAVAILABLE, RunRecords, TestRecord
from conformance.reporting.status import Status, Verdict, derive, derive_all, verdict
from conformance.reporting.waivers import WaiverBook
from conformance.requirements import Catalogue

NO_WAIVERS = WaiverBook(active={}, expired=[])


def status_of(catalogue: Catalogue, rid: str, tests: list[TestRecord], *, live: bool = True,
              profile: str = "omnissa") -> tuple[Status, str]:
    """Derive one requirement's status and reason."""
    result = derive(catalogue[rid], tests, live=live, profile=profile, waivers=NO_WAIVERS)
    return result.status, result.reason


def record(outcome: str, ids: list[str], **kwargs: object) -> TestRecord:
    """A test record with a made-up node ID."""
    return TestRecord(f"conformance/suite/test_x.py::test_{outcome}_{'_'.join(ids)}", outcome, ids, **kwargs)


@pytest.mark.parametrize(("rid", "tests", "live", "expected"), [
    ("TOKEN-001", [record("passed", ["TOKEN-001"])], True, Status.PASS),
    ("TOKEN-001", [record("failed", ["TOKEN-001"], message="bad")], True, Status.FAIL),
    ("TOKEN-002", [record("failed", ["TOKEN-002"], message="bad")], True, Status.DEVIATION),
    ("TOKEN-004", [record("failed", ["TOKEN-004"], message="bad")], True, Status.DEVIATION),
    ("TOKEN-003", [record("failed", ["TOKEN-003"], message="bad")], True, Status.REVIEW),
    ("TOKEN-003", [record("failed", ["TOKEN-003"], message="bad")], False, Status.FAIL),
    ("TOKEN-001", [record("skipped", ["TOKEN-001"], skip_reason="needs the emulator")], True, Status.SKIPPED),
    ("TOKEN-001", [record("error", ["TOKEN-001"], message="fixture broke")], True, Status.NOT_RUN),
    ("TOKEN-001", [], True, Status.NOT_RUN),
], ids=["pass", "must-fail", "should-deviation", "may-deviation", "assumed-live-review", "assumed-emulator-fail",
        "skipped", "error-not-run", "no-test-not-run"])
def test_status_derivation(catalogue: Catalogue, rid: str, tests: list[TestRecord], live: bool,
                           expected: Status) -> None:
    """Each status arises from the outcome, the level, the source and the kind of target."""
    assert expected == status_of(catalogue, rid, tests, live=live)[0]


def test_requirement_failure_counts_only_against_the_failing_id(catalogue: Catalogue) -> None:
    """A test tied to TOKEN-001 and TOKEN-002 that failed on TOKEN-002 does not fail TOKEN-001."""
    failing = record("failed", ["TOKEN-001", "TOKEN-002"], failed_requirement="TOKEN-002", message="no-store missing")
    assert (Status.NOT_RUN, Status.DEVIATION) == (status_of(catalogue, "TOKEN-001", [failing])[0],
                                                  status_of(catalogue, "TOKEN-002", [failing])[0])


def test_plain_failure_counts_against_every_id_of_the_test(catalogue: Catalogue) -> None:
    """Without a RequirementFailure the failure is charged to all the test's IDs."""
    failing = record("failed", ["TOKEN-001", "TOKEN-002"], message="KeyError: 'access_token'")
    assert (Status.FAIL, Status.DEVIATION) == (status_of(catalogue, "TOKEN-001", [failing])[0],
                                               status_of(catalogue, "TOKEN-002", [failing])[0])


def test_generic_scim_profile_skips_everything_but_rfc_scim(catalogue: Catalogue) -> None:
    """Under generic-scim, token requirements are SKIPPED as outside the profile."""
    assert (Status.SKIPPED, "not part of the generic-scim profile") == status_of(
        catalogue, "TOKEN-001", [record("passed", ["TOKEN-001"])], profile="generic-scim")


def all_pass(catalogue: Catalogue) -> RunRecords:
    """A run where every active requirement has one passing test."""
    return RunRecords(tests=[record("passed", [r.id]) for r in catalogue.active()],
                      session_start={"started": "x"}, session_finish={"exitstatus": 0})


def verdict_for(catalogue: Catalogue, records: RunRecords) -> Verdict:
    """The verdict of a run on a live tenant."""
    results = derive_all(catalogue, records, live=True, profile="omnissa", waivers=NO_WAIVERS)
    return verdict(results, records)[0]


def replace(records: RunRecords, rid: str, new: TestRecord) -> RunRecords:
    """The run with the test of ``rid`` replaced."""
    tests = [t for t in records.tests if rid not in t.requirements] + [new]
    return RunRecords(tests=tests, session_start=records.session_start, session_finish=records.session_finish)


def test_verdict_conformant_when_everything_passes(catalogue: Catalogue) -> None:
    """All MUST requirements pass: CONFORMANT."""
    assert Verdict.CONFORMANT == verdict_for(catalogue, all_pass(catalogue))


@pytest.mark.parametrize(("rid", "new", "expected"), [
    ("TOKEN-001", record("failed", ["TOKEN-001"], message="x"), Verdict.NOT_CONFORMANT),
    ("TOKEN-002", record("failed", ["TOKEN-002"], message="x"), Verdict.CONFORMANT),
    ("TOKEN-003", record("failed", ["TOKEN-003"], message="x"), Verdict.CONFORMANT),
    ("TOKEN-001", record("skipped", ["TOKEN-001"], skip_reason="needs the emulator's control surface"),
     Verdict.CONFORMANT),
    ("SCIM-002", record("skipped", ["SCIM-002"], skip_reason="not applicable: filtering not offered"),
     Verdict.CONFORMANT),
    ("TOKEN-001", record("skipped", ["TOKEN-001"], skip_reason="no admin client credentials"), Verdict.INCOMPLETE),
    ("TOKEN-004", record("skipped", ["TOKEN-004"], skip_reason="no admin client credentials"), Verdict.CONFORMANT),
    ("TOKEN-001", record("error", ["TOKEN-001"], message="fixture broke"), Verdict.INCOMPLETE),
], ids=["must-fail", "should-fail", "assumed-review", "emulator-only-skip", "not-applicable-skip",
        "needed-must-skipped", "may-skipped", "must-errored"])
def test_verdict_rule(catalogue: Catalogue, rid: str, new: TestRecord, expected: Verdict) -> None:
    """Only MUST failures make NOT CONFORMANT; unverified needed MUSTs make INCOMPLETE; the rest is tolerated."""
    assert expected == verdict_for(catalogue, replace(all_pass(catalogue), rid, new))


def test_target_unavailable_makes_the_run_incomplete(catalogue: Catalogue) -> None:
    """A target that went away cannot be certified, even if what ran passed."""
    records = all_pass(catalogue)
    records.tests.append(record("error", ["TOKEN-001"], message="timeout", error_kind=TARGET_UNAVAILABLE))
    assert (True, Verdict.INCOMPLETE) == (records.target_unavailable, verdict_for(catalogue, records))


def test_unfinished_session_is_a_kit_error(catalogue: Catalogue) -> None:
    """A results file without its session-finish line means the run crashed: INCOMPLETE."""
    records = RunRecords(tests=all_pass(catalogue).tests, session_start={"started": "x"})
    assert (Verdict.INCOMPLETE, True) == (verdict_for(catalogue, records), bool(records.kit_error))


def test_target_unavailable_outranks_must_failures(catalogue: Catalogue) -> None:
    """Failures met while the target was failing (a 5xx storm) say nothing about conformance: INCOMPLETE."""
    records = replace(all_pass(catalogue), "TOKEN-001", record("failed", ["TOKEN-001"], message="500"))
    records.tests.append(record("error", ["TOKEN-004"], message="8 answers in a row were 5xx",
                                error_kind=TARGET_UNAVAILABLE))
    assert Verdict.INCOMPLETE == verdict_for(catalogue, records)


def test_a_failed_leak_check_makes_the_run_incomplete(catalogue: Catalogue) -> None:
    """Resources of the run left on the target (the ``leak-check`` line): INCOMPLETE, saying what is left."""
    records = all_pass(catalogue)
    records.leak_check = {"kind": "leak-check", "clean": False, "lines": ["1 resource(s) named ctk-x-* ..."]}
    outcome = verdict(derive_all(catalogue, records, live=True, profile="omnissa", waivers=NO_WAIVERS), records)
    assert (Verdict.INCOMPLETE, True) == (outcome[0], "leak check failed" in outcome[1])
