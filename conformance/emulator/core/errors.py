"""The three error dialects of the service, as exceptions the app turns into responses.

- admin envelope (IDS admin APIs and legacy /SAAS/jersey): ``{"errors":[{"code","message","parameters"}]}``
- OAuth 2.0 (RFC 6749 §5.2; /acs/token, /acs/revoke, /SAAS/auth/oauthtoken): ``{"error","error_description"}``
- SCIM (RFC 7644 §3.12; /usergroup/scim/v2): ``urn:ietf:params:scim:api:messages:2.0:Error``

``dialect_of(path)`` picks the dialect of errors raised outside a handler (404 route, 405, 413, 500). Every admin
error code the emulator uses is listed in ``CODES``.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from starlette.responses import Response

SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
SCIM_V2_PREFIX = "/usergroup/scim/v2"
OAUTH_PATHS = ("/acs/token", "/acs/revoke", "/SAAS/auth/oauthtoken")

# Every dotted admin error code in one place: code -> message template (``{name}`` filled from parameters).
CODES: dict[str, str] = {
    "auth.token.missing": "Authentication is required: send an access token as 'Authorization: Bearer <token>'.",
    "auth.token.invalid": "The access token is invalid, expired or revoked.",
    "auth.forbidden": "The client's rule sets do not allow this operation.",
    "request.body.invalid.json": "The request body is not valid JSON.",
    "request.body.too.large": "The request body exceeds {limit} bytes.",
    "request.body.invalid": "The request body is invalid: {detail}",
    "request.field.invalid": "Invalid value for field {field}: {detail}",
    "request.field.required": "Field {field} is required.",
    "request.parameter.invalid": "Invalid value for query parameter {parameter}: {detail}",
    "request.media.type.unsupported": "Content-Type {content_type} is not supported by this operation.",
    "response.media.type.not.acceptable": "None of the accepted media types ({accept}) can be produced.",
    "resource.not.found": "No resource at {path}.",
    "method.not.allowed": "Method {method} is not allowed on {path}.",
    "server.error": "Internal server error.",
}


class Dialect(StrEnum):
    """Which error format an endpoint speaks."""

    ADMIN = "admin"
    OAUTH = "oauth"
    SCIM = "scim"


def dialect_of(path: str) -> Dialect:
    """The error dialect of an endpoint, from its path."""
    if path in OAUTH_PATHS:
        return Dialect.OAUTH
    if path == SCIM_V2_PREFIX or path.startswith(SCIM_V2_PREFIX + "/"):
        return Dialect.SCIM
    return Dialect.ADMIN


class ApiError(Exception):
    """An error response; subclasses render one dialect."""

    def __init__(self, status: int, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        """The JSON body."""
        raise NotImplementedError

    media_type = "application/json"

    def response(self) -> Response:
        """The HTTP response of this error."""
        return Response(json.dumps(self.body()), status_code=self.status, headers=self.headers,
                        media_type=self.media_type)


class AdminError(ApiError):
    """Admin envelope error; ``code`` must be a key of ``CODES`` or a family's own dotted code."""

    def __init__(self, status: int, code: str, message: str | None = None,
                 parameters: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, headers)
        self.code = code
        self.parameters = {k: str(v) for k, v in (parameters or {}).items()}
        self.message = message or CODES.get(code, code).format_map(_Missing(self.parameters))

    def body(self) -> dict[str, Any]:
        """``{"errors":[{"code","message","parameters"}]}``."""
        return {"errors": [{"code": self.code, "message": self.message, "parameters": self.parameters}]}


class OAuthError(ApiError):
    """RFC 6749 §5.2 error; always ``Cache-Control: no-store``."""

    def __init__(self, status: int, error: str, description: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(status, {"Cache-Control": "no-store", "Pragma": "no-cache", **(headers or {})})
        self.error = error
        self.description = description

    def body(self) -> dict[str, Any]:
        """``{"error", "error_description"}``."""
        body = {"error": self.error}
        if self.description:
            body["error_description"] = self.description
        return body


class ScimError(ApiError):
    """RFC 7644 §3.12 error."""

    media_type = "application/scim+json"

    def __init__(self, status: int, detail: str, scim_type: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(status, headers)
        self.detail = detail
        self.scim_type = scim_type

    def body(self) -> dict[str, Any]:
        """``{"schemas":[Error], "status": "400", "scimType"?, "detail"}``."""
        body: dict[str, Any] = {"schemas": [SCIM_ERROR], "status": str(self.status), "detail": self.detail}
        if self.scim_type:
            body["scimType"] = self.scim_type
        return body


def error_in(dialect: Dialect, status: int, code: str, message: str | None = None,
             parameters: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> ApiError:
    """The same failure in the given dialect (``code`` is the admin code; OAuth/SCIM pick their own words)."""
    text = message or CODES.get(code, code).format_map(_Missing({k: str(v) for k, v in (parameters or {}).items()}))
    if dialect is Dialect.SCIM:
        scim_type = "invalidSyntax" if status == 400 and "json" in code else None
        return ScimError(status, text, scim_type, headers)
    if dialect is Dialect.OAUTH:
        error = {401: "invalid_client", 404: "invalid_request", 405: "invalid_request"}.get(status, "invalid_request")
        return OAuthError(status, error if status != 500 else "server_error", text, headers)
    return AdminError(status, code, text, parameters, headers)


class _Missing(dict):  # type: ignore[type-arg]
    """format_map helper: unknown placeholders stay as they are."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
