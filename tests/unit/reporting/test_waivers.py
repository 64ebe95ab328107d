"""Waivers: a waived failure is WAIVED, an expired waiver no longer applies, a passing one is stale."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conformance.errors import ConfigError
from conformance.reporting.certification import ReportInputs, build_certification
from conformance.reporting.metadata import versions
from conformance.reporting.waivers import load_waivers
from conformance.requirements import Catalogue
from tests.support.reporting_samples import TODAY, sample_records


def waivers_file(tmp_path: Path, *entries: str) -> Path:
    """A waivers TOML file with the given ``[[waiver]]`` bodies."""
    path = tmp_path / "waivers.toml"
    path.write_text("\n".join(f"[[waiver]]\n{entry}\n" for entry in entries))
    return path


def waiver(requirement: str, expires: str, host: str = "") -> str:
    """One waiver body."""
    extra = f'\ntarget_host = "{host}"' if host else ""
    return f'requirement = "{requirement}"\njustification = "fix scheduled, case 42"\nexpires = {expires}{extra}'


def certify(catalogue: Catalogue, path: Path) -> dict:
    """The certification document of the sample run with these waivers, as of TODAY."""
    inputs = ReportInputs(catalogue, sample_records(), load_waivers(path, catalogue), versions(), TODAY, {})
    return build_certification(inputs)


def status(document: dict, rid: str) -> str:
    """The status of one requirement in a document."""
    return next(entry["status"] for entry in document["requirements"] if entry["id"] == rid)


def test_valid_waiver_turns_a_must_failure_into_waived(catalogue: Catalogue, tmp_path: Path) -> None:
    """SCIM-001 failed; a waiver valid today makes it WAIVED and lists it as applied."""
    document = certify(catalogue, waivers_file(tmp_path, waiver("SCIM-001", "2025-12-31")))
    assert ("WAIVED", ["SCIM-001"]) == (status(document, "SCIM-001"),
                                        [w["requirement"] for w in document["waivers"]["applied"]])


def test_waiver_is_valid_on_its_expiry_day(catalogue: Catalogue, tmp_path: Path) -> None:
    """``expires`` is inclusive."""
    document = certify(catalogue, waivers_file(tmp_path, waiver("SCIM-001", TODAY.isoformat())))
    assert "WAIVED" == status(document, "SCIM-001")


def test_expired_waiver_no_longer_applies(catalogue: Catalogue, tmp_path: Path) -> None:
    """An expired waiver leaves the failure FAIL and is listed as expired."""
    document = certify(catalogue, waivers_file(tmp_path, waiver("SCIM-001", "2025-06-22")))
    assert ("FAIL", ["SCIM-001"]) == (status(document, "SCIM-001"),
                                      [w["requirement"] for w in document["waivers"]["expired"]])


def test_waiver_of_a_passing_requirement_is_stale(catalogue: Catalogue, tmp_path: Path) -> None:
    """TOKEN-001 passes: its waiver is stale (and not applied)."""
    document = certify(catalogue, waivers_file(tmp_path, waiver("TOKEN-001", "2025-12-31")))
    assert (["TOKEN-001"], []) == ([w["requirement"] for w in document["waivers"]["stale"]],
                                   document["waivers"]["applied"])


def test_waiver_for_another_host_does_not_apply(catalogue: Catalogue, tmp_path: Path) -> None:
    """``target_host`` limits a waiver to one tenant."""
    document = certify(catalogue, waivers_file(tmp_path, waiver("SCIM-001", "2025-12-31", "other.example.com")))
    assert "FAIL" == status(document, "SCIM-001")


@pytest.mark.parametrize("body", [
    'requirement = "NOPE-001"\njustification = "x"\nexpires = 2025-12-31',
    'requirement = "SCIM-001"\nexpires = 2025-12-31',
    'requirement = "SCIM-001"\njustification = "x"\nexpires = "soon"',
], ids=["unknown-id", "no-justification", "expires-not-a-date"])
def test_malformed_waiver_is_a_config_error(catalogue: Catalogue, tmp_path: Path, body: str) -> None:
    """A waiver the kit cannot apply safely stops the run before it starts."""
    with pytest.raises(ConfigError):
        load_waivers(waivers_file(tmp_path, body), catalogue)


def test_expiry_boundary() -> None:
    """The day after ``expires`` the waiver is expired."""
    from conformance.reporting.waivers import Waiver

    entry = Waiver("SCIM-001", "x", dt.date(2025, 6, 23))
    assert (False, True) == (entry.expired_on(dt.date(2025, 6, 23)), entry.expired_on(dt.date(2025, 6, 24)))
