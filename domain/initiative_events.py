"""The facts an initiative records, one event class each (domain.md §3 to §6).

These are the definitions only. `Initiative` names each of them in its class body
(`Submitted = events.Submitted`) and eventsourcing's metaclass redefines it there as a
subclass in `domain.initiative`, `Initiative.Submitted`: the class the aggregate triggers, whose
topic every stored event carries (`domain.initiative:Initiative.Submitted`), wherever the
definition lives. So trigger `self.Submitted`, never a class of this module: its own topic
(`domain.initiative_events:Submitted`) is no stored event's. `tests/unit/test_event_topics.py`
pins the stored topics.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.initiative_payloads import (
    ApprovedTerms,
    DocumentRef,
    Payload,
    TermChanges,
    UrgentReport,
    VoteCast,
)

# The events of the acts that rest on documents (a decision, minutes, an opinion) end with
# `attachments`: the documents the act refers to, by digest (`DocumentRef`), recorded from the
# command's context (`Context.documents`). None in the events without any, and in those
# recorded before documents were bound into the record, whose stored form lacks it (they read
# this default): the event's topic stays the same (tests/unit/test_event_topics.py).
DOCUMENTED = (
    "PartyOpinionGiven",
    "LeadershipMeetingHeld",
    "Approved",
    "Rejected",
    "UrgentRefused",
    "UrgentAuthorized",
    "UrgentRatified",
    "AdjustmentApproved",
    "Suspended",
    "Resumed",
    "Terminated",
    "Evaluated",
    "ProtectionDetermined",
    "Commended",
    "CorrectionProposed",
)


class InitiativeEvent(Aggregate.Event):
    """What every event of an initiative carries: who acted, and in which request."""

    actor: dict[str, str]
    request_id: str


# The kinds of event that several acts record alike: each declares their fields once for its
# events (`class Rejected(Refusal)`); a kind is never triggered, so no stored topic names it.


class Refusal(InitiativeEvent):
    """A refusal (of a proposal, of an urgent report): its reasons and the document."""

    reasons: list[str]
    document_ref: str
    attachments: list[DocumentRef] | None = None


class UrgentDecision(InitiativeEvent):
    """An urgent authorization or ratification: the decision and the terms it sets."""

    decision_document: str
    approval: ApprovedTerms
    grounds_confirmed: bool | None = None
    attachments: list[DocumentRef] | None = None


class PilotDecision(InitiativeEvent):
    """A suspension, resumption or termination of the work: why, and the decision."""

    reason: str
    decision_document: str
    attachments: list[DocumentRef] | None = None


class ReviewHeld(InitiativeEvent):
    """An interim or final review: its lessons and the document, if any."""

    lessons: str
    document_ref: str


KINDS = (InitiativeEvent, Refusal, UrgentDecision, PilotDecision, ReviewHeld)


class Drafted(Aggregate.Created):
    title: str
    regime: str
    employing_organisation_id: UUID
    proposer_ids: list[UUID]
    summary: str


class Submitted(InitiativeEvent):
    addressee_id: UUID
    proposal: Payload


class Received(InitiativeEvent):
    receipt_date: date
    incoming_number: str


class ClarificationRequested(InitiativeEvent):
    items: list[str]
    due_date: date


class Amended(InitiativeEvent):
    changes: Payload
    note: str


class PartyOpinionGiven(InitiativeEvent):
    phase: str
    opinion: str
    document_ref: str
    attachments: list[DocumentRef] | None = None


class LeadershipMeetingHeld(InitiativeEvent):
    meeting_date: date
    attendee_ids: list[UUID]
    eligible_voter_ids: list[UUID]
    votes: list[VoteCast]
    minutes_ref: str
    passed: bool
    attachments: list[DocumentRef] | None = None


class Approved(InitiativeEvent):
    basis: str
    decision_document: str
    justification: str
    approval: ApprovedTerms
    # The deciding head confirmed the declaration of grounds (domain.md §5.13); None in the
    # decisions recorded before it was asked for, whose stored form lacks it (they read this
    # default). The same in the urgent decisions (`UrgentDecision`).
    grounds_confirmed: bool | None = None
    attachments: list[DocumentRef] | None = None


class Rejected(Refusal):
    """A proposal rejected."""


class Escalated(InitiativeEvent):
    superior_id: UUID
    reason: str


class Withdrawn(InitiativeEvent):
    reason: str


class UrgentReported(InitiativeEvent):
    addressee_id: UUID
    report: UrgentReport


class UrgentAuthorized(UrgentDecision):
    """Urgent action authorized before the cadre acts."""


class UrgentRatified(UrgentDecision):
    """What the cadre had to do before the decision, ratified."""


class UrgentRefused(Refusal):
    """An urgent report refused."""


class ResourcesAllocated(InitiativeEvent):
    people: list[str]
    equipment: str
    funds_vnd: int
    funding_source: str


class ImplementationStarted(InitiativeEvent):
    actual_start: date


class ProgressReported(InitiativeEvent):
    period: str
    progress: str
    issues: str
    outside_approval: bool


class SupervisionNoteRecorded(InitiativeEvent):
    kind: str
    findings: str
    recommendations: str
    part_of_work: str
    outside_approved_scope: bool


class ObstacleRaised(InitiativeEvent):
    obstacle: str


class ObstacleResolved(InitiativeEvent):
    obstacle_version: int
    measure: str


class AdjustmentRequested(InitiativeEvent):
    changes: TermChanges
    reason: str


class AdjustmentApproved(InitiativeEvent):
    request_version: int
    decision_document: str
    attachments: list[DocumentRef] | None = None


class AdjustmentRejected(InitiativeEvent):
    request_version: int
    reasons: list[str]


class Suspended(PilotDecision):
    """The work suspended."""


class Resumed(PilotDecision):
    """Suspended work resumed."""


class Terminated(PilotDecision):
    """The work stopped; it is still evaluated."""


class Completed(InitiativeEvent):
    completion_date: date
    outside_approval: bool


class ResultReported(InitiativeEvent):
    results: list[dict[str, str]]
    damage_caused: bool
    damage_description: str
    damage_amount_vnd: int
    causes: str
    honesty_declaration: bool


class Evaluated(InitiativeEvent):
    parts: list[dict[str, str]]
    outcome: str
    damage_caused: bool
    damage_description: str
    damage_amount_vnd: int
    objective_causes: str
    subjective_causes: str
    findings: dict[str, bool]
    self_interest_or_abuse: bool
    document_ref: str
    attachments: list[DocumentRef] | None = None


class ProtectionRequested(InitiativeEvent):
    trigger: str
    proceeding_ref: str
    reason: str


class ProtectionDetermined(InitiativeEvent):
    measure: str
    recommended: str | None
    reasons: str
    evidence: list[str]
    document_ref: str
    attachments: list[DocumentRef] | None = None


class LiabilityOutcomeRecorded(InitiativeEvent):
    body: str
    decision: str
    document_ref: str


class Commended(InitiativeEvent):
    form: str
    person_ids: list[UUID]
    decision_document: str
    attachments: list[DocumentRef] | None = None


class CadreEvaluationInputRecorded(InitiativeEvent):
    person_id: UUID
    period: str
    facts: str


class EarlySalaryStepConsidered(InitiativeEvent):
    person_id: UUID
    months_early: int
    decision: str
    decision_document: str


class InterimReviewHeld(ReviewHeld):
    """An interim review (sơ kết) while the work runs."""


class FinalReviewHeld(ReviewHeld):
    """The final review (tổng kết) after the evaluation."""


class ReplicationProposed(InitiativeEvent):
    target_organisation_ids: list[UUID]
    reason: str


class ReplicationApproved(InitiativeEvent):
    proposal_version: int
    decision_document: str
    children: dict[str, UUID]


class ProposersNamed(InitiativeEvent):
    proposer_ids: list[UUID]


class HandedOver(InitiativeEvent):
    """The successor of a merged, split or renamed organisation takes over what the initiative
    still awaits of it (domain.md §5.15): `roles` says what the old unit was to it (a
    `HandoverRole` each), `relation` how the directory records the succession, `effective_on`
    the day it took effect."""

    from_organisation_id: UUID
    to_organisation_id: UUID
    relation: str
    effective_on: date
    roles: list[str]
    document_ref: str


class InstitutionalisationRecommended(InitiativeEvent):
    target_instrument: str
    drafting_body: str
    reason: str


class CorrectionProposed(InitiativeEvent):
    corrected_version: int
    reason: str
    corrections: Payload
    organisation_id: UUID
    attachments: list[DocumentRef] | None = None


class Corrected(InitiativeEvent):
    correction_version: int
    corrected_version: int
    reason: str
    corrections: Payload


class Archived(InitiativeEvent):
    archive_ref: str


class Replicated(Aggregate.Created):
    title: str
    regime: str
    employing_organisation_id: UUID
    proposer_ids: list[UUID]
    summary: str
    parent_id: UUID
