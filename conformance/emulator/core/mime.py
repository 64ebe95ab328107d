"""Media-type phases of the admin APIs (KB 6000953: vendor ``application/vnd.vmware.*+json`` -> ``application/json``).

The emulator's own copy of ``specs/mime-phases.toml`` (a unit test checks both agree): per operation, its vendor
request and response types ("" when that side has no body); per (phase, request kind, accept kind) the outcome
``(status, response type, deprecation)`` where status 200 means "the operation's own success status".
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from conformance.emulator.core import known_faults as faults
from conformance.emulator.core.context import Context
from conformance.emulator.core.errors import AdminError

JSON = "application/json"
DEPRECATION = "@1751241600"
DEPRECATION_LINK = '<https://kb.omnissa.com/s/article/6000953>; rel="deprecation"; type="text/html"'

VENDOR_TYPES: dict[str, tuple[str, str]] = {
    "oauth2-clients.yaml#getAllOAuth2ClientSummaries": (
        "",
        "application/vnd.vmware.horizon.manager.accesscontrol.broker.oauth2client.list+json",
    ),
    "oauth2-clients.yaml#createNewOAuth2Client": (
        "application/vnd.vmware.horizon.manager.accesscontrol.broker.oauth2client.with.rule.sets+json",
        "application/vnd.vmware.horizon.manager.accesscontrol.broker.oauth2client.with.rule.sets+json",
    ),
    "oauth2-clients.yaml#getOAuth2ClientById": (
        "",
        "application/vnd.vmware.horizon.manager.accesscontrol.broker.oauth2client.with.rule.sets+json",
    ),
    "oauth2-clients.yaml#patchOAuth2ClientById": (
        "application/vnd.vmware.horizon.manager.accesscontrol.broker.oauth2client.with.rule.sets+json",
        "application/vnd.vmware.horizon.manager.accesscontrol.broker.oauth2client.with.rule.sets+json",
    ),
    "oauth2-clients.yaml#rotateSecretForOAuth2ClientById": (
        "application/vnd.vmware.horizon.manager.accesscontrol.broker.oauth2client.secret.rotation+json",
        "",
    ),
    "oauth2-clients.yaml#deleteOAuth2ClientById": ("", ""),
    "directories.yaml#getAllDirectories": ("", "application/vnd.vmware.vidm.usergroup.broker.directory.list+json"),
    "directories.yaml#createNewDirectory": (
        "application/vnd.vmware.vidm.usergroup.broker.directory+json",
        "application/vnd.vmware.vidm.usergroup.broker.directory+json",
    ),
    "directories.yaml#getDirectoryById": ("", "application/vnd.vmware.vidm.usergroup.broker.directory+json"),
    "directories.yaml#patchDirectoryById": (
        "application/vnd.vmware.vidm.usergroup.broker.directory+json",
        "application/vnd.vmware.vidm.usergroup.broker.directory+json",
    ),
    "directories.yaml#deleteDirectoryById": ("", ""),
    "directories.yaml#getDirectorySyncClientById": (
        "",
        "application/vnd.vmware.vidm.usergroup.broker.directory.syncclientconfiguration+json",
    ),
    "directories.yaml#generateCredentialsForSyncClient": (
        "application/vnd.vmware.vidm.usergroup.broker.directory.syncclientconfiguration+json",
        "application/vnd.vmware.vidm.usergroup.broker.directory.syncclientconfiguration+json",
    ),
    "directories.yaml#getAllIdentityProviders": (
        "",
        "application/vnd.vmware.vidm.federation.broker.identityprovider.list+json",
    ),
    "directories.yaml#createNewIdentityProvider": (
        "application/vnd.vmware.vidm.federation.broker.identityprovider+json",
        "application/vnd.vmware.vidm.federation.broker.identityprovider+json",
    ),
    "directories.yaml#getIdentityProviderById": (
        "",
        "application/vnd.vmware.vidm.federation.broker.identityprovider+json",
    ),
    "directories.yaml#patchIdentityProviderById": (
        "application/vnd.vmware.vidm.federation.broker.identityprovider+json",
        "application/vnd.vmware.vidm.federation.broker.identityprovider+json",
    ),
    "directories.yaml#deleteIdentityProviderById": ("", ""),
}

RULES: dict[tuple[str, str, str], tuple[int, str, bool]] = {
    ("legacy", "vendor", "vendor"): (200, "vendor", False),
    ("legacy", "vendor", "json"): (406, "", False),
    ("legacy", "vendor", "any"): (200, "vendor", False),
    ("legacy", "vendor", "missing"): (200, "vendor", False),
    ("legacy", "json", "vendor"): (415, "", False),
    ("legacy", "json", "json"): (415, "", False),
    ("legacy", "json", "any"): (415, "", False),
    ("legacy", "json", "missing"): (415, "", False),
    ("legacy", "none", "vendor"): (200, "vendor", False),
    ("legacy", "none", "json"): (406, "", False),
    ("legacy", "none", "any"): (200, "vendor", False),
    ("legacy", "none", "missing"): (200, "vendor", False),
    ("transition", "vendor", "vendor"): (200, "vendor", True),
    ("transition", "vendor", "json"): (200, "json", True),
    ("transition", "vendor", "any"): (200, "vendor", True),
    ("transition", "vendor", "missing"): (200, "vendor", True),
    ("transition", "json", "vendor"): (200, "vendor", True),
    ("transition", "json", "json"): (200, "json", False),
    ("transition", "json", "any"): (200, "json", False),
    ("transition", "json", "missing"): (200, "json", False),
    ("transition", "none", "vendor"): (200, "vendor", True),
    ("transition", "none", "json"): (200, "json", False),
    ("transition", "none", "any"): (200, "json", False),
    ("transition", "none", "missing"): (200, "json", False),
    ("json", "vendor", "vendor"): (415, "", False),
    ("json", "vendor", "json"): (415, "", False),
    ("json", "vendor", "any"): (415, "", False),
    ("json", "vendor", "missing"): (415, "", False),
    ("json", "json", "vendor"): (406, "", False),
    ("json", "json", "json"): (200, "json", False),
    ("json", "json", "any"): (200, "json", False),
    ("json", "json", "missing"): (200, "json", False),
    ("json", "none", "vendor"): (406, "", False),
    ("json", "none", "json"): (200, "json", False),
    ("json", "none", "any"): (200, "json", False),
    ("json", "none", "missing"): (200, "json", False),
}


@dataclass(frozen=True)
class Negotiation:
    """What the phase decided for one request: the response Content-Type and whether it is deprecated."""

    content_type: str
    deprecated: bool

    def headers(self, ctx: Context) -> dict[str, str]:
        """``Content-Type`` plus, for a deprecated exchange, ``Deprecation`` (RFC 9745) and its ``Link``."""
        headers = {"Content-Type": self.content_type}
        if self.deprecated and not ctx.faults.on(faults.DEPRECATION_HEADER_MISSING):
            headers.update({"Deprecation": DEPRECATION, "Link": DEPRECATION_LINK})
        return headers


def _media_type(value: str) -> str:
    return value.split(";", 1)[0].strip().lower()


def request_kind(request: Request, vendor: str, has_body: bool) -> str | None:
    """``vendor`` | ``json`` | ``none``; None for any other Content-Type (always 415)."""
    if not has_body:
        return "none"
    content_type = _media_type(request.headers.get("content-type", ""))
    if vendor and content_type == vendor.lower():
        return "vendor"
    return "json" if content_type == JSON else None


def accept_kind(request: Request, vendor: str) -> str | None:
    """``vendor`` | ``json`` | ``any`` | ``missing``, taking the first acceptable entry; None if nothing fits."""
    header = request.headers.get("accept", "").strip()
    if not header:
        return "missing"
    for entry in header.split(","):
        media_type = _media_type(entry)
        if vendor and media_type == vendor.lower():
            return "vendor"
        if media_type == JSON:
            return "json"
        if media_type in ("*/*", "application/*"):
            return "any"
    return None


def negotiate(ctx: Context, request: Request, operation_id: str, has_body: bool) -> Negotiation:
    """Apply the phase table to one request; 415/406 ``AdminError`` when the phase refuses it."""
    request_vendor, response_vendor = VENDOR_TYPES[operation_id]
    kind = request_kind(request, request_vendor, has_body)
    if kind is None:
        raise _unsupported(request)
    accept = accept_kind(request, response_vendor) if response_vendor else "missing"
    if accept is None:
        raise _not_acceptable(request)
    status, response_type, deprecated = RULES[(ctx.settings.mime_phase, kind, accept)]
    if kind == "vendor" and ctx.faults.on(faults.VENDOR_REJECTED_IN_TRANSITION):
        status = 415 if ctx.settings.mime_phase == "transition" else status
    if status == 415:
        raise _unsupported(request)
    if status == 406 and response_vendor:
        raise _not_acceptable(request)
    use_vendor = response_type == "vendor" or (response_type == "json" and ctx.faults.on(
        faults.JSON_ANSWERED_WITH_VENDOR))
    return Negotiation(response_vendor if use_vendor and response_vendor else JSON, deprecated)


def _unsupported(request: Request) -> AdminError:
    content_type = request.headers.get("content-type", "")
    return AdminError(415, "request.media.type.unsupported", parameters={"content_type": content_type})


def _not_acceptable(request: Request) -> AdminError:
    return AdminError(406, "response.media.type.not.acceptable", parameters={"accept": request.headers.get("accept")})
