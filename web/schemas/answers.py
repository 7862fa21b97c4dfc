"""What the API answers: schemas for the OpenAPI document only; none of them validates input —
those are in the other modules. (flask-smorest does dump each answer through its schema: a field
not declared here is left out of the answer.)"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from domain.initiative import Regime, Status
from web.schemas.common import Moment, StrictSchema, Unchanging
from web.schemas.initiatives import ProposalSchema, one_of


class VersionSchema(StrictSchema):
    """The aggregate's version after the command, and the log position of its last event."""

    version = fields.Integer(required=True)
    position = fields.Integer(
        allow_none=True,
        metadata={"description": "pass as `min_position` to a query to read your write"},
    )


class CreatedSchema(VersionSchema):
    """A new aggregate's id and version."""

    id = fields.UUID(required=True)


class ProblemSchema(Unchanging, Schema):
    """RFC 9457 problem details (documentation only)."""

    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    instance = fields.String()
    errors = fields.Dict(
        keys=fields.String(), values=fields.Raw(), metadata={"description": "field errors"}
    )


class PositionSchema(StrictSchema):
    """A position as the API shows it."""

    key = fields.String()
    person_id = fields.UUID()
    organisation_id = fields.UUID()
    role = fields.String()
    title = fields.String()
    valid_from = fields.Date()
    valid_to = fields.Date(allow_none=True)


class OrganisationSchema(StrictSchema):
    """An organisation as the API shows it."""

    id = fields.UUID()
    key = fields.String()
    name = fields.String()
    kind = fields.String()
    level = fields.String()
    superior = fields.String(allow_none=True)
    party_committee = fields.String(allow_none=True)
    valid_from = fields.Date(allow_none=True)
    valid_to = fields.Date(allow_none=True)
    succession = fields.List(fields.Dict())
    quorum = fields.List(
        fields.Dict(), metadata={"description": "its own quorum rules, by the day each applies"}
    )
    positions = fields.List(fields.Nested(PositionSchema))


class PersonSchema(StrictSchema):
    """A person as the API shows them."""

    id = fields.UUID()
    key = fields.String()
    full_name = fields.String()
    identifiers = fields.Dict()
    party_member = fields.Boolean()
    positions = fields.List(fields.Nested(PositionSchema))


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
    provisional = fields.Boolean(
        metadata={
            "description": "the due date or a count of working days rests on a day the"
            " calendar marks provisional (not confirmed by a source the service holds)"
        }
    )
    provisional_dates = fields.List(
        fields.Date(), metadata={"description": "those provisional days, in order"}
    )
    calendar_missing = fields.List(
        fields.Integer(),
        metadata={
            "description": "years the clock counts over that have no calendar file: counted"
            " Monday to Friday until the file is added"
        },
    )
    obstacle_version = fields.Integer(
        allow_none=True,
        metadata={
            "description": "the obstacle an `obstacle_resolution` clock runs for (the version"
            " of its raising, as `resolve-obstacle` names it); null for the other clocks"
        },
    )


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
    authority_id = fields.UUID(
        allow_none=True,
        metadata={
            "description": "the organisation that decides what follows: the one that approved,"
            " or its successor after a handover (`approval.authority_id` keeps the one that"
            " approved)"
        },
    )
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
    handovers = fields.List(
        fields.Dict(),
        metadata={"description": "handovers to the successors of merged, split or renamed units"},
    )
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


class AnswerSchema(StrictSchema):
    """An answer from the views: now, or (`as_of`) as they stood at a past moment."""

    as_of = fields.Dict(
        allow_none=True,
        metadata={"description": "for `as_of` answers: the log position and the checkpoint"},
    )


class InitiativeRowSchema(StrictSchema):
    """One initiative as the list shows it."""

    id = fields.UUID()
    version = fields.Integer()
    position = fields.Integer()
    title = fields.String()
    regime = fields.String()
    status = fields.String()
    employing_organisation_id = fields.UUID()
    addressee_id = fields.UUID(allow_none=True)
    authority_id = fields.UUID(allow_none=True)
    parent_id = fields.UUID(allow_none=True)
    approval_basis = fields.String(allow_none=True)
    approved_on = fields.String(allow_none=True)
    terms_start = fields.String(allow_none=True)
    terms_end = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True)
    recommended_measure = fields.String(allow_none=True)
    determined_measure = fields.String(allow_none=True)
    protection_mismatch = fields.Boolean()
    protection_requested = fields.Boolean()
    head_override = fields.Boolean()
    outside_approval = fields.Boolean()
    supervision_notes = fields.Integer()
    last_supervision_on = fields.String(allow_none=True)
    created_at = fields.String()
    updated_at = fields.String()
    proposer_ids = fields.List(fields.UUID())
    assignee_ids = fields.List(fields.UUID())


