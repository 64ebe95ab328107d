"""The one redaction layer every writer uses (evidence, allure attachments, reports, logs, curl lines).

Redacts by *name* (Authorization and cookie headers; secret-bearing form fields and JSON keys) and by
*value*: every secret and token the run has seen is registered and masked wherever it appears, in any letter
case, and also when pytest shortened it to ``head...tail`` in an assertion message or ``--showlocals``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

from conformance.secret_values import MASK, SecretValues

SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"})
SECRET_KEYS = frozenset({
    "access_token", "refresh_token", "id_token", "client_secret", "secret", "secondary_secret", "password",
    "token", "assertion", "subject_token", "code", "code_verifier", "bearer_token", "sync_token",
})
_JWT_PATTERN = re.compile(r"eyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*){0,2}")
"""A JWT, or the start of one (base64url of a JSON object): pytest may have cut the rest."""
TEXT_SECRET_KEYS = SECRET_KEYS - {"code"}
"""Keys whose quoted value is masked in free text (``'client_secret': 'x'`` in an assertion message); ``code``
is left out, it names error codes far more often than OAuth authorization codes."""
_KEY_ALTERNATIVES = "|".join(sorted(TEXT_SECRET_KEYS))
_KEYED_VALUE = re.compile(r"(?P<key>(['\"])(?:" + _KEY_ALTERNATIVES + r")\2\s*[:=]\s*)"
                          r"(?P<quote>['\"])(?P<value>(?:(?!(?P=quote)).)+)(?P=quote)", re.IGNORECASE)


class Redactor:
    """Masks known secret values and secret-bearing fields. Thread-safe; values only ever get added."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._values = SecretValues()
        self.register(*secrets)

    def register(self, *values: str | None) -> None:
        """Remember values to mask wherever they appear later (secrets, tokens the run obtained)."""
        self._values.add(*values)

    def text(self, value: str) -> str:
        """Mask every registered value (in any case, and its ``head...tail`` fragments), the quoted value of a
        secret-named key, and anything shaped like a JWT."""
        value = self._values.mask(value)
        value = _KEYED_VALUE.sub(lambda m: f"{m['key']}{m['quote']}{MASK}{m['quote']}", value)
        return _JWT_PATTERN.sub(MASK, value)

    def headers(self, headers: Mapping[str, str]) -> dict[str, str]:
        """Header dict with secret headers masked (the scheme word of Authorization is kept)."""
        return {name: self._header_value(name, value) for name, value in headers.items()}

    def _header_value(self, name: str, value: str) -> str:
        if name.lower() not in SECRET_HEADERS:
            return self.text(value)
        scheme = value.split(" ", 1)[0] if " " in value else ""
        return f"{scheme} {MASK}".strip()

    def body(self, body: str, content_type: str = "") -> str:
        """Mask secret fields of a JSON or form body, then any registered value left in it."""
        if "json" in content_type or body.lstrip().startswith(("{", "[")):
            try:
                return self.text(json.dumps(self.data(json.loads(body))))
            except ValueError:
                return self.text(body)
        if "x-www-form-urlencoded" in content_type:
            pairs = [(k, MASK if k.lower() in SECRET_KEYS else v) for k, v in parse_qsl(body, keep_blank_values=True)]
            return self.text(urlencode(pairs, safe="*"))
        return self.text(body)

    def data(self, value: Any) -> Any:
        """A deep copy of JSON-like data with secret keys masked."""
        if isinstance(value, Mapping):
            return {k: MASK if str(k).lower() in SECRET_KEYS and v else self.data(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.data(item) for item in value]
        if isinstance(value, str):
            return self.text(value)
        return value

    def url(self, url: str) -> str:
        """Mask secret query parameters (legacy clients send client_secret in the query string)."""
        if "?" not in url:
            return self.text(url)
        base, query = url.split("?", 1)
        pairs = [(k, MASK if k.lower() in SECRET_KEYS else v) for k, v in parse_qsl(query, keep_blank_values=True)]
        return self.text(f"{base}?{urlencode(pairs, safe='*')}")


REDACTOR = Redactor()
"""The process-wide redactor: the target layer registers every secret and token it sees."""
