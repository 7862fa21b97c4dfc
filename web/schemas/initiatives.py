"""Schemas of the initiative commands (their answers: web/schemas/answers.py)."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from domain.initiative import Phase, Regime
from domain.vocabulary import ApprovalBasis, Bottleneck, Vote
from web.schemas.attachments import attachments
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


def options_analysis(min_options: int) -> tuple[fields.List[Any], Text, Text, Text, Text]:
    """The options analysis of the HCMC plan, in a proposal and in an urgent report alike: the
    options weighed (at least `min_options`), the title of the one chosen and why, the worst case
    foreseen and the remedies prepared. Unpacked in a schema's body, in this order."""
    options = fields.List(
        fields.Nested(OptionSchema),
        required=True,
        validate=validate.Length(min=min_options, max=20),
    )
    chosen = Text(
        max_length=500, required=True, metadata={"description": "the title of one of `options`"}
    )
    return options, chosen, long_text(), long_text(), long_text()


def grounds_declaration() -> tuple[Text, Text, fields.Boolean]:
    """The declaration of grounds, in a proposal and in an urgent report alike (domain.md
    §5.13): its grounds in practice and in science, and that it is not contrary to the Party's
    line, the Constitution or the law. Unpacked in a schema's body, in this order."""
    not_contrary = fields.Boolean(
        required=True,
        metadata={
            "enum": [True],
            "description": "the declaration that the proposal is not contrary to the Party's"
            " line, the Constitution or the law",
        },
    )
    return long_text(), long_text(), not_contrary


def confirmation() -> fields.Boolean:
    """The deciding head's confirmation of the declaration of grounds (domain.md §5.13)."""
    return fields.Boolean(
        required=True,
        metadata={
            "enum": [True],
            "description": "the decision confirms the declaration of grounds: grounded in"
            " practice and science, not contrary to the Party's line, the Constitution or the"
            " law",
        },
    )


class ProposalSchema(StrictSchema):
    """Every field Art. 7 requires, with the options analysis and the declarations (no
    interest involved; the grounds)."""

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
    options, chosen_option, chosen_option_reason, worst_case, remedies = options_analysis(2)
    no_self_interest = fields.Boolean(
        required=True,
        metadata={"enum": [True], "description": "the declaration that no interest is involved"},
    )
    (
        grounds_in_practice,
        grounds_in_science,
        not_contrary_to_party_line_constitution_or_law,
    ) = grounds_declaration()


class ProposalChangesSchema(ProposalSchema):
    """Any subset of the proposal's fields."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(partial=True, **kwargs)


class ReceiveSchema(StrictSchema):
    """The addressee logs the proposal in."""

    receipt_date = Day(
        required=True,
        metadata={
            "description": "not before the submission (or the escalation) to this agency, nor"
            " after today in Vietnam"
        },
    )
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
    attachments = attachments()


class VoteSchema(StrictSchema):
    """One member's vote."""

    person_id = fields.UUID(required=True)
    vote = fields.String(required=True, validate=one_of(Vote))


class MeetingSchema(StrictSchema):
    """The leadership meeting and its vote."""

    meeting_date = Day(
        required=True,
        metadata={
            "description": "not before the receipt of the proposal, its last amendment or the"
            " result report, nor after today in Vietnam"
        },
    )
    attendee_ids = fields.List(
        fields.UUID(),
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={
            "uniqueItems": True,
            "description": "the eligible members present (the head and deputies on the meeting"
            " day, no proposer), each once: more than half of them, or the share the"
            " organisation's own quorum rule then in force sets",
        },
    )
    votes = fields.List(
        fields.Nested(VoteSchema),
        required=True,
        validate=validate.Length(max=100),
        metadata={"minItems": 1, "description": "one per attendee at most; attendees only"},
    )
    minutes_ref = Text(max_length=200, required=True)
    attachments = attachments()


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
    grounds_confirmed = confirmation()
    attachments = attachments()


class RejectSchema(StrictSchema):
    """The refusal and its reasons."""

    reasons = text_list()
    document_ref = Text(max_length=200, required=True)
    attachments = attachments()


class ReasonSchema(StrictSchema):
    """A reason (escalation, withdrawal)."""

    reason = long_text()
