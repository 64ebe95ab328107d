"""Checks of SCIM 2.0 exchanges (RFC 7643, RFC 7644). Each raises ``RequirementFailure`` naming its requirement.

Status codes and body shapes are judged here so every scenario test states the same rule the same way.
"""

from __future__ import annotations

from typing import Any

import httpx

from conformance.checks.core import require

ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
SCIM_JSON = "application/scim+json"


def json_object(requirement_id: str, response: httpx.Response) -> dict[str, Any]:
    """The response body as a JSON object, or a failure of ``requirement_id`` when it is not one."""
    try:
        body = response.json()
    except ValueError:
        body = None
    require(requirement_id, isinstance(body, dict), "expected a JSON object body", response)
    return dict(body)  # type: ignore[arg-type]


def status_is(requirement_id: str, response: httpx.Response, *expected: int) -> None:
    """The status code is one of ``expected``."""
    __tracebackhide__ = True
    wanted = " or ".join(str(code) for code in expected)
    require(requirement_id, response.status_code in expected,
            f"expected {wanted}, got {response.status_code}", response)


def created(response: httpx.Response, requirement_id: str = "SCIM-001") -> dict[str, Any]:
    """RFC 7644 §3.3: "When the service provider successfully creates the new resource, an HTTP response SHALL be
    returned with HTTP status code 201 (Created)." Returns the created resource, which must carry an ``id``."""
    status_is(requirement_id, response, 201)
    body = json_object(requirement_id, response)
    require(requirement_id, bool(body.get("id")), "the created resource has no id", response)
    return body


def location_is_meta_location(response: httpx.Response) -> None:
    """RFC 7644 §3.3: "The URI of the created resource SHALL include, in the HTTP "Location" header and the HTTP
    body, a JSON representation [RFC7159] with the attribute "meta.location"." """
    location = response.headers.get("location")
    meta_location = (json_object("SCIM-002", response).get("meta") or {}).get("location")
    require("SCIM-002", bool(location), "no Location header on 201", response)
    require("SCIM-002", location == meta_location,
            f"Location {location!r} differs from meta.location {meta_location!r}", response)


def etag_header(response: httpx.Response) -> str:
    """RFC 7644 §3.14: "When supported, SCIM ETags MUST be specified as an HTTP header and SHOULD be specified within
    the "version" attribute contained in the resource's "meta" attribute." Returns the ETag."""
    etag = response.headers.get("etag", "")
    require("SCIM-003", bool(etag), "the server claims etag support but sent no ETag header", response)
    version = (json_object("SCIM-003", response).get("meta") or {}).get("version")
    require("SCIM-003", version in (None, etag), f"meta.version {version!r} differs from ETag {etag!r}", response)
    return etag


def resource(requirement_id: str, response: httpx.Response, status: int = 200) -> dict[str, Any]:
    """RFC 7644 §3.4.1: "If the resource exists, the server responds with HTTP status code 200 (OK) and includes the
    result in the body of the response." Returns the resource."""
    status_is(requirement_id, response, status)
    body = json_object(requirement_id, response)
    require(requirement_id, bool(body.get("id")), "the returned resource has no id", response)
    return body


def patched(response: httpx.Response, requirement_id: str = "SCIM-006") -> None:
    """RFC 7644 §3.5.2: "On successful completion, the server either MUST return a 200 OK response code and the
    entire resource within the response body [...] or MAY return HTTP status code 204 (No Content)"."""
    status_is(requirement_id, response, 200, 204)
    if response.status_code == 200:
        require(requirement_id, bool(json_object(requirement_id, response).get("id")),
                "a 200 PATCH response must hold the entire resource", response)


def listed(response: httpx.Response, requirement_id: str = "SCIM-014") -> dict[str, Any]:
    """RFC 7644 §3.4.2: "totalResults [...] REQUIRED. Resources [...] REQUIRED if "totalResults" is non-zero."
    Returns the list response with ``Resources`` defaulted to ``[]``."""
    status_is(requirement_id, response, 200)
    body = json_object(requirement_id, response)
    require("SCIM-014", LIST_SCHEMA in (body.get("schemas") or []), f"schemas lacks {LIST_SCHEMA}", response)
    total = body.get("totalResults")
    require("SCIM-014", isinstance(total, int) and not isinstance(total, bool),
            f"totalResults must be an integer, got {total!r}", response)
    resources = body.get("Resources")
    require("SCIM-014", isinstance(resources, list) or total == 0,
            "Resources (capital R) is required when totalResults is non-zero", response)
    body["Resources"] = resources or []
    return body


def paged(response: httpx.Response) -> dict[str, Any]:
    """RFC 7644 §3.4.2: "startIndex [...] REQUIRED when partial results are returned due to pagination.
    itemsPerPage [...] REQUIRED when partial results are returned due to pagination." """
    body = listed(response)
    for field in ("startIndex", "itemsPerPage"):
        value = body.get(field)
        require("SCIM-014", isinstance(value, int) and not isinstance(value, bool),
                f"{field} must be an integer on a partial page, got {value!r}", response)
    return body


def listed_ids(requirement_id: str, response: httpx.Response) -> list[str]:
    """The ids of a list response's resources, in order (the list shape is judged by SCIM-014)."""
    status_is(requirement_id, response, 200)
    return [str(item.get("id")) for item in listed(response)["Resources"]]


def scim_error(requirement_id: str, response: httpx.Response, status: int, scim_type: str | None = None) -> None:
    """RFC 7644 §3.12: "Error responses are identified using the following "schema" URI:
    "urn:ietf:params:scim:api:messages:2.0:Error". [...] status: The HTTP status code [...] expressed as a JSON
    string. REQUIRED." The status itself is judged as ``requirement_id``; the body as SCIM-025."""
    status_is(requirement_id, response, status)
    body = json_object("SCIM-025", response)
    require("SCIM-025", ERROR_SCHEMA in (body.get("schemas") or []), f"schemas lacks {ERROR_SCHEMA}", response)
    require("SCIM-025", body.get("status") == str(status),
            f"status must be the string {str(status)!r}, got {body.get('status')!r}", response)
    if scim_type is not None:
        require(requirement_id, body.get("scimType") == scim_type,
                f"expected scimType {scim_type!r}, got {body.get('scimType')!r}", response)


def scim_media_type(response: httpx.Response) -> None:
    """RFC 7644 §3.8: "Service providers MUST support the accept header "Accept: application/scim+json" [...]
    The format defaults to "application/scim+json" if no format is specified." """
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    require("SCIM-031", media_type == SCIM_JSON,
            f"expected Content-Type application/scim+json, got {media_type!r}", response)


def member_ids(group: dict[str, Any]) -> set[str]:
    """The ``value`` of every member of a Group representation (``members`` may be absent when empty)."""
    return {str(member.get("value")) for member in group.get("members") or []}


def work_email(user: dict[str, Any]) -> str | None:
    """The value of the User's email whose type is ``work``, if any."""
    return next((e.get("value") for e in user.get("emails") or [] if e.get("type") == "work"), None)
