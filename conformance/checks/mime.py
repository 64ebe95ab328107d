"""The media-type phases of the admin APIs (KB 6000953) as data, and the checks of one exchange against them.

``specs/mime-phases.toml`` gives, per operation, its vendor request/response types, and per (phase, request kind,
Accept kind) the rule ``(status, response type, deprecation)``; "status 200" means the operation's own success
status, taken here from the operation's OpenAPI document. Request kinds: ``vendor | json | none``; Accept kinds:
``vendor | json | any (*/*) | missing``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

import httpx
import yaml

from conformance.checks.core import require
from conformance.checks.envelope import admin_error, error_code
from conformance.paths import spec_path

PHASES = ("legacy", "transition", "json")
REQUEST_KINDS = ("vendor", "json", "none")
ACCEPT_KINDS = ("vendor", "json", "any", "missing")
JSON = "application/json"
REFUSAL_CODES = {415: "request.media.type.unsupported", 406: "response.media.type.not.acceptable"}
_SF_DATE = re.compile(r"^@-?[0-9]{1,15}$")
_LINK = re.compile(r'<([^>]*)>((?:\s*;\s*[^;,"=\s]+\s*(?:=\s*(?:"[^"]*"|[^;,]*))?)*)')
_REL = re.compile(r'rel\s*=\s*(?:"([^"]*)"|([^;,\s]+))', re.IGNORECASE)


@dataclass(frozen=True)
class MediaOperation:
    """One admin operation of the table; an empty vendor type means that side has no body."""

    id: str
    method: str
    path: str
    request_vendor_type: str
    response_vendor_type: str

    def request_kinds(self) -> tuple[str, ...]:
        """The request kinds this operation can be sent with."""
        return ("vendor", "json") if self.request_vendor_type else ("none",)

    def accept_kinds(self) -> tuple[str, ...]:
        """The Accept kinds that exist for it (no vendor Accept when the success response has no body)."""
        return ACCEPT_KINDS if self.response_vendor_type else ("json", "any", "missing")


@dataclass(frozen=True)
class Expectation:
    """What the table predicts for one exchange: status, response type (vendor | json | ""), deprecation."""

    status: int
    response_type: str
    deprecated: bool

    @property
    def refused(self) -> bool:
        """415 or 406."""
        return self.status in REFUSAL_CODES


@dataclass(frozen=True)
class PhaseTable:
    """``specs/mime-phases.toml``."""

    operations: dict[str, MediaOperation]
    rules: dict[tuple[str, str, str], tuple[int, str, bool]]
    deprecation: str
    deprecation_link: str

    def expect(self, phase: str, operation: MediaOperation, request_kind: str, accept_kind: str) -> Expectation:
        """The table's rule for this exchange, with the operation's own success status and its no-body sides."""
        status, response_type, deprecated = self.rules[(phase, request_kind, accept_kind)]
        if status == 406 and not operation.response_vendor_type:
            status, response_type = 200, ""  # a bodiless success response is never refused with 406
        if status == 200:
            return Expectation(success_status(operation.id), response_type if operation.response_vendor_type else "",
                               deprecated)
        return Expectation(status, "", deprecated)


@cache
def phase_table() -> PhaseTable:
    """The table, loaded once."""
    with spec_path("mime-phases.toml").open("rb") as handle:
        data = tomllib.load(handle)
    operations = {row["id"]: MediaOperation(row["id"], row["method"], row["path"], row["request_vendor_type"],
                                            row["response_vendor_type"]) for row in data["operation"]}
    rules = {(r["phase"], r["request"], r["accept"]): (int(r["status"]), r["response_type"], bool(r["deprecation"]))
             for r in data["rule"]}
    return PhaseTable(operations, rules, str(data["deprecation"]), str(data["deprecation_link"]))


@cache
def _spec(name: str) -> dict[str, Any]:
    return dict(yaml.safe_load(spec_path(name).read_text()))


def operation_spec(operation_id: str) -> dict[str, Any]:
    """The OpenAPI operation object of ``spec.yaml#operationId``."""
    spec_name, operation = operation_id.split("#")
    for item in _spec(spec_name)["paths"].values():
        for details in item.values():
            if isinstance(details, dict) and details.get("operationId") == operation:
                return dict(details)
    raise KeyError(operation_id)


