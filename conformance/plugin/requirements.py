"""``@pytest.mark.requirement("ID", ...)``: ties a test to catalogue requirements.

Unknown IDs are a collection error. Each test's IDs are recorded as a JUnit/report property, and
``--requirements-map FILE`` writes ``{nodeid: [ids]}`` so the meta-tests can check coverage, and
``--only-requirements ID,ID`` keeps only the tests that name one of those IDs (re-check a few requirements,
or run just the tests a fault must trip).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance.requirements import load_catalogue

REQUIREMENT_PROPERTY = "requirements"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register ``--requirements-map``."""
    group = parser.getgroup("conformance")
    group.addoption("--requirements-map", default=None, help="write {test nodeid: [requirement IDs]} as JSON")
    group.addoption("--only-requirements", default=None, metavar="IDS",
                    help="run only the tests naming one of these requirement IDs (comma separated)")


def pytest_configure(config: pytest.Config) -> None:
    """Declare the marker so ``--strict-markers`` accepts it."""
    config.addinivalue_line("markers", "requirement(*ids): requirement IDs (specs/requirements) this test checks")


def requirement_ids(item: pytest.Item) -> list[str]:
    """All IDs named by the ``requirement`` markers of an item (class and function level)."""
    ids: list[str] = []
    for marker in item.iter_markers("requirement"):
        ids.extend(str(arg) for arg in marker.args)
    return sorted(set(ids))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Reject unknown IDs and record each test's IDs as a user property."""
    catalogue = load_catalogue()
    unknown = sorted({rid for item in items for rid in requirement_ids(item) if rid not in catalogue})
    if unknown:
        raise pytest.UsageError(f"tests name unknown requirement IDs: {', '.join(unknown)}")
    mapping = {}
    for item in items:
        ids = requirement_ids(item)
        if ids:
            item.user_properties.append((REQUIREMENT_PROPERTY, " ".join(ids)))
        mapping[item.nodeid] = ids
    destination = config.getoption("requirements_map")
    if destination:
        Path(destination).write_text(json.dumps(mapping, indent=1, sort_keys=True))
    _keep_only(config, items, mapping)


def _keep_only(config: pytest.Config, items: list[pytest.Item], mapping: dict[str, list[str]]) -> None:
    wanted = {rid.strip() for rid in (config.getoption("only_requirements") or "").split(",") if rid.strip()}
    if not wanted:
        return
    unknown = sorted(wanted - set(load_catalogue_ids()))
    if unknown:
        raise pytest.UsageError(f"--only-requirements names unknown requirement IDs: {', '.join(unknown)}")
    selected = [item for item in items if wanted & set(mapping[item.nodeid])]
    deselected = [item for item in items if not wanted & set(mapping[item.nodeid])]
    config.hook.pytest_deselected(items=deselected)
    items[:] = selected


def load_catalogue_ids() -> list[str]:
    """Every requirement ID of the catalogue."""
    return [requirement.id for requirement in load_catalogue()]
