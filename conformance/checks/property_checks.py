"""The kit's own schemathesis checks, run on every response of the property and stateful tests.

Registered with ``@schemathesis.check`` on import. Each raises ``RequirementFailure`` (an ``AssertionError``)
naming its requirement. The session sets the MIME phase and the run's secrets with ``configure`` before any
test calls the target; until then the MIME check has no phase to judge and does nothing.
"""

from __future__ import annotations

import base64
import json
import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

import schemathesis
from jsonschema import Draft202012Validator

from conformance.checks.core import require
from conformance.paths import specs_dir
from conformance.redaction import REDACTOR

OAUTH2_PATHS = ("/acs/token", "/acs/revoke", "/acs/userinfo", "/SAAS/auth/oauthtoken")
ADMIN_PREFIXES = ("/acs/broker/", "/usergroup/broker/", "/federation/broker/", "/SAAS/jersey/manager/api/")
SCIM_PREFIX = "/usergroup/scim/v2/"
TOKEN_FIELDS = ("access_token", "refresh_token", "id_token")
DIALECT_IDS = (("/usergroup/scim/v2/", "SCIM-025"), ("/SAAS/jersey/manager/api/scim/", "LEGACY-013"))
"""Areas whose own requirement already states the error dialect; everywhere else it is CONTRACT-003."""
CREATE_CLIENT = frozenset({"createNewOAuth2Client", "legacyCreateOAuth2Client"})
MIN_SECRET_LENGTH = 6


@dataclass
class CheckSettings:
    """What the checks know about the session: the active MIME phase and the secrets that must never echo."""

    mime_phase: str | None = None
    secrets: tuple[str, ...] = ()


SETTINGS = CheckSettings()


def configure(mime_phase: str | None, secrets: tuple[str, ...]) -> None:
    """Called by the session fixture once the target is known."""
    SETTINGS.mime_phase = mime_phase
    SETTINGS.secrets = tuple(s for s in secrets if s and len(s) >= MIN_SECRET_LENGTH)


def dialect_of(path: str) -> str | None:
    """The error dialect of an operation, chosen by its path (None: the operation declares no error body)."""
    if path in OAUTH2_PATHS:
        return "oauth2-error"
    if path.startswith(SCIM_PREFIX):
        return "scim-error"
    if path.startswith(ADMIN_PREFIXES):
        return "admin-error"
    return None


@cache
def _validator(dialect: str) -> Draft202012Validator:
    schema = json.loads((specs_dir() / "schemas" / f"{dialect}.schema.json").read_text())
    return Draft202012Validator(schema)


def _header(response: Any, name: str) -> str:
    for key, values in response.headers.items():
        if key.lower() == name.lower():
            return ", ".join(values) if isinstance(values, list) else str(values)
    return ""


@schemathesis.check
def error_dialect_conformance(ctx: Any, response: Any, case: Any) -> bool | None:
    """CONTRACT-003 (SCIM-025 on SCIM, LEGACY-013 on legacy SCIM). Seed 000 (Request Failures): admin API
    errors are ``{"errors": [{"code", "message", "parameters"}]}``; RFC 6749 §5.2: "The authorization server
    responds with an HTTP 400 (Bad Request) status code [...] and includes the following parameters with the
    response: error REQUIRED"; RFC 7644 §3.12: "the SCIM service provider SHALL return [...] a JSON body using the
    [...] "urn:ietf:params:scim:api:messages:2.0:Error" schema". 444 answers have no body by definition (seed 000),
    and probes of undeclared methods are judged by ``unsupported_method`` instead."""
    dialect = dialect_of(case.operation.path)
    if dialect is None or not 400 <= response.status_code < 500 or response.status_code == 444:
        return None
    if case.method.upper() != case.operation.method.upper():
        return None
    try:
        body = response.json()
    except ValueError:
        body = None
    errors = sorted(_validator(dialect).iter_errors(body), key=lambda e: list(e.absolute_path)) if body else []
    where = f"{case.method.upper()} {case.operation.path} answered {response.status_code}"
    requirement_id = next((rid for prefix, rid in DIALECT_IDS if case.operation.path.startswith(prefix)),
                          "CONTRACT-003")
    require(requirement_id, body is not None, f"{where} without a JSON body (expected a {dialect} body)")
    require(requirement_id, not errors,
            f"{where} with a body that is not a {dialect}: {REDACTOR.text(errors[0].message) if errors else ''}")
    return None


@cache
def _mime_table() -> tuple[dict[tuple[str, str], dict[str, str]], list[dict[str, Any]]]:
    data = tomllib.loads((specs_dir() / "mime-phases.toml").read_text())
    operations = {(op["method"].upper(), op["path"]): op for op in data["operation"]}
    return operations, list(data["rule"])


