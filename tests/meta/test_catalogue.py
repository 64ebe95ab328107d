"""The catalogue and the suite agree: every active requirement is tested, every test names requirements."""

from __future__ import annotations

from conformance.requirements import load_catalogue


def test_catalogue_is_not_empty() -> None:
    """The catalogue loads, validates and holds requirements of every area the product covers."""
    areas = {requirement.area for requirement in load_catalogue()}
    expected = {"TOKEN", "CLIENT", "AUTHZ", "ERR", "MIME", "DIR", "SCIM", "LEGACY"}
    assert expected == expected & areas


def test_every_active_requirement_has_a_test(suite_map: dict[str, list[str]]) -> None:
    """A requirement nobody tests is a hole in the certification: list every such ID."""
    tested = {rid for ids in suite_map.values() for rid in ids}
    untested = sorted(r.id for r in load_catalogue().active() if r.id not in tested)
    assert [] == untested


def test_every_conformance_test_names_a_requirement(suite_map: dict[str, list[str]]) -> None:
    """A conformance test without a requirement ID cannot appear in the certification report."""
    unmarked = sorted(nodeid for nodeid, ids in suite_map.items() if not ids)
    assert [] == unmarked


def test_withdrawn_requirements_are_not_tested(suite_map: dict[str, list[str]]) -> None:
    """Withdrawn IDs stay in the catalogue (append-only) but no test may still claim them."""
    withdrawn = {r.id for r in load_catalogue() if not r.active}
    claimed = sorted({rid for ids in suite_map.values() for rid in ids} & withdrawn)
    assert [] == claimed
