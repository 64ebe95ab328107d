"""Admin-envelope error codes of the legacy /SAAS/jersey/manager/api endpoints.

Seed 003 (Troubleshooting) quotes three of the vendor's messages, as Okta shows them ("ERRORS REPORTED BY REMOTE
SERVER: ..."): "Required user attributes: [distinguishedName] are missing.", "User creation is not supported for
specified directory id.", "User domain name specified for the user resource doesn't belong to the directory."
S4/S6 describe 409 "A user with the same userName already exists". The codes follow seed 000's dotted style.
"""

from __future__ import annotations

from typing import Any

from conformance.emulator.core.errors import AdminError

REQUIRED_MISSING = "user.required.attributes.missing"
CREATION_NOT_SUPPORTED = "user.creation.not.supported"
DOMAIN_NOT_IN_DIRECTORY = "user.domain.not.in.directory"
USER_EXISTS = "user.already.exists"
USER_NOT_FOUND = "user.not.found"
GROUP_EXISTS = "group.already.exists"
GROUP_NOT_FOUND = "group.not.found"
MEMBER_NOT_FOUND = "group.member.not.found"
DIRECTORY_NOT_FOUND = "directory.not.found"
DIRECTORY_NAME_EXISTS = "directory.name.already.exists"
DIRECTORY_DOMAIN_EXISTS = "directory.domain.already.exists"
CLIENT_EXISTS = "oauth2.client.with.client.id.already.exists"
CLIENT_NOT_FOUND = "oauth2.client.not.found"
FILTER_INVALID = "scim.filter.invalid"
FIELD_INVALID = "request.field.invalid"
PARAMETER_INVALID = "request.parameter.invalid"
BODY_INVALID = "request.body.invalid"
SCOPE_INSUFFICIENT = "auth.scope.insufficient"
MEDIA_UNSUPPORTED = "request.media.type.unsupported"
NOT_ACCEPTABLE = "response.media.type.not.acceptable"

CODES: dict[str, str] = {
    REQUIRED_MISSING: "Required user attributes: [{attributes}] are missing.",
    CREATION_NOT_SUPPORTED: "User creation is not supported for specified directory id.",
    DOMAIN_NOT_IN_DIRECTORY: "User domain name specified for the user resource doesn't belong to the directory.",
    USER_EXISTS: "A user with the same userName already exists: {userName}.",
    USER_NOT_FOUND: "User {id} was not found.",
    GROUP_EXISTS: "A group with the same displayName already exists: {displayName}.",
    GROUP_NOT_FOUND: "Group {id} was not found.",
    MEMBER_NOT_FOUND: "Group member {value} is not a user of this tenant.",
    DIRECTORY_NOT_FOUND: "Directory {directoryId} was not found.",
    DIRECTORY_NAME_EXISTS: "A directory named {name} already exists.",
    DIRECTORY_DOMAIN_EXISTS: "Domain {domain} is already used by another directory.",
    CLIENT_EXISTS: "OAuth2 Client with client id {oauth2_client_id} already exists.",
    CLIENT_NOT_FOUND: "OAuth2 Client with client id {oauth2_client_id} was not found.",
    FILTER_INVALID: "Invalid filter: {detail}",
    FIELD_INVALID: "Invalid value for field {field}: {detail}",
    PARAMETER_INVALID: "Invalid value for query parameter {parameter}: {detail}",
    BODY_INVALID: "The request body is invalid: {detail}",
    SCOPE_INSUFFICIENT: "The access token's scope does not include admin.",
    MEDIA_UNSUPPORTED: "Content-Type {content_type} is not supported by this operation.",
    NOT_ACCEPTABLE: "None of the accepted media types ({accept}) can be produced.",
}


def legacy_error(status: int, code: str, **parameters: Any) -> AdminError:
    """An admin-envelope error with this family's message for ``code``."""
    values = {name: "" if value is None else str(value) for name, value in parameters.items()}
    return AdminError(status, code, CODES[code].format(**values), values)


def field_invalid(field: str, detail: str) -> AdminError:
    """400: a body field has a value the contract does not allow."""
    return legacy_error(400, FIELD_INVALID, field=field, detail=detail)


def parameter_invalid(parameter: str, detail: str) -> AdminError:
    """400: a query parameter has a value the contract does not allow."""
    return legacy_error(400, PARAMETER_INVALID, parameter=parameter, detail=detail)


def body_invalid(detail: str) -> AdminError:
    """400: the body is not what the operation takes."""
    return legacy_error(400, BODY_INVALID, detail=detail)
