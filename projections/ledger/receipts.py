"""Receipts: one event's tlog-proof bundled with its stored record (and the directory event
that gave its actor the authority they acted under), all under the latest checkpoint."""

from __future__ import annotations

import base64
import json
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

from domain.directory import Position, position_from
from domain.queries import describe_event
from domain.values import local_date
from projections.ledger import leaf, merkle
from projections.ledger.integrity import RecordIntegrityError
from projections.ledger.note import proof_text
from projections.ledger.store import LedgerStore, StoredCheckpoint
from projections.ledger.verify import RECEIPT_FORMAT
from projections.view import dumps


class NotYetProvableError(Exception):
    """The event is not sealed or not covered by a checkpoint yet."""


def build_receipt(
    app: Application[UUID],
    store: LedgerStore,
    aggregate_id: UUID,
    version: int,
    under: StoredCheckpoint | None = None,
) -> dict[str, Any]:
    """The receipt of one event under `under` (default: the latest checkpoint)."""
    found = store.leaf(aggregate_id, version)
    if found is None:
        raise NotYetProvableError("the event is not sealed into the ledger yet")
    checkpoint = under or store.latest()
    if checkpoint is None or checkpoint.size <= found["index"]:
        raise NotYetProvableError("the event is sealed but no checkpoint covers it yet")
    return _receipt(app, store, aggregate_id, version, found, checkpoint, with_authority=True)


def _receipt(
    app: Application[UUID],
    store: LedgerStore,
    aggregate_id: UUID,
    version: int,
    found: dict[str, Any],
    checkpoint: StoredCheckpoint,
    with_authority: bool,
) -> dict[str, Any]:
    stored = app.recorder.select_events(aggregate_id, gt=version - 1, lte=version)
    if not stored:
        raise RecordIntegrityError(
            aggregate_id, version, f"was removed from the event store (leaf {found['index']})"
        )
    record = leaf.StoredRecord(aggregate_id, version, stored[0].topic, stored[0].state)
    leaf_input = leaf.encode(record)
    if merkle.leaf_hash(leaf_input) != found["leaf_hash"]:
        raise RecordIntegrityError(
            aggregate_id, version, f"no longer matches its leaf {found['index']}"
        )
    hashes = store.inclusion(found["index"], checkpoint.size)
    event = cast(Aggregate.Event, app.mapper.to_domain_event(stored[0]))
    receipt: dict[str, Any] = {
        "format": RECEIPT_FORMAT,
        "tlog_proof": proof_text(found["index"], hashes, checkpoint.note),
        "record": {
            "aggregate_id": str(aggregate_id),
            "version": version,
            "topic": record.topic,
            "state_base64": base64.b64encode(record.state).decode(),
        },
        "leaf_input": base64.b64encode(leaf_input).decode(),
        "event": json.loads(dumps(describe_event(event))),
        "authority": None,
    }
    actor = getattr(event, "actor", None)
    if with_authority and actor:
        source = _authorising_event(app, store, actor, event.timestamp, found["index"])
        if source is not None:
            org_id, org_version, org_leaf = source
            receipt["authority"] = _receipt(
                app, store, org_id, org_version, org_leaf, checkpoint, with_authority=False
            )
    return receipt


def _authorising_event(
    app: Application[UUID], store: LedgerStore, actor: dict[str, str], when: Any, before: int
) -> tuple[UUID, int, dict[str, Any]] | None:
    """The directory event that last set the position the actor acted under."""
    org_id = UUID(actor["organisation_id"])
    leaves = store.leaves_of(org_id)
    positions: dict[str, tuple[Position, int]] = {}
    for event in app.events.get(org_id):
        if leaves.get(event.originator_version, before) >= before:
            break
        fields = event.__dict__
        if "position" in fields:
            positions[fields["position"]["key"]] = (
                position_from(fields["position"]),
                event.originator_version,
            )
        elif "changes" in fields and fields.get("key") in positions:
            current, _ = positions[fields["key"]]
            merged = {**current.as_dict(), **fields["changes"]}
            positions[fields["key"]] = (position_from(merged), event.originator_version)
    day = local_date(when)
    held = [
        (version, position)
        for position, version in positions.values()
        if str(position.person_id) == actor["person_id"]
        and position.role.value == actor["role"]
        and position.held_on(day)
    ]
    if not held:
        return None
    version = max(v for v, _ in held)
    found = store.leaf(org_id, version)
    return (org_id, version, found) if found else None
