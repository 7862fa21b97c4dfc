"""The initiative commands (one POST each) and what the API document says of them: each
command's description, and the links of a creation to every operation on the new initiative."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema

from web.schemas.initiatives import (
    AmendSchema,
    ApproveSchema,
    ClarificationSchema,
    MeetingSchema,
    PartyOpinionSchema,
    ProposalSchema,
    ReasonSchema,
    ReceiveSchema,
    RejectSchema,
)
from web.schemas.lifecycle import (
    AdjustmentApprovalSchema,
    AdjustmentRejectionSchema,
    AdjustmentRequestSchema,
    ArchiveSchema,
    CommendationSchema,
    CompletionSchema,
    CorrectionSchema,
    CountersignSchema,
    DecisionSchema,
    EvaluationInputSchema,
    EvaluationSchema,
    InstitutionalisationSchema,
    LiabilityOutcomeSchema,
    ObstacleResolutionSchema,
    ObstacleSchema,
    ProgressSchema,
    ProtectionDeterminationSchema,
    ProtectionRequestSchema,
    ReplicationApprovalSchema,
    ReplicationProposalSchema,
    ResourcesSchema,
    ResultSchema,
    ReviewSchema,
    SalaryStepSchema,
    StartSchema,
    SupervisionNoteSchema,
    UrgentDecisionSchema,
    UrgentReportSchema,
)

# path segment, body schema, application method, summary, who may, in which states
COMMANDS: list[tuple[str, type[Schema], str, str, str, str]] = [
    (
        "submit",
        ProposalSchema,
        "submit",
        "Submit the proposal with every Art. 7 field.",
        "a proposer holding a position in the employing agency",
        "draft",
    ),
    (
        "receive",
        ReceiveSchema,
        "receive",
        "Log the proposal in at the addressee.",
        "the addressee's clerk or head",
        "submitted",
    ),
    (
        "request-clarification",
        ClarificationSchema,
        "request_clarification",
        "Ask the proposer to clarify the proposal.",
        "the addressee's head",
        "under_review",
    ),
    (
        "amend",
        AmendSchema,
        "amend",
        "Change fields of the proposal under review.",
        "a proposer",
        "under_review, clarification_requested",
    ),
    (
        "party-opinion",
        PartyOpinionSchema,
        "give_party_opinion",
        "Record the same-level party committee's opinion.",
        "a member of the deciding agency's same-level party committee",
        "approval phase: under_review, clarification_requested; evaluation phase: "
        "under_evaluation",
    ),
    (
        "leadership-meeting",
        MeetingSchema,
        "hold_leadership_meeting",
        "Record the leadership meeting and each vote.",
        "the deciding agency's head (chair)",
        "under_review, under_evaluation",
    ),
    (
        "approve",
        ApproveSchema,
        "approve",
        "Approve in principle, on a basis the vote supports.",
        "the addressee's head, not a proposer",
        "under_review",
    ),
    (
        "reject",
        RejectSchema,
        "reject",
        "Reject the proposal, with reasons.",
        "the addressee's head",
        "under_review, clarification_requested",
    ),
    (
        "escalate",
        ReasonSchema,
        "escalate",
        "Send the proposal to the superior agency.",
        "the addressee's head",
        "under_review",
    ),
    (
        "withdraw",
        ReasonSchema,
        "withdraw",
        "Withdraw the proposal before the decision.",
        "a proposer",
        "draft, submitted, under_review, clarification_requested, urgent_reported",
    ),
    (
        "report-urgent",
        UrgentReportSchema,
        "report_urgent",
        "Report an urgent situation with at least two options.",
        "a proposer of an initiative drafted on the urgent path",
        "draft",
    ),
    (
        "authorize-urgent",
        UrgentDecisionSchema,
        "authorize_urgent",
        "Authorize urgent action before the cadre acts.",
        "the competent authority's head",
        "urgent_reported (not yet acted)",
    ),
    (
        "ratify-urgent",
        UrgentDecisionSchema,
        "ratify_urgent",
        "Ratify what the cadre had to do before the decision.",
        "the competent authority's head",
        "urgent_reported (already acted)",
    ),
    (
        "refuse-urgent",
        RejectSchema,
        "refuse_urgent",
        "Refuse the urgent report.",
        "the competent authority's head",
        "urgent_reported",
    ),
    (
        "allocate-resources",
        ResourcesSchema,
        "allocate_resources",
        "Allocate people, equipment and funds (Art. 10).",
        "the approving authority's head",
        "approved, in_progress",
    ),
    (
        "start",
        StartSchema,
        "start_implementation",
        "Start the work within the approved (and adjusted) dates.",
        "an assignee",
        "approved",
    ),
    (
        "report-progress",
        ProgressSchema,
        "report_progress",
        "Report progress.",
        "an assignee",
        "in_progress",
    ),
    (
        "supervision-note",
        SupervisionNoteSchema,
        "record_supervision_note",
        "Record an inspection, supervision or monitoring note.",
        "the approving authority's head or its superior's, a member of its party committee, "
        "or an inspector",
        "any state after approval",
    ),
    (
        "raise-obstacle",
        ObstacleSchema,
        "raise_obstacle",
        "Record an obstacle.",
        "an assignee",
        "in_progress",
    ),
    (
        "resolve-obstacle",
        ObstacleResolutionSchema,
        "resolve_obstacle",
        "Record the measure that resolved an obstacle.",
        "the approving authority's head or its superior's",
        "in_progress, suspended",
    ),
    (
        "request-adjustment",
        AdjustmentRequestSchema,
        "request_adjustment",
        "Ask to change the approved scope, dates or resources.",
        "an assignee or proposer",
        "in_progress, suspended",
    ),
    (
        "approve-adjustment",
        AdjustmentApprovalSchema,
        "approve_adjustment",
        "Approve an adjustment; the terms change from now on.",
        "the head of the authority that approved",
        "in_progress, suspended",
    ),
    (
        "reject-adjustment",
        AdjustmentRejectionSchema,
        "reject_adjustment",
        "Refuse an adjustment.",
        "the head of the authority that approved",
        "in_progress, suspended",
    ),
    (
        "suspend",
        DecisionSchema,
        "suspend",
        "Suspend the work.",
        "the approving authority's head or its superior's",
        "in_progress",
    ),
    (
        "resume",
        DecisionSchema,
        "resume",
        "Resume suspended work.",
        "the approving authority's head or its superior's",
        "suspended",
    ),
    (
        "terminate",
        DecisionSchema,
        "terminate",
        "Stop the work; it is still evaluated.",
        "the approving authority's head or its superior's",
        "in_progress, suspended",
    ),
    (
        "complete",
        CompletionSchema,
        "complete",
        "Declare the work complete.",
        "an assignee",
        "in_progress",
    ),
    (
        "report-result",
        ResultSchema,
        "report_result",
        "Report the result against each objective, damage and causes.",
        "an assignee or proposer",
        "completed, terminated",
    ),
    (
        "evaluate",
        EvaluationSchema,
        "evaluate",
        "Evaluate the result (Art. 11).",
        "the approving authority's head, not a proposer, after the evaluation-phase party "
        "opinion and a leadership meeting",
        "under_evaluation",
    ),
    (
        "request-protection",
        ProtectionRequestSchema,
        "request_protection",
        "Request protection from liability.",
        "the cadre, the agency's head, or an inspector",
        "any state once approved",
    ),
    (
        "determine-protection",
        ProtectionDeterminationSchema,
        "determine_protection",
        "Determine the protection measure; a mismatch with the recommendation is flagged.",
        "the employing agency's head (its superior's for the head's own)",
        "evaluated, archived",
    ),
    (
        "liability-outcome",
        LiabilityOutcomeSchema,
        "record_liability_outcome",
        "Record the deciding body's decision on liability.",
        "a clerk of the deciding body",
        "after a protection request",
    ),
    (
        "commend",
        CommendationSchema,
        "commend",
        "Record praise (any time after approval) or a reward (after a completed outcome).",
        "a commendation officer of the awarding organisation",
        "any state after approval",
    ),
    (
        "cadre-evaluation-input",
        EvaluationInputSchema,
        "record_cadre_evaluation_input",
        "Record facts for a cadre's periodic evaluation.",
        "a personnel officer",
        "evaluated, archived",
    ),
    (
        "early-salary-step",
        SalaryStepSchema,
        "consider_early_salary_step",
        "Record an early salary step of at most 12 months.",
        "a personnel officer",
        "evaluated with the outcome completed",
    ),
    (
        "interim-review",
        ReviewSchema,
        "hold_interim_review",
        "Hold an interim review.",
        "the approving authority's head or party committee",
        "in_progress, suspended",
    ),
    (
        "final-review",
        ReviewSchema,
        "hold_final_review",
        "Hold the final review.",
        "the approving authority's head or party committee",
        "evaluated, archived",
    ),
    (
        "propose-replication",
        ReplicationProposalSchema,
        "propose_replication",
        "Propose replicating the initiative in other organisations.",
        "the approving authority's head or its superior's",
        "evaluated with outcome completed",
    ),
    (
        "approve-replication",
        ReplicationApprovalSchema,
        "approve_replication",
        "Approve a replication; linked child initiatives are created.",
        "the head of the approving authority's superior",
        "evaluated with outcome completed",
    ),
    (
        "recommend-institutionalisation",
        InstitutionalisationSchema,
        "recommend_institutionalisation",
        "Recommend turning the result into a rule.",
        "the approving authority's head or its superior's",
        "evaluated, archived",
    ),
    (
        "correct",
        CorrectionSchema,
        "correct",
        "Propose a correction of an earlier event; the original is never edited, and the"
        " correction takes effect when countersigned.",
        "the person who recorded it",
        "any state",
    ),
    (
        "countersign-correction",
        CountersignSchema,
        "countersign_correction",
        "Countersign a proposed correction (its own act): the correction takes effect.",
        "the head of the organisation the corrected event was recorded in, not its author",
        "while a correction awaits a countersignature",
    ),
    (
        "archive",
        ArchiveSchema,
        "archive",
        "Archive the file.",
        "a clerk of the employing agency or the approving authority",
        "evaluated",
    ),
]


# What the answer to a creation links to (OpenAPI links, which clients and schemathesis's
# stateful run follow with the new initiative's id): every operation on one initiative, as
# (method, path after the id).
LINKED_FROM_CREATION = [
    ("get", ""),
    ("get", "/history"),
    ("get", "/dossier"),
    ("post", "/readings"),
    ("get", "/access-log"),
    ("get", "/changes"),
    ("get", "/events/{version}/receipt"),
    *(("post", f"/{name}") for name, *_ in COMMANDS),
]


def creation_links(prefix: str) -> dict[str, Any]:
    """The OpenAPI links of the 201 answer to a creation under `prefix` (the initiatives'
    URL): the new id (and, for the receipt, the version of its first event) into each
    operation of LINKED_FROM_CREATION."""
    links: dict[str, Any] = {}
    for method, path in LINKED_FROM_CREATION:
        route = f"{prefix}/{{initiative_id}}{path}"
        parameters = {"initiative_id": "$response.body#/id"}
        if "{version}" in path:
            parameters["version"] = "$response.body#/version"
        pointer = route.replace("~", "~0").replace("/", "~1")
        links[path.split("/")[-1] or "initiative"] = {
            "operationRef": f"#/paths/{pointer}/{method}",
            "parameters": parameters,
        }
    return links


def description(summary: str, who: str, states: str) -> str:
    """The description of a command's operation: what it does, who may, in which states."""
    return f"{summary}\n\nWho may: {who}.\n\nAllowed when: {states}."
