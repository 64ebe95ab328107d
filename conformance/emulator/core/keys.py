"""The tenant's RS256 signing key: generated once, persisted in the store, published at /acs/jwks."""

from __future__ import annotations

import secrets
from typing import Any

from joserfc import jwt
from joserfc.jwk import RSAKey

from conformance.emulator.core.store import Store

DDL = """
CREATE TABLE IF NOT EXISTS signing_keys (
    kid TEXT PRIMARY KEY,
    pem TEXT NOT NULL,
    created REAL NOT NULL
);
"""
ALGORITHM = "RS256"
VERIFIED_CACHE = 4096


class SigningKey:
    """Signs access tokens and verifies them; the same key survives a restart of a file-backed store."""

    def __init__(self, store: Store, now: float) -> None:
        store.migrate(DDL)
        with store.tx() as db:
            row = db.execute("SELECT kid, pem FROM signing_keys ORDER BY created LIMIT 1").fetchone()
            if row is None:
                kid = str(1_000_000_000 + secrets.randbelow(9_000_000_000))  # numeric, as the vendor serves it
                key = RSAKey.generate_key(2048, parameters={"kid": kid})
                db.execute("INSERT INTO signing_keys VALUES (?, ?, ?)",
                           (kid, key.as_pem(private=True).decode(), now))
                row = (kid, key.as_pem(private=True).decode())
        self.kid: str = row[0]
        self._key = RSAKey.import_key(row[1], parameters={"kid": self.kid})
        self._verified: dict[str, dict[str, Any]] = {}

    def sign(self, claims: dict[str, Any]) -> str:
        """A compact JWS of ``claims`` with ``alg: RS256`` and this key's ``kid``."""
        return jwt.encode({"alg": ALGORITHM, "typ": "JWT", "kid": self.kid}, claims, self._key)

    def verify(self, token: str) -> dict[str, Any]:
        """The claims of a token signed by this key with RS256; raises ``ValueError`` otherwise.

        A token's signature under this key never changes, so verified tokens are remembered (the last
        ``VERIFIED_CACHE`` of them); expiry, revocation and the client's generation are checked per request by
        ``core.tokens`` regardless.
        """
        cached = self._verified.get(token)
        if cached is not None:
            return dict(cached)
        claims = self._verify(token)
        if len(self._verified) >= VERIFIED_CACHE:
            self._verified.pop(next(iter(self._verified)))
        self._verified[token] = claims
        return dict(claims)

    def _verify(self, token: str) -> dict[str, Any]:
        try:
            decoded = jwt.decode(token, self._key, algorithms=[ALGORITHM])
        except Exception as exc:  # joserfc raises several unrelated types for bad input
            raise ValueError(f"signature or format invalid: {type(exc).__name__}") from None
        if decoded.header.get("kid") != self.kid:
            raise ValueError("unknown key id")
        return dict(decoded.claims)

    def jwks(self) -> dict[str, Any]:
        """The public JWK set (RFC 7517)."""
        public = self._key.as_dict(private=False)
        return {"keys": [{**public, "kid": self.kid, "use": "sig", "alg": ALGORITHM}]}
