"""Schemas of the commands after the proposal: urgent path, pilot, evaluation, aftermath."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate

from domain.vocabulary import (
    CommendationForm,
    Measure,
    Outcome,
    ProtectionTrigger,
    SupervisionKind,
)
from web.schemas.attachments import attachments
from web.schemas.common import (
    AT_LEAST_1,
    Day,
    StrictSchema,
    Text,
    long_text,
    text_list,
)
from web.schemas.initiatives import confirmation, grounds_declaration, one_of, options_analysis

MONEY = validate.Range(min=0, max=10**15)
# How deeply a corrected value may nest: deeper than any field of an event, and far from the
# depth at which copying the initiative (the event store deep-copies aggregates, recursively)
# runs out of Python's stack — a value nested ~500 deep was stored, and every later read or
# command of its initiative failed with a server error.
CORRECTION_DEPTH = 32


def short(**kwargs: Any) -> Text:
    """A required one-line reference (document numbers, periods)."""
    return Text(max_length=200, required=True, **kwargs)


def optional_text() -> Text:
    """Optional multi-line text."""
    return Text(max_length=20_000, multiline=True, load_default="")


def decided() -> tuple[Text, fields.List[str]]:
    """A decision's document and the attachments it refers to: `decision_document` and
    `attachments`, unpacked in a schema's body in this order."""
    return short(), attachments()


def version() -> fields.Integer:
    """The version of an earlier event of the same initiative."""
    return fields.Integer(required=True, strict=True, validate=AT_LEAST_1)


class UrgentReportSchema(StrictSchema):
    """The urgent situation, the options weighed and the choice, the declaration of grounds."""

    situation = long_text()
    options, chosen_option, chosen_option_reason, worst_case, remedies = options_analysis(2)
    (
        grounds_in_practice,
        grounds_in_science,
        not_contrary_to_party_line_constitution_or_law,
    ) = grounds_declaration()
    acted_on = Day(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "not before the initiative was created, nor after today in Vietnam"
        },
    )


class UrgentDecisionSchema(StrictSchema):
    """The competent authority's decision, what it allows and its specific directions, and
    its confirmation of the declaration of grounds."""

    decision_document = short()
    approved_scope = long_text()
    approved_start = Day(required=True)
    approved_end = Day(required=True, metadata={"description": "not before approved_start"})
    resources = long_text()
    assignee_ids = fields.List(fields.UUID(), required=True, validate=validate.Length(1, 50))
    directions = long_text(metadata={"description": "the competent level's specific direction"})
    grounds_confirmed = confirmation()
    attachments = attachments()


class ResourcesSchema(StrictSchema):
    """People, equipment and funds allocated."""

    people = fields.List(Text(max_length=200), load_default=list)
    equipment = optional_text()
    funds_vnd = fields.Integer(required=True, strict=True, validate=MONEY)
    funding_source = Text(max_length=500, load_default="")


class StartSchema(StrictSchema):
    """The actual start of the work."""

    actual_start = Day(
        required=True,
        metadata={
            "description": "within the approved dates, not before the approval (ratified work:"
            " the day the cadre acted), nor after today in Vietnam"
        },
    )


class ProgressSchema(StrictSchema):
    """A progress report."""

    period = short()
    progress = long_text()
    issues = optional_text()


class SupervisionNoteSchema(StrictSchema):
    """An oversight note."""

    kind = fields.String(required=True, validate=one_of(SupervisionKind))
    findings = long_text()
    recommendations = optional_text()
    part_of_work = Text(max_length=500, load_default="")
    outside_approved_scope = fields.Boolean(load_default=False)


class ObstacleSchema(StrictSchema):
    """An obstacle met."""

    obstacle = long_text()


class ObstacleResolutionSchema(StrictSchema):
    """The measure that resolved an obstacle."""

    obstacle_version = version()
    measure = long_text()


