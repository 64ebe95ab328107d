"""The /acs family's errors: admin envelope codes of /acs/broker/oauth2-clients and the RFC 6749 §5.2 errors of
/acs/token and /acs/revoke.

Seed 000 documents one code, ``oauth2.client.with.client.id.already.exists`` ("OAuth2 Client with client id
{client_id} already exists.", parameters ``{"oauth2_client_id": ...}``); the others follow its dotted style.
"""

from __future__ import annotations

from typing import Any

from conformance.emulator.acs import faults
from conformance.emulator.core.context import Context
from conformance.emulator.core.errors import AdminError, OAuthError

CONFLICT = "oauth2.client.with.client.id.already.exists"
CONFLICT_MISSPELT = "oauth2.client.with.clientid.already.exists"
NOT_FOUND = "oauth2.client.not.found"
FIELD_INVALID = "oauth2.client.field.invalid"
FIELD_REQUIRED = "oauth2.client.field.required"
FIELD_NOT_PATCHABLE = "oauth2.client.field.not.patchable"
BODY_INVALID = "oauth2.client.body.invalid"
PARAMETER_INVALID = "oauth2.client.parameter.invalid"
ACTION_INVALID = "oauth2.client.secret.rotation.action.invalid"
ROTATION_STARTED = "oauth2.client.secret.rotation.already.started"
ROTATION_NOT_STARTED = "oauth2.client.secret.rotation.not.started"

# Every admin error code of the family -> message template (``{name}`` filled from the parameters).
CODES: dict[str, str] = {
    CONFLICT: "OAuth2 Client with client id {oauth2_client_id} already exists.",
    CONFLICT_MISSPELT: "OAuth2 Client with client id {oauth2_client_id} already exists.",
    NOT_FOUND: "OAuth2 Client with client id {oauth2_client_id} was not found.",
    FIELD_INVALID: "Invalid value for field {field}: {detail}",
    FIELD_REQUIRED: "Field {field} is required{detail}.",
    FIELD_NOT_PATCHABLE: "Field {field} cannot be changed with PATCH{detail}.",
    BODY_INVALID: "The request body must be a JSON object describing an OAuth2 client.",
    PARAMETER_INVALID: "Invalid value for query parameter {parameter}: {detail}",
    ACTION_INVALID: "Unknown secret rotation action {action}: use start-rotate-secret or retire-primary-secret.",
    ROTATION_STARTED: "A secret rotation is already in progress for OAuth2 Client {oauth2_client_id}.",
    ROTATION_NOT_STARTED: "No secret rotation is in progress for OAuth2 Client {oauth2_client_id}.",
}


def admin_error(status: int, code: str, **parameters: Any) -> AdminError:
    """An envelope error with the family's message for ``code``."""
    values = {name: "" if value is None else str(value) for name, value in parameters.items()}
    return AdminError(status, code, CODES[code].format(**values), values)


def field_invalid(field: str, detail: str) -> AdminError:
    """400: one request field has a value the contract does not allow."""
    return admin_error(400, FIELD_INVALID, field=field, detail=detail)


def field_required(field: str, detail: str = "") -> AdminError:
    """400: a mandatory field is missing (``detail`` says when it is mandatory, e.g. " with grant refresh_token")."""
    return admin_error(400, FIELD_REQUIRED, field=field, detail=detail)


def not_found(client_id: str) -> AdminError:
    """404 for an unknown client id."""
    return admin_error(404, NOT_FOUND, oauth2_client_id=client_id)


def conflict(ctx: Context, client_id: str) -> AdminError:
    """409 for a duplicate client id (seed 000)."""
    code = CONFLICT_MISSPELT if ctx.faults.on(faults.CONFLICT_CODE_MISSPELT) else CONFLICT
    return admin_error(409, code, oauth2_client_id=client_id)


def invalid_request(description: str) -> OAuthError:
    """RFC 6749 §5.2 invalid_request (400)."""
    return OAuthError(400, "invalid_request", description)


def invalid_client(ctx: Context, description: str) -> OAuthError:
    """RFC 6749 §5.2 invalid_client: 401 with a Basic challenge naming the tenant."""
    if ctx.faults.on(faults.INVALID_CLIENT_400):
        return OAuthError(400, "invalid_client", description)
    challenge = f'Basic realm="{ctx.settings.fqdn}", charset="UTF-8"'
    return OAuthError(401, "invalid_client", description, {"WWW-Authenticate": challenge})
