"""Stateful test of specs/oauth2-clients.yaml: create -> read -> change / rotate -> delete over the spec's links,
with run-prefixed client ids; every scenario deletes what it created."""

from __future__ import annotations

import pytest

from conformance.plugin.properties import CONTRACT_IDS, load_spec, run_stateful


@pytest.mark.requirement(*CONTRACT_IDS, "CONTRACT-007", "CONTRACT-008")
def test_oauth2_client_lifecycle_over_links(property_run):
    """A client created with random valid data is readable at once, accepts the linked changes and is gone after
    its delete; every step's answer conforms to the spec."""
    assert 0 < run_stateful(load_spec("oauth2-clients.yaml"), property_run)