class InitiativePageSchema(AnswerSchema):
    """A page of initiatives and the cursor of the next one."""

    items = fields.List(fields.Nested(InitiativeRowSchema))
    next_cursor = fields.String(allow_none=True)


class AuditRowSchema(StrictSchema):
    """One event of the audit feed."""

    position = fields.Integer()
    aggregate_id = fields.UUID()
    aggregate_type = fields.String()
    version = fields.Integer()
    event_type = fields.String()
    recorded_at = fields.String()
    actor_person_id = fields.UUID(allow_none=True)
    actor_name = fields.String(allow_none=True)
    actor_role = fields.String(allow_none=True)
    actor_organisation_id = fields.UUID(allow_none=True)
    organisation_id = fields.UUID(allow_none=True)
    request_id = fields.String(allow_none=True)
    data = fields.Dict()


class AuditPageSchema(AnswerSchema):
    """A page of the audit feed, newest first."""

    items = fields.List(fields.Nested(AuditRowSchema))
    next_before = fields.Integer(allow_none=True)


class RowsSchema(AnswerSchema):
    """Dashboard rows."""

    items = fields.List(fields.Dict())


class InboxSchema(RowsSchema):
    """A page of the inbox's rows, their total and the next page's cursor."""

    total = fields.Integer(metadata={"description": "every row's count"})
    next_cursor = fields.String(
        allow_none=True, metadata={"description": "the next page's, or null: the last page"}
    )


class DeadlinesSchema(AnswerSchema):
    """Running and missed clocks (each with `provisional`, `provisional_dates` and
    `calendar_missing` as an initiative's clocks have them), a page of them (running first,
    then missed, each by due date): `by_organisation` and `total` count every row,
    `next_cursor` asks for the next page (null: the last)."""

    running = fields.List(fields.Dict())
    missed = fields.List(fields.Dict())
    by_organisation = fields.Dict()
    total = fields.Dict(
        keys=fields.String(), values=fields.Integer(), metadata={"description": "every row's"}
    )
    next_cursor = fields.String(allow_none=True, metadata={"description": "null: the last page"})


class ReceiptSchema(StrictSchema):
    """An event's receipt, `initiative-ledger/receipt/v2` (docs/ledger.md §4)."""

    format = fields.String()
    tlog_proof = fields.String(metadata={"description": "C2SP tlog-proof with the checkpoint"})
    record = fields.Dict(metadata={"description": "aggregate_id, version, topic, state_base64"})
    leaf_input = fields.String(metadata={"description": "base64 of the exact leaf bytes"})
    event = fields.Dict(metadata={"description": "the event, readable (not verified)"})
    authority = fields.Dict(
        allow_none=True,
        metadata={
            "description": "for an act: the organisation's directory events up to the act, the"
            " next one, and its latest version in the checkpoint's index (docs/ledger.md §4.1)"
        },
    )


class ChangesResultSchema(StrictSchema):
    """Events between two moments and the differences of the state."""

    events = fields.List(fields.Dict())
    differences = fields.Dict(metadata={"description": "path → {before, after}"})
    existed_at_from = fields.Boolean()


class RowChangesSchema(StrictSchema):
    """Rows added, removed and changed between two moments."""

    added = fields.List(fields.Dict())
    removed = fields.List(fields.Dict())
    changed = fields.List(fields.Dict())
    from_ = fields.Dict(data_key="from")
    to = fields.Dict()


class AccessEntrySchema(StrictSchema):
    """One reading by an inspector."""

    at = Moment()
    actor = fields.Dict()
    what = fields.String()
    purpose = fields.String()


class ReadingSchema(StrictSchema):
    """An open reading: name it in `X-Reading-Id`."""

    reading_id = fields.String()
    expires_at = fields.AwareDateTime()
