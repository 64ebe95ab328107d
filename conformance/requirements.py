"""The requirement catalogue: every check the kit makes, with a stable ID, a level and a source.

The data lives in ``specs/requirements/*.toml`` (one file per area); this module only loads and
validates it. Format of one entry::

    [[requirement]]
    id = "TOKEN-004"                 # <AREA>-<NNN>, append-only, never reused
    title = "expires_in is the client's access_token_ttl in seconds"
    level = "MUST"                   # MUST | SHOULD | MAY (RFC 2119)
    source = "vendor-doc"            # vendor-doc | rfc | assumed
    ref = "seed 000 Step 2; specs/token.yaml#getAccessToken"
    text = "The response contains ... the number of seconds the access token is valid."
    operations = ["token.yaml#getAccessToken"]
    status = "active"                # active | withdrawn
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path

from conformance.errors import CatalogueError
from conformance.paths import specs_dir

ID_PATTERN = re.compile(r"^[A-Z]+(?:-[A-Z]+)*-\d{3}$")
SOURCES = ("vendor-doc", "rfc", "assumed")
STATUSES = ("active", "withdrawn")


class Level(StrEnum):
    """RFC 2119 requirement levels; a failed SHOULD is a deviation, not a failure."""

    MUST = "MUST"
    SHOULD = "SHOULD"
    MAY = "MAY"


@dataclass(frozen=True)
class Requirement:
    """One normative statement the kit checks."""

    id: str
    title: str
    level: Level
    source: str
    ref: str
    text: str
    family: str
    operations: tuple[str, ...] = field(default_factory=tuple)
    status: str = "active"

    @property
    def area(self) -> str:
        """The ID without its number, e.g. ``SCIM`` for ``SCIM-012``."""
        return self.id.rsplit("-", 1)[0]

    @property
    def active(self) -> bool:
        """Withdrawn requirements stay in the catalogue (IDs are append-only) but are not checked."""
        return self.status == "active"


class Catalogue:
    """All requirements, by ID."""

    def __init__(self, requirements: list[Requirement]) -> None:
        self._by_id: dict[str, Requirement] = {}
        for requirement in requirements:
            if requirement.id in self._by_id:
                raise CatalogueError(f"requirement {requirement.id} is defined twice")
            self._by_id[requirement.id] = requirement

    def __getitem__(self, requirement_id: str) -> Requirement:
        try:
            return self._by_id[requirement_id]
        except KeyError:
            raise CatalogueError(f"unknown requirement ID {requirement_id!r}") from None

    def __contains__(self, requirement_id: object) -> bool:
        return requirement_id in self._by_id

    def __iter__(self) -> Iterator[Requirement]:
        return iter(sorted(self._by_id.values(), key=lambda r: r.id))

    def __len__(self) -> int:
        return len(self._by_id)

    def active(self) -> list[Requirement]:
        """Requirements that tests must cover."""
        return [r for r in self if r.active]


def _parse_entry(raw: dict[str, object], family: str, origin: Path) -> Requirement:
    where = f"{origin.name}: {raw.get('id', '<no id>')}"
    try:
        requirement = Requirement(
            id=str(raw["id"]),
            title=str(raw["title"]),
            level=Level(str(raw["level"])),
            source=str(raw["source"]),
            ref=str(raw["ref"]),
            text=str(raw["text"]),
            family=str(raw.get("family", family)),
            operations=tuple(str(op) for op in raw.get("operations", [])),  # type: ignore[attr-defined]
            status=str(raw.get("status", "active")),
        )
    except (KeyError, ValueError) as exc:
        raise CatalogueError(f"{where}: malformed entry ({exc})") from exc
    _validate(requirement, where)
    return requirement


def _validate(requirement: Requirement, where: str) -> None:
    if not ID_PATTERN.match(requirement.id):
        raise CatalogueError(f"{where}: ID must look like AREA-NNN")
    if requirement.source not in SOURCES:
        raise CatalogueError(f"{where}: source must be one of {SOURCES}")
    if requirement.status not in STATUSES:
        raise CatalogueError(f"{where}: status must be one of {STATUSES}")
    if not requirement.text.strip() or not requirement.ref.strip():
        raise CatalogueError(f"{where}: text and ref must not be empty")


def load_catalogue_from(directory: Path) -> Catalogue:
    """Load every ``*.toml`` file of a catalogue directory."""
    requirements: list[Requirement] = []
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        family = str(data.get("family", path.stem))
        requirements.extend(_parse_entry(raw, family, path) for raw in data.get("requirement", []))
    return Catalogue(requirements)


@cache
def load_catalogue() -> Catalogue:
    """The kit's own catalogue, from ``specs/requirements/``."""
    return load_catalogue_from(specs_dir() / "requirements")
