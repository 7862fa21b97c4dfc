"""A unit's own plan for encouraging innovation, and its interim and final reviews of a period
(domain.md "Beyond single initiatives"): records of their own, signed and sealed like every
event.

`UnitPlan`: one per organisation and period (its id derived from both): the targets per
indicator, the people responsible, a summary; a revision replaces them, with its reason.
`UnitReviews`: the reviews (sơ kết, tổng kết) of one organisation and period, each carrying the
report computed from the record as it stood (`figures`, and the log position they were counted
at), the lessons drawn, and the initiatives to replicate and to institutionalise.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypedDict
from uuid import NAMESPACE_OID, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import ConflictError
from domain.values import Actor, Context
from domain.vocabulary import ReviewKind


def unit_plan_id(organisation_id: UUID, period: str) -> UUID:
    """The id of an organisation's plan for a period."""
    return uuid5(NAMESPACE_OID, f"initiative-ledger/unit-plan/{organisation_id}/{period}")


def unit_reviews_id(organisation_id: UUID, period: str) -> UUID:
    """The id of an organisation's reviews of a period."""
    return uuid5(NAMESPACE_OID, f"initiative-ledger/unit-reviews/{organisation_id}/{period}")


class PlanContent(TypedDict):
    """What a plan sets, and a revision sets anew: the targets (an indicator and a number
    each), the people responsible and a summary."""

    targets: list[dict[str, Any]]
    responsible_person_ids: list[UUID]
    summary: str


class UnitPlan(Aggregate):
    """An organisation's plan for encouraging innovation in one period."""

    create_id = staticmethod(unit_plan_id)  # one per organisation and period

    class Recorded(Aggregate.Created):
        organisation_id: UUID
        period: str
        targets: list[dict[str, Any]]
        responsible_person_ids: list[UUID]
        summary: str
        actor: dict[str, str]
        request_id: str

    class Revised(Aggregate.Event):
        targets: list[dict[str, Any]]
        responsible_person_ids: list[UUID]
        summary: str
        reason: str
        actor: dict[str, str]
        request_id: str

    @event(Recorded)
    def __init__(
        self,
        organisation_id: UUID,
        period: str,
        targets: list[dict[str, Any]],
        responsible_person_ids: list[UUID],
        summary: str,
        actor: dict[str, str],
        request_id: str,
    ) -> None:
        self.organisation_id = organisation_id
        self.period = period
        self.recorded_by = actor
        self.revisions: list[dict[str, Any]] = []
        self._set(targets, responsible_person_ids, summary)

    @classmethod
    def record(
        cls,
        actor: Actor,
        ctx: Context,
        organisation_id: UUID,
        period: str,
        content: PlanContent,
    ) -> UnitPlan:
        """Record the plan (`content` checked)."""
        return cls._create(
            cls.Recorded,
            organisation_id=organisation_id,
            period=period,
            **ctx.stamp(actor),
            **content,
        )

    def revise(self, actor: Actor, ctx: Context, content: PlanContent, reason: str) -> None:
        """Replace the targets, the people responsible and the summary, saying why."""
        self.trigger_event(self.Revised, **ctx.stamp(actor), reason=reason, **content)

    @event(Revised)
    def _revised(
        self,
        targets: list[dict[str, Any]],
        responsible_person_ids: list[UUID],
        summary: str,
        reason: str,
        actor: dict[str, str],
        request_id: str,
        timestamp: datetime,
    ) -> None:
        self._set(targets, responsible_person_ids, summary)
        self.revisions.append({"at": timestamp, "reason": reason, "actor": actor})

    def _set(
        self, targets: list[dict[str, Any]], responsible_person_ids: list[UUID], summary: str
    ) -> None:
        """The plan's content in force: as recorded, then as last revised."""
        self.targets = targets
        self.responsible_person_ids = responsible_person_ids
        self.summary = summary


class UnitReviews(Aggregate):
    """The interim and final reviews of one organisation and period."""

    create_id = staticmethod(unit_reviews_id)  # the reviews of an organisation's period

    class Opened(Aggregate.Created):
        organisation_id: UUID
        period: str

    class ReviewRecorded(Aggregate.Event):
        kind: str
        figures: dict[str, int]
        as_of_position: int
        lessons: str
        replicate: list[UUID]
        institutionalise: list[UUID]
        actor: dict[str, str]
        request_id: str

    @event(Opened)
    def __init__(self, organisation_id: UUID, period: str) -> None:
        self.organisation_id = organisation_id
        self.period = period
        self.reviews: list[dict[str, Any]] = []

    @classmethod
    def open(cls, organisation_id: UUID, period: str, at: datetime) -> UnitReviews:
        """Start the reviews of an organisation's period."""
        return cls._create(
            cls.Opened, organisation_id=organisation_id, period=period, timestamp=at
        )

    @property
    def final_held(self) -> bool:
        """Whether the final review of the period is on record."""
        return any(r["kind"] == ReviewKind.FINAL.value for r in self.reviews)

    def record(self, actor: Actor, ctx: Context, kind: ReviewKind, report: dict[str, Any]) -> None:
        """Record a review (`report`: figures, as_of_position, lessons, replicate,
        institutionalise); none after the final review (409)."""
        if self.final_held:
            raise ConflictError(
                "the final review of {period} is on record: no review of the period follows it",
                period=self.period,
            )
        self.trigger_event(self.ReviewRecorded, kind=kind.value, **ctx.stamp(actor), **report)

    @event(ReviewRecorded)
    def _review_recorded(
        self,
        kind: str,
        figures: dict[str, int],
        as_of_position: int,
        lessons: str,
        replicate: list[UUID],
        institutionalise: list[UUID],
        actor: dict[str, str],
        request_id: str,
        timestamp: datetime,
    ) -> None:
        self.reviews.append(
            {
                "kind": kind,
                "figures": figures,
                "as_of_position": as_of_position,
                "lessons": lessons,
                "replicate": replicate,
                "institutionalise": institutionalise,
                "at": timestamp,
                "actor": actor,
            }
        )
