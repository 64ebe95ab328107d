"""Faults of the legacy /SAAS family: deliberate deviations in the token endpoint, SCIM 1.1 users and directories.

Each names the requirement IDs (specs/requirements/legacy.toml) whose tests must catch it.
"""

from __future__ import annotations

from conformance.emulator.core.faults import declare

FAMILY = "legacy"

QUERY_PARAMS_IGNORED = declare(
    "legacy-token-query-params-ignored", FAMILY, ["LEGACY-001"],
    "/SAAS/auth/oauthtoken reads its parameters from the form body only (?grant_type=... is ignored)")
MISSING_GRANT_TYPE_500 = declare(
    "legacy-missing-grant-type-500", FAMILY, ["LEGACY-003"],
    "a token request without grant_type answers 500 server_error, as the vendor documents, instead of 400")
FAMILY_NAME_OPTIONAL = declare(
    "legacy-family-name-optional", FAMILY, ["LEGACY-005", "LEGACY-011"],
    "a PROVISIONED user without name.familyName is created (one required attribute not enforced)")
EXTERNAL_ID_FILTER_BLIND = declare(
    "legacy-external-id-filter-blind", FAMILY, ["LEGACY-006"],
    "filter=externalId eq \"...\" matches no user (externalId is not searchable)")
DELETE_KEEPS_USER = declare(
    "legacy-delete-keeps-user", FAMILY, ["LEGACY-007"],
    "DELETE /scim/Users/{id} answers 204 but the user stays readable")
JIT_ACCEPTS_USERS = declare(
    "legacy-jit-accepts-users", FAMILY, ["LEGACY-009"],
    "users are created in a JIT directory's domain (the directory type check is skipped)")
DOMAIN_CHECK_SKIPPED = declare(
    "legacy-domain-check-skipped", FAMILY, ["LEGACY-010"],
    "a user whose domain belongs to no directory is created instead of refused (seed 003 check skipped)")
LOWERCASE_RESOURCES = declare(
    "legacy-lowercase-resources", FAMILY, ["LEGACY-012"],
    "SCIM 1.1 lists carry their members under 'resources' instead of 'Resources'")
ITEMS_PER_PAGE_TOTAL = declare(
    "legacy-items-per-page-total", FAMILY, ["LEGACY-012"],
    "itemsPerPage reports totalResults instead of the number of resources in the page")
LOCATION_MISSING = declare(
    "legacy-location-missing", FAMILY, ["LEGACY-014"],
    "201 Created for a legacy user carries no Location header")
