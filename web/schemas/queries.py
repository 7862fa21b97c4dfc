"""Schemas of the query API: filters, pages and dashboard rows."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from domain.initiative import Regime, Status
from domain.values import Level
from web.schemas.common import AT_LEAST_0, AT_LEAST_1, Moment, StrictSchema, Text
from web.schemas.initiatives import one_of


class ConsistencySchema(StrictSchema):
    """Read-your-writes (`min_position`), or the read model as it stood at a past moment."""

    min_position = fields.Integer(
        load_default=None,
        validate=AT_LEAST_0,
        metadata={"description": "a log position already reached (a command's `position`)"},
    )
    as_of = Moment(
        metadata={
            "description": "answer from the views as they stood then (rebuilt apart); not"
            " later than now"
        }
    )


class InitiativeFilterSchema(ConsistencySchema):
    """Filters, sort and page of the initiative list."""

    status = fields.String(validate=one_of(Status))
    regime = fields.String(validate=one_of(Regime))
    organisation_id = fields.UUID(data_key="organisation_id")
    addressee_id = fields.UUID()
    authority_id = fields.UUID()
    person_id = fields.UUID()
    level = fields.String(validate=one_of(Level))
    approval_basis = fields.String(validate=validate.Length(max=50))
    outcome = fields.String(validate=validate.Length(max=50))
    recommended_measure = fields.String(validate=validate.Length(max=60))
    protection_mismatch = fields.Boolean()
    head_override = fields.Boolean()
    outside_approval = fields.Boolean()
    q = Text(max_length=200)
    sort = fields.String(
        load_default="-updated_at",
        validate=validate.OneOf(
            ["updated_at", "-updated_at", "created_at", "-created_at", "title", "-title"]
        ),
    )
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String(
        validate=validate.Length(max=500),
        metadata={
            "description": "the `next_cursor` of the page before (opaque)",
            "pattern": "^[A-Za-z0-9_=-]*$",
        },
    )


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


class InboxFilterSchema(ConsistencySchema):
    """Whose inbox."""

    organisation_id = fields.UUID(required=True)


class OrganisationFilterSchema(ConsistencySchema):
    """Optionally one organisation."""

    organisation_id = fields.UUID()


class SupervisionFilterSchema(OrganisationFilterSchema):
    """Pilots without a note in the last `days` days."""

    days = fields.Integer(load_default=30, validate=validate.Range(min=1, max=3650))


class CadreFilterSchema(ConsistencySchema):
    """Per person and period."""

    period = fields.String(load_default="year", validate=validate.OneOf(["year", "quarter"]))
    person_id = fields.UUID()


class ProtectionFilterSchema(ConsistencySchema):
    """Only the mismatches?"""

    mismatches_only = fields.Boolean(load_default=False)


class AuditFilterSchema(ConsistencySchema):
    """Audit feed filters and page."""

    organisation_id = fields.UUID()
    person_id = fields.UUID()
    aggregate_id = fields.UUID()
    event_type = fields.String(validate=validate.Regexp(r"^[A-Za-z]{1,60}$"))
    since = Moment()
    until = Moment()
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    before = fields.Integer(validate=AT_LEAST_1)


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


class DeadlinesSchema(AnswerSchema):
    """Running and missed clocks."""

    running = fields.List(fields.Dict())
    missed = fields.List(fields.Dict())
    by_organisation = fields.Dict()


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


class PointInTimeSchema(StrictSchema):
    """Now, a past moment, or a version."""

    as_of = Moment(metadata={"description": "ISO time with offset, not later than now"})
    version = fields.Integer(validate=AT_LEAST_1, metadata={"description": "not with `as_of`"})

    @validates_schema
    def _one(self, data: dict[str, Any], **_: Any) -> None:
        if "as_of" in data and "version" in data:
            raise ValidationError("ask for `as_of` or `version`, not both", "version")


class UntilSchema(StrictSchema):
    """History up to a moment."""

    until = Moment()


class ChangesSchema(StrictSchema):
    """Between two moments."""

    from_ = Moment(required=True, data_key="from")
    to = Moment(required=True, metadata={"description": "not before `from`"})


class ChangesResultSchema(StrictSchema):
    """Events between two moments and the differences of the state."""

    events = fields.List(fields.Dict())
    differences = fields.Dict(metadata={"description": "path → {before, after}"})
    existed_at_from = fields.Boolean()


class DashboardChangesSchema(StrictSchema):
    """Two moments, and the dashboard's own filters."""

    from_ = Moment(required=True, data_key="from", metadata={"description": "not later than now"})
    to = Moment(required=True, metadata={"description": "not later than now"})
    organisation_id = fields.UUID()
    person_id = fields.UUID()
    days = fields.Integer(validate=validate.Range(min=1, max=3650))
    period = fields.String(validate=validate.OneOf(["year", "quarter"]))
    mismatches_only = fields.Boolean()


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


class PurposeSchema(StrictSchema):
    """Why an inspector reads (required, recorded in the access log)."""

    purpose = Text(max_length=500, required=True)


class ReadingSchema(StrictSchema):
    """An open reading: name it in `X-Reading-Id`."""

    reading_id = fields.String()
    expires_at = fields.AwareDateTime()
