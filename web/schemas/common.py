"""Fields shared by every schema: safe text, bounded dates."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime
from typing import Any, Self

from marshmallow import Schema, ValidationError, fields, validate

EARLIEST = date(1945, 9, 2)
LATEST = date(2100, 12, 31)
# Log positions, versions, tree sizes and indexes fit a signed 64-bit column with room to spare.
MAX_POSITION = 2**53
AT_LEAST_0 = validate.Range(min=0, max=MAX_POSITION)
AT_LEAST_1 = validate.Range(min=1, max=MAX_POSITION)
# Line breaks and tabs are fine in long text; every other control character is refused.
_ALLOWED_CONTROLS = {"\n", "\r", "\t"}

# What the fields below enforce, stated in the OpenAPI schema in JSON Schema (patterns in ECMA-262
# syntax, [0-9] rather than \d so that no other script's digits match): clients and generators
# (schemathesis) then send what the API accepts. The fields' own checks stay the authority.
# A control character (Unicode category Cc) refused in one-line text, and in multi-line text
# (where tab, line feed and carriage return are fine). Said as `not` a pattern rather than as a
# pattern of the allowed characters, which costs generators dearly next to a long maxLength.
_LINE_CONTROL = r"[\x00-\x1f\x7f-\x9f]"
_MULTILINE_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
_BLANK = r"^\s*$"
_MONTH_DAY = r"(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
# ISO calendar dates from EARLIEST (1945-09-02) to LATEST (2100-12-31); `format: date` rules out
# the days a month does not have.
DAY_PATTERN = (
    r"^(?:1945-(?:09-(?:0[2-9]|[12][0-9]|30)|1[0-2]-(?:0[1-9]|[12][0-9]|3[01]))"
    r"|(?:194[6-9]|19[5-9][0-9]|20[0-9]{2}|2100)-" + _MONTH_DAY + r")$"
)
# ISO times with an offset whose local date lies a day inside the bounds (1945-09-03 to
# 2100-12-30), so that under any offset (less than 24 hours either way) the time falls between
# EARLIEST and LATEST in UTC; `Z` in upper case only, seconds 00-59.
MOMENT_PATTERN = (
    r"^(?:1945-(?:09-(?:0[3-9]|[12][0-9]|30)|1[0-2]-(?:0[1-9]|[12][0-9]|3[01]))"
    r"|(?:194[6-9]|19[5-9][0-9]|20[0-9]{2})-" + _MONTH_DAY + r"|2100-(?:(?:0[1-9]|1[01])-"
    r"(?:0[1-9]|[12][0-9]|3[01])|12-(?:0[1-9]|[12][0-9]|30)))"
    r"[Tt ](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,9})?"
    r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$"
)
_BOUNDS = f"between {EARLIEST} and {LATEST}"


def _documented(kwargs: dict[str, Any], **properties: Any) -> dict[str, Any]:
    """`kwargs` with JSON Schema `properties` added to the field's metadata (what apispec
    writes into the OpenAPI schema); the caller's own metadata wins."""
    return {**kwargs, "metadata": {**properties, **kwargs.get("metadata", {})}}


def _with_bounds(kwargs: dict[str, Any], what: str) -> dict[str, Any]:
    """`kwargs` with what the field takes, and its bounds, said in its description."""
    metadata = kwargs.get("metadata", {})
    said = metadata.get("description")
    bounded = what.format(bounds=_BOUNDS)
    description = f"{said} ({bounded})" if said else bounded
    return {**kwargs, "metadata": {**metadata, "description": description}}


class Unchanging:
    """A schema instance is never changed once made, so a copy of it is itself: flask-smorest
    deep-copies a view's documentation at each of its decorators (a command has eight), and
    copying the schemas' fields each time was a third of building the app in a process."""

    def __deepcopy__(self, memo: dict[int, object]) -> Self:
        return self


class StrictSchema(Unchanging, Schema):
    """Unknown fields are refused (marshmallow's RAISE), everywhere."""

    class Meta:
        ordered = True


class Text(fields.String):
    """Text stored NFC-normalised; control characters refused; blank refused when required."""

    def __init__(self, max_length: int = 2000, multiline: bool = False, **kwargs: Any) -> None:
        control = {"pattern": _MULTILINE_CONTROL if multiline else _LINE_CONTROL}
        # Required text is not blank either (the schema's `\s` is a little wider than Python's
        # `str.strip`: it also counts U+FEFF as blank).
        refused = (
            {"minLength": 1, "not": {"anyOf": [control, {"pattern": _BLANK}]}}
            if kwargs.get("required")
            else {"not": control}
        )
        super().__init__(
            validate=validate.Length(max=max_length), **_documented(kwargs, **refused)
        )
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

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            **_documented(_with_bounds(kwargs, "a date {bounds}"), pattern=DAY_PATTERN)
        )

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> date:
        day = super()._deserialize(value, attr, data, **kwargs)
        if not EARLIEST <= day <= LATEST:
            raise ValidationError(f"must be between {EARLIEST} and {LATEST}")
        return day


class Moment(fields.AwareDateTime):
    """An ISO time with its offset, within the period the service records (so that no
    conversion to Vietnam time can overflow)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs = _with_bounds(kwargs, "an ISO time with its offset, {bounds} in UTC")
        super().__init__(**_documented(kwargs, pattern=MOMENT_PATTERN))

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
