"""Benchmark 2: token issuance (POST /acs/token, client_credentials, RS256) against the RSA-2048 signing floor.

The floor is measured in this process, in the same run: the time of one RSA-2048 PKCS#1 v1.5 SHA-256 signature
(``cryptography``, what every RS256 issuer pays at least) and, for the record, of a whole ``joserfc`` JWT encode
(the library the emulator signs with). Target: token requests/s >= 70 % of 1 / sign-time, per core the emulator
used during the run.
"""

from __future__ import annotations

import json
import secrets
import time

import httpx
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from joserfc import jwt
from joserfc.jwk import RSAKey

from bench import procs
from bench.common import Bench, fmt_ms, say
from bench.load import LoadSpec
from bench.measure import measure
from bench.users import BOOTSTRAP_CLIENT, basic

NAME = "token"
TITLE = "Token issuance: POST /acs/token (client_credentials, RS256) vs the RSA-2048 signing floor"
CONNECTIONS = 16
FORM = "application/x-www-form-urlencoded"


def sign_times(rounds: int) -> tuple[float, float]:
    """CPU seconds per raw RSA-2048 signature and per joserfc RS256 JWT encode of a token-sized claim set (CPU
    time, not wall time: on a busy machine a wall clock would charge other processes' time to the floor)."""
    claims = {"iss": "http://127.0.0.1:8080/acs", "aud": "http://127.0.0.1:8080", "sub": BOOTSTRAP_CLIENT,
              "client_id": BOOTSTRAP_CLIENT, "scope": "admin", "iat": 1, "nbf": 1, "exp": 3601,
              "jti": secrets.token_hex(16), "gen": 0}
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    message = json.dumps(claims).encode() * 2  # the size of a JWS signing input
    started = time.process_time()
    for _ in range(rounds):
        private.sign(message, padding.PKCS1v15(), hashes.SHA256())
    raw = (time.process_time() - started) / rounds
    key = RSAKey.generate_key(2048, parameters={"kid": "bench"})
    started = time.process_time()
    for _ in range(rounds):
        jwt.encode({"alg": "RS256", "typ": "JWT", "kid": "bench"}, claims, key)
    return raw, (time.process_time() - started) / rounds


def run(bench: Bench) -> None:
    """Measure the floor, then load the token endpoint with the bootstrap client's credentials."""
    seconds, rounds = bench.pick(1, 10), bench.pick(50, 2000)
    bench.section(f"{TITLE} ({CONNECTIONS} connections, {seconds} s)")
    raw, library = sign_times(rounds)
    say(f"  RSA-2048 sign (cryptography)  {fmt_ms(raw)} CPU = {1 / raw:.0f} signatures/s per core ({rounds} rounds)")
    say(f"  RS256 JWT encode (joserfc)    {fmt_ms(library)} CPU = {1 / library:.0f} tokens/s per core")
    with procs.start_emulator(str(bench.workdir / "token.sqlite3"), bench.secret, bench.patches) as emulator:
        headers = {"Authorization": basic(BOOTSTRAP_CLIENT, emulator.secret), "Content-Type": FORM}
        body = "grant_type=client_credentials"
        _check_one(emulator.base_url, headers, body)
        issued = measure(bench, emulator, LoadSpec(emulator.base_url, ("/acs/token",), "POST", headers, body,
                                                   CONNECTIONS, seconds), "emulator /acs/token")
    cores = max(issued.server_cores, 0.01)
    per_core = issued.rps / cores
    say(f"  emulator: {per_core:.0f} tokens/s per core used ({issued.server_cores:.2f} cores busy)")
    bench.ratio("tokens/s per core / joserfc encodes/s", per_core, 1 / library, percent=True)
    share = bench.ratio("tokens/s per core / RSA-2048 signatures/s", per_core, 1 / raw, percent=True)
    bench.target("token vs RSA floor", not issued.load.bad and share >= 0.7,
                 f"{issued.rps:.0f} tokens/s on {issued.server_cores:.2f} cores = {per_core:.0f}/core vs "
                 f"{1 / raw:.0f} signs/s = {share * 100:.0f} % (target >= 70 %)")


def _check_one(base_url: str, headers: dict[str, str], body: str) -> None:
    """The request under load really issues a token."""
    response = httpx.post(base_url + "/acs/token", content=body, headers=headers, timeout=30)
    if response.status_code != 200 or "access_token" not in response.json():
        raise RuntimeError(f"POST /acs/token answered {response.status_code}: {response.text[:300]}")
    say(f"  POST /acs/token answers 200 with {len(response.content)} bytes")
