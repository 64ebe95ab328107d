"""Fixtures of the meta-tests (the suite checking itself)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def suite_map(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """{nodeid: [requirement IDs]} of every test in conformance/suite, from one collect-only run."""
    destination = tmp_path_factory.mktemp("map") / "requirements.json"
    command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-n", "0", "-p", "no:randomly",
               "conformance/suite", "--requirements-map", str(destination)]
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return dict(json.loads(destination.read_text()))
