"""The command registry: every command on an initiative, declared once.

An entry says who may act (positions relative to the initiative, `domain/command_positions.py`),
in which states, what the actor must be, what must be on record (`domain/command_rules.py`),
the request schema (by name: the web resolves it in `web.schemas`) and the API summary. The
same objects serve

* the aggregate's guard (`Initiative._guard(APPROVE, actor)` in the phase's mixin),
* the application's one command path (`ServiceBase.execute`) and its `may()`,
* the API's routes and documents (`web/api/commands.py`) and the pages' forms.

`derive` and `check` are the few steps that need the directory beyond the positions: the
addressee a submission goes to, the voters of a meeting, the people an approval assigns.
"""

from __future__ import annotations

from dataclasses import replace

from domain.command_positions import (
    ADDRESSEE_HEAD,
    APPROVING_HEAD,
    AWARDING_OFFICER,
    BODY_CLERK,
    CHAIR,
    COMPETENT_HEAD,
    COUNTERSIGNER,
    EMPLOYER_HEAD,
    EMPLOYER_HEADS,
    HEAD_OR_SUPERIORS,
    IN_EMPLOYER,
    IN_EMPLOYER_OR_AUTHORITY,
    ORIGINAL_ACTOR,
    PARTY_MEMBER,
    PERSONNEL_OFFICER,
    PROTECTION_ASKERS,
    RECEIVERS,
    RECORDS_CLERK,
    REPLICATION_APPROVER,
    REVIEWERS,
    SUCCESSOR_HEAD,
    SUPERVISORS,
    URGENT_REPORTERS,
    addressees_superior,
    competent_authority,
    corrected_act,
    deciding_body,
    employer_staff,
    known_assignees,
    known_attendees,
    known_targets,
    reporting_authority,
    succession,
    voters,
)
from domain.command_rules import (
    ACTED,
    ANY_STATE,
    APPROVAL_MEETING,
    APPROVAL_ON_RECORD,
    APPROVAL_OPINION,
    ASSIGNEE,
    EVALUATION_MEETING,
    EVALUATION_OPINION,
    GROUNDS_DECLARED,
    NOT_ACTED,
    NOT_PROPOSER,
    NOT_THE_AUTHOR,
    OPEN_OBSTACLE,
    PENDING_ADJUSTMENT,
    PENDING_CORRECTION,
    PENDING_REPLICATION,
    PROPOSER,
    PROPOSER_OR_ASSIGNEE,
    PROTECTION_REQUESTED,
    UNCLAIMED_REPLICATION,
    URGENT_GROUNDS_DECLARED,
    URGENT_PATH,
    Command,
    States,
    outcome_completed,
)
from domain.errors import NotFoundError
from domain.initiative_status import (
    AFTER_APPROVAL,
    BEFORE_DECISION,
    EVALUATED,
    IN_REVIEW,
    RUNNING,
    UNDER_WAY,
)
from domain.messages import msg
from domain.vocabulary import Phase, Status

AFTER_APPROVAL_STATES = States.of(AFTER_APPROVAL, "any state after approval")


# The registry --------------------------------------------------------------------------------

