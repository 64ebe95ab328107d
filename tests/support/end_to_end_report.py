"""One real ``conformance run`` against the embedded emulator, and the tools that inspect what it wrote.

- ``run_conformance`` runs the console script exactly as a user would (``CI=true``, a fresh working directory,
  a throwaway Ed25519 key), with ``e2e_secret_recorder`` loaded to learn the secrets and tokens the run used.
- ``secret_hits`` scans every byte of every report file: the recorded values, the bootstrap Basic credential,
  JWT-shaped strings, and unmasked values of secret-bearing JSON keys and form/query fields.
- ``external_references`` finds anything in the HTML that would make a browser fetch from elsewhere.
- ``chromium_render`` renders the HTML in headless Chromium: the DOM after scripts ran, and a screenshot.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.support.e2e_secret_recorder import SECRETS_FILE_ENV

ROOT = Path(__file__).resolve().parents[2]  # on PYTHONPATH so `-p tests.support.e2e_secret_recorder` imports
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync")
RUN_TIMEOUT, BROWSER_TIMEOUT = 1200, 120
MASKS = frozenset({"", "***", "%2A%2A%2A", "[Filtered]"})
JWT = re.compile(rb"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
SECRET_JSON = re.compile(
    rb'\\*"(secret|client_secret|access_token|refresh_token)\\*"\s*:\s*\\*"((?:[^"\\]|\\.)*?)\\*"')
SECRET_FIELD = re.compile(rb"(?:^|[?&\s\"'])(secret|client_secret|access_token|refresh_token)=([^&\s\"'\\]*)")
EXTERNAL = (
    re.compile(r"""(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE),
    re.compile(r"""url\(\s*["']?\s*(?:https?:)?//""", re.IGNORECASE),
    re.compile(r"<script[^>]*\ssrc\s*=", re.IGNORECASE),
    re.compile(r"<link[^>]*\shref\s*=", re.IGNORECASE),
    re.compile(r"@import", re.IGNORECASE),
)


@dataclass
class EndToEndRun:
    """What one ``conformance run`` did and left behind."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    report_dir: Path
    public_key: Path
    workdir: Path
    bootstrap_id: str = ""
    bootstrap_secret: str = ""
    registered: set[str] = field(default_factory=set)

    @property
    def secrets(self) -> set[str]:
        """Every secret or token value the report must not contain."""
        return {self.bootstrap_secret, *self.registered} - {""}


def write_signing_key(directory: Path) -> tuple[Path, Path]:
    """A fresh Ed25519 key pair as PEM files (private key readable by the owner only)."""
    key = Ed25519PrivateKey.generate()
    private, public = directory / "sign-key.pem", directory / "sign-key.pub.pem"
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    private.chmod(0o600)
    public.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                     serialization.PublicFormat.SubjectPublicKeyInfo))
    return private, public


def conformance_command(*args: str) -> list[str]:
    """The ``conformance`` console script of this environment (``python -m conformance.cli`` without it)."""
    script = Path(sys.executable).parent / "conformance"
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "conformance.cli", *args]


def run_environment(secrets_file: Path) -> dict[str, str]:
    """A CI-like environment with no target configured and no trace of the outer pytest run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONFORMANCE_", "PYTEST_", "HYPOTHESIS_"))}
    recorder = "-p tests.support.e2e_secret_recorder"
    env.update(CI="true", PYTEST_ADDOPTS=recorder, **{SECRETS_FILE_ENV: str(secrets_file)})
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def run_conformance(workdir: Path, workers: str = "2") -> EndToEndRun:
    """``conformance run --report-dir <workdir>/report -n 2 --sign-key <key>`` from a fresh working directory."""
    private, public = write_signing_key(workdir)
    report_dir, secrets_file = workdir / "report", workdir / "run-secrets.jsonl"
    command = conformance_command("run", "--report-dir", str(report_dir), "-n", workers, "--sign-key", str(private))
    started = time.monotonic()
    done = subprocess.run(command, cwd=workdir, env=run_environment(secrets_file), capture_output=True, text=True,
                          timeout=RUN_TIMEOUT, check=False)
    run = EndToEndRun(done.returncode, done.stdout, done.stderr, time.monotonic() - started, report_dir, public,
                      workdir)
    lines = secrets_file.read_text().splitlines() if secrets_file.exists() else []
    for line in map(json.loads, lines):
        if line["kind"] == "bootstrap-secret":
            run.bootstrap_secret = line["value"]
        elif line["kind"] == "bootstrap-client-id":
            run.bootstrap_id = line["value"]
        else:
            run.registered.add(line["value"])
    return run


def secret_hits(report_dir: Path, secrets: set[str], basic_pairs: Iterable[tuple[str, str]] = ()) -> list[str]:
    """``path: what`` for every leak found under ``report_dir`` (the leaked value itself is never named)."""
    needles = sorted(secret.encode() for secret in secrets)
    needles += [base64.b64encode(f"{cid}:{secret}".encode()) for cid, secret in basic_pairs]
    hits = []
    for path in sorted(p for p in report_dir.rglob("*") if p.is_file()):
        data, name = path.read_bytes(), path.relative_to(report_dir).as_posix()
        hits += [f"{name}: a secret or token of the run" for needle in needles if needle in data]
        hits += [f"{name}: JWT-shaped string" for _ in JWT.finditer(data)]
        for pattern in (SECRET_JSON, SECRET_FIELD):
            hits += [f"{name}: unmasked {m.group(1).decode()} value" for m in pattern.finditer(data)
                     if m.group(2).decode(errors="replace") not in MASKS and not m.group(2).startswith(b"$")]
    return hits


def external_references(html: str) -> list[str]:
    """Snippets of the page that would load something from another origin (empty: self-contained)."""
    return [html[max(m.start() - 20, 0):m.end() + 40] for pattern in EXTERNAL for m in pattern.finditer(html)]


def chromium_available() -> bool:
    """Whether the headless browser the render test needs is installed."""
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


def chromium(url: str, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """One headless Chromium invocation with its own throwaway profile and no background networking."""
    command = [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1280,1600", *extra, url]
    return subprocess.run(command, capture_output=True, text=True, timeout=BROWSER_TIMEOUT, check=False)


def chromium_render(html: Path, workdir: Path) -> tuple[str, Path]:
    """The DOM after the page's script ran (``--dump-dom``) and a screenshot PNG of the first screen."""
    url, screenshot = html.resolve().as_uri(), workdir / "certification.png"
    shutil.rmtree(workdir / "chromium-profile", ignore_errors=True)
    dom = chromium(url, workdir / "chromium-profile", "--dump-dom").stdout
    chromium(url, workdir / "chromium-profile", f"--screenshot={screenshot}")
    return dom, screenshot
