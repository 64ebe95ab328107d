"""The end of a run on a target: replay the run's ledgers, then look for anything still named with its prefix.

``sweep`` is what the pytest plugin runs once per session, after every worker is done (crashed ones included):
the replay deletes what a process registered and did not remove; the leak check (``find_leftovers``) then
lists everything named ``ctk-<run-id>-…`` that is still there.

When a process of the run was interrupted or crashed, what the leak check finds is deleted too: a process killed
between the target creating a resource and the ledger line being written leaves one nobody registered, and the
name proves it is the run's. In a run that ended normally nothing is deleted by name: a resource nobody
registered is then a bug of the suite, and the run fails naming it (``conformance cleanup --run-id ID`` removes it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from conformance.errors import KitError
from conformance.housekeeping.ledger import Ledger, replay
from conformance.housekeeping.leftovers import FAMILIES, SCIM_BASE, Leftover, describe, find_leftovers, remove_leftovers
from conformance.housekeeping.tracking import TrackedResource
from conformance.target.client import TargetClient


def run_id_of(prefix: str) -> str:
    """``abc123`` of ``ctk-abc123-``."""
    return prefix.removeprefix("ctk-").removesuffix("-")


@dataclass
class SweepOutcome:
    """What the end-of-run sweep did and found for one run prefix."""

    prefix: str
    target: str
    replayed: int = 0
    failed: list[TrackedResource] = field(default_factory=list)
    removed: list[Leftover] = field(default_factory=list)
    remaining: list[Leftover] = field(default_factory=list)
    error: str = ""

    @property
    def clean(self) -> bool:
        """Nothing with the prefix is left, and the check could look."""
        return not (self.failed or self.remaining or self.error)

    def line(self) -> str:
        """One line for the terminal: the verdict of the leak check."""
        command = f"`conformance cleanup --run-id {run_id_of(self.prefix)}`"
        if self.error:
            return f"conformance leak check could not finish: {self.error}; remove what the run left with {command}"
        if self.remaining or self.failed:
            names = describe(self.remaining) if self.remaining else ", ".join(r.delete_path for r in self.failed[:10])
            count = len(self.remaining) or len(self.failed)
            return (f"conformance leak check FAILED: {count} resource(s) named {self.prefix}* are still on "
                    f"{self.target}: {names}; remove them with {command}")
        removed = [f"{self.replayed} removed from the ledgers of stopped or crashed processes"] * bool(self.replayed)
        removed += [f"{len(self.removed)} more found by name"] * bool(self.removed)
        return (f"conformance leak check: no resource named {self.prefix}* is left on {self.target}"
                + (f" ({', '.join(removed)})" if removed else ""))


def sweep(client: TargetClient, token: Callable[[], str], ledgers: list[Ledger], *, interrupted: bool = False,
          families: tuple[str, ...] = FAMILIES, scim_base: str = SCIM_BASE) -> SweepOutcome:
    """Replay ``ledgers`` (all of one run prefix) and run the leak check, deleting what it finds when a process
    was ``interrupted``; target trouble ends in ``error``."""
    prefix = ledgers[0].prefix
    outcome = SweepOutcome(prefix, client.redactor.url(client.target.base_url),
                           replayed=sum(len(ledger.pending) for ledger in ledgers))
    try:
        bearer = token()
        if outcome.replayed:
            outcome.failed = replay(client, bearer, ledgers)
        outcome.remaining = find_leftovers(client, bearer, prefix, families=families, scim_base=scim_base)
        if interrupted and outcome.remaining:
            outcome.removed = outcome.remaining
            remove_leftovers(client, bearer, outcome.removed)
            outcome.remaining = find_leftovers(client, bearer, prefix, families=families, scim_base=scim_base)
    except KitError as exc:
        outcome.error = exc.one_line().removeprefix("error: ")
    return outcome