class TermsChangesSchema(StrictSchema):
    """Approved terms to change (any subset)."""

    scope = Text(max_length=20_000, multiline=True)
    start = Day()
    end = Day()
    resources = Text(max_length=20_000, multiline=True)


class AdjustmentRequestSchema(StrictSchema):
    """A request to change the approved terms."""

    changes = fields.Nested(TermsChangesSchema, required=True)
    reason = long_text()


class AdjustmentApprovalSchema(StrictSchema):
    """The approving authority's approval of an adjustment."""

    request_version = version()
    decision_document, attachments = decided()


class AdjustmentRejectionSchema(StrictSchema):
    """The approving authority's refusal of an adjustment."""

    request_version = version()
    reasons = text_list()


class DecisionSchema(StrictSchema):
    """Suspension, resumption or termination."""

    reason = long_text()
    decision_document, attachments = decided()


class CompletionSchema(StrictSchema):
    """The completion date."""

    completion_date = Day(
        required=True,
        metadata={"description": "not before the start of the work, nor after today in Vietnam"},
    )


class ObjectiveResultSchema(StrictSchema):
    """The result against one objective."""

    objective = Text(max_length=2000, required=True)
    result = Text(max_length=20_000, multiline=True, required=True)


class ResultSchema(StrictSchema):
    """The result report."""

    results = fields.List(
        fields.Nested(ObjectiveResultSchema),
        required=True,
        validate=validate.Length(min=1, max=100),
    )
    damage_caused = fields.Boolean(required=True)
    damage_description = optional_text()
    damage_amount_vnd = fields.Integer(load_default=0, strict=True, validate=MONEY)
    causes = long_text()
    honesty_declaration = fields.Boolean(
        required=True, metadata={"enum": [True], "description": "the report is declared honest"}
    )


class PartOutcomeSchema(StrictSchema):
    """The outcome of one part of the work."""

    part = Text(max_length=2000, required=True)
    outcome = fields.String(required=True, validate=one_of(Outcome))


class FindingsSchema(StrictSchema):
    """The four findings of Art. 11."""

    followed_policy = fields.Boolean(required=True)
    pure_motive = fields.Boolean(required=True)
    common_interest = fields.Boolean(required=True)
    within_scope_and_time = fields.Boolean(required=True)


class EvaluationSchema(StrictSchema):
    """The evaluation after the leadership meeting."""

    parts = fields.List(
        fields.Nested(PartOutcomeSchema), required=True, validate=validate.Length(min=1, max=100)
    )
    outcome = fields.String(required=True, validate=one_of(Outcome))
    damage_caused = fields.Boolean(required=True)
    damage_description = optional_text()
    damage_amount_vnd = fields.Integer(load_default=0, strict=True, validate=MONEY)
    objective_causes = optional_text()
    subjective_causes = optional_text()
    findings = fields.Nested(FindingsSchema, required=True)
    self_interest_or_abuse = fields.Boolean(load_default=False)
    document_ref = short()
    attachments = attachments()


class ProtectionRequestSchema(StrictSchema):
    """A request for protection."""

    trigger = fields.String(required=True, validate=one_of(ProtectionTrigger))
    proceeding_ref = Text(max_length=200, load_default="")
    reason = optional_text()


class ProtectionDeterminationSchema(StrictSchema):
    """The measure determined."""

    measure = fields.String(required=True, validate=one_of(Measure))
    reasons = long_text()
    evidence = fields.List(Text(max_length=2000), load_default=list)
    document_ref = short()
    attachments = attachments()


class LiabilityOutcomeSchema(StrictSchema):
    """The deciding body's decision on liability."""

    body_organisation_id = fields.UUID(required=True)
    decision = long_text()
    document_ref = short()


class CommendationSchema(StrictSchema):
    """Praise or a reward."""

    awarding_organisation_id = fields.UUID(required=True)
    form = fields.String(required=True, validate=one_of(CommendationForm))
    person_ids = fields.List(fields.UUID(), required=True, validate=validate.Length(1, 50))
    decision_document, attachments = decided()


