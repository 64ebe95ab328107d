"""Legacy directory configurations: seed 003's directory of type Other."""

from __future__ import annotations

import pytest

from conformance.checks import scim as check
from conformance.checks.core import require

DIRECTORIES = "/SAAS/jersey/manager/api/connectormanagement/directoryconfigs"
LIST_TYPE = "application/vnd.vmware.horizon.manager.connector.management.directory.list+json"


@pytest.mark.requirement("LEGACY-008")
def test_directory_of_type_other_is_created_and_listed(client, legacy_token, legacy_directory):
    """Seed 003's POST (vendor media type) created an OTHER_DIRECTORY that the directory list shows."""
    require("LEGACY-008", "OTHER_DIRECTORY" == legacy_directory.get("type"), f"type {legacy_directory.get('type')!r}")
    response = client.get(DIRECTORIES, token=legacy_token, params={"includeJitDirectories": "true"},
                          headers={"Accept": LIST_TYPE})
    items = check.json_object("LEGACY-008", response).get("items") or []
    check.status_is("LEGACY-008", response, 200)
    listed = {item.get("directoryId"): item for item in items}
    require("LEGACY-008", legacy_directory["directoryId"] in listed, "the new directory is not listed", response)
    require("LEGACY-008", legacy_directory["name"] == listed[legacy_directory["directoryId"]].get("name"),
            "the listed name differs", response)
