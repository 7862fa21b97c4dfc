"""Receipts: one event's tlog-proof bundled with its stored record and, for an act, the proof
of its actor's authority — every directory event of the organisation they acted for up to the
act, the next one if it exists, and the organisation's latest version in the checkpoint's
index — all under one checkpoint (docs/ledger.md §4)."""

from __future__ import annotations

import base64
import json
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

from domain.queries import describe_event
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
    stored, record = _proven_record(app, aggregate_id, version, found)
    event = cast(Aggregate.Event, app.mapper.to_domain_event(stored))
    hashes = store.inclusion(found["index"], checkpoint.size)
    leaf_input = leaf.encode(record)
    receipt: dict[str, Any] = {
        "format": RECEIPT_FORMAT,
        "tlog_proof": proof_text(found["index"], hashes, checkpoint.note),
        "record": record_json(record),
        "leaf_input": base64.b64encode(leaf_input).decode(),
        "event": json.loads(dumps(describe_event(event))),
        "authority": None,
    }
    actor = getattr(event, "actor", None)
    if isinstance(actor, dict) and actor.get("organisation_id"):
        receipt["authority"] = _authority(
            app, store, UUID(str(actor["organisation_id"])), found["index"], checkpoint
        )
    return receipt


def _stored(app: Application[UUID], aggregate_id: UUID, version: int) -> Any:
    stored = app.recorder.select_events(aggregate_id, gt=version - 1, lte=version)
    if not stored:
        raise RecordIntegrityError(aggregate_id, version, "was removed from the event store")
    return stored[0]


def _proven_record(
    app: Application[UUID], aggregate_id: UUID, version: int, found: dict[str, Any]
) -> tuple[Any, leaf.StoredRecord]:
    """The stored event and its record, refused unless it still encodes to its sealed leaf."""
    stored = _stored(app, aggregate_id, version)
    record = leaf.StoredRecord(aggregate_id, version, stored.topic, stored.state)
    if merkle.leaf_hash(leaf.encode(record)) != found["leaf_hash"]:
        raise RecordIntegrityError(
            aggregate_id, version, f"no longer matches its leaf {found['index']}"
        )
    return stored, record


def record_json(record: leaf.StoredRecord) -> dict[str, Any]:
    """A stored record as a receipt holds it."""
    return {
        "aggregate_id": str(record.aggregate_id),
        "version": record.version,
        "topic": record.topic,
        "state_base64": base64.b64encode(record.state).decode(),
    }


def _authority(
    app: Application[UUID],
    store: LedgerStore,
    organisation_id: UUID,
    act_index: int,
    checkpoint: StoredCheckpoint,
) -> dict[str, Any]:
    """The organisation's directory events up to the act, the next one, its latest version."""
    leaves = store.leaves_of(organisation_id)
    before = sorted(v for v, i in leaves.items() if i < act_index)
    last = before[-1] if before else 0
    events = [_proven(app, store, organisation_id, v, checkpoint) for v in range(1, last + 1)]
    following = leaves.get(last + 1)
    return {
        "organisation_id": str(organisation_id),
        "events": events,
        "next": (
            _proven(app, store, organisation_id, last + 1, checkpoint)
            if following is not None and following < checkpoint.size
            else None
        ),
        "latest": store.index_proof(organisation_id, checkpoint.size),
    }


def _proven(
    app: Application[UUID],
    store: LedgerStore,
    aggregate_id: UUID,
    version: int,
    checkpoint: StoredCheckpoint,
) -> dict[str, Any]:
    """One record with its inclusion proof under the receipt's checkpoint."""
    found = store.leaf(aggregate_id, version)
    if found is None:
        raise NotYetProvableError(f"directory event {aggregate_id} v{version} is not sealed")
    _, record = _proven_record(app, aggregate_id, version, found)
    hashes = store.inclusion(found["index"], checkpoint.size)
    return {
        "index": found["index"],
        "hashes": [base64.b64encode(h).decode() for h in hashes],
        "record": record_json(record),
    }
