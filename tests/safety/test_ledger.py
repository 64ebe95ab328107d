"""The ledger behind cleanup after a crash: what it records, what a replay would delete, which session owns it."""

from __future__ import annotations

import json

from conformance.housekeeping.ledger import find_ledgers, read_ledger, session_ledgers
from conformance.housekeeping.tracking import ResourceTracker, TrackedResource


def test_pending_is_what_was_added_and_neither_forgotten_nor_deleted(tmp_path):
    """``add`` makes a resource pending; ``forget`` (the test deleted it) and ``deleted`` (cleanup did) end that;
    a torn last line of a killed process is ignored."""
    ledger = tmp_path / "ctk-run1-ledger.jsonl"
    tracker = ResourceTracker("ctk-run1-", ledger, target="http://t")
    for name in ("a", "b", "c"):
        tracker.add("directory", f"/d/{name}")
    tracker.forget("/d/b")
    with ledger.open("a") as handle:
        handle.write(json.dumps({"event": "deleted", "delete_path": "/d/c"}) + "\n" + '{"event": "add", "kind')
    read = read_ledger(ledger)
    assert ("ctk-run1-", "http://t") == (read.prefix, read.target)
    assert [TrackedResource("directory", "/d/a")] == read.pending


def test_a_ledger_replays_only_against_its_own_target(tmp_path):
    """A ledger written for one base URL never sends its paths to another (a tracker that did not say: any)."""
    told = read_ledger(_ledger(tmp_path, "ctk-run2-ledger.jsonl", "ctk-run2-", "http://one/"))
    untold = read_ledger(_ledger(tmp_path, "ctk-run3-ledger.jsonl", "ctk-run3-", None))
    assert [True, False, True] == [told.belongs_to("http://one"), told.belongs_to("http://two"),
                                   untold.belongs_to("http://two")]


def test_a_session_owns_its_own_and_its_workers_ledgers_not_nested_runs(tmp_path):
    """The session sweep reads the base temp and ``popen-gwN``; a child run's ledgers deeper down are not its own,
    while ``conformance cleanup`` searches everywhere for the run it is asked about."""
    _ledger(tmp_path, "ctk-own-ledger.jsonl", "ctk-own-", None)
    _ledger(tmp_path / "popen-gw1", "ctk-own-gw1-scim-ledger.jsonl", "ctk-own-", None)
    _ledger(tmp_path / "test_x0" / "basetemp", "ctk-child-ledger.jsonl", "ctk-child-", None)
    assert ["ctk-own-", "ctk-own-"] == [ledger.prefix for ledger in session_ledgers(tmp_path)]
    assert ["ctk-child-"] == [ledger.prefix for ledger in find_ledgers(tmp_path, "ctk-child-")]


def _ledger(directory, name, prefix, target):
    directory.mkdir(parents=True, exist_ok=True)
    ResourceTracker(prefix, directory / name, target=target).add("oauth2-client", f"/c/{prefix}x")
    return directory / name
