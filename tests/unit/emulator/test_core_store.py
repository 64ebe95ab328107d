"""Persistence: the signing key and clients survive a restart of a file-backed store; uniqueness holds."""

from __future__ import annotations

import sqlite3

import pytest

from conformance.emulator import Settings, create_app
from conformance.emulator.core.clients import get_client, insert_client


def _app(path, **options):
    return create_app(Settings(db=str(path), fqdn="testserver", bootstrap_client_secret="s", **options))


def test_key_and_clients_survive_a_restart(tmp_path):
    """A second app on the same file has the same kid and the clients created by the first."""
    first = _app(tmp_path / "e.sqlite3").state.context
    with first.store.tx() as db:
        insert_client(db, {"client_id": "kept"}, "secret", 0.0)
    kid = first.key.kid
    first.store.close()
    second = _app(tmp_path / "e.sqlite3").state.context
    assert (kid, True) == (second.key.kid, get_client(second.store, "kept").authenticates("secret"))


def test_tokens_signed_before_a_restart_still_verify(tmp_path):
    """A token signed by the first instance verifies with the second one's key."""
    first = _app(tmp_path / "e.sqlite3").state.context
    token = first.key.sign({"sub": "x"})
    first.store.close()
    assert {"sub": "x"} == _app(tmp_path / "e.sqlite3").state.context.key.verify(token)


def test_secrets_are_stored_hashed(tmp_path):
    """The bootstrap secret appears nowhere in the database file."""
    settings = Settings(db=str(tmp_path / "e.sqlite3"), bootstrap_client_secret="very-plain-secret")
    ctx = create_app(settings).state.context
    ctx.store.close()
    assert b"very-plain-secret" not in (tmp_path / "e.sqlite3").read_bytes()


def test_duplicate_client_id_is_refused_by_the_store(tmp_path):
    """The primary key keeps client ids unique even if a handler forgot to check."""
    ctx = _app(tmp_path / "e.sqlite3").state.context
    with ctx.store.tx() as db:
        insert_client(db, {"client_id": "twice"}, "a", 0.0)
    with pytest.raises(sqlite3.IntegrityError), ctx.store.tx() as db:
        insert_client(db, {"client_id": "twice"}, "b", 0.0)


def test_given_bootstrap_secret_replaces_the_stored_one(tmp_path):
    """Restarting with another bootstrap secret makes that secret the valid one."""
    _app(tmp_path / "e.sqlite3").state.context.store.close()
    ctx = create_app(Settings(db=str(tmp_path / "e.sqlite3"), bootstrap_client_secret="new")).state.context
    client = get_client(ctx.store, "bootstrap-admin")
    assert (True, False) == (client.authenticates("new"), client.authenticates("s"))
