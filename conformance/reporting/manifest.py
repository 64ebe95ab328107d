"""``MANIFEST.sha256`` over every artifact of a report directory, and its detached Ed25519 signature.

The manifest is in ``sha256sum`` format (``<hex>  <relative path>``, sorted), so ``sha256sum -c`` checks it
too. ``MANIFEST.sig`` is the base64 Ed25519 signature of the manifest's bytes.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from conformance.errors import ConfigError
from conformance.reporting.metadata import sha256_file

MANIFEST = "MANIFEST.sha256"
SIGNATURE = "MANIFEST.sig"
_NOT_ARTIFACTS = frozenset({MANIFEST, SIGNATURE})


def artifacts(report_dir: Path) -> list[Path]:
    """Every regular file under the report directory except the manifest and its signature."""
    files = [p for p in report_dir.rglob("*") if p.is_file() and not p.is_symlink()]
    return sorted((p for p in files if p.relative_to(report_dir).as_posix() not in _NOT_ARTIFACTS),
                  key=lambda p: p.relative_to(report_dir).as_posix())


def manifest_text(report_dir: Path) -> str:
    """The manifest of the directory as it is now."""
    lines = [f"{sha256_file(p)}  {p.relative_to(report_dir).as_posix()}" for p in artifacts(report_dir)]
    return "\n".join(lines) + "\n"


def write_manifest(report_dir: Path, sign_key: Path | None = None) -> Path:
    """Write ``MANIFEST.sha256`` (and ``MANIFEST.sig`` when a key is given); returns the manifest path."""
    manifest = report_dir / MANIFEST
    manifest.write_text(manifest_text(report_dir), encoding="utf-8")
    if sign_key is not None:
        signature = load_private_key(sign_key).sign(manifest.read_bytes())
        (report_dir / SIGNATURE).write_text(base64.b64encode(signature).decode() + "\n", encoding="ascii")
    return manifest


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """An Ed25519 private key from an (unencrypted) PEM file."""
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise ConfigError(f"cannot load signing key {path}: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigError(f"signing key {path} is not an Ed25519 key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """An Ed25519 public key from a PEM file."""
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except (OSError, ValueError, TypeError) as exc:
        raise ConfigError(f"cannot load public key {path}: {exc}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise ConfigError(f"public key {path} is not an Ed25519 key")
    return key


@dataclass(frozen=True)
class Verification:
    """The outcome of checking a report directory: ``ok`` or the first problem, in one line."""

    ok: bool
    message: str


def verify(report_dir: Path, public_key: Path | None = None) -> Verification:
    """Check every digest of the manifest, that no file was added, and the signature when a key is given."""
    manifest = report_dir / MANIFEST
    if not manifest.is_file():
        return Verification(False, f"{MANIFEST} not found in {report_dir}")
    listed = _parse_manifest(manifest.read_text(encoding="utf-8"))
    problem = _first_mismatch(report_dir, listed)
    if problem:
        return Verification(False, problem)
    if public_key is None:
        return Verification(True, f"OK: {len(listed)} files match {MANIFEST} (signature not checked)")
    signature_problem = _check_signature(report_dir, manifest, public_key)
    if signature_problem:
        return Verification(False, signature_problem)
    return Verification(True, f"OK: {len(listed)} files match {MANIFEST}; {SIGNATURE} is valid")


def _parse_manifest(text: str) -> dict[str, str]:
    entries = {}
    for line in text.splitlines():
        digest, _, name = line.partition("  ")
        if name:
            entries[name] = digest
    return entries


def _first_mismatch(report_dir: Path, listed: dict[str, str]) -> str:
    for name, digest in listed.items():
        path = report_dir / name
        if not path.is_file():
            return f"MISSING: {name} is listed in {MANIFEST} but not present"
        if sha256_file(path) != digest:
            return f"MISMATCH: {name} does not match its digest in {MANIFEST}"
    present = {p.relative_to(report_dir).as_posix() for p in artifacts(report_dir)}
    extra = sorted(present - set(listed))
    return f"UNLISTED: {extra[0]} is not in {MANIFEST}" if extra else ""


def _check_signature(report_dir: Path, manifest: Path, public_key: Path) -> str:
    signature_file = report_dir / SIGNATURE
    if not signature_file.is_file():
        return f"MISSING: {SIGNATURE} (the report is not signed)"
    key = load_public_key(public_key)
    try:
        key.verify(base64.b64decode(signature_file.read_text().strip(), validate=True), manifest.read_bytes())
    except (InvalidSignature, binascii.Error, ValueError):
        return f"BAD SIGNATURE: {SIGNATURE} does not verify {MANIFEST} with {public_key.name}"
    return ""
