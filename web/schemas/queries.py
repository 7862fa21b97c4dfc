"""Schemas of the query API's arguments: filters, points in time, reading purposes (the pages and
rows it answers: web/schemas/answers.py)."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from domain.initiative import Regime, Status
from domain.vocabulary import ApprovalBasis, Level, Measure, Outcome
from web.schemas.common import AT_LEAST_0, AT_LEAST_1, Moment, StrictSchema, Text
from web.schemas.initiatives import one_of

PAGE = 100  # rows of a dashboard's page when `limit` is not given
MAX_PAGE = 1000


class ConsistencySchema(StrictSchema):
    """Read-your-writes (`min_position`), or the read model as it stood at a past moment."""

    min_position = fields.Integer(
        load_default=None,
        validate=AT_LEAST_0,
        metadata={"description": "a log position already reached (a command's `position`)"},
    )
    as_of = Moment(
        metadata={
            "description": "answer from the views as they stood then (their history); not"
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
    approval_basis = fields.String(validate=one_of(ApprovalBasis))
    outcome = fields.String(validate=one_of(Outcome))
    recommended_measure = fields.String(validate=one_of(Measure))
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


class PageSchema(StrictSchema):
    """A page of a long dashboard: every answer is one (a request's cost is bounded); the
    whole answer is its pages, each asked for with the `next_cursor` of the one before."""

    limit = fields.Integer(
        load_default=PAGE,
        validate=validate.Range(min=1, max=MAX_PAGE),
        metadata={"description": f"rows per page (at most {MAX_PAGE}; absent: {PAGE})"},
    )
    cursor = fields.String(
        validate=validate.Length(max=500),
        metadata={
            "description": "the `next_cursor` of the page before (opaque)",
            "pattern": "^[A-Za-z0-9_=-]*$",
        },
    )


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


class DossierSchema(StrictSchema):
    """What the dossier carries beyond its proofs."""

    pdf = fields.Boolean(
        load_default=False,
        metadata={
            "description": "add story.pdf: the story's summary and first 20 events printed"
            " (a few seconds more); the offline verifier checks its digest, not its content"
        },
    )


class ChangesSchema(StrictSchema):
    """Between two moments."""

    from_ = Moment(required=True, data_key="from")
    to = Moment(required=True, metadata={"description": "not before `from`"})


class DashboardChangesSchema(StrictSchema):
    """Two moments, and the dashboard's own filters."""

    from_ = Moment(required=True, data_key="from", metadata={"description": "not later than now"})
    to = Moment(required=True, metadata={"description": "not later than now"})
    organisation_id = fields.UUID()
    person_id = fields.UUID()
    days = fields.Integer(validate=validate.Range(min=1, max=3650))
    period = fields.String(validate=validate.OneOf(["year", "quarter"]))
    mismatches_only = fields.Boolean()


class PurposeSchema(StrictSchema):
    """Why an inspector reads (required, recorded in the access log)."""

    purpose = Text(max_length=500, required=True)


class ExportFormatSchema(StrictSchema):
    """A download's format (mixed into a list's filters)."""

    format = fields.String(
        required=True,
        validate=validate.OneOf(["csv", "xlsx"]),
        metadata={"description": "`csv` (UTF-8, with a byte-order mark) or `xlsx` (Excel)"},
    )
