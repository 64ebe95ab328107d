"""The suite's HTTP client: httpx, bounded retries for target faults, redacted evidence of every exchange.

Transport failures, timeouts, 429 past its retries and 502/503/504 storms raise ``TargetUnavailable``
(a tool error: "could not certify"), never a conformance failure.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Any

import httpx

from conformance.errors import TargetUnavailable
from conformance.results import Evidence
from conformance.target.config import TargetConfig
from conformance.target.redaction import REDACTOR, Redactor

RETRY_STATUSES = frozenset({429, 502, 503, 504})
MAX_ATTEMPTS = 3
MAX_RETRY_AFTER = 5.0
_BODY_LIMIT = 4000


def evidence_of(response: httpx.Response, redactor: Redactor = REDACTOR) -> Evidence:
    """The redacted record of one exchange, for failure messages and reports."""
    request = response.request
    request_body = request.content.decode(errors="replace") if request.content else ""
    return Evidence(
        method=request.method,
        url=redactor.url(str(request.url)),
        request_headers=redactor.headers(dict(request.headers)),
        request_body=redactor.body(request_body, request.headers.get("content-type", ""))[:_BODY_LIMIT],
        status=response.status_code,
        response_headers=redactor.headers(dict(response.headers)),
        response_body=redactor.body(response.text, response.headers.get("content-type", ""))[:_BODY_LIMIT],
    )


class TargetClient:
    """Talks to the target. ``history`` keeps the last exchanges (redacted) for evidence."""

    def __init__(self, target: TargetConfig, redactor: Redactor = REDACTOR, timeout: float = 15.0) -> None:
        self.target = target
        self.redactor = redactor
        self.history: deque[Evidence] = deque(maxlen=20)
        self.http = httpx.Client(base_url=target.base_url, timeout=timeout, follow_redirects=False,
                                 verify=True, trust_env=False)

    def request(self, method: str, path: str, *, token: str | None = None, **kwargs: Any) -> httpx.Response:
        """Send one request (``token`` becomes a Bearer header), retrying only target-side trouble."""
        headers = dict(kwargs.pop("headers", None) or {})
        if token is not None:
            headers.setdefault("Authorization", f"Bearer {token}")
        for attempt in range(1, MAX_ATTEMPTS + 1):
            response = self._send(method, path, headers, kwargs)
            if response.status_code not in RETRY_STATUSES or attempt == MAX_ATTEMPTS:
                break
            time.sleep(_retry_delay(response, attempt))
        if response.status_code in RETRY_STATUSES:
            raise TargetUnavailable(f"{method} {path}: target answered {response.status_code} {MAX_ATTEMPTS} times")
        self.history.append(evidence_of(response, self.redactor))
        return response

    def _send(self, method: str, path: str, headers: dict[str, str], kwargs: dict[str, Any]) -> httpx.Response:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return self.http.request(method, path, headers=headers, **kwargs)
            except (httpx.TimeoutException, httpx.NetworkError, httpx.ProxyError) as exc:
                if attempt == MAX_ATTEMPTS:
                    raise TargetUnavailable(f"{method} {path}: {type(exc).__name__}: {exc}") from None
                time.sleep(0.2 * attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        """GET shorthand."""
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        """POST shorthand."""
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> httpx.Response:
        """PATCH shorthand."""
        return self.request("PATCH", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> httpx.Response:
        """PUT shorthand."""
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        """DELETE shorthand."""
        return self.request("DELETE", path, **kwargs)

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()


def _retry_delay(response: httpx.Response, attempt: int) -> float:
    retry_after = response.headers.get("retry-after", "")
    if retry_after.isdigit():
        return min(float(retry_after), MAX_RETRY_AFTER)
    return min(0.5 * 2**attempt, MAX_RETRY_AFTER)
