"""``--waivers FILE``: failures a partner has accepted, each with a justification and an expiry date.

```toml
[[waiver]]
requirement = "TOKEN-004"
justification = "Tenant rounds expires_in down to the minute; fix scheduled for 2025.11 (case 12345)."
expires = 2025-12-31            # a TOML date; the waiver no longer applies after this day
target_host = "acme.workspaceoneaccess.com"   # optional: only for this tenant
```

A waived failure shows as WAIVED; an expired waiver no longer applies (and is listed); a waiver whose
requirement now passes is listed as stale so it can be removed.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conformance.errors import ConfigError
from conformance.requirements import Catalogue


@dataclass(frozen=True)
class Waiver:
    """One accepted failure of one requirement."""

    requirement: str
    justification: str
    expires: dt.date
    target_host: str | None = None

    def matches_host(self, host: str) -> bool:
        """Whether the waiver is meant for this target (no ``target_host`` means every target)."""
        return self.target_host is None or self.target_host.lower() == host.lower()

    def expired_on(self, today: dt.date) -> bool:
        """A waiver is valid up to and including its ``expires`` day."""
        return today > self.expires

    def as_dict(self) -> dict[str, Any]:
        """JSON view for the certification report."""
        return {"requirement": self.requirement, "justification": self.justification,
                "expires": self.expires.isoformat(), "target_host": self.target_host}


def load_waivers(path: Path, catalogue: Catalogue) -> list[Waiver]:
    """Parse and check a waivers file; an unknown requirement ID or a missing field is a ``ConfigError``."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read waivers file {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"waivers file {path} is not valid TOML: {exc}") from None
    return [_parse_waiver(raw, catalogue, path) for raw in data.get("waiver", [])]


def _parse_waiver(raw: dict[str, Any], catalogue: Catalogue, path: Path) -> Waiver:
    where = f"{path.name}: waiver for {raw.get('requirement', '<no requirement>')}"
    missing = [key for key in ("requirement", "justification", "expires") if key not in raw]
    if missing:
        raise ConfigError(f"{where}: missing {', '.join(missing)}")
    if raw["requirement"] not in catalogue:
        raise ConfigError(f"{where}: unknown requirement ID")
    expires = raw["expires"]
    if isinstance(expires, dt.datetime) or not isinstance(expires, dt.date):
        raise ConfigError(f"{where}: expires must be a TOML date like 2025-12-31")
    if not str(raw["justification"]).strip():
        raise ConfigError(f"{where}: justification must not be empty")
    host = raw.get("target_host")
    return Waiver(str(raw["requirement"]), str(raw["justification"]).strip(), expires, str(host) if host else None)


@dataclass(frozen=True)
class WaiverBook:
    """The waivers of one run, split by whether they can apply to it."""

    active: dict[str, Waiver]
    expired: list[Waiver]

    @classmethod
    def for_run(cls, waivers: list[Waiver], host: str, today: dt.date) -> WaiverBook:
        """Keep the waivers meant for this host; set aside the expired ones."""
        mine = [w for w in waivers if w.matches_host(host)]
        return cls(active={w.requirement: w for w in mine if not w.expired_on(today)},
                   expired=[w for w in mine if w.expired_on(today)])

    def for_requirement(self, requirement_id: str) -> Waiver | None:
        """The waiver that applies to a failure of this requirement, if any."""
        return self.active.get(requirement_id)
