"""The bootstrap OAuth 2.0 client: TENANT_ADMIN, scope ``admin``, grant ``client_credentials``.

Created at start when missing; kept across restarts of a file-backed store. When a secret is given (flag or
environment) it becomes the client's secret; otherwise an existing client keeps its secret and a new one gets a
generated secret, which ``generated_secret`` exposes so the CLI can print it once. Its resource has every field of a
vendor client (S1 BrokerOAuth2ClientMedia), like the clients created through /acs/broker/oauth2-clients.
"""

from __future__ import annotations

import secrets
from typing import Any

from conformance.emulator.acs.resource import new_resource
from conformance.emulator.core.clients import get_client, hash_secret, insert_client
from conformance.emulator.core.context import Context

DEFAULT_TTL_MINUTES = 60
REFRESH_TTL_MINUTES = 525600


def bootstrap_resource(client_id: str) -> dict[str, Any]:
    """The vendor resource of the bootstrap client."""
    return new_resource({
        "client_id": client_id, "grant_types": ["client_credentials"], "scope": ["admin"],
        "rule_set_names": ["TENANT_ADMIN"], "access_token_ttl": DEFAULT_TTL_MINUTES,
        "refresh_token_ttl": REFRESH_TTL_MINUTES, "refresh_token_idle_ttl": REFRESH_TTL_MINUTES,
    })


def ensure_bootstrap_client(ctx: Context) -> str | None:
    """Create or update the bootstrap client; returns the secret only when it was generated here."""
    client_id, given = ctx.settings.bootstrap_client_id, ctx.settings.bootstrap_client_secret
    existing = get_client(ctx.store, client_id)
    if existing is not None:
        if given and not existing.authenticates(given):
            with ctx.store.tx() as db:
                db.execute("UPDATE oauth2_clients SET secret_hash = ? WHERE client_id = ?",
                           (hash_secret(given), client_id))
        return None
    secret = given or secrets.token_urlsafe(24)
    with ctx.store.tx() as db:
        insert_client(db, bootstrap_resource(client_id), secret, ctx.clock.now())
    ctx.generated_secret = None if given else secret
    return ctx.generated_secret
