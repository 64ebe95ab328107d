"""TargetConfig rejects bad values with a ConfigError and derives the run prefix."""

from __future__ import annotations

import pytest

from conformance.errors import ConfigError
from conformance.target.config import TargetConfig


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"base_url": "ftp://x"}, "http"),
        ({"base_url": "http://x", "profile": "okta"}, "unknown profile"),
        ({"base_url": "http://x", "mime_phase": "soon"}, "unknown MIME phase"),
    ],
)
def test_bad_values_are_config_errors(kwargs: dict[str, str], message: str) -> None:
    """Each bad value is refused with a message naming it."""
    with pytest.raises(ConfigError, match=message):
        TargetConfig(**kwargs)


def test_resource_prefix_carries_the_run_id() -> None:
    """Every resource a run creates is named ctk-<run id>-..."""
    assert "ctk-abc123-" == TargetConfig(base_url="https://t.example", run_id="abc123").resource_prefix


def test_secrets_are_hidden_from_repr() -> None:
    """The secret never shows in a repr (assertion rewriting, logs)."""
    config = TargetConfig(base_url="https://t.example", client_secret="do-not-print-me")
    assert "do-not-print-me" not in repr(config)