SUBMIT = Command(
    "submit",
    IN_EMPLOYER,
    act="submit a proposal from there",
    verb="submit",
    states=States.of({Status.DRAFT}),
    actor=(PROPOSER,),
    derive=competent_authority,
    schema="ProposalSchema",
    summary="Submit the proposal with every Art. 7 field.",
)
RECEIVE = Command(
    "receive",
    RECEIVERS,
    act="receive proposals",
    verb="receive",
    states=States.of({Status.SUBMITTED}),
    schema="ReceiveSchema",
    summary="Log the proposal in at the addressee.",
)
REQUEST_CLARIFICATION = Command(
    "request_clarification",
    ADDRESSEE_HEAD,
    act="request clarification",
    verb="request clarification on",
    states=States.of({Status.UNDER_REVIEW}),
    actor=(NOT_PROPOSER,),
    schema="ClarificationSchema",
    summary="Ask the proposer to clarify the proposal.",
)
AMEND = Command(
    "amend",
    IN_EMPLOYER,
    act="amend a proposal from there",
    verb="amend",
    states=States.of(IN_REVIEW),
    actor=(PROPOSER,),
    schema="AmendSchema",
    summary="Change fields of the proposal under review.",
)
GIVE_PARTY_OPINION = Command(
    "give_party_opinion",
    PARTY_MEMBER,
    act="give the party committee's opinion",
    verb="give a party opinion on",
    states=States.by_phase(
        {Phase.APPROVAL: IN_REVIEW, Phase.EVALUATION: {Status.UNDER_EVALUATION}}
    ),
    actor=(NOT_PROPOSER,),
    schema="PartyOpinionSchema",
    summary="Record the same-level party committee's opinion.",
)
HOLD_LEADERSHIP_MEETING = Command(
    "hold_leadership_meeting",
    CHAIR,
    act="chair the leadership meeting",
    verb="chair a meeting on",
    states=States.of({Status.UNDER_REVIEW, Status.UNDER_EVALUATION}),
    actor=(NOT_PROPOSER,),
    derive=voters,
    check=known_attendees,
    schema="MeetingSchema",
    summary="Record the leadership meeting and each vote.",
)
APPROVE = Command(
    "approve",
    ADDRESSEE_HEAD,
    act="approve proposals",
    verb="approve",
    states=States.of({Status.UNDER_REVIEW}),
    actor=(NOT_PROPOSER,),
    facts=(GROUNDS_DECLARED, APPROVAL_OPINION, APPROVAL_MEETING),
    check=known_assignees,
    schema="ApproveSchema",
    summary="Approve in principle, on a basis the vote supports.",
)
REJECT = Command(
    "reject",
    ADDRESSEE_HEAD,
    act="reject proposals",
    verb="reject",
    states=States.of(IN_REVIEW),
    actor=(NOT_PROPOSER,),
    schema="RejectSchema",
    summary="Reject the proposal, with reasons.",
)
ESCALATE = Command(
    "escalate",
    ADDRESSEE_HEAD,
    act="escalate proposals",
    verb="escalate",
    states=States.of({Status.UNDER_REVIEW}),
    actor=(NOT_PROPOSER,),
    derive=addressees_superior,
    schema="ReasonSchema",
    summary="Send the proposal to the superior agency.",
)
WITHDRAW = Command(
    "withdraw",
    IN_EMPLOYER,
    act="withdraw a proposal from there",
    verb="withdraw",
    states=States.of(BEFORE_DECISION),
    actor=(PROPOSER,),
    schema="ReasonSchema",
    summary="Withdraw the proposal before the decision.",
)
# A proposer reports to the head of the employing agency, who decides; the head reports to the
# superior agency, whose head decides: the head's report carries the urgent situation its
# cadres (the initiative's proposers) face to the competent level above (HCMC plan 124-KH/TU).
REPORT_URGENT = Command(
    "report_urgent",
    URGENT_REPORTERS,
    act="report an urgent situation for the unit",
    verb="report as urgent",
    states=States.of({Status.DRAFT}),
    facts=(URGENT_PATH,),
    derive=reporting_authority,
    schema="UrgentReportSchema",
    summary="Report an urgent situation with at least two options and the declaration of"
    " grounds; the head's report goes to the superior agency.",
)
AUTHORIZE_URGENT = Command(
    "authorize_urgent",
    COMPETENT_HEAD,
    act="authorize urgent action",
    verb="authorize",
    states=States.of({Status.URGENT_REPORTED}),
    actor=(NOT_PROPOSER,),
    facts=(URGENT_GROUNDS_DECLARED, NOT_ACTED),
    check=known_assignees,
    schema="UrgentDecisionSchema",
    summary="Authorize urgent action before the cadre acts.",
)
RATIFY_URGENT = Command(
    "ratify_urgent",
    COMPETENT_HEAD,
    act="ratify urgent action",
    verb="ratify",
    states=States.of({Status.URGENT_REPORTED}),
    actor=(NOT_PROPOSER,),
    facts=(URGENT_GROUNDS_DECLARED, ACTED),
    check=known_assignees,
    schema="UrgentDecisionSchema",
    summary="Ratify what the cadre had to do before the decision.",
)
REFUSE_URGENT = Command(
    "refuse_urgent",
    COMPETENT_HEAD,
    act="refuse urgent action",
    verb="refuse",
    states=States.of({Status.URGENT_REPORTED}),
    actor=(NOT_PROPOSER,),
    schema="RejectSchema",
    summary="Refuse the urgent report.",
)
ALLOCATE_RESOURCES = Command(
    "allocate_resources",
    APPROVING_HEAD,
    act="allocate resources",
    verb="allocate resources to",
    states=States.of({Status.APPROVED, Status.IN_PROGRESS}),
    actor=(NOT_PROPOSER,),
    schema="ResourcesSchema",
    summary="Allocate people, equipment and funds (Art. 10).",
)
START_IMPLEMENTATION = Command(
    "start_implementation",
    IN_EMPLOYER_OR_AUTHORITY,
    act="implement it",
    verb="start",
    states=States.of({Status.APPROVED}),
    actor=(ASSIGNEE,),
    schema="StartSchema",
    summary="Start the work within the approved (and adjusted) dates.",
    segment="start",
)
REPORT_PROGRESS = Command(
    "report_progress",
    IN_EMPLOYER_OR_AUTHORITY,
    act="report progress",
    verb="report progress on",
    states=States.of({Status.IN_PROGRESS}),
    actor=(ASSIGNEE,),
    schema="ProgressSchema",
    summary="Report progress.",
)
RECORD_SUPERVISION_NOTE = Command(
    "record_supervision_note",
    SUPERVISORS,
    act="supervise this initiative",
    verb="supervise",
    states=AFTER_APPROVAL_STATES,
    actor=(NOT_PROPOSER,),
    schema="SupervisionNoteSchema",
    summary="Record an inspection, supervision or monitoring note.",
)
RAISE_OBSTACLE = Command(
    "raise_obstacle",
    IN_EMPLOYER_OR_AUTHORITY,
    act="raise obstacles",
    verb="raise an obstacle on",
    states=States.of({Status.IN_PROGRESS}),
    actor=(ASSIGNEE,),
    schema="ObstacleSchema",
    summary="Record an obstacle.",
)
RESOLVE_OBSTACLE = Command(
    "resolve_obstacle",
    HEAD_OR_SUPERIORS,
    act="resolve obstacles",
    verb="resolve an obstacle on",
    states=States.of(RUNNING),
    facts=(OPEN_OBSTACLE,),
    schema="ObstacleResolutionSchema",
    summary="Record the measure that resolved an obstacle.",
)
REQUEST_ADJUSTMENT = Command(
    "request_adjustment",
    IN_EMPLOYER_OR_AUTHORITY,
    act="request adjustments",
    verb="request an adjustment of",
    states=States.of(RUNNING),
    actor=(PROPOSER_OR_ASSIGNEE,),
    schema="AdjustmentRequestSchema",
    summary="Ask to change the approved scope, dates or resources.",
)
APPROVE_ADJUSTMENT = Command(
    "approve_adjustment",
    APPROVING_HEAD,
    act="decide adjustments",
    verb="decide an adjustment of",
    states=States.of(RUNNING),
    actor=(NOT_PROPOSER,),
    facts=(PENDING_ADJUSTMENT,),
    schema="AdjustmentApprovalSchema",
    summary="Approve an adjustment; the terms change from now on.",
)
# The other decision of an adjustment: the same rules.
REJECT_ADJUSTMENT = replace(
    APPROVE_ADJUSTMENT,
    name="reject_adjustment",
    schema="AdjustmentRejectionSchema",
    summary="Refuse an adjustment.",
)
SUSPEND = Command(
    "suspend",
    HEAD_OR_SUPERIORS,
    act="suspend pilots",
    verb="suspend",
    states=States.of({Status.IN_PROGRESS}),
    actor=(NOT_PROPOSER,),
    schema="DecisionSchema",
    summary="Suspend the work.",
)
RESUME = Command(
    "resume",
    HEAD_OR_SUPERIORS,
    act="resume pilots",
    verb="resume",
    states=States.of({Status.SUSPENDED}),
    actor=(NOT_PROPOSER,),
    schema="DecisionSchema",
    summary="Resume suspended work.",
)
TERMINATE = Command(
    "terminate",
    HEAD_OR_SUPERIORS,
    act="terminate pilots",
    verb="terminate",
    states=States.of(RUNNING),
    actor=(NOT_PROPOSER,),
    schema="DecisionSchema",
    summary="Stop the work; it is still evaluated.",
)
COMPLETE = Command(
    "complete",
    IN_EMPLOYER_OR_AUTHORITY,
    act="complete it",
    verb="complete",
    states=States.of({Status.IN_PROGRESS}),
    actor=(ASSIGNEE,),
    schema="CompletionSchema",
    summary="Declare the work complete.",
)
REPORT_RESULT = Command(
    "report_result",
    IN_EMPLOYER_OR_AUTHORITY,
    act="report results",
    verb="report the result of",
    states=States.of((Status.COMPLETED, Status.TERMINATED)),
    actor=(PROPOSER_OR_ASSIGNEE,),
    schema="ResultSchema",
    summary="Report the result against each objective, damage and causes.",
)
EVALUATE = Command(
    "evaluate",
    APPROVING_HEAD,
    act="evaluate initiatives",
    verb="evaluate",
    states=States.of({Status.UNDER_EVALUATION}),
    actor=(NOT_PROPOSER,),
    facts=(EVALUATION_OPINION, EVALUATION_MEETING),
    schema="EvaluationSchema",
    summary="Evaluate the result (Art. 11).",
)
REQUEST_PROTECTION = Command(
    "request_protection",
    PROTECTION_ASKERS,
    act="request protection",
    verb="request protection for",
    states=ANY_STATE,
    facts=(APPROVAL_ON_RECORD,),
    schema="ProtectionRequestSchema",
    summary="Request protection from liability.",
)
DETERMINE_PROTECTION = Command(
    "determine_protection",
    EMPLOYER_HEADS,
    act="determine protection",
    verb="determine protection for",
    states=States.of(EVALUATED),
    actor=(NOT_PROPOSER,),
    schema="ProtectionDeterminationSchema",
    summary="Determine the protection measure; a mismatch with the recommendation is flagged.",
)
RECORD_LIABILITY_OUTCOME = Command(
    "record_liability_outcome",
    BODY_CLERK,
    act="record the body's decision",
    verb="record a liability outcome on",
    states=ANY_STATE,
    facts=(PROTECTION_REQUESTED,),
    derive=deciding_body,
    schema="LiabilityOutcomeSchema",
    summary="Record the deciding body's decision on liability.",
)
# Praise needs only an approval; a reward (a form the body names) a completed outcome
# (Art. 10): the aggregate requires it for those forms.
REWARDS = outcome_completed(msg("rewards"))
COMMEND = Command(
    "commend",
    AWARDING_OFFICER,
    act="record commendations",
    verb="commend",
    states=AFTER_APPROVAL_STATES,
    schema="CommendationSchema",
    summary="Record praise (any time after approval) or a reward (after a completed outcome).",
)
RECORD_CADRE_EVALUATION_INPUT = Command(
    "record_cadre_evaluation_input",
    PERSONNEL_OFFICER,
    act="record evaluation inputs",
    verb="record evaluation inputs for",
    states=States.of(EVALUATED),
    schema="EvaluationInputSchema",
    summary="Record facts for a cadre's periodic evaluation.",
)
CONSIDER_EARLY_SALARY_STEP = Command(
    "consider_early_salary_step",
    PERSONNEL_OFFICER,
    act="consider salary steps",
    verb="consider an early salary step for",
    states=ANY_STATE,
    facts=(outcome_completed(msg("an early salary step")),),
    schema="SalaryStepSchema",
    summary="Record an early salary step of at most 12 months.",
)
HOLD_INTERIM_REVIEW = Command(
    "hold_interim_review",
    REVIEWERS,
    act="hold reviews",
    verb="hold an interim review of",
    states=States.of(RUNNING),
    schema="ReviewSchema",
    summary="Hold an interim review.",
)
HOLD_FINAL_REVIEW = Command(
    "hold_final_review",
    REVIEWERS,
    act="hold reviews",
    verb="hold a final review of",
    states=States.of(EVALUATED),
    schema="ReviewSchema",
    summary="Hold the final review.",
)
PROPOSE_REPLICATION = Command(
    "propose_replication",
    HEAD_OR_SUPERIORS,
    act="propose replication",
    verb="propose replication of",
    states=ANY_STATE,
    facts=(outcome_completed(msg("replication")),),
    check=known_targets,
    schema="ReplicationProposalSchema",
    summary="Propose replicating the initiative in other organisations.",
)
APPROVE_REPLICATION = Command(
    "approve_replication",
    REPLICATION_APPROVER,
    act="approve replication",
    verb="approve replication of",
    states=ANY_STATE,
    facts=(PENDING_REPLICATION,),
    schema="ReplicationApprovalSchema",
    summary="Approve a replication; linked child initiatives are created.",
)
NAME_PROPOSERS = Command(
    "name_proposers",
    EMPLOYER_HEAD,
    act="name the proposers of a replicated initiative there",
    verb="name the proposers of",
    states=States.of({Status.DRAFT}),
    facts=(UNCLAIMED_REPLICATION,),
    derive=employer_staff,
    schema="ProposersSchema",
    summary="Name who carries a replicated initiative in the organisation it was replicated to.",
)
RECOMMEND_INSTITUTIONALISATION = Command(
    "recommend_institutionalisation",
    HEAD_OR_SUPERIORS,
    act="recommend institutionalisation",
    verb="recommend institutionalising",
    states=States.of(EVALUATED),
    schema="InstitutionalisationSchema",
    summary="Recommend turning the result into a rule.",
)
# A merged, split or renamed organisation's initiatives that still await a decision or an act
# pass to its successor by the successor's head (domain.md §5.15): from then, the successor's
# positions decide. What ended (evaluated, archived, rejected, withdrawn) stays the old unit's.
HAND_OVER = Command(
    "hand_over",
    SUCCESSOR_HEAD,
    act="take over the initiatives of the organisation it succeeds",
    verb="hand over",
    states=States.of(
        UNDER_WAY, "any state before the end (not rejected, withdrawn, evaluated or archived)"
    ),
    derive=succession,
    schema="HandoverSchema",
    summary="Take over, as the successor of a merged, split or renamed organisation, what the"
    " initiative awaits of it; the successor's positions decide from then, the history keeps"
    " the old unit.",
)
CORRECT = Command(
    "correct",
    ORIGINAL_ACTOR,
    act="correct what they recorded there",
    verb="correct",
    states=ANY_STATE,
    derive=corrected_act,
    schema="CorrectionSchema",
    summary="Propose a correction of an earlier event; the original is never edited, and the"
    " correction takes effect when countersigned.",
)
COUNTERSIGN_CORRECTION = Command(
    "countersign_correction",
    COUNTERSIGNER,
    act="countersign corrections",
    verb="countersign a correction on",
    states=ANY_STATE,
    actor=(NOT_THE_AUTHOR,),
    facts=(PENDING_CORRECTION,),
    schema="CountersignSchema",
    summary="Countersign a proposed correction (its own act): the correction takes effect.",
)
ARCHIVE = Command(
    "archive",
    RECORDS_CLERK,
    act="archive files",
    verb="archive",
    states=States.of({Status.EVALUATED}),
    schema="ArchiveSchema",
    summary="Archive the file.",
)

# In the order the pages offer them and the API document lists them.
REGISTRY: tuple[Command, ...] = tuple(
    value for value in list(globals().values()) if isinstance(value, Command)
)
BY_NAME = {c.name: c for c in REGISTRY}


def command(name: str) -> Command:
    """The command of that name (404 for an unknown one)."""
    found = BY_NAME.get(name)
    if found is None:
        raise NotFoundError("no command {name!r}", name=name)
    return found
