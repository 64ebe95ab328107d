"""Where a User lives: the sync token's directory, or (admin token) the directory owning its userName's domain.

Seed 003 (Troubleshooting) names the two refusals, which the SCIM v2 service answers as 400 invalidValue:
"USER DOMAIN NAME SPECIFIED FOR THE USER RESOURCE DOESN'T BELONG TO THE DIRECTORY" (the domain after '@' is not
one of the directory's domains, or no directory owns it) and "USER CREATION IS NOT SUPPORTED FOR SPECIFIED
DIRECTORY ID" (the directory is a JIT one, not a provisioned one).
"""

from __future__ import annotations

from typing import Any

from conformance.emulator.core.context import Context
from conformance.emulator.core.errors import ScimError
from conformance.emulator.core.tokens import Principal
from conformance.emulator.directories.store import directory_for_domain, get_directory

NOT_IN_DIRECTORY = "User domain name specified for the user resource doesn't belong to the directory."
JIT_REFUSED = "User creation is not supported for specified directory id."
JIT_TYPE = "JIT"


def domain_of(user_name: str) -> str:
    """The lower-cased domain after the last '@' of a userName ('' when there is none)."""
    local, at, domain = user_name.rpartition("@")
    return domain.strip().lower() if at and local else ""


def _domains(directory: dict[str, Any]) -> set[str]:
    if directory.get("delete_in_progress"):  # a directory being deleted owns nothing any more
        return set()
    return {str(domain).lower() for domain in directory.get("domains") or []}


def _not_in_directory(user_name: str) -> ScimError:
    return ScimError(400, f"{NOT_IN_DIRECTORY} (userName {user_name!r})", "invalidValue")


def _refuse_jit(directory: dict[str, Any]) -> None:
    if str(directory.get("type", "")).upper() == JIT_TYPE:
        raise ScimError(400, f"{JIT_REFUSED} (directory {directory.get('id')} is of type JIT)", "invalidValue")


def directory_for_new_user(ctx: Context, principal: Principal, user_name: str) -> str:
    """The id of the directory a new User is created in, or 400 invalidValue as seed 003 words it."""
    domain = domain_of(user_name)
    if principal.directory_id is not None:
        directory = get_directory(ctx.store, principal.directory_id)
        if directory is None:
            raise _not_in_directory(user_name)
        _refuse_jit(directory)
        if domain not in _domains(directory):
            raise _not_in_directory(user_name)
        return str(directory["id"])
    directory = directory_for_domain(ctx.store, domain) if domain else None
    if directory is None or domain not in _domains(directory):
        raise _not_in_directory(user_name)
    _refuse_jit(directory)
    return str(directory["id"])


def check_domain(ctx: Context, directory_id: str | None, user_name: str) -> None:
    """A renamed User keeps a userName in its own directory's domains (400 invalidValue otherwise)."""
    directory = get_directory(ctx.store, directory_id) if directory_id else None
    if directory is None or domain_of(user_name) not in _domains(directory):
        raise _not_in_directory(user_name)
