"""Helpers of the live-tenant safety tests: run the suite (or the kit's CLI) as a subprocess against an emulator
started separately, as a tenant would be, and look at what is left on it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conformance.housekeeping.leftovers import Leftover, find_leftovers
from conformance.target.auth import TokenSource
from conformance.target.client import TargetClient
from conformance.target.config import TargetConfig
from conformance.target.launcher import EmulatorProcess

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT / "conformance" / "suite"
# Files of conformance/suite that create clients, directories, IdPs and SCIM users early and keep going for a while.
CREATING_FILES = ("test_clients_crud.py", "test_directories_crud.py", "test_directories_idps.py", "test_scim_crud.py",
                  "test_scim_okta.py", "test_scim_entra.py", "test_scim_lists.py", "test_clients_list.py",
                  "test_directories_sync_client.py", "test_scim_patch.py", "test_scim_filters.py")


def clean_environment(secret: str | None = None, **extra: str) -> dict[str, str]:
    """The environment of a child run: no pytest/xdist or CONFORMANCE_* variables of this run, the secret only
    in ``CONFORMANCE_CLIENT_SECRET``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "CONFORMANCE_", "CTK_"))}
    env.update(extra, CI="true")
    if secret is not None:
        env["CONFORMANCE_CLIENT_SECRET"] = secret
    return env


def suite_command(emulator: EmulatorProcess, run_id: str, *args: str, files: tuple[str, ...] = CREATING_FILES,
                  basetemp: Path | None = None) -> list[str]:
    """``pytest conformance/suite/<files>`` against the emulator as a live target (no secret on the line)."""
    command = [sys.executable, "-m", "pytest", *(str(SUITE / name) for name in files), "-p", "no:cacheprovider",
               "-p", "no:randomly", "-q", "--target", emulator.base_url, "--client-id", emulator.client_id,
               "--tenant-host", emulator.fqdn, "--run-id", run_id, *args]
    return command + (["--basetemp", str(basetemp)] if basetemp else [])


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start a child in its own process group (so a signal reaches it and its xdist workers, as Ctrl-C would)."""
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def run_cli(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``conformance ARGS`` as a subprocess."""
    return subprocess.run([sys.executable, "-m", "conformance.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    """Send ``signum`` to the child's whole process group (ignored when it is already gone)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def finish(process: subprocess.Popen[bytes], timeout: float = 90) -> int:
    """Wait for the child; kill its group if it does not end in time."""
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        signal_group(process, signal.SIGKILL)
        process.wait()
        raise


def wait_until(condition: Callable[[], Any], timeout: float, what: str, process: subprocess.Popen[bytes] | None = None,
               interval: float = 0.2) -> Any:
    """Poll ``condition`` until it returns something truthy; fail naming ``what`` after ``timeout`` seconds (or
    as soon as ``process`` ended, which would make the wait pointless)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the run ended (exit {process.returncode}) before {what}")
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


class Inspector:
    """Looks at the emulator with its bootstrap admin client, as an operator would."""

    def __init__(self, emulator: EmulatorProcess) -> None:
        config = TargetConfig(base_url=emulator.base_url, client_id=emulator.client_id,
                              client_secret=emulator.client_secret, tenant_host=emulator.fqdn)
        self.http = TargetClient(config)
        self.control = emulator.base_url + "/_emulator"
        self.tokens = TokenSource(self.http, emulator.client_id, emulator.client_secret)

    def leftovers(self, run_id: str) -> list[Leftover]:
        """``find_leftovers`` for the run."""
        return find_leftovers(self.http, self.tokens.token(), f"ctk-{run_id}-")

    def advance_clock(self, seconds: float) -> None:
        """Move the emulator's clock (its control surface) forward."""
        response = self.http.post(self.control + "/clock", json={"advance_seconds": seconds})
        assert 200 == response.status_code

    def directory_names(self) -> list[str]:
        """Every directory name on the emulator, including ones whose asynchronous deletion is under way."""
        response = self.http.get("/usergroup/broker/directories", token=self.tokens.token(),
                                 headers={"Accept": "*/*"})
        assert 200 == response.status_code
        return [str(item.get("name")) for item in response.json().get("items", [])]

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()


class Victims:
    """Resources no run of this suite created: unprefixed, or named with *another* run's prefix. The suite must
    never change or delete them."""

    def __init__(self, inspector: Inspector, tag: str) -> None:
        self.inspector = inspector
        domain = f"victim-{tag}.example.test"
        self.paths = {"client": self._create("/acs/broker/oauth2-clients", _client(f"victim-client-{tag}"),
                                             "client_id"),
                      "other-run-client": self._create("/acs/broker/oauth2-clients", _client(f"ctk-other{tag}-c"),
                                                       "client_id")}
        self.paths["directory"] = self._create("/usergroup/broker/directories", {
            "name": f"victim-dir-{tag}", "domains": [domain], "type": "PROVISIONED", "source": "GENERIC"})
        directory_id = self.paths["directory"].rsplit("/", 1)[-1]
        self.paths["idp"] = self._create("/federation/broker/identity-providers", {
            "idp_name": f"victim-idp-{tag}", "idp_type": "OIDC", "idp_source_type": "GENERIC",
            "directory_list": [{"id": directory_id}],
            "oidc_profile": {"client_id": "victim-oidc", "client_secret": "victim-oidc-secret",
                             "configuration_url": "https://idp.example.test/.well-known/openid-configuration"}})
        self.paths["user"] = self._create("/usergroup/scim/v2/Users", {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": f"victim-user@{domain}",
            "name": {"givenName": "Victim", "familyName": "User"}, "active": True})

    def _create(self, collection: str, body: dict[str, Any], id_key: str = "id") -> str:
        response = self.inspector.http.post(collection, token=self.inspector.tokens.token(), json=body,
                                            headers={"Accept": "*/*"})
        assert 201 == response.status_code, response.text
        return f"{collection}/{response.json()[id_key]}"

    def snapshot(self) -> dict[str, tuple[int, Any]]:
        """Status and body of each victim, as GET shows it now."""
        token = self.inspector.tokens.token()
        answers = {name: self.inspector.http.get(path, token=token, headers={"Accept": "*/*"})
                   for name, path in self.paths.items()}
        return {name: (response.status_code, response.json()) for name, response in answers.items()}


def _client(client_id: str) -> dict[str, Any]:
    return {"client_id": client_id, "secret": "victim-secret-" + client_id, "grant_types": ["client_credentials"],
            "scope": ["admin"], "access_token_ttl": 60, "rule_set_names": ["READ_ONLY_TENANT_ADMIN"]}
