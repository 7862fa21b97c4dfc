"""The typed shape of dicts some events carry (their stored form is the dict: a `TypedDict` is
one at run time). Kept apart from `initiative_events.py`, whose every class is an event."""

from __future__ import annotations

from datetime import date
from typing import TypedDict
from uuid import UUID

# A dict an event carries whose keys are not typed here (a proposal and its amendments, an
# urgent report, the fields a correction changes).
Payload = dict[str, object]


class VoteCast(TypedDict):
    """One member's vote at a leadership meeting (`proposal.Vote`)."""

    person_id: UUID
    vote: str


class DocumentRef(TypedDict):
    """A document an act refers to (a decision, minutes, an opinion: a signed PDF or a scan),
    as its event records it: the SHA-256 of its bytes (64 hex digits), the media type read from
    them and their size. The event's leaf commits to the exact document through the digest."""

    sha256: str
    media_type: str
    size: int


class TermValues(TypedDict):
    """The terms an approval sets (`rules.TERMS`; the state's `Terms`)."""

    scope: str
    start: date
    end: date
    resources: str | None


class ApprovedTerms(TermValues):
    """What an approval, or an urgent authorization or ratification, sets (`approval`): the
    terms, who carries them out and the directions."""

    assignee_ids: list[UUID] | None
    directions: str


class UrgentReport(TypedDict, total=False):
    """An urgent report (HCMC plan 124-KH/TU); `acted_on` when the cadre acted before the
    decision. Every key is there once reported (the state's report is `{}` until then), but
    the declaration of grounds (`grounds_in_practice`, `grounds_in_science`,
    `not_contrary_to_party_line_constitution_or_law`) in a report recorded before it was asked
    for."""

    situation: str
    options: list[Payload]
    chosen_option: str
    chosen_option_reason: str
    worst_case: str
    remedies: str
    grounds_in_practice: str
    grounds_in_science: str
    not_contrary_to_party_line_constitution_or_law: bool
    acted_on: date | None


class EvaluationBody(TypedDict):
    """What an evaluation records (Art. 11): the `Evaluated` event's own fields."""

    parts: list[dict[str, str]]
    outcome: str
    damage_caused: bool
    damage_description: str
    damage_amount_vnd: int
    objective_causes: str
    subjective_causes: str
    findings: dict[str, bool]
    self_interest_or_abuse: bool
    document_ref: str


class TermChanges(TypedDict, total=False):
    """What an adjustment changes of the terms (`rules.TERMS`)."""

    scope: str
    start: date
    end: date
    resources: str | None
