"""The suite's HTTP client: httpx, bounded retries for target faults, redacted evidence of every exchange.

Transport failures, timeouts, TLS errors, 429 past its retries and 502/503/504 storms raise
``TargetUnavailable`` (a tool error: "could not certify"), never a conformance failure, and so do
``STORM_THRESHOLD`` 5xx answers in a row. Retries are bounded (``MAX_ATTEMPTS`` requests per call) and honour
``Retry-After``.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import ssl
import time
from collections import deque
from typing import Any

import httpx

from conformance.errors import TargetUnavailable
from conformance.redaction import REDACTOR, Redactor
from conformance.results import Evidence
from conformance.target.config import TargetConfig

RETRY_STATUSES = frozenset({429, 502, 503, 504})
MAX_ATTEMPTS = 3
MAX_RETRY_AFTER = 5.0
STORM_THRESHOLD = 8
"""This many 5xx answers in a row (any 5xx, 500 included, across requests) mean the target is failing, not one
endpoint breaking a requirement: ``TargetUnavailable``."""
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
        self.server_errors_in_a_row = 0
        self.http = httpx.Client(base_url=target.base_url, timeout=timeout, follow_redirects=False,
                                 verify=True, trust_env=False)

    def request(self, method: str, path: str, *, token: str | None = None, **kwargs: Any) -> httpx.Response:
        """Send one request (``token`` becomes a Bearer header), retrying only target-side trouble.

        At most ``MAX_ATTEMPTS`` requests: a connection failure or timeout, 429 or 502/503/504 is retried after
        ``Retry-After`` (seconds or an HTTP date) or a short backoff; a TLS failure is not retried, and a
        ``Retry-After`` longer than ``MAX_RETRY_AFTER`` ends the attempts at once. Then ``TargetUnavailable``.
        """
        headers = dict(kwargs.pop("headers", None) or {})
        if token is not None:
            headers.setdefault("Authorization", f"Bearer {token}")
        for attempt in range(1, MAX_ATTEMPTS + 1):
            response, problem, delay = self._attempt(method, path, headers, kwargs, attempt)
            if response is not None:
                self.history.append(evidence_of(response, self.redactor))
                self._count_server_errors(method, path, response.status_code)
                return response
            if delay is None or attempt == MAX_ATTEMPTS:
                break
            time.sleep(delay)
        attempts = f"{attempt} attempt{'s' if attempt > 1 else ''}"
        raise TargetUnavailable(self.redactor.text(f"{method} {_path_only(path)}: {problem} (after {attempts})"))

    def _count_server_errors(self, method: str, path: str, status: int) -> None:
        self.server_errors_in_a_row = self.server_errors_in_a_row + 1 if status >= 500 else 0
        if self.server_errors_in_a_row >= STORM_THRESHOLD:
            self.server_errors_in_a_row = 0
            raise TargetUnavailable(f"{STORM_THRESHOLD} answers in a row were 5xx (the last: {status} to {method} "
                                    f"{_path_only(path)}): the target is failing")

    def _attempt(self, method: str, path: str, headers: dict[str, str], kwargs: dict[str, Any],
                 attempt: int) -> tuple[httpx.Response | None, str, float | None]:
        """One request: ``(response, "", 0)`` when it is an answer to keep, else ``(None, problem, delay)`` with
        the delay before the next attempt (None: do not retry)."""
        try:
            response = self.http.request(method, path, headers=headers, **kwargs)
        except (httpx.TimeoutException, httpx.NetworkError, httpx.ProxyError) as exc:
            return None, _transport_problem(exc), None if _is_tls(exc) else 0.2 * attempt
        if response.status_code not in RETRY_STATUSES:
            return response, "", 0.0
        delay = _retry_delay(response, attempt)
        problem = f"target answered {response.status_code}"
        if delay is None:
            problem += (f" with Retry-After {response.headers.get('retry-after')}, longer than the "
                        f"{MAX_RETRY_AFTER:.0f}s the kit waits")
        return None, problem, delay

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


def _retry_delay(response: httpx.Response, attempt: int) -> float | None:
    """Seconds to wait before the next attempt, or None when the target asks for longer than the kit waits."""
    retry_after = response.headers.get("retry-after", "").strip()
    if not retry_after:
        return min(0.5 * 2**attempt, MAX_RETRY_AFTER)
    if retry_after.isdigit():
        seconds = float(retry_after)
    else:
        try:
            moment = email.utils.parsedate_to_datetime(retry_after)
        except (TypeError, ValueError, IndexError):
            return min(0.5 * 2**attempt, MAX_RETRY_AFTER)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        seconds = max((moment - dt.datetime.now(dt.UTC)).total_seconds(), 0.0)
    return seconds if seconds <= MAX_RETRY_AFTER else None


def _is_tls(exc: Exception) -> bool:
    """A TLS handshake or certificate failure: retrying cannot help."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLError):
            return True
        cause = cause.__cause__ or cause.__context__
    return "SSL" in str(exc) or "certificate" in str(exc).lower()


def _transport_problem(exc: Exception) -> str:
    """A short description of a transport failure (TLS, timeout, refused ...)."""
    kind = "TLS error" if _is_tls(exc) else type(exc).__name__
    detail = str(exc).splitlines()[0] if str(exc) else ""
    return f"{kind}: {detail}" if detail else kind


def _path_only(path: str) -> str:
    """The path of a URL without its query string (which may carry a legacy client secret)."""
    return path.split("?", 1)[0]
