"""Live-tenant safety on the pytest side: cleanup and leak check, stop on target faults, no secret in any output.

- **Cleanup and leak check.** At the end of the session, on the xdist controller (or the single process) and
  after every worker is done, crashed ones included, the ledgers of the run (``ctk-<run-id>-*ledger.jsonl``
  under the session's base temp directory) are replayed to delete what a process registered and did not remove;
  then ``find_leftovers`` lists anything still named ``ctk-<run-id>-``. Anything left (or a check that could not
  look) fails the run: exit status 1 when it would have been 0, and one line naming the leftovers. This also runs
  after Ctrl-C (pytest tears the session down first) and after a failure.
- **Target faults stop the run.** The first ``KitError`` a test meets (``TargetUnavailable``: refused, timeout,
  TLS, 5xx storm, 429 past its retries; ``ConfigError``: bad credentials, wrong URL) ends the session with its
  one line (``pytest.exit`` with the error's exit code) instead of hammering a failing tenant with every test.
- **Secrets.** Every failure report (assertion-rewriting explanations, tracebacks, ``--showlocals``, captured
  output and logs: what the terminal, JUnit and allure show) and every log record pass through the redactor
  before pytest, JUnit or allure see them; the target's secrets are registered as soon as it is known.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

import pytest

from conformance.errors import KitError
from conformance.housekeeping.ledger import Ledger, session_ledgers
from conformance.housekeeping.leftovers import SCIM_BASE
from conformance.housekeeping.sweep import SweepOutcome, sweep
from conformance.plugin.options import option_value
from conformance.plugin.target import EMULATOR_FILE, build_target
from conformance.redaction import REDACTOR
from conformance.reporting.records import append_line
from conformance.target.auth import TokenSource
from conformance.target.client import TargetClient
from conformance.target.config import TargetConfig

STOP_KEY = "conformance_stop"
LEAK_CHECK = pytest.StashKey[list[SweepOutcome]]()
"""The sweep outcomes of the session, in ``config.stash`` (for a reporting wrapper outside this one)."""
_state: dict[str, Any] = {"stop": None, "factory": None, "lines": [], "crashed": False}


def pytest_configure(config: pytest.Config) -> None:
    """Register secrets given by flag or environment, and redact every log record from now on."""
    REDACTOR.register(option_value(config, "--client-secret"), option_value(config, "--bearer-token"))
    _state.update(stop=None, lines=[], crashed=False, factory=logging.getLogRecordFactory())
    logging.setLogRecordFactory(_redacting_factory)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Lines the terminal summary did not show (it is skipped after ``pytest.exit``) go to stderr; put the original
    log record factory back."""
    for line in _state["lines"]:
        sys.stderr.write(line + "\n")
    _state["lines"] = []
    if _state["factory"] is not None:
        logging.setLogRecordFactory(_state["factory"])
        _state["factory"] = None


def _redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record: logging.LogRecord = _state["factory"](*args, **kwargs)
    try:
        message = record.getMessage()
    except (TypeError, ValueError):
        return record  # logging reports the bad format itself
    redacted = REDACTOR.text(message)
    if redacted != message:
        record.msg, record.args = redacted, None
    return record


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef[Any], request: pytest.FixtureRequest) -> Generator[None]:
    """Register the target's secrets the moment the ``target`` fixture exists (tests need not ask for them)."""
    value = yield
    if isinstance(value, TargetConfig):
        REDACTOR.register(*value.secrets)
    return value


def _scrub(value: Any, seen: set[int] | None = None) -> Any:
    """Redact every string inside a report's longrepr tree (pytest's ``TerminalRepr`` objects) in place."""
    seen = set() if seen is None else seen
    if isinstance(value, str):
        return REDACTOR.text(value)
    if id(value) in seen:
        return value
    seen.add(id(value))
    if isinstance(value, list):
        value[:] = [_scrub(item, seen) for item in value]
    elif isinstance(value, tuple):
        return tuple(_scrub(item, seen) for item in value)
    elif isinstance(value, dict):
        value.update({key: _scrub(item, seen) for key, item in value.items()})
    elif type(value).__module__.startswith("_pytest.") and hasattr(value, "__dict__"):
        for name, item in list(vars(value).items()):
            object.__setattr__(value, name, _scrub(item, seen))
    return value


