"""Identity Service Conformance Kit.

Proves that an Omnissa Identity Service tenant (or the kit's own emulator) behaves as the published
contract says. See ARCHITECTURE.md for the nouns and layers.
"""

from conformance.errors import CatalogueError, ConfigError, KitError, TargetUnavailable
from conformance.requirements import Catalogue, Level, Requirement, load_catalogue
from conformance.results import RequirementFailure

__version__ = "0.1.0"

__all__ = [
    "Catalogue",
    "CatalogueError",
    "ConfigError",
    "KitError",
    "Level",
    "Requirement",
    "RequirementFailure",
    "TargetUnavailable",
    "__version__",
    "load_catalogue",
]
