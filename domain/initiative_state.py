"""The typed state of an initiative: what its `@event` methods build from the events' fields.

The events carry dicts (their stored form is unchanged); `Initiative`'s state changes turn them
into these frozen dataclasses, which the commands, the rules and the views read by attribute.
A value is replaced, never changed in place (`dataclasses.replace`). `as_dict()` gives each
value back as the plain dict the queries serve (the same keys, in the same order, as the
dicts the state was before it was typed). Snapshots (which the service no longer takes) store
each class by its fields (`domain/transcodings.py`, `STATE_CLASSES`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import ClassVar, Literal, Protocol, dataclass_transform
from uuid import UUID

from domain.initiative_payloads import Payload, TermChanges, VoteCast

# A value as the plain dict the queries serve.
Plain = dict[str, object]


def _plain(value: object) -> object:
    if isinstance(value, State):
        return value.as_dict()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@dataclass_transform(frozen_default=True)
@dataclass(frozen=True)
class State:
    """A value of the state, a frozen dataclass (every subclass is made one where it is
    defined): `as_dict()` is its fields in order (those that are `None` left out when the class
    is `sparse`: the keys its dict did not have yet)."""

    sparse: ClassVar[bool] = False

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        dataclass(frozen=True)(cls)

    def as_dict(self) -> Plain:
        """The plain dict the queries serve."""
        items = ((f.name, getattr(self, f.name)) for f in fields(self))
        return {k: _plain(v) for k, v in items if not (self.sparse and v is None)}


class Receipt(State):
    """The receipt of a submission by the addressee's clerk."""

    receipt_date: date
    incoming_number: str


class Clarification(State):
    """What the addressee asked the proposer to clarify, and by when."""

    items: list[str]
    due_date: date


class Meeting(State):
    """The last leadership meeting that still counts."""

    meeting_date: date
    votes: list[VoteCast]
    chair_id: str
    passed: bool


class Terms(State):
    """The terms in force: the approved ones, as adjusted since (`rules.TERMS`)."""

    scope: str
    start: date
    end: date
    resources: str | None

    def adjusted(self, changes: TermChanges) -> Terms:
        """These terms with an approved adjustment's changes (keys of `rules.TERMS`)."""
        return replace(self, **changes)


class Approval(State):
    """An approval in principle, or an urgent authorization or ratification; whether the
    deciding head confirmed the declaration of grounds (None: decided before the confirmation
    was asked for, as is every approval in the snapshots the previous release took)."""

    scope: str
    start: date
    end: date
    resources: str | None
    assignee_ids: list[UUID] | None
    directions: str
    basis: str
    decision_document: str
    authority_id: UUID
    approved_on: date
    grounds_confirmed: bool | None = None

    @property
    def terms(self) -> Terms:
        """The terms the approval set."""
        return Terms(self.scope, self.start, self.end, self.resources)

    @property
    def assignees(self) -> list[UUID]:
        """The people assigned to the work."""
        return list(self.assignee_ids or [])


class Decision(State):
    """A refusal (its reasons; `urgent` for an urgent report's) or a withdrawal (its reason)."""

    sparse: ClassVar[bool] = True

    reasons: list[str] | None = None
    reason: str | None = None
    urgent: Literal[True] | None = None


class ResourceAllocation(State):
    """Resources allocated to the work."""

    people: list[str]
    equipment: str
    funds_vnd: int
    funding_source: str


class Implementation(State):
    """The dates of the work, as they are recorded."""

    sparse: ClassVar[bool] = True

    actual_start: date | None = None
    terminated_on: date | None = None
    completion_date: date | None = None


class Supervision(State):
    """How many supervision notes, and the day of the last."""

    notes: int = 0
    last_on: date | None = None


class OutsideApproval(State):
    """An act recorded outside the approved terms (a flag of the record)."""

    version: int
    act: str
    detail: str


class Pending(Protocol):
    """A request of the record that awaits its decision until it is taken (`Obstacle`,
    `Adjustment`, `Replication`)."""

    @property
    def pending(self) -> bool:
        """Whether it still awaits its decision."""
        ...


class Obstacle(State):
    """An obstacle raised in the work, and the measure that resolved it."""

    sparse: ClassVar[bool] = True

    obstacle: str
    resolved: bool = False
    measure: str | None = None

    @property
    def pending(self) -> bool:
        """Open: not resolved yet."""
        return not self.resolved


