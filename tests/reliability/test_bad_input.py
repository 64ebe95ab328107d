"""Malformed requests of every kind get the right 4xx in the endpoint's error dialect: never a 500, never a hang."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.emulator_http import SCIM, SCIM_JSON, Emulator, create_directory

LIMIT = 1_048_576  # documented request body limit (README, emulator settings)
ADMIN = ("/acs/broker/oauth2-clients", "application/json", "admin")
SCIM_USERS = (SCIM + "/Users", SCIM_JSON, "scim")
LEGACY_USERS = ("/SAAS/jersey/manager/api/scim/Users", "application/json", "admin")
ENDPOINTS = [ADMIN, SCIM_USERS, LEGACY_USERS]
NESTED = b'{"a":' * 5000 + b"1" + b"}" * 5000


def _dialect(body: Any) -> str:
    if isinstance(body, dict) and isinstance(body.get("errors"), list):
        return "admin"
    if isinstance(body, dict) and "urn:ietf:params:scim:api:messages:2.0:Error" in (body.get("schemas") or []):
        return "scim"
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return "oauth"
    return "unknown"


def _send(emulator: Emulator, path: str, content: bytes, content_type: str, **params: str) -> httpx.Response:
    with emulator.http() as http:
        return http.post(path, content=content, params=params or None,
                         headers=emulator.headers(**{"Content-Type": content_type}))


@pytest.mark.parametrize(("path", "content_type", "dialect"), ENDPOINTS)
@pytest.mark.parametrize(("case", "payload", "expected"), [
    ("oversized", b"{" + b" " * (LIMIT + 10) + b"}", 413),
    ("invalid json", b'{"client_id": ', 400),
    ("invalid utf-8", b'{"userName": "\xff\xfe"}', 400),
    ("deeply nested", NESTED, 400),
    ("not an object", b"[1, 2, 3]", 400),
])
def test_malformed_bodies(emulator, path, content_type, dialect, case, payload, expected):
    """Each malformed body gets its status and an error body in the endpoint's dialect."""
    response = _send(emulator, path, payload, content_type)
    assert (expected, dialect) == (response.status_code, _dialect(response.json()))


@pytest.mark.parametrize(("path", "content_type", "dialect"), ENDPOINTS)
def test_wrong_charset_is_refused(emulator, path, content_type, dialect):
    """A body declared as UTF-16 is not silently misread: 4xx in the dialect."""
    response = _send(emulator, path, '{"a": 1}'.encode("utf-16"), content_type + "; charset=utf-16")
    assert (True, dialect) == (400 <= response.status_code < 500, _dialect(response.json()))


def test_token_endpoint_json_body_is_invalid_request(emulator):
    """/acs/token takes a form body only: JSON is an OAuth invalid_request."""
    response = _send(emulator, "/acs/token", b'{"grant_type": "client_credentials"}', "application/json")
    assert (400, "invalid_request") == (response.status_code, response.json().get("error"))


def test_huge_filter_is_answered_not_crashed(emulator):
    """A 200 kB filter of 8000 clauses (POST /.search, so no URL limit applies) is answered or refused with a SCIM
    4xx in bounded time — never a 500 or a hang."""
    huge = " or ".join(f'userName eq "u{i}@x.test"' for i in range(8000))
    body = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "filter": huge}
    with emulator.http() as http:
        response = http.post(SCIM + "/Users/.search", json=body,
                             headers=emulator.headers(**{"Content-Type": SCIM_JSON}))
    outcome = "answered" if response.status_code == 200 else _dialect(response.json())
    assert outcome in ("answered", "scim"), response.text[:300]


def test_invalid_utf8_in_query_string(emulator):
    """Percent-encoded invalid UTF-8 in a filter: a SCIM 400 invalidFilter, not a crash."""
    with emulator.http() as http:
        response = http.get(SCIM + "/Users?filter=userName%20eq%20%22%FF%FE%22", headers=emulator.headers())
    assert (400, "scim") == (response.status_code, _dialect(response.json()))


def test_unknown_attribute_is_refused_or_dropped(emulator):
    """A User with an attribute no schema defines: a SCIM 400, or created without that attribute — never stored
    and served back as if it were part of the schema, never a 500."""
    domain = create_directory(emulator)
    body = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": f"colour@{domain}",
            "favouriteColour": "green"}
    with emulator.http() as http:
        response = http.post(SCIM + "/Users", json=body, headers=emulator.headers(**{"Content-Type": SCIM_JSON}))
    outcome = "refused" if response.status_code == 400 and _dialect(response.json()) == "scim" else (
        "dropped" if response.status_code == 201 and "favouriteColour" not in response.json() else "wrong")
    assert outcome in ("refused", "dropped"), response.text
