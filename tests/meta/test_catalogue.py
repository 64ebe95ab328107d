"""The catalogue and the suite agree: every active requirement is tested, every test names requirements."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.requirements import load_catalogue

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def suite_map(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """{nodeid: [requirement IDs]} of every test in tests/conformance, from a collect-only run."""
    destination = tmp_path_factory.mktemp("map") / "requirements.json"
    command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:xdist", "-p", "no:randomly",
               "tests/conformance", "--requirements-map", str(destination)]
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return json.loads(destination.read_text())


def test_catalogue_is_not_empty() -> None:
    """The catalogue loads, validates and holds requirements of every area the product covers."""
    areas = {requirement.area for requirement in load_catalogue()}
    expected = {"TOKEN", "CLIENT", "AUTHZ", "ERR", "MIME", "DIR", "SCIM", "LEGACY"}
    assert expected == expected & areas


def test_every_active_requirement_has_a_test(suite_map: dict[str, list[str]]) -> None:
    """A requirement nobody tests is a hole in the certification: list every such ID."""
    tested = {rid for ids in suite_map.values() for rid in ids}
    untested = sorted(r.id for r in load_catalogue().active() if r.id not in tested)
    assert [] == untested


def test_every_conformance_test_names_a_requirement(suite_map: dict[str, list[str]]) -> None:
    """A conformance test without a requirement ID cannot appear in the certification report."""
    unmarked = sorted(nodeid for nodeid, ids in suite_map.items() if not ids)
    assert [] == unmarked


def test_withdrawn_requirements_are_not_tested(suite_map: dict[str, list[str]]) -> None:
    """Withdrawn IDs stay in the catalogue (append-only) but no test may still claim them."""
    withdrawn = {r.id for r in load_catalogue() if not r.active}
    claimed = sorted({rid for ids in suite_map.values() for rid in ids} & withdrawn)
    assert [] == claimed
