"""Checks of bearer-token refusals: status 401, the ``WWW-Authenticate: Bearer`` challenge (RFC 6750 §3) and the
error body in the operation's dialect.

The challenge is parsed with the grammar of RFC 9110 §11.6.1/§11.2 (``challenge = auth-scheme [ 1*SP ( token68 /
#auth-param ) ]``, ``auth-param = token BWS "=" BWS ( token / quoted-string )``), so a header holding several
challenges, or quoted commas, is read correctly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import httpx

from conformance.checks.core import fail, require
from conformance.checks.envelope import dialect_error
from conformance.checks.scim import status_is

TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
QUOTED = r'"(?:[^"\\]|\\.)*"'
_PARAM = re.compile(rf"[ \t]*({TOKEN})[ \t]*=[ \t]*({TOKEN}|{QUOTED})[ \t]*(?:,|$)")
_SCHEME = re.compile(rf"[ \t]*({TOKEN})(?:[ \t]+|[ \t]*,|$)")
_ALLOWED_CODES = frozenset([0x20, 0x21, *range(0x23, 0x5C), *range(0x5D, 0x7F)])  # RFC 6750 §3 error, error_description
_TOKEN68 = re.compile(r"[ \t]*([A-Za-z0-9\-._~+/]+=*)[ \t]*(?:,|$)")


@dataclass
class Challenge:
    """One challenge of a WWW-Authenticate field: its scheme and auth-params (names lower-cased, in order)."""

    scheme: str
    params: list[tuple[str, str]] = field(default_factory=list)

    def get(self, name: str) -> str | None:
        """The value of the first ``name`` parameter (unquoted), if any."""
        return next((value for key, value in self.params if key == name.lower()), None)


def parse_challenges(value: str) -> list[Challenge]:
    """The challenges of one WWW-Authenticate value; raises ValueError on text the grammar does not allow."""
    challenges: list[Challenge] = []
    position = 0
    while position < len(value):
        if value[position] in ", \t":
            position += 1
            continue
        param = _PARAM.match(value, position)
        if param and challenges:
            raw = param.group(2)
            unquoted = re.sub(r"\\(.)", r"\1", raw[1:-1]) if raw.startswith('"') else raw
            challenges[-1].params.append((param.group(1).lower(), unquoted))
            position = param.end()
            continue
        token68 = _TOKEN68.match(value, position)
        if token68 and challenges and not challenges[-1].params and "=" in token68.group(1):
            position = token68.end()
            continue
        scheme = _SCHEME.match(value, position)
        if not scheme:
            raise ValueError(f"not a challenge at offset {position}: {value[position:position + 20]!r}")
        challenges.append(Challenge(scheme.group(1)))
        position = scheme.end()
    return challenges


def bearer_challenge(response: httpx.Response) -> Challenge:
    """RFC 6750 §3: "the resource server MUST include the HTTP "WWW-Authenticate" response header field [...] All
    challenges defined by this specification MUST use the auth-scheme value "Bearer". This scheme MUST be followed
    by one or more auth-param values. [...] Values for the "error" and "error_description" attributes MUST NOT include
    characters outside the set %x20-21 / %x23-5B / %x5D-7E." (AUTHZ-002). Returns the Bearer challenge."""
    values = response.headers.get_list("www-authenticate")
    require("AUTHZ-002", bool(values), "a 401 answer must carry WWW-Authenticate", response)
    try:
        challenges = [challenge for value in values for challenge in parse_challenges(value)]
    except ValueError as exc:
        raise fail("AUTHZ-002", f"WWW-Authenticate is not RFC 9110 syntax: {exc}", response) from None
    bearer = [challenge for challenge in challenges if challenge.scheme.lower() == "bearer"]
    require("AUTHZ-002", len(bearer) == 1,
            f"expected one Bearer challenge, got schemes {[c.scheme for c in challenges]}", response)
    names = [name for name, _ in bearer[0].params]
    require("AUTHZ-002", bool(names), "the Bearer scheme MUST be followed by one or more auth-param values", response)
    repeated = sorted({name for name in names if names.count(name) > 1})
    require("AUTHZ-002", not repeated, f"attributes MUST NOT appear more than once: {repeated}", response)
    for name in ("error", "error_description"):
        value = bearer[0].get(name) or ""
        require("AUTHZ-002", all(ord(c) in _ALLOWED_CODES for c in value),
                f"{name} MUST NOT include characters outside %x20-21 / %x23-5B / %x5D-7E: {value!r}", response)
    return bearer[0]


def error_attribute(response: httpx.Response, challenge: Challenge, token_presented: bool) -> None:
    """RFC 6750 §3.1 (AUTHZ-003): "If the protected resource request included an access token and failed
    authentication, the resource server SHOULD include the "error" attribute [...] invalid_token" and "If the
    request lacks any authentication information [...] the resource server SHOULD NOT include an error code"."""
    error = challenge.get("error")
    if token_presented:
        require("AUTHZ-003", "invalid_token" == error, f"expected error=\"invalid_token\", got {error!r}", response)
    else:
        require("AUTHZ-003", error is None, f"a request without a token must get no error attribute, got {error!r}",
                response)


def unauthorized(requirement_id: str, response: httpx.Response, path: str, token_presented: bool) -> None:
    """A refused bearer request: 401 (judged as ``requirement_id``), a Bearer challenge (AUTHZ-002/003) and the error
    body of the operation's dialect (ERR-007)."""
    status_is(requirement_id, response, 401)
    error_attribute(response, bearer_challenge(response), token_presented)
    dialect_error(requirement_id, response, 401, path)
