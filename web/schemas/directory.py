"""Schemas of the directory import file (the directory's answers: web/schemas/answers.py)."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from domain.errors import InvalidError
from domain.quorum import FRACTION_PATTERN, Quorum, quorum_rules
from domain.vocabulary import Level, OrganisationKind, Role, SuccessionKind
from web.schemas.common import Day, StrictSchema, Text
from web.schemas.initiatives import one_of

KEY = validate.Regexp(r"^[a-z0-9][a-z0-9._-]{0,99}$", error="keys are lowercase a-z, 0-9, . _ -")


class SuccessionSchema(StrictSchema):
    """How this organisation continues or came from another one."""

    relation = fields.String(required=True, validate=one_of(SuccessionKind))
    organisation = fields.String(required=True, validate=KEY)
    date = Day(required=True)


def share(comparison: str) -> fields.String:
    """A share of the eligible members, as a fraction ("2/3")."""
    return fields.String(
        validate=validate.Regexp(FRACTION_PATTERN, error="a fraction such as 2/3"),
        metadata={
            "description": f"{comparison} this share of the eligible members must be present;"
            " a fraction such as 2/3; state `more_than` or `at_least`, not both"
        },
    )


class QuorumSchema(StrictSchema):
    """The organisation's own quorum rule for its leadership meetings (its working
    regulation), in force from `valid_from` until the next rule's."""

    valid_from = Day(required=True)
    more_than = share("more than")
    at_least = share("at least")

    @validates_schema
    def _one_rule(self, data: dict[str, Any], **_: Any) -> None:
        try:
            Quorum.of(data)  # type: ignore[arg-type]  # the keys QuorumRecord has
        except InvalidError as error:
            raise ValidationError(str(error)) from error


def distinct_days(rules: list[dict[str, Any]]) -> None:
    """No two quorum rules take effect on the same day."""
    try:
        quorum_rules(rules)  # type: ignore[arg-type]
    except InvalidError as error:
        raise ValidationError(str(error)) from error


class OrganisationEntrySchema(StrictSchema):
    """An organisation of the import file."""

    key = fields.String(required=True, validate=KEY)
    name = Text(max_length=300, required=True)
    kind = fields.String(required=True, validate=one_of(OrganisationKind))
    level = fields.String(required=True, validate=one_of(Level))
    superior = fields.String(load_default=None, allow_none=True, validate=KEY)
    party_committee = fields.String(load_default=None, allow_none=True, validate=KEY)
    valid_from = Day(load_default=None, allow_none=True)
    valid_to = Day(load_default=None, allow_none=True)
    succession = fields.List(fields.Nested(SuccessionSchema), load_default=list)
    quorum = fields.List(
        fields.Nested(QuorumSchema),
        load_default=list,
        validate=[validate.Length(max=100), distinct_days],
        metadata={
            "description": "its own quorum rules, if its working regulation sets one; else more"
            " than half of the eligible members"
        },
    )


class PersonEntrySchema(StrictSchema):
    """A person of the import file."""

    key = fields.String(required=True, validate=KEY)
    full_name = Text(max_length=200, required=True)
    identifiers = fields.Dict(keys=fields.String(), values=Text(max_length=100), load_default=dict)
    party_member = fields.Boolean(load_default=False)
    email = fields.Email(
        allow_none=True,
        validate=validate.Length(max=254),
        metadata={
            "description": "work e-mail address, where reminders go; left out: the one recorded"
            " stays; null: removed"
        },
    )


class PositionEntrySchema(StrictSchema):
    """A position of the import file."""

    key = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    person = fields.String(required=True, validate=KEY)
    organisation = fields.String(required=True, validate=KEY)
    role = fields.String(required=True, validate=one_of(Role))
    title = Text(max_length=200, load_default="")
    valid_from = Day(required=True)
    valid_to = Day(load_default=None, allow_none=True)


class DirectoryFileSchema(StrictSchema):
    """A directory import file (YAML or JSON)."""

    organisations = fields.List(fields.Nested(OrganisationEntrySchema), load_default=list)
    people = fields.List(fields.Nested(PersonEntrySchema), load_default=list)
    positions = fields.List(fields.Nested(PositionEntrySchema), load_default=list)
