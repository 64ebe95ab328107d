"""The kit's pytest plugin, registered through the ``pytest11`` entry point.

It only wires the small plugin modules under ``conformance.plugin`` together, so ``pytest --target URL``
works from any directory once the kit is installed.
"""

from __future__ import annotations

pytest_plugins = [
    "conformance.plugin.options",
    "conformance.plugin.requirements",
    "conformance.plugin.hypothesis_profiles",
    "conformance.plugin.target",
    "conformance.plugin.fixtures",
    "conformance.plugin.scim",
    "conformance.plugin.clients",
    "conformance.plugin.authz",
    "conformance.plugin.properties",
    "conformance.plugin.reporting",
    "conformance.plugin.cleanup",
]
