"""The commands of the pilot (domain.md §4 and §5): resources, start, progress, supervision,
obstacles, adjustments, suspension, termination and completion.
"""

from __future__ import annotations

from datetime import date

from domain import initiative_events as events
from domain.command_rules import Command
from domain.commands import (
    ALLOCATE_RESOURCES,
    APPROVE_ADJUSTMENT,
    COMPLETE,
    RAISE_OBSTACLE,
    RECORD_SUPERVISION_NOTE,
    REJECT_ADJUSTMENT,
    REPORT_PROGRESS,
    REQUEST_ADJUSTMENT,
    RESOLVE_OBSTACLE,
    RESUME,
    START_IMPLEMENTATION,
    SUSPEND,
    TERMINATE,
)
from domain.errors import ConflictError, InvalidError
from domain.initiative_core import InitiativeCore
from domain.initiative_payloads import TermChanges
from domain.messages import msg
from domain.proposal import check_period
from domain.rules import TERMS, require_items
from domain.values import Actor, Context, require_texts
from domain.vocabulary import SupervisionKind


class PilotCommands(InitiativeCore):
    """Implement the approved initiative under supervision (Art. 10)."""

    def allocate_resources(
        self,
        actor: Actor,
        ctx: Context,
        people: list[str],
        equipment: str,
        funds_vnd: int,
        funding_source: str,
    ) -> None:
        """The approving authority allocates people, equipment and funds (Art. 10)."""
        self._guard(ALLOCATE_RESOURCES, actor)
        if funds_vnd < 0:
            raise InvalidError("funds cannot be negative", field="funds_vnd")
        self._trigger(
            events.ResourcesAllocated,
            actor,
            ctx,
            people=people,
            equipment=equipment,
            funds_vnd=funds_vnd,
            funding_source=funding_source,
        )

    def start_implementation(self, actor: Actor, ctx: Context, actual_start: date) -> None:
        """An assignee starts the work, within the approved (and adjusted) dates."""
        self._guard(START_IMPLEMENTATION, actor)
        terms = self._terms()
        self._stated(ctx, "actual_start", actual_start)
        if not terms.start <= actual_start <= terms.end:
            raise ConflictError(
                "work may start only within the approved dates {start:%d/%m/%Y}"
                " to {end:%d/%m/%Y}; request an adjustment first",
                start=terms.start,
                end=terms.end,
            )
        self._trigger(events.ImplementationStarted, actor, ctx, actual_start=actual_start)

    def report_progress(
        self, actor: Actor, ctx: Context, period: str, progress: str, issues: str = ""
    ) -> None:
        """An assignee reports progress; acts after the approved end are flagged."""
        self._guard(REPORT_PROGRESS, actor)
        self._trigger(
            events.ProgressReported,
            actor,
            ctx,
            **require_texts(period=period, progress=progress),
            issues=issues,
            outside_approval=not self._within_terms(ctx.local_date),
        )

    def record_supervision_note(
        self,
        actor: Actor,
        ctx: Context,
        kind: str,
        findings: str,
        recommendations: str,
        part_of_work: str,
        outside_approved_scope: bool,
    ) -> None:
        """A supervisor records an inspection, supervision or monitoring note."""
        self._guard(RECORD_SUPERVISION_NOTE, actor)
        SupervisionKind(kind)
        self._trigger(
            events.SupervisionNoteRecorded,
            actor,
            ctx,
            kind=kind,
            **require_texts(findings=findings),
            recommendations=recommendations,
            part_of_work=part_of_work,
            outside_approved_scope=outside_approved_scope,
        )

    def raise_obstacle(self, actor: Actor, ctx: Context, obstacle: str) -> None:
        """An assignee records an obstacle met in the work."""
        self._record(RAISE_OBSTACLE, events.ObstacleRaised, actor, ctx, {"obstacle": obstacle})

    def resolve_obstacle(
        self, actor: Actor, ctx: Context, obstacle_version: int, measure: str
    ) -> None:
        """The approving authority or its superior records the measure taken."""
        self._pending(
            RESOLVE_OBSTACLE,
            actor,
            self.obstacles,
            obstacle_version,
            "obstacle_version",
            msg("no obstacle at version {version}"),
            msg("the obstacle at version {version} is resolved"),
        )
        self._trigger(
            events.ObstacleResolved,
            actor,
            ctx,
            obstacle_version=obstacle_version,
            **require_texts(measure=measure),
        )

    def request_adjustment(
        self, actor: Actor, ctx: Context, changes: TermChanges, reason: str
    ) -> None:
        """An assignee or proposer asks to change the approved scope, dates or resources."""
        self._guard(REQUEST_ADJUSTMENT, actor)
        unknown = sorted(set(changes) - set(TERMS))
        if unknown or not changes:
            raise InvalidError("change at least one of scope, start, end, resources", "changes")
        merged = self._terms().adjusted(changes)
        check_period(merged.start, merged.end, "changes")
        self._trigger(
            events.AdjustmentRequested, actor, ctx, changes=changes, **require_texts(reason=reason)
        )

    def approve_adjustment(
        self, actor: Actor, ctx: Context, request_version: int, decision_document: str
    ) -> None:
        """The authority that approved decides the adjustment; terms change from now on."""
        self._pending_adjustment(APPROVE_ADJUSTMENT, actor, request_version)
        self._trigger(
            events.AdjustmentApproved,
            actor,
            ctx,
            request_version=request_version,
            **require_texts(decision_document=decision_document),
        )

    def reject_adjustment(
        self, actor: Actor, ctx: Context, request_version: int, reasons: list[str]
    ) -> None:
        """The authority that approved refuses the adjustment."""
        self._pending_adjustment(REJECT_ADJUSTMENT, actor, request_version)
        self._trigger(
            events.AdjustmentRejected,
            actor,
            ctx,
            request_version=request_version,
            reasons=require_items(reasons, "reasons"),
        )

    def suspend(self, actor: Actor, ctx: Context, reason: str, decision_document: str) -> None:
        """The approving authority (or its superior) suspends the work."""
        self._record(SUSPEND, events.Suspended, actor, ctx, _decision(reason, decision_document))

    def resume(self, actor: Actor, ctx: Context, reason: str, decision_document: str) -> None:
        """The approving authority (or its superior) resumes suspended work."""
        self._record(RESUME, events.Resumed, actor, ctx, _decision(reason, decision_document))

    def terminate(self, actor: Actor, ctx: Context, reason: str, decision_document: str) -> None:
        """The approving authority (or its superior) stops the work; it is still evaluated."""
        self._record(
            TERMINATE, events.Terminated, actor, ctx, _decision(reason, decision_document)
        )

    def complete(self, actor: Actor, ctx: Context, completion_date: date) -> None:
        """An assignee declares the work complete; the result report clock starts."""
        self._guard(COMPLETE, actor)
        self._stated(ctx, "completion_date", completion_date)
        self._trigger(
            events.Completed,
            actor,
            ctx,
            completion_date=completion_date,
            outside_approval=not self._within_terms(completion_date),
        )

    def _within_terms(self, day: date) -> bool:
        terms = self._terms()
        return terms.start <= day <= terms.end

    def _pending_adjustment(self, command: Command, actor: Actor, request_version: int) -> None:
        self._pending(
            command,
            actor,
            self.adjustments,
            request_version,
            "request_version",
            msg("no adjustment request at version {version}"),
            msg("the adjustment at version {version} is decided"),
        )


def _decision(reason: str, decision_document: str) -> dict[str, str]:
    """The required texts of a suspension, resumption or termination."""
    return {"reason": reason, "decision_document": decision_document}
