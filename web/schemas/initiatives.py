"""Schemas of the initiative commands and answers."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from domain.initiative import Phase, Regime, Status
from domain.proposal import ApprovalBasis, Bottleneck, Vote
from web.schemas.common import Day, StrictSchema, Text, long_text, text_list


def one_of(enum: type) -> validate.OneOf:
    """Accept exactly the values of a StrEnum."""
    return validate.OneOf([m.value for m in enum])  # type: ignore[attr-defined]


class CreateInitiativeSchema(StrictSchema):
    """Open a draft; the caller is the first proposer."""

    title = Text(max_length=500, required=True)
    employing_organisation_id = fields.UUID(
        required=True,
        metadata={"description": "an organisation of the directory where the caller works"},
    )
    regime = fields.String(load_default=Regime.REGULAR.value, validate=one_of(Regime))
    co_proposer_ids = fields.List(
        fields.UUID(),
        load_default=list,
        validate=validate.Length(max=20),
        metadata={
            "uniqueItems": True,
            "description": "people of the directory who work in the employing organisation",
        },
    )
    summary = Text(max_length=5000, multiline=True, load_default="")


class OptionSchema(StrictSchema):
    """One option considered."""

    title = Text(max_length=500, required=True)
    description = Text(max_length=5000, multiline=True, load_default="")


def options_weighed(min_items: int) -> fields.List[Any]:
    """The options considered (the options analysis of the HCMC plan), at least `min_items`."""
    return fields.List(
        fields.Nested(OptionSchema), required=True, validate=validate.Length(min=min_items, max=20)
    )


def chosen_option_title() -> Text:
    """The title of the option chosen."""
    return Text(
        max_length=500, required=True, metadata={"description": "the title of one of `options`"}
    )


class ProposalSchema(StrictSchema):
    """Every field Art. 7 requires, with the options analysis and the declaration."""

    necessity = long_text()
    purpose = long_text()
    bottleneck = fields.String(required=True, validate=one_of(Bottleneck))
    rules_concerned = text_list()
    content = long_text()
    tasks = text_list()
    solutions = long_text()
    scope = long_text()
    subjects = long_text()
    planned_start = Day(required=True)
    planned_end = Day(required=True, metadata={"description": "not before planned_start"})
    resources = long_text()
    budget_source = long_text()
    feasibility = long_text()
    positive_impacts = long_text()
    negative_impacts = long_text()
    expected_results = text_list()
    options = options_weighed(1)
    chosen_option = chosen_option_title()
    chosen_option_reason = long_text()
    worst_case = long_text()
    remedies = long_text()
    no_self_interest = fields.Boolean(
        required=True,
        metadata={"enum": [True], "description": "the declaration that no interest is involved"},
    )


class ProposalChangesSchema(ProposalSchema):
    """Any subset of the proposal's fields."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(partial=True, **kwargs)


class ReceiveSchema(StrictSchema):
    """The addressee logs the proposal in."""

    receipt_date = Day(required=True)
    incoming_number = Text(max_length=100, required=True)


class ClarificationSchema(StrictSchema):
    """What the head asks the proposer to clarify, and by when."""

    items = text_list()
    due_date = Day(required=True)


class AmendSchema(StrictSchema):
    """Changed proposal fields."""

    changes = fields.Nested(ProposalChangesSchema, required=True)
    note = Text(max_length=5000, multiline=True, load_default="")


class PartyOpinionSchema(StrictSchema):
    """The same-level party committee's opinion."""

    phase = fields.String(required=True, validate=one_of(Phase))
    opinion = long_text()
    document_ref = Text(max_length=200, required=True)


class VoteSchema(StrictSchema):
    """One member's vote."""

    person_id = fields.UUID(required=True)
    vote = fields.String(required=True, validate=one_of(Vote))


class MeetingSchema(StrictSchema):
    """The leadership meeting and its vote."""

    meeting_date = Day(required=True)
    attendee_ids = fields.List(
        fields.UUID(), required=True, validate=validate.Length(min=1, max=100)
    )
    votes = fields.List(
        fields.Nested(VoteSchema),
        required=True,
        validate=validate.Length(max=100),
        metadata={"minItems": 1, "description": "one per attendee at most"},
    )
    minutes_ref = Text(max_length=200, required=True)


