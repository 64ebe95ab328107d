"""The SCIM resource models (scim2-models), the tolerance policy, and the mapping of their errors to SCIM errors.

scim2-models validates payloads per operation context (RFC 7644 §3.2), applies PATCH (RFC 7644 §3.5.2) and PUT
(RFC 7644 §3.5.1) semantics, parses and evaluates filters (RFC 7644 §3.4.2.2) and dumps with ``attributes`` /
``excludedAttributes`` (RFC 7644 §3.9). Local adjustments: e-mail values are plain strings (the service does not
refuse ``.test`` or other reserved domains), the enterprise manager's ``value``/``$ref`` are optional (RFC 7643
§4.3 says RECOMMENDED), and the policy accepts what Microsoft Entra ID sends (remove with a value list, replace on
a valuePath that matches nothing creates the entry; attributes nobody declares are dropped from POST/PUT bodies).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any, TypeVar
from unicodedata import normalize

import scim2_models as sm
from pydantic import Field, ValidationError
from scim2_models.resources.enterprise_user import Manager as _Manager
from scim2_models.resources.user import Email as _Email

from conformance.emulator.core.errors import ScimError

PATCH_OP_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
SEARCH_URN = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

POLICY = sm.ScimPolicy(remove_value_as_filter=sm.ScimPolicy.RemoveValue.apply,
                       unmatched_path_filter=sm.ScimPolicy.UnmatchedPathFilter.create)
# POST/PUT bodies: attributes no schema declares are dropped (the contract allows additional properties; clients
# such as Entra send attributes of their own); PATCH keeps POLICY, where an unknown path is 400 invalidPath.
BODY_POLICY = POLICY.model_copy(update={"unknown": sm.ScimPolicy.Unknown.ignore})

T = TypeVar("T")


class Email(_Email):
    """An e-mail entry whose value is any string (RFC 7643 §4.1.2 asks for no address validation)."""

    value: str | None = None  # type: ignore[assignment]


class User(sm.User[Any]):
    """The core User (RFC 7643 §4.1) with lenient e-mail values."""

    emails: list[Email] | None = None  # type: ignore[assignment]


class Manager(_Manager):
    """The enterprise manager; RFC 7643 §4.3 makes its ``value`` and ``$ref`` RECOMMENDED, not required."""

    value: Annotated[str | None, sm.Required.false, sm.CaseExact.true] = None  # type: ignore[assignment]
    ref: Annotated[sm.Reference[User] | None, sm.Required.false] = Field(  # type: ignore[assignment]
        None, serialization_alias="$ref", validation_alias="$ref")


class EnterpriseUser(sm.EnterpriseUser):
    """The enterprise User extension (RFC 7643 §4.3) with the RFC's optional manager sub-attributes."""

    manager: Manager | None = None  # type: ignore[assignment]


UserModel: Any = User[EnterpriseUser]
GroupModel: Any = sm.Group


@dataclass(frozen=True)
class Kind:
    """One resource type the service serves."""

    name: str
    endpoint: str
    table: str
    core_urn: str
    model: Any
    related: str  # "groups" for Users (read-only, derived), "members" for Groups

    @property
    def extension_urns(self) -> frozenset[str]:
        """The lower-cased schema URNs of the extensions the resource type accepts."""
        return frozenset(urn.lower() for urn in self.model.get_extension_models())

    @cached_property
    def search_request(self) -> Any:
        """``SearchRequest[model]`` (parameterised once: pydantic builds a class per parameterisation)."""
        return sm.SearchRequest[self.model]

    @cached_property
    def response_parameters(self) -> Any:
        """``ResponseParameters[model]``."""
        return sm.ResponseParameters[self.model]

    @cached_property
    def patch_op(self) -> Any:
        """``PatchOp[model]``."""
        return sm.PatchOp[self.model]

    @cached_property
    def scim_filter(self) -> Any:
        """``ScimFilter[model]``."""
        return sm.ScimFilter[self.model]


