"""Faults of the SCIM 2.0 family: each one breaks one rule of RFC 7643/7644 or of the Okta/Entra tolerance.

Requirement IDs name the catalogue entries (specs/requirements/scim.toml) whose tests must catch the fault.
"""

from __future__ import annotations

from conformance.emulator.core.faults import declare

FAMILY = "scim"

FILTER_CO_IGNORED = declare(
    "scim-filter-co-ignored", FAMILY, ["SCIM-008"],
    "a top-level 'co' comparison in a filter matches every resource (the operator is ignored)")
PAGING_OFF_BY_ONE = declare(
    "scim-paging-off-by-one", FAMILY, ["SCIM-015", "SCIM-014"],
    "startIndex is read as a 0-based offset, so every page skips the first resource of its window")
TOTAL_RESULTS_PAGE_ONLY = declare(
    "scim-total-results-page-only", FAMILY, ["SCIM-015", "SCIM-014"],
    "totalResults counts only the resources of the returned page instead of every match")
PATCH_REMOVE_IGNORED = declare(
    "scim-patch-remove-ignored", FAMILY, ["SCIM-018", "SCIM-021", "SCIM-036"],
    "PATCH 'remove' operations answer success but change nothing")
ETAG_UNCHANGED = declare(
    "scim-etag-unchanged", FAMILY, ["SCIM-022"],
    "the version (ETag, meta.version) is not bumped when a resource is modified")
IF_MATCH_IGNORED = declare(
    "scim-if-match-ignored", FAMILY, ["SCIM-022"],
    "If-Match is not evaluated: a stale ETag on PUT/PATCH/DELETE still applies the change")
USERNAME_CASE_SENSITIVE = declare(
    "scim-username-case-sensitive", FAMILY, ["SCIM-024", "SCIM-011"],
    "userName is treated as caseExact: 'BJensen' and 'bjensen' are two different users")
DELETED_USER_READABLE = declare(
    "scim-deleted-user-readable", FAMILY, ["SCIM-007"],
    "DELETE /Users/{id} answers 204 but only hides the User from lists; GET/PUT/DELETE by id still find it")
MEMBER_KEPT_ON_USER_DELETE = declare(
    "scim-member-kept-on-user-delete", FAMILY, ["SCIM-037"],
    "deleting a User leaves it in the members of every Group it belonged to")
ENTRA_STRING_FALSE_REJECTED = declare(
    "scim-entra-string-false-rejected", FAMILY, ["SCIM-035"],
    'a PATCH giving a Boolean as a string (Entra\'s "False") answers 400 invalidValue')
LOCATION_HEADER_MISSING = declare(
    "scim-location-header-missing", FAMILY, ["SCIM-002"],
    "201 Created answers carry no Location header (meta.location is still in the body)")
CONFLICT_WITHOUT_SCIM_TYPE = declare(
    "scim-conflict-without-scimtype", FAMILY, ["SCIM-023", "SCIM-024"],
    "409 uniqueness errors carry no scimType")
EXCLUDED_ATTRIBUTES_IGNORED = declare(
    "scim-excluded-attributes-ignored", FAMILY, ["SCIM-017"],
    "the excludedAttributes parameter is ignored (attributes still works)")
SORT_ORDER_IGNORED = declare(
    "scim-sort-order-ignored", FAMILY, ["SCIM-016"],
    "sortOrder=descending is ignored: results are always sorted ascending")
