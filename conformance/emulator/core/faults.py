"""Faults: named, deliberate deviations from the contract, switched on with ``--fault NAME``.

Each fault is a small object declaring the requirement IDs it must trip; families declare theirs in their own
``faults.py`` with ``declare(...)`` and test ``ctx.faults.on(FAULT)`` at the one place the deviation happens. The
registry is the catalogue (``conformance emulator --list-faults``); the kit's meta-tests start the emulator with each
fault and check that the suite fails on one of the declared requirements.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fault:
    """One deliberate deviation."""

    name: str
    family: str
    requirements: tuple[str, ...]
    description: str


REGISTRY: dict[str, Fault] = {}


def declare(name: str, family: str, requirements: list[str], description: str) -> Fault:
    """Register a fault (at import time of the family's ``faults`` module)."""
    if name in REGISTRY:
        raise ValueError(f"fault {name!r} declared twice")
    fault = Fault(name, family, tuple(requirements), description)
    REGISTRY[name] = fault
    return fault


class ActiveFaults:
    """The faults this instance was started with."""

    def __init__(self, names: tuple[str, ...] = ()) -> None:
        unknown = sorted(set(names) - set(REGISTRY))
        if unknown:
            raise ValueError(f"unknown fault(s): {', '.join(unknown)}; see --list-faults")
        self.names = frozenset(names)

    def on(self, fault: Fault) -> bool:
        """Is this fault switched on?"""
        return fault.name in self.names

    def __bool__(self) -> bool:
        return bool(self.names)