def _redact_exception(exception: BaseException) -> None:
    """The message pytest, allure and JUnit print (``str(exc)``) without secrets."""
    if isinstance(exception, BaseExceptionGroup):
        for inner in exception.exceptions:
            _redact_exception(inner)
    if REDACTOR.text(str(exception)) == str(exception):
        return
    try:
        exception.args = tuple(_scrub(arg) if isinstance(arg, str) else arg for arg in exception.args)
        if isinstance(getattr(exception, "message", None), str):
            exception.message = REDACTOR.text(exception.message)  # type: ignore[attr-defined]
    except (AttributeError, TypeError):  # read-only attributes (exception groups): the report is scrubbed below
        pass


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None]:
    """Innermost: redact the exception before the report is built and the report before anyone reads it; note
    the first tool error (it stops the session)."""
    exception = call.excinfo.value if call.excinfo else None
    if exception is not None:
        _redact_exception(exception)
        if isinstance(exception, KitError) and _state["stop"] is None:
            _state["stop"] = exception
            item.session.shouldstop = exception.one_line()
    report: pytest.TestReport = yield
    if isinstance(exception, KitError) and report.failed:
        report.longrepr = exception.one_line()  # a tool error is one line, never a traceback
    report.longrepr = _scrub(report.longrepr)
    report.sections = [(title, REDACTOR.text(content)) for title, content in report.sections]
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None]:
    """After the test that met a tool error has been reported: end the session with that error's line."""
    result = yield
    stop: KitError | None = _state["stop"]
    if stop is not None:
        pytest.exit(REDACTOR.text(stop.one_line()), returncode=stop.exit_code)
    return result


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """Controller: remember that a worker crashed, or stopped for a tool error."""
    _state["crashed"] = _state["crashed"] or error is not None
    reason = getattr(node, "workeroutput", {}).get(STOP_KEY)
    if reason and _state["stop"] is None:
        _state["stop"] = reason


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> Generator[None]:
    """After the other plugins (fixture teardown, xdist shutting its workers down): a worker hands its stop
    reason to the controller; the controller (or the single process) sweeps the target."""
    try:
        yield
    except (Exception, pytest.fail.Exception, BaseExceptionGroup) as exc:
        # a session fixture's teardown (run here after Ctrl-C) failed: one line, not pytest crashing with a traceback
        _state["lines"].append(f"conformance: session teardown failed: {_one_line(exc)}")
        if session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        if _state["stop"] is not None:
            workeroutput[STOP_KEY] = REDACTOR.text(str(_state["stop"]))
        return
    interrupted = _state["crashed"] or session.exitstatus == pytest.ExitCode.INTERRUPTED
    outcomes = _sweep_session(session.config, interrupted)
    session.config.stash[LEAK_CHECK] = outcomes
    _state["lines"] += [outcome.line() for outcome in outcomes]
    dirty = [outcome.line() for outcome in outcomes if not outcome.clean]
    if dirty:
        _record_leaks(session.config, dirty)
    if dirty and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _record_leaks(config: pytest.Config, lines: list[str]) -> None:
    """Tell the report (``--conformance-results``) that the run left resources behind: it cannot be certified."""
    results = config.getoption("conformance_results", default=None)
    if results:
        append_line(Path(results), {"kind": "leak-check", "clean": False, "lines": [REDACTOR.text(x) for x in lines]})


def _one_line(exc: BaseException) -> str:
    """A redacted one-line description of an exception (each leaf of a group)."""
    if isinstance(exc, BaseExceptionGroup):
        return "; ".join(_one_line(leaf) for leaf in exc.exceptions)
    if isinstance(exc, KitError):
        return REDACTOR.text(exc.one_line())
    text = str(exc).strip().splitlines()
    return REDACTOR.text(f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__)


def _session_ledgers(config: pytest.Config) -> list[Ledger]:
    """The ledgers of this session: the controller's base temp holds the workers' as well."""
    factory = getattr(config, "_tmp_path_factory", None)
    if factory is None or getattr(factory, "_basetemp", None) is None:
        return []
    return session_ledgers(factory.getbasetemp())


def _session_target(config: pytest.Config) -> TargetConfig | None:
    """The target the workers talked to, without starting an emulator nobody used."""
    generic = option_value(config, "--profile") == "generic-scim" and option_value(config, "--scim-base")
    embedded = (config._tmp_path_factory.getbasetemp() / EMULATOR_FILE).exists()  # type: ignore[attr-defined]
    if option_value(config, "--target") or generic or embedded:
        return build_target(config)
    return None


def _sweep_session(config: pytest.Config, interrupted: bool) -> list[SweepOutcome]:
    """Sweep each run prefix found in the session's ledgers; skipped when the run stopped before creating any."""
    ledgers = _session_ledgers(config)
    if not ledgers or (_state["stop"] is not None and not any(ledger.pending for ledger in ledgers)):
        return []
    try:
        target = _session_target(config)
    except KitError as exc:
        return [SweepOutcome(ledgers[0].prefix, "the target", error=exc.one_line().removeprefix("error: "))]
    if target is None:
        return []
    mine = [ledger for ledger in ledgers if ledger.belongs_to(target.base_url)]
    client = TargetClient(target, REDACTOR)
    try:
        access = _access(client, target)
        if access is None:
            return []
        token, options = access
        return [sweep(client, token, [ledger for ledger in mine if ledger.prefix == prefix], interrupted=interrupted,
                      **options) for prefix in sorted({ledger.prefix for ledger in mine})]
    finally:
        client.close()


def _access(client: TargetClient, target: TargetConfig) -> tuple[Callable[[], str], dict[str, Any]] | None:
    """How the sweep authenticates and what it can list: everything as the admin client, SCIM with a bearer token."""
    if target.client_id and target.client_secret:
        return TokenSource(client, target.client_id, target.client_secret).token, {"scim_base": SCIM_BASE}
    if target.bearer_token:
        bearer = str(target.bearer_token)
        return (lambda: bearer), {"families": ("scim",), "scim_base": (target.scim_base or target.base_url).rstrip("/")}
    return None


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The cleanup lines, just before pytest's own summary line."""
    for line in _state["lines"]:
        terminalreporter.write_line(line, bold=True, red="FAILED" in line or "could not" in line)
    _state["lines"] = []
