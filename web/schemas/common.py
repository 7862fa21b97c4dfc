"""Fields shared by every schema: safe text, bounded dates, version answers."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

EARLIEST = date(1945, 9, 2)
LATEST = date(2100, 12, 31)
# Log positions, versions, tree sizes and indexes fit a signed 64-bit column with room to spare.
MAX_POSITION = 2**53
AT_LEAST_0 = validate.Range(min=0, max=MAX_POSITION)
AT_LEAST_1 = validate.Range(min=1, max=MAX_POSITION)
# Line breaks and tabs are fine in long text; every other control character is refused.
_ALLOWED_CONTROLS = {"\n", "\r", "\t"}


class StrictSchema(Schema):
    """Unknown fields are refused (marshmallow's RAISE), everywhere."""

    class Meta:
        ordered = True


class Text(fields.String):
    """Text stored NFC-normalised; control characters refused; blank refused when required."""

    def __init__(self, max_length: int = 2000, multiline: bool = False, **kwargs: Any) -> None:
        super().__init__(validate=validate.Length(max=max_length), **kwargs)
        self.multiline = multiline

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = unicodedata.normalize("NFC", super()._deserialize(value, attr, data, **kwargs))
        allowed = _ALLOWED_CONTROLS if self.multiline else set()
        if any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed for ch in text):
            raise ValidationError("control characters are not allowed")
        if self.required and not text.strip():
            raise ValidationError("must not be empty")
        return text


class Day(fields.Date):
    """An ISO calendar date within the period the service records."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> date:
        day = super()._deserialize(value, attr, data, **kwargs)
        if not EARLIEST <= day <= LATEST:
            raise ValidationError(f"must be between {EARLIEST} and {LATEST}")
        return day


class Moment(fields.AwareDateTime):
    """An ISO time with its offset, within the period the service records (so that no
    conversion to Vietnam time can overflow)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            day = moment.astimezone(UTC).date()
        except OverflowError:
            day = date.max
        if not EARLIEST <= day <= LATEST:
            raise ValidationError(f"must be between {EARLIEST} and {LATEST}")
        return moment


def long_text(**kwargs: Any) -> Text:
    """A required multi-line text of up to 20,000 characters."""
    return Text(max_length=20_000, multiline=True, required=True, **kwargs)


def text_list(min_items: int = 1, **kwargs: Any) -> fields.List[str]:
    """A list of short texts."""
    return fields.List(
        Text(max_length=2000, required=True),
        validate=validate.Length(min=min_items, max=200),
        required=True,
        **kwargs,
    )


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


class ProblemSchema(Schema):
    """RFC 9457 problem details (documentation only)."""

    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    instance = fields.String()
    errors = fields.Dict(
        keys=fields.String(), values=fields.Raw(), metadata={"description": "field errors"}
    )