def success_status(operation_id: str) -> int:
    """The first 2xx status the operation's OpenAPI document declares (``createNewOAuth2Client`` -> 201)."""
    return min(int(code) for code in operation_spec(operation_id)["responses"] if str(code).startswith("2"))


def headers_for(operation: MediaOperation, request_kind: str, accept_kind: str) -> dict[str, str]:
    """Content-Type (when the request has a body) and Accept (``missing`` -> none) of one exchange."""
    headers = {}
    if request_kind != "none":
        headers["Content-Type"] = operation.request_vendor_type if request_kind == "vendor" else JSON
    accept = {"vendor": operation.response_vendor_type, "json": JSON, "any": "*/*"}.get(accept_kind)
    if accept:
        headers["Accept"] = accept
    return headers


def response_kind(response: httpx.Response, operation: MediaOperation) -> str:
    """``vendor`` | ``json`` | ``""`` (no Content-Type) | the media type itself when it is neither."""
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if operation.response_vendor_type and media_type == operation.response_vendor_type.lower():
        return "vendor"
    return "json" if media_type == JSON else media_type


def phases_matching(table: PhaseTable, operation: MediaOperation, answers: dict[str, httpx.Response],
                    strict: bool = True) -> list[str]:
    """The phases whose rules predict ``answers`` ({accept kind: response to a bodiless request}): the status class
    and, when ``strict``, the media type. Deprecation is left to MIME-003 so a missing header cannot hide the
    phase; the statuses alone still tell the three phases apart."""
    def fits(phase: str) -> bool:
        for accept_kind, response in answers.items():
            expected = table.expect(phase, operation, "none", accept_kind)
            if expected.refused:
                if response.status_code != expected.status:
                    return False
            elif not response.is_success or (strict and response_kind(response, operation) != expected.response_type):
                return False
        return True

    return [phase for phase in PHASES if fits(phase)]


def exchange(response: httpx.Response, operation: MediaOperation, expected: Expectation) -> None:
    """The table's rule for this exchange: status (MIME-001), refusal envelope and code (MIME-007), response
    Content-Type (MIME-002), Deprecation (MIME-003) and its Link (MIME-004)."""
    require("MIME-001", expected.status == response.status_code,
            f"expected {expected.status}, got {response.status_code}", response)
    if expected.refused:
        admin_error("MIME-007", response, expected.status)
        error_code("MIME-007", response, expected.status, REFUSAL_CODES[expected.status])
    elif expected.response_type:
        kind = response_kind(response, operation)
        require("MIME-002", expected.response_type == kind,
                f"expected a {expected.response_type} Content-Type, got {response.headers.get('content-type')!r}",
                response)
    deprecation(response, expected.deprecated)


def deprecation(response: httpx.Response, deprecated: bool) -> None:
    """RFC 9745 §2.1: "The Deprecation response header field [...] is an Item Structured Header Field; its value MUST
    be a Date" (``@<epoch>``), here the table's date, on deprecated exchanges only (MIME-003); §3: "Link:
    <https://developer.example.com/deprecation>; rel="deprecation"; type="text/html"" to the KB (MIME-004)."""
    table, value = phase_table(), response.headers.get("deprecation")
    if not deprecated:
        require("MIME-003", value is None, f"a non-deprecated exchange carries Deprecation: {value}", response)
        return
    require("MIME-003", value is not None and bool(_SF_DATE.match(value.strip())),
            f"expected Deprecation: @<epoch>, got {value!r}", response)
    require("MIME-003", table.deprecation == (value or "").strip(),
            f"expected Deprecation: {table.deprecation}, got {value!r}", response)
    targets = deprecation_links(response)
    require("MIME-004", table.deprecation_link in targets,
            f"expected Link <{table.deprecation_link}>; rel=\"deprecation\", got {targets}", response)


def deprecation_links(response: httpx.Response) -> list[str]:
    """Targets of the RFC 8288 links whose ``rel`` includes ``deprecation``."""
    targets = []
    for value in response.headers.get_list("link"):
        for target, params in _LINK.findall(value):
            rel = _REL.search(params)
            relations = (rel.group(1) or rel.group(2)).lower().split() if rel else []
            if "deprecation" in relations:
                targets.append(target.strip())
    return targets
