"""The ``target`` fixture: a live tenant given by flags, or the embedded emulator started for the session.

Under pytest-xdist every worker shares one emulator: the first worker to take the lock starts it and
writes its coordinates next to the session's base temp dir; the controller stops it at the end.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from filelock import FileLock

from conformance.errors import ConfigError, KitError
from conformance.plugin.options import option_value
from conformance.target.config import TargetConfig, new_run_id
from conformance.target.launcher import EmulatorProcess, start_emulator, stop_emulator

EMULATOR_FILE = "conformance-emulator.json"


def _shared_dir(config: pytest.Config) -> Path:
    base = config._tmp_path_factory.getbasetemp()  # type: ignore[attr-defined]
    return base.parent if hasattr(config, "workerinput") else base


def _controller_pid(config: pytest.Config) -> int:
    return os.getppid() if hasattr(config, "workerinput") else os.getpid()


def _shared_run_id(config: pytest.Config) -> str:
    workerinput = getattr(config, "workerinput", None)
    if workerinput and "testrunuid" in workerinput:
        return str(workerinput["testrunuid"])[:8]
    return new_run_id()


def _shared_emulator(config: pytest.Config) -> EmulatorProcess:
    shared = _shared_dir(config)
    faults = tuple(f for f in (option_value(config, "--emulator-fault") or "").split(",") if f)
    with FileLock(str(shared / (EMULATOR_FILE + ".lock"))):
        info = shared / EMULATOR_FILE
        if info.exists():
            return EmulatorProcess(**json.loads(info.read_text()))
        emulator = start_emulator(faults=faults, watch_pid=_controller_pid(config))
        info.write_text(json.dumps(emulator.__dict__))
        info.chmod(0o600)
        return emulator


def _read_secret(config: pytest.Config) -> str | None:
    secret = option_value(config, "--client-secret")
    secret_file = option_value(config, "--client-secret-file")
    if secret_file:
        try:
            return Path(secret_file).read_text().strip()
        except OSError as exc:
            raise ConfigError(f"cannot read client secret file {secret_file}: {exc.strerror}") from None
    return secret


def build_target(config: pytest.Config) -> TargetConfig:
    """Resolve the options into a ``TargetConfig``, starting the emulator when no target is given."""
    common = {
        "mime_phase": option_value(config, "--mime-phase") or "auto",
        "profile": option_value(config, "--profile") or "omnissa",
        "scim_base": option_value(config, "--scim-base"),
        "bearer_token": option_value(config, "--bearer-token"),
        "run_id": option_value(config, "--run-id") or _shared_run_id(config),
    }
    url = option_value(config, "--target")
    if url:
        return TargetConfig(base_url=url.rstrip("/"), client_id=option_value(config, "--client-id"),
                            client_secret=_read_secret(config), tenant_host=option_value(config, "--tenant-host"),
                            **common)
    if common["profile"] == "generic-scim" and common["scim_base"]:
        return TargetConfig(base_url=str(common["scim_base"]).rstrip("/"), **common)
    emulator = _shared_emulator(config)
    return TargetConfig(base_url=emulator.base_url, client_id=emulator.client_id,
                        client_secret=emulator.client_secret, tenant_host=emulator.fqdn,
                        control_url=emulator.base_url + "/_emulator", is_emulator=True, **common)


@pytest.fixture(scope="session")
def target(pytestconfig: pytest.Config) -> TargetConfig:
    """The system under test for this session (see ``conformance.target.config.TargetConfig``)."""
    try:
        return build_target(pytestconfig)
    except KitError as exc:
        pytest.exit(exc.one_line(), returncode=exc.exit_code)


def pytest_unconfigure(config: pytest.Config) -> None:
    """The controller (or a run without xdist) stops the emulator it shares with the workers."""
    if hasattr(config, "workerinput") or not hasattr(config, "_tmp_path_factory"):
        return
    factory = config._tmp_path_factory
    if getattr(factory, "_basetemp", None) is None:
        return
    info = factory.getbasetemp() / EMULATOR_FILE
    if info.exists():
        stop_emulator(int(json.loads(info.read_text())["pid"]))
        info.unlink()


def pytest_configure(config: pytest.Config) -> None:
    """Warn when a secret was given as a flag: it shows in the process list and shell history."""
    for flag in ("client_secret", "bearer_token"):
        if config.getoption(flag, default=None):
            config.issue_config_time_warning(
                pytest.PytestWarning(f"--{flag.replace('_', '-')} given on the command line is visible in the "
                                     "process list; prefer the environment variable or --client-secret-file"),
                stacklevel=2)
