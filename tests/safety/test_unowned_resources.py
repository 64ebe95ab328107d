"""Issue 8: the suite never reads-modifies or deletes a resource it did not create.

Resources of nobody (no ``ctk-`` prefix) and of another run (``ctk-other…``) exist before a run: an OAuth 2.0
client of each, a directory with an identity provider and a SCIM user. After part of the suite ran against the
same target (listing them, creating and deleting its own), each still answers GET exactly as before."""

from __future__ import annotations

import subprocess

import pytest

from tests.support.safety import ROOT, clean_environment, suite_command

# Files whose tests list, create, change and delete clients, directories, IdPs and SCIM users (lists included,
# so the victims are in what the suite reads).
TOUCHING_FILES = ("test_clients_crud.py", "test_clients_list.py", "test_directories_idps.py", "test_scim_lists.py")
MORE_FILES = ("test_directories_crud.py", "test_scim_crud.py", "test_scim_okta.py", "test_scim_entra.py")
PROPERTY_FILES = ("test_properties_oauth2_clients.py", "test_properties_directories.py", "test_properties_scim.py")


def _run_suite(emulator, run_id: str, files: tuple[str, ...], tmp_path) -> subprocess.CompletedProcess[str]:
    command = suite_command(emulator, run_id, files=files, basetemp=tmp_path / "basetemp")
    return subprocess.run(command, cwd=ROOT, env=clean_environment(emulator.client_secret), capture_output=True,
                          text=True, timeout=600)


def test_resources_the_run_did_not_create_are_left_unchanged(emulator, victims, tmp_path):
    """Listing, CRUD and paging tests of clients, directories, IdPs and SCIM users leave every foreign resource
    as it was (same status, same body), and the run's own leak check is clean."""
    before = victims.snapshot()
    assert {200} == {status for status, _ in before.values()}
    done = _run_suite(emulator, "unowned1", TOUCHING_FILES, tmp_path)
    assert "conformance leak check: no resource named ctk-unowned1-*" in done.stdout, done.stdout[-3000:]
    assert before == victims.snapshot()


@pytest.mark.nightly
def test_property_tests_leave_foreign_resources_unchanged(emulator, victims, tmp_path):
    """The schemathesis property tests (generated PATCH and DELETE with arbitrary ids) and the remaining CRUD
    scenarios touch no foreign resource."""
    before = victims.snapshot()
    done = _run_suite(emulator, "unowned2", PROPERTY_FILES + TOUCHING_FILES + MORE_FILES, tmp_path)
    assert "conformance leak check" in done.stdout, done.stdout[-3000:]
    assert before == victims.snapshot()
