"""Faults of the cross-cutting behaviour (bearer authentication, rule sets, Host check, envelope, MIME phases).

Requirement IDs name the catalogue entries (specs/requirements/) each fault must trip.
"""

from __future__ import annotations

from conformance.emulator.core.faults import declare

FAMILY = "core"

WWW_AUTHENTICATE_MISSING = declare(
    "www-authenticate-missing", FAMILY, ["AUTHZ-002"],
    "401 answers to bearer-protected operations carry no WWW-Authenticate header")
MISSING_TOKEN_403 = declare(
    "missing-token-403", FAMILY, ["AUTHZ-001"], "a request without any token is answered 403 instead of 401")
EXPIRED_TOKEN_ACCEPTED = declare(
    "expired-token-accepted", FAMILY, ["TOKEN-018", "AUTHZ-005"], "access tokens are accepted after their exp")
REVOKED_TOKEN_ACCEPTED = declare(
    "revoked-token-accepted", FAMILY, ["TOKEN-019", "AUTHZ-005"], "tokens revoked at /acs/revoke keep working")
HOST_CHECK_OFF = declare(
    "host-check-off", FAMILY, ["AUTHZ-009"], "a request with a foreign Host header is served instead of 444")
ENVELOPE_ERROR_KEY = declare(
    "envelope-error-key", FAMILY, ["ERR-001", "ERR-007"], 'the admin error envelope uses "error" instead of "errors"')
ENVELOPE_NO_PARAMETERS = declare(
    "envelope-no-parameters", FAMILY, ["ERR-003", "ERR-002"], "admin error entries lack their parameters object")
RULE_SET_MATRIX_OFF = declare(
    "rule-set-matrix-off", FAMILY, ["AUTHZ-007"],
    "READ_ONLY_TENANT_ADMIN may also PATCH directories (one cell of the access-policy matrix flipped)")
VENDOR_REJECTED_IN_TRANSITION = declare(
    "vendor-rejected-in-transition", FAMILY, ["MIME-001"],
    "during the transition phase a vendor Content-Type is refused with 415")
JSON_ANSWERED_WITH_VENDOR = declare(
    "json-answered-with-vendor", FAMILY, ["MIME-002"],
    "Accept: application/json is answered with the vendor media type")
DEPRECATION_HEADER_MISSING = declare(
    "deprecation-header-missing", FAMILY, ["MIME-003"], "vendor media type requests get no Deprecation header")
