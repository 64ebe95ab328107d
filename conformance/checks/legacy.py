"""Checks of the admin error envelope, OAuth 2.0 token responses and legacy Access SCIM 1.1 lists.

The admin envelope is shared by the IDS admin APIs (directories, identity providers) and the legacy
/SAAS/jersey/manager/api endpoints, so the directory scenarios use these checks as well.
"""

from __future__ import annotations

import re
from typing import Any

import httpx

from conformance.checks.core import require
from conformance.checks.scim import json_object, status_is

DOTTED_CODE = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")


def admin_envelope(requirement_id: str, response: httpx.Response, status: int) -> list[dict[str, Any]]:
    """Seed 000, Request Failures: "For all errors, the API returns an error response body that includes the error
    code and additional error message": ``{"errors":[{"code","message","parameters"}]}``. Returns the errors."""
    status_is(requirement_id, response, status)
    errors = json_object(requirement_id, response).get("errors")
    require(requirement_id, isinstance(errors, list) and len(errors) > 0, "no errors array in the body", response)
    for error in errors:
        code, message = error.get("code"), error.get("message")
        require(requirement_id, isinstance(code, str) and bool(DOTTED_CODE.match(code)),
                f"code must be dotted lower case, got {code!r}", response)
        require(requirement_id, isinstance(message, str) and bool(message), "every error needs a message", response)
    return list(errors)


def message_mentions(requirement_id: str, response: httpx.Response, status: int, phrase: str) -> None:
    """The response is an admin envelope ``status`` error whose messages contain ``phrase`` (case ignored):
    seed 003 quotes the vendor's messages ("ERRORS REPORTED BY REMOTE SERVER: ...") in upper case."""
    errors = admin_envelope(requirement_id, response, status)
    messages = " | ".join(str(error.get("message")) for error in errors)
    require(requirement_id, phrase.lower() in messages.lower(),
            f"expected a message containing {phrase!r}, got {messages!r}", response)


def oauth_token(requirement_id: str, response: httpx.Response) -> str:
    """RFC 6749 §5.1: "The authorization server issues an access token [...] by adding the following parameters to
    the entity-body of the HTTP response with a 200 (OK) status code: access_token REQUIRED [...] token_type
    REQUIRED". Returns the access token."""
    status_is(requirement_id, response, 200)
    body = json_object(requirement_id, response)
    token = body.get("access_token")
    require(requirement_id, isinstance(token, str) and bool(token), "no access_token", response)
    require(requirement_id, str(body.get("token_type", "")).lower() == "bearer",
            f"token_type must be Bearer, got {body.get('token_type')!r}", response)
    return str(token)


def oauth_error(requirement_id: str, response: httpx.Response, status: int, error: str) -> None:
    """RFC 6749 §5.2: "The authorization server responds with an HTTP 400 (Bad Request) status code [...] and
    includes the following parameters with the response: error REQUIRED. A single ASCII error code"."""
    status_is(requirement_id, response, status)
    body = json_object(requirement_id, response)
    require(requirement_id, body.get("error") == error, f"expected error {error!r}, got {body.get('error')!r}",
            response)


def legacy_page(response: httpx.Response) -> dict[str, Any]:
    """Access SCIM 1.1 lists (S4 ResourcesOfUserResource): "totalResults int64, startIndex int64, itemsPerPage
    int32, Resources (capital R)". Returns the page with ``Resources`` defaulted to ``[]``."""
    status_is("LEGACY-012", response, 200)
    body = json_object("LEGACY-012", response)
    for field in ("totalResults", "startIndex", "itemsPerPage"):
        value = body.get(field)
        require("LEGACY-012", isinstance(value, int) and not isinstance(value, bool),
                f"{field} must be an integer, got {value!r}", response)
    require("LEGACY-012", "resources" not in body, "the list key is Resources (capital R), not resources", response)
    require("LEGACY-012", isinstance(body.get("Resources"), list) or body["totalResults"] == 0,
            "Resources (capital R) is missing", response)
    body["Resources"] = body.get("Resources") or []
    return body
