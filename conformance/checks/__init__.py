"""Reusable assertions: each raises ``RequirementFailure`` naming its requirement, level and evidence."""

from conformance.checks.core import fail, require

__all__ = ["fail", "require"]