class ApproveSchema(StrictSchema):
    """The decision in principle and what it approves."""

    basis = fields.String(required=True, validate=one_of(ApprovalBasis))
    decision_document = Text(max_length=200, required=True)
    justification = Text(max_length=20_000, multiline=True, load_default="")
    approved_scope = long_text()
    approved_start = Day(required=True)
    approved_end = Day(required=True, metadata={"description": "not before approved_start"})
    resources = long_text()
    assignee_ids = fields.List(
        fields.UUID(), required=True, validate=validate.Length(min=1, max=50)
    )
    directions = Text(max_length=20_000, multiline=True, load_default="")


class RejectSchema(StrictSchema):
    """The refusal and its reasons."""

    reasons = text_list()
    document_ref = Text(max_length=200, required=True)


class ReasonSchema(StrictSchema):
    """A reason (escalation, withdrawal)."""

    reason = long_text()


class ActorSchema(StrictSchema):
    """Who acted, under which position."""

    person_id = fields.UUID()
    name = fields.String()
    role = fields.String()
    organisation_id = fields.UUID()


class ClockSchema(StrictSchema):
    """A deadline of domain.md §7 on the working-day calendar."""

    name = fields.String()
    legal_basis = fields.String()
    length = fields.Integer()
    unit = fields.String(validate=validate.OneOf(["working_days", "years"]))
    started_on = fields.Date()
    due_on = fields.Date()
    finished_on = fields.Date(allow_none=True)
    status = fields.String(validate=validate.OneOf(["running", "overdue", "met", "missed"]))
    working_days_left = fields.Integer(allow_none=True)
    overdue_by_working_days = fields.Integer()


class ProtectionStateSchema(StrictSchema):
    """Requests, the recommended and the determined measure, and liability outcomes."""

    requests = fields.List(fields.Dict())
    recommended_measure = fields.String(allow_none=True)
    recommendation_reasons = fields.List(fields.String())
    determined_measure = fields.String(allow_none=True)
    mismatch = fields.Boolean()
    liability_outcomes = fields.List(fields.Dict())


class InitiativeSchema(StrictSchema):
    """The current state of an initiative."""

    id = fields.UUID()
    version = fields.Integer()
    title = fields.String()
    regime = fields.String(validate=one_of(Regime))
    status = fields.String(validate=one_of(Status))
    employing_organisation_id = fields.UUID()
    proposer_ids = fields.List(fields.UUID())
    summary = fields.String()
    parent_id = fields.UUID(allow_none=True)
    addressee_id = fields.UUID(allow_none=True)
    proposal = fields.Nested(ProposalSchema, allow_none=True)
    urgent_report = fields.Dict(allow_none=True)
    received = fields.Dict(allow_none=True)
    clarification = fields.Dict(allow_none=True)
    party_opinion_recorded = fields.Boolean()
    evaluation_party_opinion_recorded = fields.Boolean()
    last_meeting = fields.Dict(allow_none=True)
    approval = fields.Dict(allow_none=True)
    current_terms = fields.Dict(allow_none=True)
    decision = fields.Dict(allow_none=True)
    implementation = fields.Dict(allow_none=True)
    resources_allocated = fields.List(fields.Dict())
    supervision = fields.Dict()
    obstacles = fields.List(fields.Dict())
    adjustments = fields.List(fields.Dict())
    result = fields.Dict(allow_none=True)
    evaluation = fields.Dict(allow_none=True)
    protection = fields.Nested(ProtectionStateSchema)
    recognition = fields.Dict()
    reviews = fields.List(fields.Dict())
    replications = fields.List(fields.Dict())
    institutionalisation = fields.List(fields.Dict())
    corrections = fields.List(fields.Dict())
    archive_ref = fields.String(allow_none=True)
    flags = fields.Dict()
    clocks = fields.List(fields.Nested(ClockSchema))
    created_at = fields.AwareDateTime()
    modified_at = fields.AwareDateTime()
    outcome = fields.String(allow_none=True, metadata={"description": "public register only"})
    commendations = fields.List(fields.Dict(), metadata={"description": "public register only"})
    register_only = fields.Boolean(
        metadata={"description": "true: the caller sees the public register entry only"}
    )


class HistoryEntrySchema(StrictSchema):
    """One recorded event."""

    version = fields.Integer()
    type = fields.String()
    recorded_at = fields.AwareDateTime()
    actor = fields.Nested(ActorSchema, allow_none=True)
    request_id = fields.String(allow_none=True)
    data = fields.Dict()
