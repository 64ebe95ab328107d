"""A curl command line that reproduces one recorded exchange, with every secret masked.

Masked credentials become shell variables (``$CONFORMANCE_CLIENT_ID:$CONFORMANCE_CLIENT_SECRET`` for Basic,
``$TOKEN`` for Bearer) so the line can be re-run after exporting them; nothing secret is ever in it.
"""

from __future__ import annotations

import shlex
from typing import Any

from conformance.redaction import MASK, REDACTOR

SKIPPED_HEADERS = frozenset({"host", "content-length", "accept-encoding", "connection", "user-agent"})


def curl_line(evidence: dict[str, Any]) -> str:
    """``curl -sS -i -X METHOD URL -H ... --data-raw BODY`` for a redacted ``Evidence.as_dict()``."""
    parts = ["curl", "-sS", "-i", "-X", str(evidence.get("method", "GET")), _quote(REDACTOR.url(str(evidence["url"])))]
    for name, value in (evidence.get("request_headers") or {}).items():
        if name.lower() in SKIPPED_HEADERS:
            continue
        parts.extend(_header_arguments(name, REDACTOR.headers({name: str(value)})[name]))
    body = str(evidence.get("request_body") or "")
    if body:
        parts.extend(["--data-raw", _quote(REDACTOR.body(body))])
    return " ".join(parts)


def _header_arguments(name: str, value: str) -> list[str]:
    if name.lower() == "authorization":
        scheme = value.split(" ", 1)[0].lower()
        if scheme == "basic":
            return ["-u", '"$CONFORMANCE_CLIENT_ID:$CONFORMANCE_CLIENT_SECRET"']
        if scheme == "bearer":
            return ["-H", '"Authorization: Bearer $TOKEN"']
    return ["-H", _quote(f"{name}: {value}")]


def _quote(text: str) -> str:
    """Shell-quote, keeping the mask readable (``***`` needs quoting anyway)."""
    return shlex.quote(text) if text != MASK else "'***'"
