"""Versions that make a run reproducible: the kit, Python, key libraries and a digest of every spec file."""

from __future__ import annotations

import hashlib
import platform
from importlib import metadata
from pathlib import Path

from conformance import __version__
from conformance.paths import specs_dir

KEY_LIBRARIES = ("pytest", "allure-pytest", "schemathesis", "hypothesis", "httpx", "jsonschema", "scim2-models",
                 "joserfc", "cryptography", "pytest-xdist")
SPEC_PATTERNS = ("*.yaml", "*.toml", "requirements/*.toml", "schemas/*.json")


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def library_versions() -> dict[str, str]:
    """Installed versions of the libraries that shape a verdict."""
    versions = {}
    for name in KEY_LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def spec_digests(root: Path | None = None) -> dict[str, str]:
    """``{relative spec path: sha256}`` for the specs, tables, schemas and catalogue the run used."""
    base = root or specs_dir()
    files = sorted({path for pattern in SPEC_PATTERNS for path in base.glob(pattern) if path.is_file()})
    return {path.relative_to(base).as_posix(): sha256_file(path) for path in files}


def versions() -> dict[str, object]:
    """Kit, Python and library versions, and the spec digests."""
    return {
        "kit_version": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "libraries": library_versions(),
        "spec_digests": spec_digests(),
    }
