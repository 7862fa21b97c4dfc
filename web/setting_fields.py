"""The kinds of value a setting takes (web/config.py declares the settings with them): each
refuses a bad value with a one-line reason, so a deployment with a wrong setting does not start
and says which one and why."""

from __future__ import annotations

import math
from datetime import time
from email.utils import getaddresses
from pathlib import Path
from typing import Any

from limits import parse_many
from marshmallow import ValidationError, fields, validate

YES, NO = ("1", "true", "y", "yes", "on"), ("0", "false", "n", "no", "off")


class Whole(fields.Field[int]):
    """A whole number of `minimum` or more."""

    def __init__(self, name: str, default: int, minimum: int = 0) -> None:
        super().__init__(data_key=name, load_default=default)
        self.minimum = minimum

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        try:
            number = int(value)
        except ValueError:
            raise ValidationError(f"must be a whole number, not {value!r}") from None
        if number < self.minimum:
            if self.minimum == 0:
                raise ValidationError(f"must not be negative, not {number}")
            raise ValidationError(f"must be at least {self.minimum}, not {number}")
        return number


class Seconds(fields.Field[float]):
    """A finite, non-negative number of seconds."""

    def __init__(self, name: str, default: float) -> None:
        super().__init__(data_key=name, load_default=default)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> float:
        try:
            seconds = float(value)
        except ValueError:
            raise ValidationError(f"must be a number of seconds, not {value!r}") from None
        if not 0 <= seconds < math.inf:  # nan, inf, negative
            raise ValidationError(f"must be a finite number of seconds ≥ 0, not {value}")
        return seconds


class Flag(fields.Field[bool]):
    """Yes (1, true, y, yes, on) or no (0, false, n, no, off), in any case."""

    def __init__(self, name: str, default: bool | None) -> None:
        super().__init__(data_key=name, load_default=default)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        word = str(value).lower()
        if word not in YES + NO:
            raise ValidationError(f"must be yes or no (1/0, true/false, on/off), not {value!r}")
        return word in YES


class Rate(fields.Field[str]):
    """A rate limit such as "300 per minute; 30 per second"; "off" or "none": no limit ("")."""

    def __init__(self, name: str, default: str) -> None:
        super().__init__(data_key=name, load_default=default)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if value.lower() in ("off", "none"):
            return ""
        try:
            parse_many(value)
        except ValueError:
            raise ValidationError(
                f"must be like '300 per minute; 30 per second' (or 'off'), not {value!r}"
            ) from None
        return str(value)


class TimeOfDay(fields.Field[time]):
    """A time of day, HH:MM on the 24-hour clock; unset: None."""

    def __init__(self, name: str) -> None:
        super().__init__(data_key=name, load_default=None)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> time:
        hours, _, minutes = str(value).partition(":")
        if not (len(hours) == len(minutes) == 2 and (hours + minutes).isdigit()):
            raise ValidationError(f"must be a time of day as HH:MM, not {value!r}")
        if not (int(hours) < 24 and int(minutes) < 60):
            raise ValidationError(
                f"must be a time of day as HH:MM (00:00 to 23:59), not {value!r}"
            )
        return time(int(hours), int(minutes))


def mailbox(value: str) -> None:
    """One address as SMTP_FROM takes it: `name@domain.vn` or `Name <name@domain.vn>` (a name
    with a comma in quotes)."""
    found = getaddresses([value])
    address = found[0][1] if len(found) == 1 else ""
    local, at, domain = address.rpartition("@")
    if not (local and at and "." in domain and address.isascii() and " " not in address):
        raise ValidationError(
            "must be one address such as"
            " '\"Sổ đề xuất đổi mới, sáng tạo\" <no-reply@example.gov.vn>',"
            f" not {value!r}"
        )


def free_text(name: str, default: str = "") -> fields.String:
    return fields.String(data_key=name, load_default=default)


def address(name: str, what: str = "an http:// or https:// address") -> fields.String:
    """An http(s) URL (unset: "")."""
    return fields.String(
        data_key=name,
        load_default="",
        validate=validate.URL(
            schemes={"http", "https"}, require_tld=False, error=f"must be {what}, not {{input!r}}"
        ),
    )


def choice(name: str, choices: tuple[str, ...]) -> fields.String:
    """One of `choices` (unset: the first)."""
    return fields.String(
        data_key=name,
        load_default=choices[0],
        validate=validate.OneOf(choices, error=f"must be {' or '.join(choices)}, not {{input!r}}"),
    )


def path(name: str, default: Path) -> fields.Function:
    return fields.Function(deserialize=Path, data_key=name, load_default=default)