USERS = Kind("User", "Users", "scim_users", USER_URN, UserModel, "groups")
GROUPS = Kind("Group", "Groups", "scim_groups", GROUP_URN, GroupModel, "members")


def fold(value: str) -> str:
    """The comparison form of a caseExact=false string (NFC, lower case), as scim2-models compares it."""
    return normalize("NFC", normalize("NFC", value).lower())


def error_of(exc: Exception) -> ScimError:
    """The SCIM error of a scim2-models exception or a pydantic validation error."""
    if isinstance(exc, ValidationError):
        errors = sm.Error.from_validation_errors(exc)
        error = errors[0] if errors else sm.Error(status=400, scim_type="invalidValue", detail=str(exc))
    elif isinstance(exc, sm.SCIMException):
        error = exc.to_error()
    else:
        raise exc
    return ScimError(int(error.status or 400), error.detail or "Invalid request.", error.scim_type or None)


def guarded(action: Callable[[], T]) -> T:
    """Run ``action``; scim2-models and pydantic errors come out as ``ScimError``."""
    try:
        return action()
    except (ValidationError, sm.SCIMException) as exc:
        raise error_of(exc) from None


def require_object(body: Any, what: str) -> dict[str, Any]:
    """The request body as a JSON object, or 400 invalidSyntax."""
    if body is None:
        raise ScimError(400, f"The request body must hold a {what}.", "invalidSyntax")
    if not isinstance(body, dict):
        raise ScimError(400, f"The request body must be a JSON object holding a {what}.", "invalidSyntax")
    return body


def require_schemas(body: dict[str, Any], urn: str) -> None:
    """``schemas`` is present (400 invalidValue) and lists ``urn`` (400 invalidSyntax)."""
    schemas = body.get("schemas")
    if schemas is None or schemas == []:
        raise ScimError(400, f"The required attribute 'schemas' is missing; it must list {urn}.", "invalidValue")
    if not isinstance(schemas, list) or not all(isinstance(item, str) for item in schemas):
        raise ScimError(400, "'schemas' must be an array of schema URIs.", "invalidSyntax")
    if urn.lower() not in {item.lower() for item in schemas}:
        raise ScimError(400, f"'schemas' must contain {urn}.", "invalidSyntax")


def resource_payload(kind: Kind, body: Any) -> dict[str, Any]:
    """A User/Group request body checked for ``schemas``; schema URNs of unknown extensions are dropped, like
    their attributes (Entra lists its ADSCIM Group schema without sending any attribute of it)."""
    payload = dict(require_object(body, kind.name))
    require_schemas(payload, kind.core_urn)
    known = kind.extension_urns | {kind.core_urn.lower()}
    payload["schemas"] = [urn for urn in payload["schemas"] if urn.lower() in known]
    return payload


def validate(kind: Kind, payload: dict[str, Any], scim_ctx: sm.Context) -> Any:
    """The resource model of a request payload, validated for ``scim_ctx``."""
    model = guarded(lambda: kind.model.model_validate(payload, scim_ctx=scim_ctx, scim_policy=BODY_POLICY))
    if kind is GROUPS and not (model.display_name or "").strip():
        raise ScimError(400, "displayName must not be empty.", "invalidValue")
    return model


def patch_op(kind: Kind, body: Any) -> Any:
    """The validated PatchOp message of a PATCH request."""
    payload = require_object(body, "PatchOp message")
    require_schemas(payload, PATCH_OP_URN)
    return guarded(lambda: kind.patch_op.model_validate(
        payload, scim_ctx=sm.Context.RESOURCE_PATCH_REQUEST, scim_policy=POLICY))


def stored(model: Any) -> dict[str, Any]:
    """The attributes to store: everything but id, meta, the never-returned password and derived lists."""
    data = model.model_dump(scim_ctx=sm.Context.DEFAULT)
    for key in ("id", "meta", "password", "groups", "members"):
        data.pop(key, None)
    return dict(data)
