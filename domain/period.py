"""A period of a unit's plan or review: a year (`2026`), a half (`2026-H1`), a quarter
(`2026-Q3`) or a month (`2026-07`), with its first and last Vietnam day (both included)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from domain.errors import InvalidError

PATTERN = r"^(19|20)\d{2}(-H[12]|-Q[1-4]|-(0[1-9]|1[0-2]))?$"
_PERIOD = re.compile(r"^((?:19|20)\d{2})(?:-H([12])|-Q([1-4])|-(0[1-9]|1[0-2]))?$")


@dataclass(frozen=True)
class Period:
    """A calendar period, named as the API writes it."""

    text: str
    first: date
    last: date

    @classmethod
    def parse(cls, text: str, field: str = "period") -> Period:
        """The period `text` names; an InvalidError naming `field` otherwise."""
        found = _PERIOD.match(text or "")
        if not found:
            raise InvalidError(
                "a period is a year (2026), a half (2026-H1), a quarter (2026-Q3) or a month"
                " (2026-07), not {text!r}",
                field,
                text=text,
            )
        year, half, quarter, month = int(found[1]), found[2], found[3], found[4]
        if half:
            first_month, months = 6 * int(half) - 5, 6
        elif quarter:
            first_month, months = 3 * int(quarter) - 2, 3
        elif month:
            first_month, months = int(month), 1
        else:
            first_month, months = 1, 12
        first = date(year, first_month, 1)
        end_month = first_month + months
        following = date(year + 1, 1, 1) if end_month > 12 else date(year, end_month, 1)
        return cls(text, first, following - timedelta(days=1))

    def holds(self, day: date) -> bool:
        """Whether `day` lies in the period."""
        return self.first <= day <= self.last

    def __str__(self) -> str:
        return self.text
