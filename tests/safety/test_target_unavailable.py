"""Issue 8: target faults are not conformance failures. Connection refused, an unknown host, TLS errors, 5xx storms
and 429 end as "target unavailable" (exit status 3), after a bounded number of retries that honour
``Retry-After``, in one line without a traceback; bad credentials at the start end in one clear line and a non-zero
exit. The fake target counts the requests it got."""

from __future__ import annotations

import datetime as dt
import email.utils
import socket
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

import pytest

from conformance.errors import ConfigError, TargetUnavailable
from conformance.target.client import MAX_ATTEMPTS, MAX_RETRY_AFTER, STORM_THRESHOLD, TargetClient
from conformance.target.config import TargetConfig
from conformance.target.launcher import free_port
from tests.support.fake_target import Script, fake_target
from tests.support.safety import ROOT, SUITE, clean_environment, run_cli

EXIT_TARGET_UNAVAILABLE = 3
UNKNOWN_HOST = "http://ctk-no-such-host.invalid"
ONE_TEST = "test_create_answers_201_with_the_client"
TRACEBACK_SIGNS = ("Traceback", 'File "', "raise ")


def _client(base_url: str) -> TargetClient:
    return TargetClient(TargetConfig(base_url=base_url), timeout=5.0)


def test_refused_port_is_unavailable_after_bounded_attempts():
    """Nobody listening: ``TargetUnavailable`` after ``MAX_ATTEMPTS`` connection attempts, not a test failure."""
    with pytest.raises(TargetUnavailable, match=f"after {MAX_ATTEMPTS} attempts"):
        _client(f"http://127.0.0.1:{free_port()}").get("/acs/jwks")


def test_a_503_storm_is_unavailable_after_exactly_max_attempts():
    """A target answering 503 to everything gets ``MAX_ATTEMPTS`` requests, then the run calls it unavailable."""
    with fake_target([503], {"Retry-After": "0"}) as (url, script), \
            pytest.raises(TargetUnavailable, match="answered 503"):
        _client(url).get("/acs/jwks")
    assert MAX_ATTEMPTS == len(script.arrivals)


def test_429_is_retried_no_sooner_than_retry_after():
    """429 with ``Retry-After: 1`` twice, then 200: the third request succeeds, each retry at least a second later."""
    with fake_target([429, 429, 200], {"Retry-After": "1"}) as (url, script):
        response = _client(url).get("/acs/jwks")
    assert 200 == response.status_code
    assert 3 == len(script.arrivals)
    assert all(gap >= 0.95 for gap in script.gaps()), script.gaps()


def test_retry_after_as_an_http_date_is_honoured():
    """``Retry-After`` may be an HTTP date (RFC 9110 §10.2.3): the retry waits until then."""
    moment = email.utils.format_datetime(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2), usegmt=True)
    with fake_target([503, 200], {"Retry-After": moment}) as (url, script):
        assert 200 == _client(url).get("/acs/jwks").status_code
    assert script.gaps()[0] >= 0.9, script.gaps()


def test_retry_after_longer_than_the_kit_waits_ends_at_once():
    """A target asking for more patience than ``MAX_RETRY_AFTER`` is unavailable now: one request, a clear reason."""
    with fake_target([429], {"Retry-After": str(int(MAX_RETRY_AFTER) * 20)}) as (url, script), \
            pytest.raises(TargetUnavailable, match="Retry-After 100"):
        _client(url).get("/acs/jwks")
    assert 1 == len(script.arrivals)


def test_tls_error_is_unavailable_and_not_retried():
    """https to a plain HTTP port fails the handshake: a TLS error, reported after one attempt."""
    with fake_target([200]) as (url, _), pytest.raises(TargetUnavailable, match=r"TLS error.*after 1 attempt\)"):
        _client(url.replace("http://", "https://")).get("/acs/jwks")


