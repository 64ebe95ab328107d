"""Client secret rotation (S1 rotateSecretForOAuth2ClientById).

"The rotation is started using the start-rotate-secret action and it ends by explicitly calling the API with the
retire-primary-secret action, or implicitly when the auto rotation duration expires. During the rotation, both the
primary and secondary secrets can be used for the client credentials. When the rotation ends, the secondary secret
will become the primary secret." ``secondary_secret`` is "mandatory when starting a secret rotation";
``primary_secret_auto_retire_duration`` is minutes, 0-10080, default 1440. The automatic end is applied lazily:
whenever the client is read for authentication or administration.
"""

from __future__ import annotations

from typing import Any

from conformance.emulator.acs import faults
from conformance.emulator.acs.errors import ROTATION_NOT_STARTED, ROTATION_STARTED, admin_error, field_invalid
from conformance.emulator.acs.errors import field_required as required
from conformance.emulator.acs.resource import save
from conformance.emulator.acs.validation import SECRET, integer
from conformance.emulator.core.clients import ClientRecord, get_client, hash_secret
from conformance.emulator.core.context import Context

START = "start-rotate-secret"
RETIRE = "retire-primary-secret"
ACTIONS = (START, RETIRE)
DEFAULT_RETIRE_MINUTES = 1440
MAX_RETIRE_MINUTES = 10080


def in_progress(record: ClientRecord) -> bool:
    """A rotation was started and has not ended."""
    return record.resource.get("rotate_secret") is True


def _due(ctx: Context, record: ClientRecord) -> bool:
    return in_progress(record) and ctx.clock.now() >= float(record.resource.get("primary_secret_auto_retires_at", 0))


def settle(ctx: Context, client_id: str) -> ClientRecord | None:
    """The client, after ending a rotation whose primary secret has reached its retirement time."""
    record = get_client(ctx.store, client_id)
    if record is None or not _due(ctx, record):
        return record
    with ctx.store.tx() as db:
        return settle_in(ctx, db, client_id)


def settle_in(ctx: Context, db: Any, client_id: str) -> ClientRecord | None:
    """``settle`` inside an open transaction."""
    record = get_client(ctx.store, client_id)
    if record is not None and _due(ctx, record):
        _finish(ctx, db, record)
        record = get_client(ctx.store, client_id)
    return record


def start(ctx: Context, db: Any, record: ClientRecord, body: Any) -> None:
    """Begin a rotation: the secondary secret authenticates alongside the primary until the primary retires."""
    if in_progress(record):
        raise admin_error(400, ROTATION_STARTED, oauth2_client_id=record.client_id)
    options = body if isinstance(body, dict) else {}
    if "secondary_secret" not in options:
        raise required("secondary_secret", " to start a secret rotation")
    secondary = options["secondary_secret"]
    if not isinstance(secondary, str) or not 1 <= len(secondary) <= 4096 or not SECRET.match(secondary):
        raise field_invalid("secondary_secret", "must be 1 to 4096 printable ASCII characters")
    minutes = integer(options.get("primary_secret_auto_retire_duration", DEFAULT_RETIRE_MINUTES))
    if minutes is None or not 0 <= minutes <= MAX_RETIRE_MINUTES:
        raise field_invalid("primary_secret_auto_retire_duration",
                            f"must be an integer number of minutes from 0 to {MAX_RETIRE_MINUTES}")
    resource = {**record.resource, "rotate_secret": True,
                "primary_secret_auto_retires_at": int(ctx.clock.now()) + minutes * 60}
    db.execute("UPDATE oauth2_clients SET secondary_secret_hash = ? WHERE client_id = ?",
               (hash_secret(secondary), record.client_id))
    save(db, record.client_id, resource)


def retire(ctx: Context, db: Any, record: ClientRecord) -> None:
    """End the rotation now (400 when none is in progress)."""
    if not in_progress(record):
        raise admin_error(400, ROTATION_NOT_STARTED, oauth2_client_id=record.client_id)
    _finish(ctx, db, record)


def _finish(ctx: Context, db: Any, record: ClientRecord) -> None:
    kept = record.secret_hash if ctx.faults.on(faults.OLD_SECRET_KEPT) else None
    db.execute("UPDATE oauth2_clients SET secret_hash = ?, secondary_secret_hash = ? WHERE client_id = ?",
               (record.secondary_secret_hash or record.secret_hash, kept, record.client_id))
    save(db, record.client_id, {**record.resource, "rotate_secret": False, "primary_secret_auto_retires_at": 0})
