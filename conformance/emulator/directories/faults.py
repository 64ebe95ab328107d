"""Faults of the directories family: directories, sync clients and identity providers.

Each names the requirement(s) of specs/requirements/directories.toml whose tests must catch it.
"""

from __future__ import annotations

from conformance.emulator.core.faults import declare

FAMILY = "directories"

DUPLICATE_NAME_ACCEPTED = declare(
    "directory-duplicate-name-accepted", FAMILY, ["DIR-004"],
    "a second directory with an existing name is created (domains are still checked)")
DELETE_ANSWERS_204 = declare(
    "directory-delete-answers-204", FAMILY, ["DIR-005"],
    "DELETE of a directory answers 204 No Content instead of 202 Accepted")
LIST_SHOWS_DEFAULT_DOMAIN = declare(
    "directory-list-shows-default-domain", FAMILY, ["DIR-002"],
    "the directory list carries default_domain, which only the single-directory read may return")
PATCH_MERGES_ARRAYS = declare(
    "directory-patch-merges-arrays", FAMILY, ["DIR-003"],
    "PATCH adds the given domains to the existing ones instead of replacing the array wholesale")
UNKNOWN_DIRECTORY_400 = declare(
    "directory-unknown-answers-400", FAMILY, ["DIR-013"],
    "an unknown directory id is answered 400 request.field.invalid instead of 404")
OLD_SYNC_TOKEN_VALID = declare(
    "sync-old-token-valid", FAMILY, ["DIR-008"],
    "generating new sync-client credentials leaves the previously issued tokens valid")
OLD_SYNC_SECRET_VALID = declare(
    "sync-old-secret-valid", FAMILY, ["DIR-009"],
    "generating a new sync-client secret keeps the previous one as a second valid secret")
SYNC_TOKEN_TTL_IGNORED = declare(
    "sync-token-ttl-ignored", FAMILY, ["DIR-007"],
    "generated sync tokens always live the default six months, whatever token_ttl says")
IDP_DUPLICATE_NAME_ACCEPTED = declare(
    "idp-duplicate-name-accepted", FAMILY, ["IDP-003"],
    "a second identity provider with an existing idp_name is created")
IDP_ECHOES_CLIENT_SECRET = declare(
    "idp-echoes-client-secret", FAMILY, ["IDP-001"],
    "the 201 answer to creating an OIDC identity provider echoes oidc_profile.client_secret (as the vendor example "
    "does)")
