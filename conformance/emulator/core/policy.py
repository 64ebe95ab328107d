"""Authorization: which rule sets may call each bearer-protected operation (the access-policy matrix).

The matrix is data, one row per operation: ``(operation id, method, path template, allowed)`` with allowed rule
sets abbreviated T = TENANT_ADMIN, R = READ_ONLY_TENANT_ADMIN, I = IDP_AND_DIRECTORY_ADMIN. It is the emulator's own
copy of ``specs/access-policy.toml``; a unit test checks that both agree row by row. Directory sync tokens carry no
rule set: they may call the SCIM operations only (for their own directory; the SCIM family enforces that).
"""

from __future__ import annotations

from conformance.emulator.core import known_faults as faults
from conformance.emulator.core.context import Context
from conformance.emulator.core.errors import AdminError, ApiError, Dialect, ScimError
from conformance.emulator.core.tokens import Principal

RULE_SETS = {"T": "TENANT_ADMIN", "R": "READ_ONLY_TENANT_ADMIN", "I": "IDP_AND_DIRECTORY_ADMIN"}

MATRIX: tuple[tuple[str, str, str, str], ...] = (
    ("oauth2-clients.yaml#getAllOAuth2ClientSummaries", "GET", "/acs/broker/oauth2-clients", "TR"),
    ("oauth2-clients.yaml#createNewOAuth2Client", "POST", "/acs/broker/oauth2-clients", "T"),
    ("oauth2-clients.yaml#getOAuth2ClientById", "GET", "/acs/broker/oauth2-clients/{id}", "TR"),
    ("oauth2-clients.yaml#patchOAuth2ClientById", "PATCH", "/acs/broker/oauth2-clients/{id}", "T"),
    ("oauth2-clients.yaml#rotateSecretForOAuth2ClientById", "POST", "/acs/broker/oauth2-clients/{id}", "T"),
    ("oauth2-clients.yaml#deleteOAuth2ClientById", "DELETE", "/acs/broker/oauth2-clients/{id}", "T"),
    ("directories.yaml#getAllDirectories", "GET", "/usergroup/broker/directories", "TRI"),
    ("directories.yaml#createNewDirectory", "POST", "/usergroup/broker/directories", "TI"),
    ("directories.yaml#getDirectoryById", "GET", "/usergroup/broker/directories/{id}", "TRI"),
    ("directories.yaml#patchDirectoryById", "PATCH", "/usergroup/broker/directories/{id}", "TI"),
    ("directories.yaml#deleteDirectoryById", "DELETE", "/usergroup/broker/directories/{id}", "TI"),
    ("directories.yaml#getDirectorySyncClientById", "GET", "/usergroup/broker/directories/{id}/sync-client", "TRI"),
    ("directories.yaml#generateCredentialsForSyncClient", "POST", "/usergroup/broker/directories/{id}/sync-client",
     "TI"),
    ("directories.yaml#getAllIdentityProviders", "GET", "/federation/broker/identity-providers", "TRI"),
    ("directories.yaml#createNewIdentityProvider", "POST", "/federation/broker/identity-providers", "TI"),
    ("directories.yaml#getIdentityProviderById", "GET", "/federation/broker/identity-providers/{idpId}", "TRI"),
    ("directories.yaml#patchIdentityProviderById", "PATCH", "/federation/broker/identity-providers/{idpId}", "TI"),
    ("directories.yaml#deleteIdentityProviderById", "DELETE", "/federation/broker/identity-providers/{idpId}", "TI"),
    ("scim.yaml#getUserSearch", "GET", "/usergroup/scim/v2/Users", "TRI"),
    ("scim.yaml#createUser", "POST", "/usergroup/scim/v2/Users", "TI"),
    ("scim.yaml#getUser", "GET", "/usergroup/scim/v2/Users/{id}", "TRI"),
    ("scim.yaml#putUser", "PUT", "/usergroup/scim/v2/Users/{id}", "TI"),
    ("scim.yaml#patchUser", "PATCH", "/usergroup/scim/v2/Users/{id}", "TI"),
    ("scim.yaml#deleteUser", "DELETE", "/usergroup/scim/v2/Users/{id}", "TI"),
    ("scim.yaml#postUserSearch", "POST", "/usergroup/scim/v2/Users/.search", "TI"),
    ("scim.yaml#searchGroups", "GET", "/usergroup/scim/v2/Groups", "TRI"),
    ("scim.yaml#createGroup", "POST", "/usergroup/scim/v2/Groups", "TI"),
    ("scim.yaml#getGroup", "GET", "/usergroup/scim/v2/Groups/{id}", "TRI"),
    ("scim.yaml#putGroup", "PUT", "/usergroup/scim/v2/Groups/{id}", "TI"),
    ("scim.yaml#patchGroup", "PATCH", "/usergroup/scim/v2/Groups/{id}", "TI"),
    ("scim.yaml#deleteGroup", "DELETE", "/usergroup/scim/v2/Groups/{id}", "TI"),
    ("scim.yaml#postGroupsSearch", "POST", "/usergroup/scim/v2/Groups/.search", "TI"),
    ("scim.yaml#getMe", "GET", "/usergroup/scim/v2/Me", "TRI"),
    ("scim.yaml#getServiceProviderConfig", "GET", "/usergroup/scim/v2/ServiceProviderConfig", "TRI"),
    ("scim.yaml#getResourceTypes", "GET", "/usergroup/scim/v2/ResourceTypes", "TRI"),
    ("scim.yaml#getResourceType", "GET", "/usergroup/scim/v2/ResourceTypes/{id}", "TRI"),
    ("scim.yaml#getSchemas", "GET", "/usergroup/scim/v2/Schemas", "TRI"),
    ("scim.yaml#getSchema", "GET", "/usergroup/scim/v2/Schemas/{id}", "TRI"),
)

ALLOWED: dict[str, frozenset[str]] = {op: frozenset(RULE_SETS[c] for c in codes) for op, _, _, codes in MATRIX}
FLIPPED_CELL = ("directories.yaml#patchDirectoryById", "READ_ONLY_TENANT_ADMIN")  # fault rule-set-matrix-off


def allowed_rule_sets(ctx: Context, operation_id: str) -> frozenset[str]:
    """The rule sets allowed to call ``operation_id`` (KeyError for an operation outside the matrix)."""
    allowed = ALLOWED[operation_id]
    if ctx.faults.on(faults.RULE_SET_MATRIX_OFF) and operation_id == FLIPPED_CELL[0]:
        allowed = allowed | {FLIPPED_CELL[1]}
    return allowed


def authorize(ctx: Context, principal: Principal, operation_id: str, dialect: Dialect) -> None:
    """Raise 403 in ``dialect`` unless the principal may call the operation."""
    if principal.directory_id is not None:
        permitted = operation_id.startswith("scim.yaml#")
    else:
        permitted = bool(principal.rule_sets & allowed_rule_sets(ctx, operation_id))
    if not permitted:
        raise forbidden(dialect)


def forbidden(dialect: Dialect, detail: str = "The client's rule sets do not allow this operation.") -> ApiError:
    """403 in the given dialect."""
    if dialect is Dialect.SCIM:
        return ScimError(403, detail)
    return AdminError(403, "auth.forbidden", detail)
