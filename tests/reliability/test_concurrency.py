"""Concurrent writers never break uniqueness and never lose an update (real parallel HTTP clients)."""

from __future__ import annotations

import secrets
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from tests.support.emulator_http import SCIM, Emulator, create_directory, patch_display_name, post_user

PARALLEL = 16


def _parallel(count: int, task) -> list:
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(task, range(count)))


def test_parallel_creates_of_one_client_id_give_one_201(emulator: Emulator):
    """N parallel POSTs of the same client_id: exactly one 201, the rest 409, one client stored."""
    client_id = f"rel-{secrets.token_hex(4)}"
    body = {"client_id": client_id, "grant_types": ["client_credentials"], "scope": ["admin"],
            "rule_set_names": ["READ_ONLY_TENANT_ADMIN"], "access_token_ttl": 60}

    def create(_: int) -> int:
        with emulator.http() as http:
            return http.post("/acs/broker/oauth2-clients", json=body, headers=emulator.headers()).status_code

    statuses = Counter(_parallel(PARALLEL, create))
    with emulator.http() as http:
        stored = http.get(f"/acs/broker/oauth2-clients/{client_id}", headers=emulator.headers()).status_code
    assert ({201: 1, 409: PARALLEL - 1}, 200) == (dict(statuses), stored)


def test_parallel_creates_of_one_user_name_give_one_201(emulator: Emulator):
    """N parallel POST /Users of one userName (differing in case): exactly one 201, the rest 409."""
    domain = create_directory(emulator)
    name = f"race-{secrets.token_hex(3)}@{domain}"

    def create(index: int) -> int:
        with emulator.http() as http:
            return post_user(emulator, http, name.upper() if index % 2 else name).status_code

    statuses = Counter(_parallel(PARALLEL, create))
    with emulator.http() as http:
        found = http.get(SCIM + "/Users", params={"filter": f'userName eq "{name}"'}, headers=emulator.headers())
    assert ({201: 1, 409: PARALLEL - 1}, 1) == (dict(statuses), found.json()["totalResults"])


def test_parallel_patches_with_if_match_one_wins(emulator: Emulator):
    """Parallel PATCHes with the same If-Match: one 200, the rest 412, and the winner's value is stored."""
    domain = create_directory(emulator)
    with emulator.http() as http:
        created = post_user(emulator, http, f"etag-{secrets.token_hex(3)}@{domain}")
    user_id, etag = created.json()["id"], created.headers["etag"]

    def patch(index: int) -> tuple[int, str]:
        with emulator.http() as http:
            return patch_display_name(emulator, http, user_id, f"writer {index}", etag).status_code, f"writer {index}"

    outcomes = _parallel(PARALLEL, patch)
    winners = [value for status, value in outcomes if status == 200]
    with emulator.http() as http:
        stored = http.get(f"{SCIM}/Users/{user_id}", headers=emulator.headers()).json()["displayName"]
    assert ({200: 1, 412: PARALLEL - 1}, winners) == (dict(Counter(s for s, _ in outcomes)), [stored])
