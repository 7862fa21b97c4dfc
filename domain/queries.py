"""Plain-value descriptions of aggregates and events for queries (no aggregates leak out)."""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate

from domain.calendar import WorkingCalendar
from domain.clocks import describe_clock
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


def describe_initiative(
    initiative: Initiative, today: date, calendar: WorkingCalendar
) -> dict[str, Any]:
    """The current state of an initiative as plain values, its clocks as of `today`."""
    recommended, reasons = initiative.recommended_measure()
    determined = initiative.protection["determined"]
    return {
        "id": initiative.id,
        "version": initiative.version,
        "title": initiative.title,
        "regime": str(initiative.regime),
        "status": str(initiative.status),
        "employing_organisation_id": initiative.employing_organisation_id,
        "proposer_ids": list(initiative.proposer_ids),
        "summary": initiative.summary,
        "parent_id": initiative.parent_id,
        "addressee_id": initiative.addressee_id,
        "proposal": initiative.proposal or None,
        "urgent_report": initiative.urgent or None,
        "received": initiative.received,
        "clarification": initiative.clarification,
        "party_opinion_recorded": "approval" in initiative.party_opinions,
        "evaluation_party_opinion_recorded": "evaluation" in initiative.party_opinions,
        "last_meeting": initiative.last_meeting,
        "approval": initiative.approval,
        "current_terms": initiative.terms,
        "decision": initiative.decision,
        "implementation": initiative.implementation or None,
        "resources_allocated": initiative.resources_allocated,
        "supervision": initiative.supervision,
        "obstacles": _keyed(initiative.obstacles, "version"),
        "adjustments": _keyed(initiative.adjustments, "version"),
        "result": initiative.result,
        "evaluation": initiative.evaluation,
        "protection": {
            "requests": initiative.protection["requests"],
            "recommended_measure": recommended.value if recommended else None,
            "recommendation_reasons": reasons,
            "determined_measure": determined["measure"] if determined else None,
            "mismatch": bool(
                determined and recommended and determined["measure"] != recommended.value
            ),
            "liability_outcomes": initiative.protection["liability_outcomes"],
        },
        "recognition": initiative.recognition,
        "reviews": initiative.reviews,
        "replications": _keyed(initiative.replications, "version"),
        "institutionalisation": initiative.institutionalisation,
        "corrections": initiative.corrections,
        "archive_ref": initiative.archive_ref,
        "flags": {
            "head_override": bool(
                initiative.approval and initiative.approval["basis"] == "head_override"
            ),
            "acts_outside_approval": initiative.outside_approval,
        },
        "clocks": [
            describe_clock(c["name"], c["started_on"], c["finished_on"], today, calendar)
            for c in initiative.clocks
        ],
        "created_at": initiative.created_on,
        "modified_at": initiative.modified_on,
    }


def _keyed(items: dict[str, dict[str, Any]], key: str) -> list[dict[str, Any]]:
    return [{key: int(k), **v} for k, v in sorted(items.items(), key=lambda kv: int(kv[0]))]


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


def differences(before: dict[str, Any], after: dict[str, Any], path: str = "") -> dict[str, Any]:
    """Field-by-field differences of two states: `{"a.b": {"before": x, "after": y}}`."""
    changed: dict[str, Any] = {}
    for key in sorted(set(before) | set(after), key=str):
        name = f"{path}.{key}" if path else str(key)
        old, new = before.get(key), after.get(key)
        if isinstance(old, dict) and isinstance(new, dict):
            changed.update(differences(old, new, name))
        elif old != new:
            changed[name] = {"before": old, "after": new}
    return changed