def test_a_500_storm_is_unavailable_but_one_500_is_an_answer():
    """A single 500 is the target's answer (a conformance matter); ``STORM_THRESHOLD`` 5xx in a row, across
    requests, mean the target is failing."""
    with fake_target([500]) as (url, script):
        client = _client(url)
        answers = [client.get("/acs/jwks").status_code for _ in range(STORM_THRESHOLD - 1)]
        with pytest.raises(TargetUnavailable, match="5xx"):
            client.get("/acs/jwks")
    assert [500] * (STORM_THRESHOLD - 1) == answers
    assert STORM_THRESHOLD == len(script.arrivals)


def test_a_target_that_never_answers_is_unavailable_after_bounded_timeouts():
    """A port that accepts connections and never answers: each attempt times out, ``MAX_ATTEMPTS`` in all."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # connections queue in the backlog; nobody ever reads them
        client = TargetClient(TargetConfig(base_url=f"http://127.0.0.1:{silent.getsockname()[1]}"), timeout=0.3)
        with pytest.raises(TargetUnavailable, match=f"Timeout.*after {MAX_ATTEMPTS} attempts"):
            client.get("/acs/jwks")


@dataclass
class Outcome:
    """How one child run ended."""

    status: int
    output: str
    script: Script | None


def _suite_against(url: str, script: Script | None = None, client_id: str = "ctk-admin",
                   secret: str = "not-the-secret-0815") -> Outcome:
    """``pytest conformance/suite/test_clients_crud.py --target URL`` (secret in the environment)."""
    command = [sys.executable, "-m", "pytest", str(SUITE / "test_clients_crud.py"), "-q", "-p", "no:cacheprovider",
               "-p", "no:randomly", "--target", url, "--client-id", client_id]
    done = subprocess.run(command, cwd=ROOT, env=clean_environment(secret), capture_output=True, text=True,
                          timeout=180)
    return Outcome(done.returncode, done.stdout + done.stderr, script)


SCRIPTED = {"503-storm": ([503], {}), "429-retry-after": ([429], {"Retry-After": "1"}), "tls": ([200], {}),
            "429-then-503": ([429, 429, 503], {"Retry-After": "1"})}
DEFAULT_FAULTS = ("429-then-503",)  # one storm for the default run; refused: the `conformance run` test below
NIGHTLY_FAULTS = ("refused", "unknown-host", "tls", "503-storm", "429-retry-after")


@contextmanager
def faulty_target(fault: str) -> Iterator[tuple[str, Script | None]]:
    """``(url, script)`` of a target showing ``fault`` (``script`` counts requests when a fake server plays it)."""
    if fault == "refused":
        yield f"http://127.0.0.1:{free_port()}", None
    elif fault == "unknown-host":
        yield UNKNOWN_HOST, None
    else:
        with fake_target(*SCRIPTED[fault]) as (url, script):
            yield (url.replace("http://", "https://") if fault == "tls" else url), script


def _check_stopped_with_one_line(outcome: Outcome, status: int = EXIT_TARGET_UNAVAILABLE) -> None:
    assert status == outcome.status, outcome.output[-3000:]
    assert 1 == outcome.output.count("Exit: error: "), outcome.output[-3000:]
    assert not [sign for sign in TRACEBACK_SIGNS if sign in outcome.output], outcome.output[-3000:]
    assert "RequirementFailure" not in outcome.output


@pytest.fixture(scope="module")
def suite_outcomes(emulator) -> dict[str, Outcome]:
    """The suite run once against each faulty target and once with a wrong secret, all at the same time."""
    with ExitStack() as stack, ThreadPoolExecutor(max_workers=len(DEFAULT_FAULTS) + 1) as pool:
        futures = {fault: pool.submit(_suite_against, *stack.enter_context(faulty_target(fault)))
                   for fault in DEFAULT_FAULTS}
        futures["bad-credentials"] = pool.submit(_suite_against, emulator.base_url, None, emulator.client_id,
                                                 "wrong-secret-4711")
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("fault", DEFAULT_FAULTS)
def test_the_suite_stops_with_one_line_and_exit_3(suite_outcomes, fault):
    """Against each faulty target the suite stops at the first test with exit status 3 and one line saying why,
    no traceback, and no test reported as a conformance failure."""
    _check_stopped_with_one_line(suite_outcomes[fault])


@pytest.mark.nightly
@pytest.mark.parametrize("fault", NIGHTLY_FAULTS)
def test_the_suite_stops_with_one_line_and_exit_3_nightly(fault):
    """The same for a refused port, an unknown host, a TLS failure and plain 503 and 429 storms."""
    with faulty_target(fault) as where:
        _check_stopped_with_one_line(_suite_against(*where))


def test_the_suite_sends_a_bounded_number_of_requests(suite_outcomes):
    """A storm (429 with ``Retry-After: 1``, then 503) gets exactly ``MAX_ATTEMPTS`` requests from the whole run
    (the session's teardown does not ask again), each at least ``Retry-After`` after the one before."""
    script = suite_outcomes["429-then-503"].script
    assert script is not None
    assert MAX_ATTEMPTS == len(script.arrivals)
    assert all(gap >= 0.95 for gap in script.gaps()), script.gaps()


def test_bad_credentials_stop_the_suite_with_one_clear_line(suite_outcomes):
    """A secret the target rejects: the suite stops at once with a non-zero exit and one line naming the client
    and what to check; the wrong secret itself appears nowhere."""
    outcome = suite_outcomes["bad-credentials"]
    _check_stopped_with_one_line(outcome, status=ConfigError.exit_code)
    assert "rejected client 'ctk-bootstrap'" in outcome.output
    assert "wrong-secret-4711" not in outcome.output


def _conformance_run(arguments: tuple[str, ...], report_dir: str, secret: str = "wrong-secret-4711") -> Outcome:
    done = run_cli("run", *arguments, "--report-dir", report_dir, env=clean_environment(secret), timeout=300)
    return Outcome(done.returncode, done.stdout + done.stderr, None)


def _verdict_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(("INCOMPLETE:", "NOT CONFORMANT:", "CONFORMANT:"))]


