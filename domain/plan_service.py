"""Units' own plans and their interim and final reviews (domain/unit_plan.py).

Who may: the head or a deputy of the organisation on the day. A review's report is counted
from the record by the caller's `tally` (the views: projections/plan_queries.py), once the
request has passed every check, and stored in the review's event with the log position it was
counted at: the sealed review keeps the figures as they stood.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Unpack
from uuid import UUID

from domain.directory import Organisation, Person
from domain.errors import ConflictError, InvalidError, NotFoundError
from domain.initiative import Initiative
from domain.messages import msg
from domain.period import Period
from domain.service_base import ServiceBase
from domain.unit_plan import PlanContent, UnitPlan, UnitReviews, unit_plan_id, unit_reviews_id
from domain.values import Actor, Context, require_text
from domain.vocabulary import Indicator, ReviewKind, Role

LEADERS = frozenset({Role.HEAD, Role.DEPUTY})

# The figures of a review and the log position they were counted at.
Tally = Callable[[], tuple[dict[str, int], int]]


class PlanService(ServiceBase):
    """A unit's plan per period and its reviews."""

    def record_plan(
        self, ctx: Context, organisation_id: UUID, period: str, **content: Unpack[PlanContent]
    ) -> int:
        """Record an organisation's plan for a period (one per period: 409 for a second)."""
        actor = self._leader(ctx, organisation_id, msg("record the unit's plan"))
        when = Period.parse(period)
        if ctx.local_date > when.last:
            raise InvalidError(
                "the period {period} ended on {last:%d/%m/%Y}: a plan is made before or"
                " during its period",
                "period",
                period=period,
                last=when.last,
            )
        if self._find(UnitPlan, unit_plan_id(organisation_id, period)) is not None:
            raise ConflictError(
                "the unit's plan for {period} is on record already: revise it instead",
                period=period,
            )
        checked = self._plan_content(content)
        return self._save(UnitPlan.record(actor, ctx, organisation_id, period, checked))

    def revise_plan(
        self,
        ctx: Context,
        organisation_id: UUID,
        period: str,
        reason: str,
        **content: Unpack[PlanContent],
    ) -> int:
        """Replace a plan's targets, people responsible and summary, saying why."""
        actor = self._leader(ctx, organisation_id, msg("revise the unit's plan"))
        when = Period.parse(period)
        plan = self._find(UnitPlan, unit_plan_id(organisation_id, period))
        if plan is None:
            raise NotFoundError("the unit has no plan for {period}", period=period)
        if ctx.local_date > when.last:
            raise ConflictError(
                "the period {period} has ended: its plan stays as it was", period=period
            )
        plan.revise(actor, ctx, self._plan_content(content), require_text(reason, "reason"))
        return self._save(plan)

    def record_review(
        self,
        ctx: Context,
        organisation_id: UUID,
        period: str,
        kind: str,
        lessons: str,
        replicate: Sequence[UUID],
        institutionalise: Sequence[UUID],
        tally: Tally,
    ) -> int:
        """Record an interim or final review of a period, its report counted by `tally`."""
        actor = self._leader(ctx, organisation_id, msg("review the unit's period"))
        when = Period.parse(period)
        review = ReviewKind(kind)
        if ctx.local_date < when.first:
            raise InvalidError(
                "the period {period} begins on {first:%d/%m/%Y}: nothing to review yet",
                "period",
                period=period,
                first=when.first,
            )
        if review is ReviewKind.FINAL and ctx.local_date < when.last:
            raise InvalidError(
                "a final review of {period} is held from its last day,"
                " {last:%d/%m/%Y}; an interim review may be held before",
                "kind",
                period=period,
                last=when.last,
            )
        reviews = self._find(UnitReviews, unit_reviews_id(organisation_id, period))
        if reviews is not None and reviews.final_held:
            raise ConflictError(
                "the final review of {period} is on record: no review of the period follows it",
                period=period,
            )
        chosen = {
            "lessons": require_text(lessons, "lessons"),
            "replicate": self._unit_initiatives(organisation_id, replicate, "replicate"),
            "institutionalise": self._unit_initiatives(
                organisation_id, institutionalise, "institutionalise"
            ),
        }
        figures, position = tally()
        if set(figures) != {i.value for i in Indicator}:
            raise ValueError(f"a review counts every indicator, not {sorted(figures)}")
        reviews = reviews or UnitReviews.open(organisation_id, period, ctx.at)
        reviews.record(
            actor, ctx, review, {"figures": figures, "as_of_position": position, **chosen}
        )
        return self._save(reviews)

    def get_plan(self, organisation_id: UUID, period: str) -> UnitPlan | None:
        """The organisation's plan for a period, if one is on record."""
        return self._find(UnitPlan, unit_plan_id(organisation_id, period))

    # Checks ---------------------------------------------------------------------------------

    def _leader(self, ctx: Context, organisation_id: UUID, act: str) -> Actor:
        """The head or a deputy of the organisation on the day (404: no such organisation)."""
        organisation = self._get(Organisation, organisation_id)
        return self._actor_among(ctx, [(organisation, LEADERS)], act)

    def _plan_content(self, content: PlanContent) -> PlanContent:
        """Targets (each indicator at most once, none negative, at least one), the people
        responsible (in the directory, at least one, each once) and the summary."""
        targets, responsible_person_ids = content["targets"], content["responsible_person_ids"]
        if not targets:
            raise InvalidError("a plan sets at least one target", "targets")
        seen: set[str] = set()
        checked = []
        for target in targets:
            indicator = Indicator(target["indicator"]).value
            if indicator in seen:
                raise InvalidError(
                    "the indicator {indicator} has more than one target",
                    "targets",
                    indicator=Indicator(indicator),
                )
            if int(target["target"]) < 0:
                raise InvalidError("a target is a number of at least 0", "targets")
            seen.add(indicator)
            checked.append({"indicator": indicator, "target": int(target["target"])})
        if not responsible_person_ids:
            raise InvalidError(
                "a plan names at least one person responsible", "responsible_person_ids"
            )
        if len(set(responsible_person_ids)) != len(responsible_person_ids):
            raise InvalidError("a person responsible is named twice", "responsible_person_ids")
        for person in responsible_person_ids:
            self._get(Person, person, "responsible_person_ids")
        order = list(Indicator)
        return {
            "targets": sorted(checked, key=lambda t: order.index(Indicator(t["indicator"]))),
            "responsible_person_ids": list(responsible_person_ids),
            "summary": require_text(content["summary"], "summary"),
        }

    def _unit_initiatives(
        self, organisation_id: UUID, initiative_ids: Sequence[UUID], field: str
    ) -> list[UUID]:
        """Initiatives of the organisation or of one under it, each named once."""
        if len(set(initiative_ids)) != len(initiative_ids):
            raise InvalidError("an initiative is named twice", field)
        for initiative_id in initiative_ids:
            initiative = self._get(Initiative, initiative_id, field)
            if not self._within(initiative.employing_organisation_id, organisation_id):
                raise InvalidError(
                    "the initiative {initiative} is not one of the unit's or of a unit under it",
                    field,
                    initiative=initiative_id,
                )
        return list(initiative_ids)

    def _within(self, organisation_id: UUID | None, unit_id: UUID) -> bool:
        """Whether `organisation_id` is the unit or under it (through superiors)."""
        seen: set[UUID] = set()
        while organisation_id is not None and organisation_id not in seen:
            if organisation_id == unit_id:
                return True
            seen.add(organisation_id)
            found = self._directory_find(Organisation, organisation_id)
            organisation_id = found.superior_id if found else None
        return False
