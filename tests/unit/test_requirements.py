"""The catalogue loader accepts well-formed entries and rejects every malformed one with a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.errors import CatalogueError
from conformance.requirements import Level, load_catalogue_from

GOOD = """
family = "token"
[[requirement]]
id = "TOKEN-001"
title = "t"
level = "MUST"
source = "rfc"
ref = "RFC 6749 §5.1"
text = "The authorization server MUST include the HTTP Cache-Control response header field with a value of no-store."
operations = ["token.yaml#getAccessToken"]
"""


def write(tmp_path: Path, text: str) -> Path:
    """Write one catalogue file and return its directory."""
    (tmp_path / "area.toml").write_text(text)
    return tmp_path


def test_loads_a_well_formed_entry(tmp_path: Path) -> None:
    """Fields, level and family come through as typed values."""
    requirement = load_catalogue_from(write(tmp_path, GOOD))["TOKEN-001"]
    assert (Level.MUST, "token", "TOKEN", True) == (
        requirement.level, requirement.family, requirement.area, requirement.active)


@pytest.mark.parametrize(
    ("replace", "by", "message"),
    [
        ('id = "TOKEN-001"', 'id = "token-1"', "AREA-NNN"),
        ('level = "MUST"', 'level = "MUSTNT"', "malformed"),
        ('source = "rfc"', 'source = "blog"', "source"),
        ('ref = "RFC 6749 §5.1"', 'ref = " "', "must not be empty"),
    ],
)
def test_rejects_malformed_entries(tmp_path: Path, replace: str, by: str, message: str) -> None:
    """Each malformed field is a CatalogueError that says what is wrong."""
    with pytest.raises(CatalogueError, match=message):
        load_catalogue_from(write(tmp_path, GOOD.replace(replace, by)))


def test_rejects_duplicate_ids(tmp_path: Path) -> None:
    """IDs are unique across the whole catalogue."""
    (tmp_path / "second.toml").write_text(GOOD)
    with pytest.raises(CatalogueError, match="defined twice"):
        load_catalogue_from(write(tmp_path, GOOD))


def test_unknown_id_lookup_is_a_catalogue_error(tmp_path: Path) -> None:
    """Looking up an ID that does not exist names it."""
    with pytest.raises(CatalogueError, match="TOKEN-999"):
        load_catalogue_from(write(tmp_path, GOOD))["TOKEN-999"]


def test_the_kit_catalogue_loads() -> None:
    """The shipped catalogue under specs/requirements validates."""
    from conformance.requirements import load_catalogue

    assert len(load_catalogue()) > 0
