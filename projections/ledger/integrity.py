"""Nothing served unproven: before an initiative's record is served, its stored events are
checked against the ledger (docs/ledger.md §6).

Every stored event of the aggregate must be an authenticated act; a sealed one must encode to
its leaf; an unsealed one must be younger than the sealing grace period (the sealer is
running); every leaf of the aggregate must still have its event. Two indexed reads.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from eventsourcing.application import Application

from projections.db import Database
from projections.ledger import leaf, merkle
from projections.ledger.act_mapper import keys_of
from projections.ledger.acts import ActError, record_of
from projections.ledger.leaf import plain_state


class RecordIntegrityError(ActError):
    """A stored event does not match the ledger: changed, forged, removed or never sealed
    (an act that is not authenticated is one case of it)."""

    @classmethod
    def of(cls, error: ActError) -> RecordIntegrityError:
        """The integrity failure an unauthenticated act is."""
        return cls(error.aggregate_id, error.version, error.reason)


def check_record(
    app: Application[UUID],
    db: Database,
    aggregate_id: UUID,
    now: datetime,
    grace: float,
    wall: datetime | None = None,
) -> None:
    """RecordIntegrityError naming the first event of `aggregate_id` the ledger does not cover.

    An unsealed act is overdue when the sealer has already passed its log position, or when it
    was recorded more than `grace` seconds before `now` (the service's clock) and the sealer
    has not committed anything for `grace` seconds of wall time (`wall`, default the real
    clock): a sealer that is running but behind is lag, not a failure.
    """
    keys = keys_of(app.mapper)
    if keys is None:
        raise ValueError("checking a record needs the act verifier keys")
    # The sealer's position first: leaves up to it were committed with it, so none is missed.
    tracked = db.query(
        "SELECT position, updated_at FROM projection_tracking WHERE view = 'ledger'"
    )
    sealer = tracked[0] if tracked else None
    sealed = {
        int(r["version"]): (int(r["idx"]), bytes(r["leaf_hash"]))
        for r in db.query(
            "SELECT version, idx, leaf_hash FROM ledger_leaves WHERE aggregate_id = ?",
            (str(aggregate_id),),
        )
    }
    for stored in app.recorder.select_events(aggregate_id):
        record = record_of(stored)
        try:
            body = keys.open(record)
        except ActError as error:
            raise RecordIntegrityError.of(error) from None
        found = sealed.pop(record.version, None)
        if found is not None:
            index, digest = found
            if merkle.leaf_hash(leaf.encode(record)) != digest:
                raise RecordIntegrityError(
                    aggregate_id, record.version, f"no longer matches its leaf {index}"
                )
            continue
        if sealer is None:
            continue  # the sealer has not started yet: nothing can be sealed
        if _position(db, aggregate_id, record.version) <= int(sealer["position"]):
            raise RecordIntegrityError(
                aggregate_id, record.version, "was passed by the sealer without being sealed"
            )
        recorded = _recorded_at(body)
        late = recorded is None or (now - recorded).total_seconds() > grace
        idle = (wall or datetime.now(tz=UTC)) - datetime.fromisoformat(str(sealer["updated_at"]))
        if late and idle.total_seconds() > grace:
            raise RecordIntegrityError(
                aggregate_id,
                record.version,
                f"has not been sealed into the ledger within {grace:g} s",
            )
    for version, (index, _) in sorted(sealed.items()):
        raise RecordIntegrityError(
            aggregate_id, version, f"was removed from the event store (leaf {index})"
        )


def _position(db: Database, aggregate_id: UUID, version: int) -> int:
    """The log position (notification id) of one stored event."""
    table = db.storage.events_table
    if db.kind == "sqlite":
        rows = db.query(
            f"SELECT rowid AS p FROM {table} WHERE originator_id = ? AND originator_version = ?",
            (aggregate_id.hex, version),
        )
    else:
        rows = db.query(
            f"SELECT notification_id AS p FROM {table} WHERE originator_id = ?"
            " AND originator_version = ?",
            (str(aggregate_id), version),
        )
    return int(rows[0]["p"]) if rows else 0


def _recorded_at(body: bytes) -> datetime | None:
    """The server timestamp an act carries (None when it has none or it is not a time)."""
    stamp = plain_state(body).get("timestamp")  # the body of an act the service signed
    if not isinstance(stamp, str):
        return None
    try:
        return datetime.fromisoformat(stamp)
    except ValueError:
        return None
