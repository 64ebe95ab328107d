"""Faults of the /acs family: deliberate deviations in token issuance, revocation, discovery and client administration.

Each names the requirement IDs (specs/requirements/token.toml, clients.toml, errors.toml) whose tests must catch it.
"""

from __future__ import annotations

from conformance.emulator.core.faults import declare

FAMILY = "acs"

EXPIRES_IN_MINUTES = declare(
    "token-expires-in-minutes", FAMILY, ["TOKEN-004"],
    "expires_in is the client's access_token_ttl in minutes instead of seconds (the token itself lives ttl x 60 s)")
INVALID_CLIENT_400 = declare(
    "invalid-client-400", FAMILY, ["TOKEN-003"],
    "failed client authentication at /acs/token answers 400 invalid_client without a Basic challenge")
TOKEN_CACHE_CONTROL_MISSING = declare(
    "token-cache-control-missing", FAMILY, ["TOKEN-010"],
    "successful token responses carry neither Cache-Control: no-store nor Pragma: no-cache")
FORM_CREDENTIALS_IGNORED = declare(
    "token-form-credentials-ignored", FAMILY, ["TOKEN-002"],
    "client_id/client_secret in the form body are ignored (only HTTP Basic authenticates a client)")
REVOKE_FOREIGN_TOKEN = declare(
    "revoke-foreign-token", FAMILY, ["TOKEN-021"],
    "/acs/revoke revokes an access token issued to another client instead of refusing with 400")
JWKS_KID_MISMATCH = declare(
    "jwks-kid-mismatch", FAMILY, ["TOKEN-014", "TOKEN-013"],
    "the JWK set publishes the signing key under a kid different from the one in the token headers")
DISCOVERY_ISSUER_WRONG = declare(
    "discovery-issuer-wrong", FAMILY, ["TOKEN-015", "TOKEN-016"],
    "the discovery document's issuer lacks the /acs path the tokens' iss carries")
SECRET_ON_GET = declare(
    "client-secret-on-get", FAMILY, ["CLIENT-003"],
    "GET /acs/broker/oauth2-clients/{id} returns a secret field (the stored secret hash)")
START_INDEX_OFF_BY_ONE = declare(
    "client-start-index-off-by-one", FAMILY, ["CLIENT-010"],
    "the client list treats start_index as 0-based: start_index=1 answers the second page")
CONFLICT_CODE_MISSPELT = declare(
    "client-conflict-code-misspelt", FAMILY, ["CLIENT-005", "ERR-002"],
    "a duplicate client_id answers 409 with code oauth2.client.with.clientid.already.exists")
OLD_SECRET_KEPT = declare(
    "rotation-old-secret-kept", FAMILY, ["CLIENT-016"],
    "after retire-primary-secret the retired primary secret still authenticates the client")
RULE_SET_REMOVAL_KEEPS_TOKENS = declare(
    "rule-set-removal-keeps-tokens", FAMILY, ["TOKEN-024"],
    "removing a rule set from a client never revokes its tokens, whatever revoke_token_on_rule_set_removal says")
