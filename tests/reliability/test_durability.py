"""kill -9 in the middle of a write burst loses no acknowledged write; key, clients and tokens survive."""

from __future__ import annotations

import os
import secrets
import signal
import threading
import time

import httpx

from conformance.target.launcher import start_emulator, stop_emulator
from tests.support.emulator_http import SCIM, Emulator, admin_token, create_directory, post_user

BURST_SECONDS = 1.5


def _burst(emulator: Emulator, domain: str, acknowledged: list[str], stop: threading.Event) -> None:
    with emulator.http() as http:
        while not stop.is_set():
            try:
                response = post_user(emulator, http, f"burst-{secrets.token_hex(4)}@{domain}")
            except httpx.TransportError:
                return
            if response.status_code == 201:
                acknowledged.append(response.json()["id"])


def test_acknowledged_writes_survive_kill_9(tmp_path):
    """Every user that got a 201 before SIGKILL is readable after a restart on the same file; old tokens verify."""
    db = str(tmp_path / "durable.sqlite3")
    first = start_emulator(db=db)
    emulator = Emulator(first, admin_token(first))
    domain = create_directory(emulator)
    acknowledged: list[str] = []
    stop = threading.Event()
    writers = [threading.Thread(target=_burst, args=(emulator, domain, acknowledged, stop)) for _ in range(4)]
    for writer in writers:
        writer.start()
    time.sleep(BURST_SECONDS)
    os.kill(first.pid, signal.SIGKILL)
    stop.set()
    for writer in writers:
        writer.join(timeout=30)
    first_port = int(first.base_url.rsplit(":", 1)[1])
    second = start_emulator(db=db, port=first_port)
    try:
        with httpx.Client(base_url=second.base_url, trust_env=False, timeout=30.0) as http:
            headers = {"Authorization": f"Bearer {emulator.token}"}  # issued by the killed process
            statuses = {http.get(f"{SCIM}/Users/{user_id}", headers=headers).status_code for user_id in acknowledged}
    finally:
        stop_emulator(second.pid)
    assert (True, {200}) == (len(acknowledged) > 10, statuses)
