"""The reporting plugin: one results line per test (also under xdist) and allure labels from requirements."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.reporting.records import read_records
from conformance.requirements import Level, load_catalogue

SUITE = '''
import pytest
from conformance.requirements import Level
from conformance.results import Evidence, RequirementFailure


@pytest.fixture
def broken():
    raise RuntimeError("fixture exploded")


@pytest.mark.requirement("{first}")
def test_passes():
    pass


@pytest.mark.requirement("{first}", "{second}")
def test_fails_on_second():
    raise RequirementFailure("{second}", Level.MUST, "second broke",
                             Evidence("GET", "https://h.example/x", {{"Authorization": "Bearer ***"}}, "", 400))


@pytest.mark.requirement("{third}")
def test_skips():
    pytest.skip("needs the emulator's control surface (clock)")


@pytest.mark.requirement("{third}")
def test_errors(broken):
    pass
'''


def must_ids() -> list[str]:
    """Three MUST requirements of the kit's catalogue."""
    return [r.id for r in load_catalogue().active() if r.level is Level.MUST][:3]


@pytest.fixture(scope="module", params=[["-p", "no:xdist"], ["-n", "2"]], ids=["serial", "xdist"])
def run_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny suite run with --conformance-results and --alluredir."""
    if len(must_ids()) < 3:
        pytest.skip("the catalogue has fewer than three MUST requirements")
    first, second, third = must_ids()
    directory = tmp_path_factory.mktemp("plugin")
    (directory / "test_tiny.py").write_text(SUITE.format(first=first, second=second, third=third))
    command = [sys.executable, "-m", "pytest", "test_tiny.py", "-q", "-p", "no:cacheprovider", *request.param,
               "--conformance-results", "results.jsonl", "--alluredir", "allure"]
    subprocess.run(command, cwd=directory, capture_output=True, text=True, timeout=120, check=False)
    return directory


def test_one_record_per_test_with_outcome_and_failing_id(run_dir: Path) -> None:
    """Outcomes, the RequirementFailure's ID, the skip reason and the setup error are recorded."""
    first, second, third = must_ids()
    records = {r.nodeid.split("::")[1]: r for r in read_records(run_dir / "results.jsonl").tests}
    assert {
        "test_passes": ("passed", [first], None, ""),
        "test_fails_on_second": ("failed", sorted([first, second]), second, ""),
        "test_skips": ("skipped", [third], None, "needs the emulator's control surface (clock)"),
        "test_errors": ("error", [third], None, ""),
    } == {name: (r.outcome, r.requirements, r.failed_requirement, r.skip_reason) for name, r in records.items()}


def test_failure_evidence_and_session_lines(run_dir: Path) -> None:
    """The failure's evidence arrives on the controller; session start and finish are written."""
    records = read_records(run_dir / "results.jsonl")
    failed = next(r for r in records.tests if r.outcome == "failed")
    assert ("https://h.example/x", 1, True) == (failed.evidence[0]["url"], records.session_finish["exitstatus"],
                                                bool(records.session_start["started"]))


def test_allure_labels_and_environment(run_dir: Path) -> None:
    """Each allure result carries epic/feature/story/severity/requirement labels; extras files are written."""
    first = must_ids()[0]
    requirement = load_catalogue()[first]
    results = [json.loads(p.read_text()) for p in (run_dir / "allure").glob("*-result.json")]
    passed = next(r for r in results if r["name"].endswith("test_passes"))
    labels = {(label["name"], label["value"]) for label in passed["labels"]}
    expected = {("epic", requirement.family), ("feature", requirement.area), ("severity", "critical"),
                ("requirement", first), ("level", "MUST"), ("source", requirement.source), ("profile", "omnissa")}
    extras = sorted(p.name for p in (run_dir / "allure").iterdir() if not p.name.endswith((".json", ".txt"))
                    or p.name == "categories.json")
    assert (set(), True, ["categories.json", "environment.properties"]) == (
        expected - labels, passed["name"].startswith(f"{first} "), extras)