def _check_run_outcome(outcome: Outcome, status: int, *phrases: str) -> None:
    assert status == outcome.status, outcome.output[-3000:]
    verdict = _verdict_lines(outcome.output)
    assert 1 == len(verdict), outcome.output[-3000:]
    assert [phrase for phrase in phrases if phrase in verdict[0]] == list(phrases), verdict[0]
    assert not [sign for sign in TRACEBACK_SIGNS if sign in outcome.output], outcome.output[-3000:]


def test_conformance_run_against_a_refused_port_exits_3(tmp_path):
    """``conformance run`` reports the unreachable target in its verdict line and exits 3, without a traceback."""
    outcome = _conformance_run(("--target", f"http://127.0.0.1:{free_port()}", "--client-id", "ctk-admin"),
                               str(tmp_path))
    _check_run_outcome(outcome, EXIT_TARGET_UNAVAILABLE, "target became unavailable", "Connection refused")


@pytest.mark.nightly
def test_conformance_run_with_bad_credentials_gives_one_clear_line(emulator, tmp_path):
    """``conformance run`` with a rejected secret: non-zero exit, one verdict line naming the client, no traceback."""
    outcome = _conformance_run(("--target", emulator.base_url, "--client-id", emulator.client_id), str(tmp_path))
    _check_run_outcome(outcome, ConfigError.exit_code, "rejected client 'ctk-bootstrap'", "--client-secret")
    assert "wrong-secret-4711" not in outcome.output


@pytest.mark.nightly
@pytest.mark.parametrize("fault", ["unknown-host", "503-storm", "429-retry-after", "tls"])
def test_conformance_run_reports_each_fault_as_target_unavailable(fault, tmp_path):
    """Every kind of target fault, through ``conformance run``: exit 3 and one verdict line, no traceback."""
    with faulty_target(fault) as (url, _):
        outcome = _conformance_run(("--target", url, "--client-id", "ctk-admin"), str(tmp_path))
    _check_run_outcome(outcome, EXIT_TARGET_UNAVAILABLE, "target became unavailable")
