"""Group membership: members must reference existing Users or Groups the caller can see (RFC 7643 §4.2).

RFC 7644 §3.12 (Table 9): invalidValue covers "resource references (see Section 2.3.7 of [RFC7643]) were not
valid". A member's ``type`` is set from what its ``value`` references; ``$ref`` is derived when rendering.
Membership changes alter the read-only ``groups`` of the Users involved, so their version moves too.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from conformance.emulator.core.errors import ScimError
from conformance.emulator.scim import store as rows
from conformance.emulator.scim.models import GROUPS, USERS


def _member_type(db: sqlite3.Connection, value: str, scope: str | None, group_id: str) -> str:
    user = rows.get_row(db, USERS, value, scope)
    if user is not None and not user["deleted"]:
        return "User"
    if value != group_id and rows.get_row(db, GROUPS, value, scope) is not None:
        return "Group"
    raise ScimError(400, f"Member {value!r} is not a User or Group of this service.", "invalidValue")


def resolve(db: sqlite3.Connection, model: Any, scope: str | None, group_id: str) -> list[rows.Member]:
    """The members a Group model lists, checked and typed; duplicates collapse into the first entry."""
    members: list[rows.Member] = []
    seen: set[str] = set()
    for member in model.members or []:
        value = member.value
        if not isinstance(value, str) or not value:
            raise ScimError(400, "Every member needs a 'value' (the id of a User or Group).", "invalidValue")
        if value in seen:
            continue
        seen.add(value)
        members.append((value, _member_type(db, value, scope, group_id), member.display))
    return members


def save(db: sqlite3.Connection, group_id: str, model: Any, scope: str | None, modified: str, bump: int) -> None:
    """Store a Group's members and mark the Users whose membership changed."""
    changed = rows.set_members(db, group_id, resolve(db, model, scope, group_id))
    rows.touch(db, USERS, changed, modified, bump)
