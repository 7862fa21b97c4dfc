"""The content of a proposal (Art. 7) and the arithmetic of a collective vote (Art. 8): who
may attend and vote, the quorum (`domain/quorum.py`), the tally."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from domain.errors import ForbiddenError, InvalidError
from domain.initiative_payloads import VoteCast
from domain.messages import Listed, msg
from domain.quorum import Quorum
from domain.vocabulary import ApprovalBasis, Bottleneck, Vote

# The options analysis of the HCMC plan, in a proposal and in an urgent report alike (domain.md
# §5.13): several options weighed, the one chosen and why, the worst case and the remedies.
OPTIONS_TEXTS = ("chosen_option", "chosen_option_reason", "worst_case", "remedies")
# The declaration of grounds (domain.md §5.13), in a proposal and in an urgent report alike: its
# grounds in practice and in science, as text, and that it is not contrary to the Party's line,
# the Constitution or the law (true); the deciding head confirms it (`grounds_confirmed`).
GROUNDS_TEXTS = ("grounds_in_practice", "grounds_in_science")
NOT_CONTRARY = "not_contrary_to_party_line_constitution_or_law"
GROUNDS_FIELDS = (*GROUNDS_TEXTS, NOT_CONTRARY)

# Every Art. 7 text field, plus the options analysis and the grounds; all required.
TEXT_FIELDS = (
    "necessity",
    "purpose",
    "content",
    "solutions",
    "scope",
    "subjects",
    "resources",
    "budget_source",
    "feasibility",
    "positive_impacts",
    "negative_impacts",
    *OPTIONS_TEXTS,
    *GROUNDS_TEXTS,
)
LIST_FIELDS = ("rules_concerned", "tasks", "expected_results")
PROPOSAL_FIELDS = (
    *TEXT_FIELDS,
    *LIST_FIELDS,
    "bottleneck",
    "planned_start",
    "planned_end",
    "options",
    "no_self_interest",
    NOT_CONTRARY,
)


def validate_proposal(proposal: dict[str, Any]) -> None:
    """Refuse a proposal that lacks an Art. 7 field or contradicts itself."""
    missing = [f for f in PROPOSAL_FIELDS if f not in proposal]
    if missing:
        raise InvalidError("the proposal lacks {fields}", field=missing[0], fields=Listed(missing))
    for name in TEXT_FIELDS:
        if not str(proposal[name]).strip():
            raise InvalidError("{field} must not be empty", field=name)
    for name in LIST_FIELDS:
        items = proposal[name]
        if not items or any(not str(item).strip() for item in items):
            raise InvalidError("{field} needs at least one non-empty item", field=name)
    Bottleneck(proposal["bottleneck"])
    check_period(proposal["planned_start"], proposal["planned_end"], "planned_end")
    check_options(proposal, msg("a proposal"))
    if proposal["no_self_interest"] is not True:
        raise InvalidError(
            "the proposer must declare that no personal or group interest is involved",
            field="no_self_interest",
        )
    check_grounds(proposal)


def check_options(analysis: Mapping[str, Any], what: str) -> None:
    """Several options weighed (at least two, by distinct titles) and the chosen one among
    them (domain.md §5.13); `what` names the proposal or the urgent report in the refusal."""
    titles = [str(option.get("title", "")) for option in analysis.get("options") or []]
    if len(titles) < 2 or len(set(titles)) != len(titles):
        raise InvalidError(
            "{what} weighs at least two distinct options", field="options", what=what
        )
    if analysis.get("chosen_option") not in titles:
        raise InvalidError("the chosen option must be one of the options", field="chosen_option")


def _grounds_lacking(declaration: Mapping[str, Any]) -> str | None:
    """The first field of the declaration of grounds that is not made (None: it is made)."""
    for name in GROUNDS_TEXTS:
        if not str(declaration.get(name) or "").strip():
            return name
    return None if declaration.get(NOT_CONTRARY) is True else NOT_CONTRARY


def check_grounds(declaration: Mapping[str, Any]) -> None:
    """The declaration of grounds: in practice and in science, each stated, and not contrary
    to the Party's line, the Constitution or the law, declared true (domain.md §5.13)."""
    lacking = _grounds_lacking(declaration)
    if lacking in GROUNDS_TEXTS:
        raise InvalidError("{field} must not be empty", field=lacking)
    if lacking is not None:
        raise InvalidError(
            "the proposer must declare that it is not contrary to the Party's line, the"
            " Constitution or the law",
            field=NOT_CONTRARY,
        )


