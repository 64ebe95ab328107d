"""Client-credentials tokens for the suite: HTTP Basic at /acs/token, cached until shortly before expiry."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx

from conformance.errors import ConfigError, TargetUnavailable
from conformance.target.client import TargetClient

TOKEN_PATH = "/acs/token"
EARLY_REFRESH_SECONDS = 30
UNAVAILABLE_COOLDOWN_SECONDS = 30.0
"""After the token endpoint was unavailable (past the client's retries), ask again only after this long: a
teardown right after the failure must not hammer a target that is already struggling."""


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
        self._unavailable: tuple[float, TargetUnavailable] | None = None
        client.redactor.register(client_secret)

    def token(self) -> str:
        """A valid access token, fetched again when the cached one is about to expire."""
        with self._lock:
            if self._token is None or time.monotonic() >= self._expires_at:
                self._token, lifetime = self._fetch_unless_down()
                self._expires_at = time.monotonic() + max(lifetime - EARLY_REFRESH_SECONDS, 1)
            return self._token

    def _fetch_unless_down(self) -> tuple[str, float]:
        """``_fetch``, or the last ``TargetUnavailable`` again within the cooldown after it."""
        if self._unavailable and time.monotonic() - self._unavailable[0] < UNAVAILABLE_COOLDOWN_SECONDS:
            raise self._unavailable[1]
        try:
            return self._fetch()
        except TargetUnavailable as exc:
            self._unavailable = (time.monotonic(), exc)
            raise

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
        if response.status_code in (404, 405):
            raise ConfigError(f"{TOKEN_PATH} answered {response.status_code}: is --target the tenant's base URL "
                              f"({self.client.target.base_url})?")
        if response.status_code != 200:
            raise TargetUnavailable(f"{TOKEN_PATH} answered {response.status_code} for the suite's admin client")
        token, body = _access_token(response)
        self.client.redactor.register(token, body.get("refresh_token"))
        return token, float(body.get("expires_in") or 60)


def _access_token(response: httpx.Response) -> tuple[str, dict[str, Any]]:
    """The access token of a 200 token response; a body without one means --target is not an OAuth server."""
    try:
        body = response.json()
        return str(body["access_token"]), body
    except (ValueError, KeyError, TypeError):
        raise ConfigError(f"{TOKEN_PATH} answered 200 without an access token: is --target the tenant's base URL "
                          f"({response.request.url.scheme}://{response.request.url.host})?") from None
