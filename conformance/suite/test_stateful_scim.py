"""Stateful tests of specs/scim.yaml with the admin token: create -> read -> replace / patch -> delete for Users and
for Groups over the spec's links. userNames are run-prefixed in the session directory's domain and display names
run-prefixed; every scenario deletes what it created."""

from __future__ import annotations

import pytest

from conformance.plugin.properties import CONTRACT_IDS, load_spec, run_stateful


@pytest.mark.requirement(*CONTRACT_IDS, "CONTRACT-008", "SCIM-025")
def test_scim_user_lifecycle_over_links(property_run, scim_domain):
    """A User created with random valid data is readable at once, accepts the linked PUT and PATCH, and is gone
    after its delete; every step's answer conforms to the spec."""
    schema = load_spec("scim.yaml").include(path_regex="^/usergroup/scim/v2/Users(/\\{id\\})?$")
    assert 0 < run_stateful(schema, property_run, domain=scim_domain)


@pytest.mark.requirement(*CONTRACT_IDS, "CONTRACT-008", "SCIM-025")
def test_scim_group_lifecycle_over_links(property_run, scim_domain):
    """A Group created with random valid data is readable at once, accepts the linked PUT and PATCH, and is gone
    after its delete; every step's answer conforms to the spec."""
    schema = load_spec("scim.yaml").include(path_regex="^/usergroup/scim/v2/Groups(/\\{id\\})?$")
    assert 0 < run_stateful(schema, property_run, domain=scim_domain)