def confirmed_grounds(confirmed: bool) -> bool:
    """The deciding head's confirmation of the declaration of grounds, which a decision that
    lets the work go ahead (an approval, an urgent authorization or ratification) records."""
    if confirmed is not True:
        raise InvalidError(
            "the decision confirms the declaration of grounds: that the proposal is grounded in"
            " practice and science and not contrary to the Party's line, the Constitution or"
            " the law",
            field="grounds_confirmed",
        )
    return confirmed


def declares_grounds(declaration: Mapping[str, Any]) -> bool:
    """Whether a proposal or an urgent report carries the declaration of grounds (one recorded
    before the declaration was asked for does not): what `check_grounds` accepts, asked of
    every version of an initiative a view writes, so without raising."""
    return _grounds_lacking(declaration) is None


def check_period(start: date, end: date, field: str) -> None:
    """Refuse a period that ends before it starts."""
    if end < start:
        raise InvalidError("the end date must not be before the start date", field=field)


def check_votes(
    votes: Sequence[VoteCast],
    attendee_ids: Sequence[UUID],
    eligible_ids: Sequence[UUID],
    proposer_ids: Sequence[UUID],
) -> None:
    """At least one vote; each from an eligible member who attended, once; never from a
    proposer (Art. 8)."""
    voters = [UUID(str(v["person_id"])) for v in votes]
    if len(set(voters)) != len(voters):
        raise InvalidError("a member voted twice", field="votes")
    for voter in voters:
        if voter in proposer_ids:
            raise ForbiddenError("a proposer cannot vote on their own initiative")
        if voter not in eligible_ids:
            raise InvalidError(
                "{person} is not an eligible voter (head or deputy, not a proposer)",
                field="votes",
                person=voter,
            )
        if voter not in attendee_ids:
            raise InvalidError(
                "{person} voted but is not among the attendees", field="votes", person=voter
            )
    if not votes:
        raise InvalidError("a meeting needs at least one vote", field="votes")


def check_attendance(
    attendee_ids: Sequence[UUID], eligible_ids: Sequence[UUID], quorum: Quorum
) -> None:
    """The members present: each an eligible member (head or deputy on the day, not a
    proposer), listed once, and enough of them for the quorum (domain.md §5.11)."""
    if len(set(attendee_ids)) != len(attendee_ids):
        raise InvalidError("an attendee is listed twice", field="attendee_ids")
    for attendee in attendee_ids:
        if attendee not in eligible_ids:
            raise InvalidError(
                "{person} is among the attendees but not an eligible member"
                " (head or deputy on the meeting day, not a proposer)",
                field="attendee_ids",
                person=attendee,
            )
    quorum.check(len(attendee_ids), len(eligible_ids), "attendee_ids")


@dataclass(frozen=True)
class Tally:
    """The counted votes of one leadership meeting."""

    for_: int
    against: int
    abstain: int
    head_voted_for: bool

    @property
    def cast(self) -> int:
        """Votes cast: for, against and abstentions."""
        return self.for_ + self.against + self.abstain

    @property
    def majority(self) -> bool:
        """More than half of the votes cast are for (Art. 8)."""
        return self.cast > 0 and 2 * self.for_ > self.cast

    @property
    def tie(self) -> bool:
        """Exactly half of the votes cast are for."""
        return self.cast > 0 and 2 * self.for_ == self.cast

    @property
    def passed(self) -> bool:
        """The collective decided for: a majority, or a tie on the head's side."""
        return self.majority or (self.tie and self.head_voted_for)

    def allows(self, basis: ApprovalBasis) -> bool:
        """Whether `basis` is consistent with this tally (domain.md §5.4)."""
        if basis is ApprovalBasis.MAJORITY:
            return self.majority
        if basis is ApprovalBasis.TIE_HEAD_SIDE:
            return self.tie and self.head_voted_for
        return not self.passed


def tally(votes: Sequence[VoteCast], head: UUID | None) -> Tally:
    """Count stored votes; `head` is the chair whose side wins a tie."""
    counted = [Vote(v["vote"]) for v in votes]
    return Tally(
        for_=counted.count(Vote.FOR),
        against=counted.count(Vote.AGAINST),
        abstain=counted.count(Vote.ABSTAIN),
        head_voted_for=any(
            UUID(str(v["person_id"])) == head and Vote(v["vote"]) is Vote.FOR for v in votes
        ),
    )
