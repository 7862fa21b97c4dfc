"""Plain-value descriptions of aggregates and events for queries (no aggregates leak out)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from eventsourcing.domain import Aggregate

from domain.calendar import WorkingCalendar
from domain.clocks import describe_clock
from domain.directory import Organisation
from domain.directory_payloads import OrganisationAnswer
from domain.initiative import Initiative
from domain.initiative_state import Plain, State, keyed

# Fields every stored event has; the rest of an event is its data.
_ENVELOPE = {
    "originator_id",
    "originator_version",
    "timestamp",
    "actor",
    "request_id",
    "originator_topic",
}


def describe_initiative(initiative: Initiative, today: date, calendar: WorkingCalendar) -> Plain:
    """The current state of an initiative as plain values, its clocks as of `today`."""
    recommended, reasons = initiative.recommended_measure()
    protection = initiative.protection
    determined = protection.determined
    approval = initiative.approval
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
        # The organisation that decides what follows: the one that approved, or its successor.
        "authority_id": initiative.authority_id,
        "proposal": initiative.proposal or None,
        "urgent_report": initiative.urgent or None,
        "received": _plain(initiative.received),
        "clarification": _plain(initiative.clarification),
        "party_opinion_recorded": "approval" in initiative.party_opinions,
        "evaluation_party_opinion_recorded": "evaluation" in initiative.party_opinions,
        "last_meeting": _plain(initiative.last_meeting),
        "approval": _plain(approval),
        "current_terms": _plain(initiative.terms),
        "decision": _plain(initiative.decision),
        "implementation": initiative.implementation.as_dict() or None,
        "resources_allocated": _plains(initiative.resources_allocated),
        "supervision": initiative.supervision.as_dict(),
        "obstacles": keyed(initiative.obstacles, "version"),
        "adjustments": keyed(initiative.adjustments, "version"),
        "result": _plain(initiative.result),
        "evaluation": _plain(initiative.evaluation),
        "protection": {
            "requests": _plains(protection.requests),
            "recommended_measure": recommended.value if recommended else None,
            "recommendation_reasons": reasons,
            "determined_measure": determined.measure if determined else None,
            "mismatch": bool(
                determined and recommended and determined.measure != recommended.value
            ),
            "liability_outcomes": _plains(protection.liability_outcomes),
        },
        "recognition": initiative.recognition.as_dict(),
        "reviews": _plains(initiative.reviews),
        "replications": keyed(initiative.replications, "version"),
        "institutionalisation": _plains(initiative.institutionalisation),
        "corrections": _plains(initiative.corrections),
        "handovers": _plains(initiative.handovers),
        "archive_ref": initiative.archive_ref,
        "flags": {
            "head_override": bool(approval and approval.basis == "head_override"),
            "acts_outside_approval": _plains(initiative.outside_approval),
        },
        "clocks": [
            {
                **describe_clock(c.name, c.started_on, c.finished_on, today, calendar),
                "obstacle_version": c.obstacle_version,
            }
            for c in initiative.clocks
        ],
        "created_at": initiative.created_on,
        "modified_at": initiative.modified_on,
    }


def _plain(value: State | None) -> Plain | None:
    return value.as_dict() if value is not None else None


def _plains(values: Sequence[State]) -> list[Plain]:
    return [v.as_dict() for v in values]


def describe_event(event: Aggregate.Event) -> Plain:
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


def describe_organisation(org: Organisation) -> OrganisationAnswer:
    """An organisation with its positions."""
    return {
        "id": org.id,
        "key": org.key,
        **org.details.as_dict(),
        "positions": [p.as_dict() for p in org.positions.values()],
    }


def differences(
    before: Mapping[str, object], after: Mapping[str, object], path: str = ""
) -> dict[str, object]:
    """Field-by-field differences of two states: `{"a.b": {"before": x, "after": y}}`."""
    changed: dict[str, object] = {}
    for key in sorted(set(before) | set(after), key=str):
        name = f"{path}.{key}" if path else str(key)
        old, new = before.get(key), after.get(key)
        if isinstance(old, dict) and isinstance(new, dict):
            changed.update(differences(old, new, name))
        elif old != new:
            changed[name] = {"before": old, "after": new}
    return changed
