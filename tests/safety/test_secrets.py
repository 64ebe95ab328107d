"""Issue 8: secrets never show, not in pytest's own output on failure (assertion rewriting and ``--showlocals``
included), JUnit, logs or allure results, and not in the process list.

A tiny test file that fails on purpose with the admin token, the client secret and a secret-named field in its
locals, its assertion messages, its captured output and its logs runs through the kit's plugin in a subprocess
against the emulator; then every file it wrote and everything it printed is scanned."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from _pytest._io.saferepr import saferepr

from conformance.redaction import Redactor
from tests.support.safety import clean_environment

JWT_START = re.compile(r"eyJ[A-Za-z0-9_-]{8,}")
"""The start of a JWT (base64url of a JSON object): a whole token, or the head pytest kept of a long one."""
WINDOW = 10
"""Any run of this many characters of a secret (in any case) counts as a leak: pytest shortens long values."""
LOCAL_SECRET = "a-local-secret-value-987"
FAILING_TESTS = f'''
import logging

LOG = logging.getLogger("ctk.secret-test")


def test_token_in_a_rewritten_assertion(admin):
    token = admin.token()
    assert token == "not-the-token"


def test_secret_in_locals_captured_output_and_logs(target):
    secret = target.client_secret
    print("the secret is", secret)
    LOG.warning("the secret is %s", secret)
    assert secret.upper() == secret


def test_secret_named_field_in_a_comparison():
    body = {{"client_secret": "{LOCAL_SECRET}", "name": "x"}}
    assert body == {{"name": "x"}}


def test_secret_in_an_exception_group(target):
    raise ExceptionGroup("teardown failed", [ValueError("the secret is " + target.client_secret)])
'''


@dataclass
class Run:
    """Everything the failing run showed or wrote."""

    status: int
    output: str
    files: dict[str, str]
    secret: str


@pytest.fixture(scope="module")
def failing_run(emulator, tmp_path_factory) -> Run:
    """The failing file run once: ``-l``, live and file logs, JUnit with captured output, allure results."""
    directory = tmp_path_factory.mktemp("secrets")
    (directory / "test_failing.py").write_text(FAILING_TESTS)
    command = [sys.executable, "-m", "pytest", "test_failing.py", "-p", "no:cacheprovider", "-p", "no:randomly",
               "-l", "-rA", "--tb=long", "-o", "log_cli=true", "--log-cli-level=INFO", "--log-file=pytest.log",
               "--log-file-level=DEBUG", "--junitxml=junit.xml", "-o", "junit_logging=all",
               "--alluredir=allure-results", "--target", emulator.base_url, "--client-id", emulator.client_id]
    done = subprocess.run(command, cwd=directory, env=clean_environment(emulator.client_secret), capture_output=True,
                          text=True, timeout=180)
    files = {str(path.relative_to(directory)): path.read_text(errors="replace")
             for path in directory.rglob("*") if path.is_file() and path.name != "test_failing.py"}
    return Run(done.returncode, done.stdout + done.stderr, files, emulator.client_secret)


def _leaks(text: str, secret: str) -> list[str]:
    """What of the secrets (whole, a 10-character piece in any case, a JWT's start) shows in ``text``."""
    lowered = text.lower()
    found = [f"{label} piece {value[i:i + 3]}..." for label, value in (("client secret", secret),
                                                                      ("local secret", LOCAL_SECRET))
             for i in range(len(value) - WINDOW + 1) if value[i:i + WINDOW].lower() in lowered]
    return found[:3] + [f"JWT {match[:6]}..." for match in JWT_START.findall(text)]


def test_the_run_failed_where_it_should(failing_run):
    """The four tests fail (so there is failure output to scan), and the explanations are still there, masked."""
    assert pytest.ExitCode.TESTS_FAILED == failing_run.status, failing_run.output[-3000:]
    assert "4 failed" in failing_run.output
    assert re.search(r"assert '\*\*\*(\.\.\.\*\*\*)?' == 'not-the-token'", failing_run.output)
    assert "'client_secret': '***'" in failing_run.output


def test_pytest_output_shows_no_secret(failing_run):
    """Terminal output: assertion rewriting, ``--showlocals``, captured stdout and live logs are all redacted."""
    assert [] == _leaks(failing_run.output, failing_run.secret)


@pytest.mark.parametrize("name", ["junit.xml", "pytest.log"])
def test_junit_and_log_file_show_no_secret(failing_run, name):
    """The JUnit file (with captured output and logs) and the log file hold no secret."""
    assert name in failing_run.files
    assert [] == _leaks(failing_run.files[name], failing_run.secret)


def test_allure_results_show_no_secret(failing_run):
    """No allure result or attachment holds a secret."""
    allure = {name: text for name, text in failing_run.files.items() if name.startswith("allure-results")}
    assert allure
    assert {} == {name: _leaks(text, failing_run.secret) for name, text in allure.items()
                  if _leaks(text, failing_run.secret)}


def test_a_secret_given_as_a_flag_is_warned_about_and_not_echoed(tmp_path):
    """``--client-secret VALUE`` works but warns that the process list shows it; the value is not printed."""
    (tmp_path / "test_nothing.py").write_text("def test_nothing():\n    pass\n")
    flag_secret = "flag-secret-31337"
    command = [sys.executable, "-m", "pytest", "test_nothing.py", "--collect-only", "-q", "-p", "no:cacheprovider",
               "--target", "http://127.0.0.1:9", "--client-id", "x", "--client-secret", flag_secret]
    done = subprocess.run(command, cwd=tmp_path, env=clean_environment(), capture_output=True, text=True, timeout=120)
    output = done.stdout + done.stderr
    assert 0 == done.returncode, output
    assert "--client-secret given on the command line is visible in the process list" in output
    assert flag_secret not in output


def _command_line(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc to read a process's command line")
def test_the_emulator_launch_keeps_the_secret_off_the_process_list(emulator):
    """The suite's own emulator launch (``start_emulator``, what the plugin uses) passes the bootstrap secret in the
    environment: ``ps`` shows the command line, and it does not contain the secret."""
    command_line = _command_line(emulator.pid)
    assert "conformance.emulator" in command_line
    assert emulator.client_secret not in command_line


@pytest.mark.parametrize("size", [20, 40, 80, 160, 240])
def test_secrets_pytest_shortened_or_recased_are_still_masked(size):
    """pytest shows long values as ``'head...tail'`` (assertion messages, ``--showlocals``), and a test may upper-case
    a secret: neither end of a registered secret, nor the secret in another case, gets through."""
    secret = "Zx9." + "qR7_tY2-wV5.kL8" * 12
    redactor = Redactor([secret])
    for shown in (saferepr(secret, maxsize=size), saferepr(secret.upper(), maxsize=size)):
        masked = redactor.text(f"assert {shown} == 'x'")
        assert [] == [secret[i:i + 8] for i in range(len(secret) - 8) if secret[i:i + 8].lower() in masked.lower()]
