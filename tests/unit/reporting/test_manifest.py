"""MANIFEST.sha256 and MANIFEST.sig: verification passes, and fails after one byte changes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from conformance.reporting.manifest import verify, write_manifest


def key_pair(directory: Path, name: str) -> tuple[Path, Path]:
    """A fresh Ed25519 key pair as PEM files."""
    private = Ed25519PrivateKey.generate()
    private_path, public_path = directory / f"{name}.pem", directory / f"{name}.pub.pem"
    private_path.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                   serialization.NoEncryption()))
    public_path.write_bytes(private.public_key().public_bytes(serialization.Encoding.PEM,
                                                              serialization.PublicFormat.SubjectPublicKeyInfo))
    return private_path, public_path


@pytest.fixture
def signed_report(tmp_path: Path) -> tuple[Path, Path]:
    """A small report directory, signed; returns (directory, public key)."""
    report = tmp_path / "report"
    (report / "allure-results").mkdir(parents=True)
    (report / "certification.json").write_text('{"verdict": "CONFORMANT"}\n')
    (report / "allure-results" / "abc-result.json").write_text('{"status": "passed"}\n')
    private, public = key_pair(tmp_path, "signer")
    write_manifest(report, private)
    return report, public


def flip_one_byte(path: Path) -> None:
    """Change exactly one byte of a file."""
    data = bytearray(path.read_bytes())
    data[2] ^= 0x01
    path.write_bytes(bytes(data))


def test_untouched_report_verifies(signed_report: tuple[Path, Path]) -> None:
    """Digests and signature check out."""
    report, public = signed_report
    result = verify(report, public)
    assert (True, "OK: 2 files match MANIFEST.sha256; MANIFEST.sig is valid") == (result.ok, result.message)


def test_manifest_is_sha256sum_format(signed_report: tuple[Path, Path]) -> None:
    """``sha256sum -c`` accepts the manifest."""
    report, _ = signed_report
    completed = subprocess.run(["sha256sum", "-c", "MANIFEST.sha256"], cwd=report, capture_output=True, text=True)
    assert 0 == completed.returncode


def test_one_changed_byte_names_the_file(signed_report: tuple[Path, Path]) -> None:
    """After one byte of a nested artifact changes, verification fails naming that file."""
    report, public = signed_report
    flip_one_byte(report / "allure-results" / "abc-result.json")
    result = verify(report, public)
    assert (False, "MISMATCH: allure-results/abc-result.json does not match its digest in MANIFEST.sha256") == (
        result.ok, result.message)


def test_changed_manifest_breaks_the_signature(signed_report: tuple[Path, Path]) -> None:
    """Re-hashing a tampered file into the manifest is caught by the signature."""
    report, public = signed_report
    flip_one_byte(report / "certification.json")
    write_manifest(report)  # the forger rewrites the manifest but cannot sign it; the old signature stays
    result = verify(report, public)
    assert (False, "BAD SIGNATURE: MANIFEST.sig does not verify MANIFEST.sha256 with signer.pub.pem") == (
        result.ok, result.message)


def test_signature_from_another_key_fails(signed_report: tuple[Path, Path], tmp_path: Path) -> None:
    """A different signer's public key does not verify the signature."""
    report, _ = signed_report
    _, other_public = key_pair(tmp_path, "other")
    assert (False, True) == (verify(report, other_public).ok, verify(report, other_public).message.startswith("BAD"))


def test_added_file_is_reported(signed_report: tuple[Path, Path]) -> None:
    """A file slipped into the directory after signing is named."""
    report, public = signed_report
    (report / "extra.txt").write_text("x")
    assert "UNLISTED: extra.txt is not in MANIFEST.sha256" == verify(report, public).message


def test_verify_report_command_exit_codes(signed_report: tuple[Path, Path]) -> None:
    """``conformance verify-report`` exits 0, then 1 with one line after tampering."""
    report, public = signed_report
    command = [sys.executable, "-m", "conformance.cli", "verify-report", str(report), "--public-key", str(public)]
    ok = subprocess.run(command, capture_output=True, text=True, timeout=60)
    flip_one_byte(report / "certification.json")
    bad = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert (0, 1, 1) == (ok.returncode, bad.returncode, len(bad.stderr.strip().splitlines()))
