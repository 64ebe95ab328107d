"""Fixtures of the reporting unit tests: a small catalogue, and the run's secrets registered for redaction."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.redaction import REDACTOR
from conformance.requirements import Catalogue
from tests.support.reporting_samples import ACCESS_TOKEN, CLIENT_SECRET, write_catalogue


@pytest.fixture
def catalogue(tmp_path: Path) -> Catalogue:
    """Seven requirements over two families, every level and source."""
    return write_catalogue(tmp_path / "catalogue")


@pytest.fixture(autouse=True)
def registered_secrets() -> None:
    """The run registered its client secret and the token it obtained, as the target layer does."""
    REDACTOR.register(CLIENT_SECRET, ACCESS_TOKEN)
