"""``conformance run`` output: quiet in CI (one line per failed test), a rich progress bar on a terminal."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conformance.reporting import progress
from tests.support.reporting_samples import CLIENT_SECRET

CHILD = """
import json, sys, time
lines = [{"kind": "collected", "count": 2},
         {"kind": "test", "nodeid": "t.py::test_ok", "outcome": "passed", "requirements": ["TOKEN-001"]},
         {"kind": "test", "nodeid": "t.py::test_bad", "outcome": "failed", "requirements": ["TOKEN-002"],
          "failed_requirement": "TOKEN-002"},
         {"kind": "test", "nodeid": "t.py::test_sub[GET /x]", "outcome": "passed", "requirements": []}]
print("pytest chatter with the secret %s" % sys.argv[2], flush=True)
with open(sys.argv[1], "a") as out:
    for line in lines:
        out.write(json.dumps(line) + "\\n")
        out.flush()
        time.sleep(0.05)
"""


def run_child(tmp_path: Path) -> int:
    """A stand-in for pytest that writes results.jsonl lines and some console output."""
    argv = [sys.executable, "-c", CHILD, str(tmp_path / "results.jsonl"), CLIENT_SECRET]
    return progress.run_pytest(argv, {}, tmp_path, tmp_path / "results.jsonl")


@pytest.mark.parametrize(("tty", "ci", "expected"), [(True, "", True), (True, "true", False), (False, "", False)],
                         ids=["terminal", "terminal-in-ci", "pipe"])
def test_only_a_person_at_a_terminal_gets_the_progress_bar(monkeypatch: pytest.MonkeyPatch, tty: bool, ci: str,
                                                           expected: bool) -> None:
    """``CI`` set or stdout not a terminal: the plain display."""
    monkeypatch.setattr(sys.stdout, "isatty", lambda: tty)
    monkeypatch.setenv("CI", ci)
    assert expected == progress.interactive()


def test_ci_output_is_one_line_per_failed_test(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """In CI the child's console output goes (redacted) to pytest.log only; stdout names the failure."""
    monkeypatch.setattr(progress, "interactive", lambda: False)
    status = run_child(tmp_path)
    log = (tmp_path / progress.LOG_FILE).read_text()
    assert (0, "FAILED TOKEN-002  t.py::test_bad\n", True, False) == (
        status, capsys.readouterr().out, "pytest chatter with the secret ***" in log, CLIENT_SECRET in log)


def test_terminal_output_is_a_progress_bar_with_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """On a terminal: a bar with pass/fail counts that ends complete, even when sub-tests outnumber the items."""
    monkeypatch.setattr(progress, "interactive", lambda: True)
    run_child(tmp_path)
    out = capsys.readouterr().out
    assert (True, True, False) == ("2 passed  1 failed" in out, "3/3" in out, "FAILED TOKEN-002" in out)
