"""How one emulator instance is configured (flags of ``conformance emulator``)."""

from __future__ import annotations

from dataclasses import dataclass, field

MIME_PHASES = ("legacy", "transition", "json")
MAX_BODY_BYTES = 1_048_576  # 1 MiB: larger request bodies get 413 in the operation's error dialect


@dataclass(frozen=True)
class Settings:
    """Everything that varies between emulator instances."""

    db: str = "conformance-emulator.sqlite3"
    fqdn: str = "localhost"
    mime_phase: str = "transition"
    bootstrap_client_id: str = "bootstrap-admin"
    bootstrap_client_secret: str | None = field(default=None, repr=False)
    faults: tuple[str, ...] = ()
    control: bool = False
    max_body_bytes: int = MAX_BODY_BYTES

    def __post_init__(self) -> None:
        if self.mime_phase not in MIME_PHASES:
            raise ValueError(f"unknown MIME phase {self.mime_phase!r}; choose one of {', '.join(MIME_PHASES)}")
