"""Where the kit's data lives: the ``specs/`` tree, in a checkout or inside an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def specs_dir() -> Path:
    """The directory holding the OpenAPI specs, tables and the requirement catalogue."""
    checkout = _PACKAGE_DIR.parent / "specs"
    if checkout.is_dir():
        return checkout
    return _PACKAGE_DIR / "_specs"


def spec_path(name: str) -> Path:
    """Path of one file under specs/, e.g. ``spec_path("token.yaml")``."""
    return specs_dir() / name