class EvaluationInputSchema(StrictSchema):
    """Facts for a cadre's periodic evaluation."""

    personnel_organisation_id = fields.UUID(required=True)
    person_id = fields.UUID(required=True)
    period = short()
    facts = long_text()


class SalaryStepSchema(StrictSchema):
    """An early salary step considered."""

    personnel_organisation_id = fields.UUID(required=True)
    person_id = fields.UUID(required=True)
    months_early = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(0, 600),
        # the service refuses more than 12 months, and none (Art. 10)
        metadata={"minimum": 1, "maximum": 12},
    )
    decision = long_text()
    decision_document = Text(max_length=200, load_default="")


class ReviewSchema(StrictSchema):
    """An interim or final review."""

    lessons = long_text()
    document_ref = Text(max_length=200, load_default="")


class ReplicationProposalSchema(StrictSchema):
    """Where to replicate."""

    target_organisation_ids = fields.List(
        fields.UUID(),
        required=True,
        validate=validate.Length(1, 100),
        metadata={"uniqueItems": True, "description": "not the employing organisation"},
    )
    reason = long_text()


class ReplicationApprovalSchema(StrictSchema):
    """The approval of a replication proposal."""

    proposal_version = version()
    decision_document = short()


class ProposersSchema(StrictSchema):
    """Who carries a replicated initiative, named by the head of the organisation it went to:
    people holding a position there, each once."""

    proposer_ids = fields.List(fields.UUID(), required=True, validate=validate.Length(1, 20))


class HandoverSchema(StrictSchema):
    """The organisation merged, split or renamed whose part in the initiative its successor
    takes over; the successor is the one the directory says it was merged into, or, after a
    renaming or a split, the one named here."""

    from_organisation_id = fields.UUID(
        required=True,
        metadata={
            "description": "the employing agency, addressee or deciding authority that"
            " was merged, split or renamed"
        },
    )
    to_organisation_id = fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "the successor, when the directory records a renaming or a split"
            " (it names the old unit); by default, the organisation the old unit was merged into"
        },
    )
    document_ref = Text(max_length=200, load_default="")


class InstitutionalisationSchema(StrictSchema):
    """A recommendation to turn the result into a rule."""

    target_instrument = Text(max_length=500, required=True)
    drafting_body = Text(max_length=500, required=True)
    reason = long_text()


def _unstorable(text: str) -> bool:
    """Whether text holds a lone surrogate (JSON can escape one; UTF-8 cannot store it)."""
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def storable_key(key: str) -> None:
    """Refuse a field name that cannot be stored."""
    if _unstorable(key):
        raise ValidationError("lone surrogates are not allowed")


def storable(value: Any) -> None:
    """Refuse a value that cannot be stored and read back: lists or objects nested more than
    CORRECTION_DEPTH deep, or text (names included) with a lone surrogate (walked without
    recursion)."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            storable_key(item)
            continue
        if isinstance(item, dict):
            children = [*item.keys(), *item.values()]
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > CORRECTION_DEPTH:
            raise ValidationError(f"nested more than {CORRECTION_DEPTH} levels deep")
        pending.extend((child, depth + 1) for child in children)


class CorrectionSchema(StrictSchema):
    """A correction of an earlier event (never an edit)."""

    corrected_version = version()
    reason = long_text()
    corrections = fields.Dict(
        keys=fields.String(validate=[validate.Length(1, 100), storable_key]),
        values=fields.Raw(allow_none=True, validate=storable),
        required=True,
        validate=validate.Length(min=1, max=50),
        metadata={
            "minProperties": 1,
            "maxProperties": 50,
            "description": "field name (1 to 100 characters) → corrected value (lists and"
            f" objects nested at most {CORRECTION_DEPTH} deep)",
        },
    )
    attachments = attachments()


class CountersignSchema(StrictSchema):
    """The head's countersignature of a proposed correction (their own act)."""

    correction_version = version()


class ArchiveSchema(StrictSchema):
    """The archive reference."""

    archive_ref = short()
