"""Plain-value descriptions of aggregates and events for queries (no aggregates leak out)."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import Aggregate

from domain.directory import Organisation
from domain.initiative import Initiative

# Fields every stored event has; the rest of an event is its data.
_ENVELOPE = {
    "originator_id",
    "originator_version",
    "timestamp",
    "actor",
    "request_id",
    "originator_topic",
}


def describe_initiative(initiative: Initiative) -> dict[str, Any]:
    """The current state of an initiative as plain values."""
    return {
        "id": initiative.id,
        "version": initiative.version,
        "title": initiative.title,
        "regime": initiative.regime.value,
        "status": initiative.status.value,
        "employing_organisation_id": initiative.employing_organisation_id,
        "proposer_ids": list(initiative.proposer_ids),
        "summary": initiative.summary,
        "addressee_id": initiative.addressee_id,
        "proposal": initiative.proposal or None,
        "received": initiative.received,
        "clarification": initiative.clarification,
        "party_opinion_recorded": "approval" in initiative.party_opinions,
        "last_meeting": initiative.last_meeting,
        "approval": initiative.approval,
        "decision": initiative.decision,
        "created_at": initiative.created_on,
        "modified_at": initiative.modified_on,
    }


def describe_event(event: Aggregate.Event) -> dict[str, Any]:
    """One event as a history entry: version, type, time, actor and data."""
    fields = event.__dict__
    return {
        "version": event.originator_version,
        "type": type(event).__name__,
        "recorded_at": event.timestamp,
        "actor": fields.get("actor"),
        "request_id": fields.get("request_id"),
        "data": {k: v for k, v in fields.items() if k not in _ENVELOPE},
    }


def describe_organisation(org: Organisation) -> dict[str, Any]:
    """An organisation with its positions."""
    return {
        "id": org.id,
        "key": org.key,
        **org.details,
        "positions": [p.as_dict() for p in org.positions.values()],
    }