AdjustmentStatus = Literal["requested", "approved", "rejected"]


class Adjustment(State):
    """A requested change of the terms, and its decision."""

    changes: TermChanges
    reason: str
    status: AdjustmentStatus = "requested"

    @property
    def pending(self) -> bool:
        """Requested, neither approved nor rejected yet."""
        return self.status == "requested"


class Result(State):
    """The result report."""

    results: list[dict[str, str]]
    damage_caused: bool
    damage_amount_vnd: int
    reported_on: date


class Evaluation(State):
    """The evaluation of the result."""

    parts: list[dict[str, str]]
    outcome: str
    damage_caused: bool
    damage_amount_vnd: int
    findings: dict[str, bool]
    self_interest_or_abuse: bool
    evaluated_on: date


class ProtectionRequest(State):
    """A request for protection, by the event that recorded it."""

    version: int
    trigger: str
    proceeding_ref: str


class Determination(State):
    """The protection measure determined, and the one the record supported then."""

    measure: str
    recommended_then: str | None


class LiabilityOutcome(State):
    """What a body decided on liability."""

    body: str
    decision: str


class Protection(State):
    """Requests for protection, the determination, the liability outcomes."""

    requests: list[ProtectionRequest] = field(default_factory=list)
    determined: Determination | None = None
    liability_outcomes: list[LiabilityOutcome] = field(default_factory=list)


class Commendation(State):
    """A commendation of people."""

    form: str
    person_ids: list[UUID]
    on: date


class EvaluationInput(State):
    """An input to a cadre's evaluation."""

    person_id: UUID
    period: str


class SalaryStep(State):
    """An early salary step considered."""

    person_id: UUID
    months_early: int
    decision: str


class Recognition(State):
    """Commendations, evaluation inputs and salary steps."""

    commendations: list[Commendation] = field(default_factory=list)
    evaluation_inputs: list[EvaluationInput] = field(default_factory=list)
    salary_steps: list[SalaryStep] = field(default_factory=list)


class Review(State):
    """An interim or final review."""

    kind: Literal["interim", "final"]
    on: date


class Replication(State):
    """A proposed replication: its targets, and the children once approved."""

    targets: list[UUID]
    approved: bool = False
    children: dict[str, UUID] = field(default_factory=dict)

    @property
    def pending(self) -> bool:
        """Proposed, not approved yet."""
        return not self.approved


class Institutionalisation(State):
    """A recommendation to make the initiative a rule."""

    target_instrument: str
    drafting_body: str


class PendingCorrection(State):
    """A correction proposed, awaiting its countersignature."""

    corrected_version: int
    reason: str
    corrections: Payload
    proposed_by: str
    organisation_id: str


class Correction(State):
    """A countersigned correction."""

    version: int
    correction_version: int
    corrected_version: int
    reason: str


class Clock(State):
    """A time limit running or finished, the organisation it runs against, and the obstacle
    it runs for (its version; None for the clocks of the initiative as a whole)."""

    name: str
    started_on: date
    finished_on: date | None
    organisation_id: UUID | None
    obstacle_version: int | None = None


class Handover(State):
    """A handover to the successor of a merged, split or renamed organisation: the event's
    version, the old unit and its successor, how the directory records the succession and from
    when, what the old unit was to the initiative (`HandoverRole` values), and the day it was
    recorded."""

    version: int
    from_organisation_id: UUID
    to_organisation_id: UUID
    relation: str
    effective_on: date
    roles: list[str]
    handed_over_on: date


STATE_CLASSES: tuple[type[State], ...] = (
    Receipt,
    Clarification,
    Meeting,
    Terms,
    Approval,
    Decision,
    ResourceAllocation,
    Implementation,
    Supervision,
    OutsideApproval,
    Obstacle,
    Adjustment,
    Result,
    Evaluation,
    ProtectionRequest,
    Determination,
    LiabilityOutcome,
    Protection,
    Commendation,
    EvaluationInput,
    SalaryStep,
    Recognition,
    Review,
    Replication,
    Institutionalisation,
    PendingCorrection,
    Correction,
    Clock,
    Handover,
)


def keyed(items: Mapping[str, State], key: str) -> list[Plain]:
    """Values keyed by a version (as text) as a list of dicts, the version first as `key`."""
    return [
        {key: int(k), **v.as_dict()} for k, v in sorted(items.items(), key=lambda kv: int(kv[0]))
    ]
