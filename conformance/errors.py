"""Tool errors: "we could not test", never "the target is wrong".

    KitError
     ├── ConfigError          bad flag, bad config file, unknown profile, missing credentials
     ├── CatalogueError       the requirement catalogue is malformed or names an unknown ID
     └── TargetUnavailable    connection refused, timeout, TLS failure, 5xx storm, 429 past retries

Conformance failures are ``conformance.results.RequirementFailure`` (an ``AssertionError``); the two
families never mix, so a report can tell "NOT CONFORMANT" from "could not certify".
"""

from __future__ import annotations


class KitError(Exception):
    """Base of every error the kit raises about itself or its environment."""

    exit_code = 2

    def one_line(self) -> str:
        """The message shown to a user: one line, no stack trace."""
        return f"error: {self}".splitlines()[0]


class ConfigError(KitError):
    """The kit was configured wrongly (flags, environment, files)."""


class CatalogueError(KitError):
    """The requirement catalogue under specs/requirements/ is inconsistent."""


class TargetUnavailable(KitError):
    """The system under test could not be reached or kept failing: not a conformance verdict."""

    exit_code = 3
