"""The quorum of a leadership meeting (domain.md §5.11): how many of the eligible members
(the head and deputies on the meeting day, no proposer) must be present for the meeting to
decide. More than half unless the organisation's own working regulation sets another share;
that rule is an effective-dated detail of the organisation in the directory (`quorum`: records
like `{"valid_from": 2026-01-01, "at_least": "2/3"}`, each in force from its `valid_from` until
the next one's).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from domain.directory_payloads import QuorumRecord
from domain.errors import InvalidError
from domain.messages import Message, msg

# A share of the eligible members, written as a fraction of whole numbers: "1/2", "2/3".
FRACTION = re.compile(r"^([1-9][0-9]{0,2})/([1-9][0-9]{0,2})$")
FRACTION_PATTERN = FRACTION.pattern


@dataclass(frozen=True)
class Quorum:
    """More than (or, with `at_least`, at least) `share` of the eligible members present;
    `valid_from` is when the organisation's rule took effect (None: the default rule)."""

    share: Fraction
    at_least: bool = False
    valid_from: date | None = None

    def needed(self, eligible: int) -> int:
        """How many of `eligible` members must be present (never fewer than one)."""
        exact = self.share * eligible
        counted = math.ceil(exact) if self.at_least else math.floor(exact) + 1
        return max(1, counted)

    def met(self, present: int, eligible: int) -> bool:
        """Whether `present` of `eligible` members make a quorum."""
        return present >= self.needed(eligible)

    @property
    def phrase(self) -> str:
        """The rule in words: "more than half", "at least 2/3", "all"."""
        if self.share == 1:
            return "all"
        share = "half" if self.share == Fraction(1, 2) else str(self.share)
        return f"{'at least' if self.at_least else 'more than'} {share}"

    @property
    def said(self) -> Message:
        """The rule as a refusal says it (`phrase`, a message)."""
        if self.share == 1:
            return Message(msg("all"))
        share = msg("half") if self.share == Fraction(1, 2) else str(self.share)
        if self.at_least:
            return Message("at least {share}", share=share)
        return Message("more than {share}", share=share)

    def check(self, present: int, eligible: int, field: str) -> None:
        """Refuse a meeting without a quorum, saying which rule failed."""
        if self.met(present, eligible):
            return
        said = dict(
            present=present, eligible=eligible, rule=self.said, needed=self.needed(eligible)
        )
        if self.valid_from is None:
            raise InvalidError(
                "no quorum: {present} of {eligible} eligible members present,"
                " {rule} ({needed}) needed",
                field,
                **said,
            )
        raise InvalidError(
            "no quorum: {present} of {eligible} eligible members present,"
            " {rule} ({needed}) needed under the organisation's own rule in force from"
            " {valid_from:%d/%m/%Y}",
            field,
            valid_from=self.valid_from,
            **said,
        )

    def as_dict(self) -> QuorumRecord:
        """The record of an organisation's rule (as the directory stores it)."""
        share = f"{self.share.numerator}/{self.share.denominator}"
        if self.valid_from is None:
            raise ValueError("the default rule is not recorded")
        if self.at_least:
            return {"valid_from": self.valid_from, "at_least": share}
        return {"valid_from": self.valid_from, "more_than": share}

    @classmethod
    def of(cls, record: QuorumRecord) -> Quorum:
        """The rule a record states; InvalidError if it states none, or a share out of range
        (more than a share below one, at least a share of at most one)."""
        given = [k for k in ("more_than", "at_least") if record.get(k) is not None]
        if len(given) != 1:
            raise InvalidError(
                "a quorum rule states either more_than or at_least a share", field="quorum"
            )
        (comparison,) = given
        written = str(record.get(comparison))
        matched = FRACTION.match(written)
        if matched is None:
            raise InvalidError(
                "{written!r} is not a fraction such as 2/3", field="quorum", written=written
            )
        share = Fraction(int(matched[1]), int(matched[2]))
        at_least = comparison == "at_least"
        if share > 1 or (share == 1 and not at_least):
            raise InvalidError(
                "{comparison} {written} asks for more members than there are",
                field="quorum",
                comparison=comparison,
                written=written,
            )
        valid_from = record.get("valid_from")
        if not isinstance(valid_from, date):
            raise InvalidError("a quorum rule needs the day it takes effect", field="quorum")
        return cls(share, at_least, valid_from)


# The rule unless the organisation's working regulation says otherwise [I] (domain.md §5.11).
MORE_THAN_HALF = Quorum(Fraction(1, 2))


def quorum_rules(records: Iterable[QuorumRecord]) -> tuple[Quorum, ...]:
    """An organisation's rules, by the day they take effect; InvalidError for a bad one or two
    taking effect on the same day."""
    rules = sorted((Quorum.of(r) for r in records), key=lambda q: q.valid_from or date.min)
    days = [q.valid_from for q in rules]
    if len(set(days)) != len(days):
        raise InvalidError("two quorum rules take effect on the same day", field="quorum")
    return tuple(rules)


def quorum_on(rules: Iterable[Quorum], day: date) -> Quorum:
    """The rule in force on `day`: the latest that took effect by then, else more than half."""
    in_force = [q for q in rules if q.valid_from is not None and q.valid_from <= day]
    return max(in_force, key=lambda q: q.valid_from or date.min, default=MORE_THAN_HALF)
