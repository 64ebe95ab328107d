"""Client-credentials tokens for the suite: HTTP Basic at /acs/token, cached until shortly before expiry."""

from __future__ import annotations

import threading
import time

import httpx

from conformance.errors import ConfigError, TargetUnavailable
from conformance.target.client import TargetClient

TOKEN_PATH = "/acs/token"
EARLY_REFRESH_SECONDS = 30


class TokenSource:
    """Fetches and caches an access token for one OAuth2 client; every token is registered for redaction."""

    def __init__(self, client: TargetClient, client_id: str, client_secret: str, scope: str | None = None) -> None:
        self.client = client
        self.client_id = client_id
        self._secret = client_secret
        self.scope = scope
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires_at = 0.0
        client.redactor.register(client_secret)

    def token(self) -> str:
        """A valid access token, fetched again when the cached one is about to expire."""
        with self._lock:
            if self._token is None or time.monotonic() >= self._expires_at:
                self._token, lifetime = self._fetch()
                self._expires_at = time.monotonic() + max(lifetime - EARLY_REFRESH_SECONDS, 1)
            return self._token

    def invalidate(self) -> None:
        """Forget the cached token (after a 401, for example)."""
        with self._lock:
            self._token = None

    def _fetch(self) -> tuple[str, float]:
        form = {"grant_type": "client_credentials"}
        if self.scope:
            form["scope"] = self.scope
        response = self.client.post(TOKEN_PATH, data=form, auth=httpx.BasicAuth(self.client_id, self._secret))
        if response.status_code in (400, 401):
            raise ConfigError(f"the target rejected client {self.client_id!r} at {TOKEN_PATH} "
                              f"({response.status_code}); check --client-id/--client-secret")
        if response.status_code != 200:
            raise TargetUnavailable(f"{TOKEN_PATH} answered {response.status_code} for the suite's admin client")
        body = response.json()
        token = str(body["access_token"])
        self.client.redactor.register(token, body.get("refresh_token"))
        return token, float(body.get("expires_in") or 60)