def _kind(value: str, vendor: str, accept: bool) -> str | None:
    media = value.split(";", 1)[0].strip().lower()
    if not media:
        return "missing" if accept else "none"
    if media == vendor.lower():
        return "vendor"
    if media == "application/json":
        return "json"
    return "any" if accept and media == "*/*" else None


def _request_header(response: Any, name: str) -> str:
    return str(response.request.headers.get(name, "") or "")


@schemathesis.check
def media_type_conformance(ctx: Any, response: Any, case: Any) -> bool | None:
    """CONTRACT-007. KB 6000953 (specs/mime-phases.toml, assumed): in the active phase, the request's Content-Type and
    Accept decide whether the admin API serves the request, which media type answers it and whether a
    ``Deprecation`` header marks a vendor media type. Requests with other media types are judged elsewhere."""
    operations, rules = _mime_table()
    operation = operations.get((case.operation.method.upper(), case.operation.path))
    if operation is None or SETTINGS.mime_phase not in ("legacy", "transition", "json"):
        return None
    has_body = bool(response.request.body)
    request = _kind(_request_header(response, "content-type") if has_body else "",
                    operation["request_vendor_type"] or "-", accept=False)
    accept = _kind(_request_header(response, "accept"), operation["response_vendor_type"] or "-", accept=True)
    rule = next((r for r in rules if (r["phase"], r["request"], r["accept"]) == (SETTINGS.mime_phase, request,
                                                                               accept)), None)
    if rule is None or response.status_code >= 500:
        return None
    where = f"{case.method.upper()} {case.operation.path} ({SETTINGS.mime_phase} phase, request {request}, " \
            f"accept {accept}) answered {response.status_code}"
    refused = response.status_code in (406, 415)
    if rule["status"] in (406, 415):
        require("CONTRACT-007", not 200 <= response.status_code < 300, f"{where}; expected {rule['status']}")
        return None
    require("CONTRACT-007", not refused, f"{where}; the phase serves this combination")
    if 200 <= response.status_code < 300:
        _check_success_media(operation, rule, response, where)
    return None


def _check_success_media(operation: dict[str, str], rule: dict[str, Any], response: Any, where: str) -> None:
    if response.content and operation["response_vendor_type"]:
        expected = operation["response_vendor_type"] if rule["response_type"] == "vendor" else "application/json"
        actual = _header(response, "content-type").split(";", 1)[0].strip()
        require("CONTRACT-007", expected == actual, f"{where} as {actual!r}; expected {expected!r}")
    deprecated = bool(_header(response, "deprecation"))
    require("CONTRACT-007", rule["deprecation"] == deprecated,
            f"{where} {'with' if deprecated else 'without'} a Deprecation header; expected "
            f"{'one' if rule['deprecation'] else 'none'}")


def _credentials_in(request: Any) -> set[str]:
    """The bearer token or the Basic secret the request itself presented."""
    authorization = str(request.headers.get("authorization", "") or "")
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer":
        return {value.strip()}
    if scheme.lower() == "basic":
        try:
            return {base64.b64decode(value.strip()).decode().partition(":")[2]}
        except (ValueError, UnicodeDecodeError):
            return set()
    return set()


def _scrubbed_body(response: Any, case: Any) -> str:
    """The body without the fields allowed to carry credentials (issued tokens, a generated client secret)."""
    text = response.text_lossy()
    allowed = TOKEN_FIELDS if dialect_of(case.operation.path) == "oauth2-error" else ()
    if case.operation.definition.raw.get("operationId") in CREATE_CLIENT and response.status_code == 201:
        allowed = ("secret",)
    if not allowed:
        return text
    try:
        body = response.json()
    except ValueError:
        return text
    if isinstance(body, dict):
        body = {key: value for key, value in body.items() if key not in allowed}
    return json.dumps(body)


@schemathesis.check
def no_secret_echoed(ctx: Any, response: Any, case: Any) -> bool | None:
    """CONTRACT-004. RFC 6749 §10.3: "Access token credentials [...] MUST be kept confidential in transit and
    storage"; §10.1: the authorization server "MUST NOT issue client passwords [...] to native application or
    user-agent-based clients". No body or header repeats the client secret or the bearer token of the request,
    except a token endpoint's issued tokens and the ``secret`` a client create generated (assumed)."""
    secrets = {s for s in (*SETTINGS.secrets, *_credentials_in(response.request)) if len(s) >= MIN_SECRET_LENGTH}
    body = _scrubbed_body(response, case)
    headers = " ".join(f"{k}: {v}" for k, v in response.headers.items())
    where = f"{case.method.upper()} {case.operation.path} ({response.status_code})"
    for secret in secrets:
        require("CONTRACT-004", secret not in body, f"{where}: the response body repeats a credential")
        require("CONTRACT-004", secret not in headers, f"{where}: a response header repeats a credential")
    return None
