"""Commands of the urgent path and of the pilot: start, supervise, adjust, suspend, complete."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.authority import ANY_MEMBER, Candidate
from domain.directory import Organisation
from domain.initiative import Initiative
from domain.service_base import ServiceBase
from domain.values import Context


class PilotService(ServiceBase):
    """The urgent path and the implementation under supervision."""

    def report_urgent(
        self, ctx: Context, initiative_id: UUID, expected_version: int | None, **report: Any
    ) -> int:
        """A proposer reports an urgent situation to the competent authority."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._employing_members,
            "report from there",
            lambda i, a: i.report_urgent(a, ctx, self._competent_authority_for(i, ctx), report),
        )

    def authorize_urgent(
        self, ctx: Context, initiative_id: UUID, expected_version: int | None, **body: Any
    ) -> int:
        """The competent authority's head authorizes before the cadre acts."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._heads,
            "authorize urgent action",
            lambda i, a: i.authorize_urgent(
                a, ctx, body.get("decision_document", ""), urgent_terms(body)
            ),
            after=lambda: self._assignees(body["assignee_ids"]),
        )

    def ratify_urgent(
        self, ctx: Context, initiative_id: UUID, expected_version: int | None, **body: Any
    ) -> int:
        """The competent authority's head ratifies what the cadre had to do."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._heads,
            "ratify urgent action",
            lambda i, a: i.ratify_urgent(
                a, ctx, body.get("decision_document", ""), urgent_terms(body)
            ),
            after=lambda: self._assignees(body["assignee_ids"]),
        )

    def refuse_urgent(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        reasons: list[str],
        document_ref: str,
    ) -> int:
        """The competent authority's head refuses the urgent report."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._heads,
            "refuse urgent action",
            lambda i, a: i.refuse_urgent(a, ctx, reasons, document_ref),
        )

    def allocate_resources(
        self, ctx: Context, initiative_id: UUID, expected_version: int | None, **body: Any
    ) -> int:
        """The approving authority's head allocates people, equipment and funds."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._heads,
            "allocate resources",
            lambda i, a: i.allocate_resources(a, ctx, **body),
        )

    def start_implementation(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        actual_start: date,
    ) -> int:
        """An assignee starts the work."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._members,
            "implement it",
            lambda i, a: i.start_implementation(a, ctx, actual_start),
        )

    def report_progress(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        period: str,
        progress: str,
        issues: str = "",
    ) -> int:
        """An assignee reports progress."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._members,
            "report progress",
            lambda i, a: i.report_progress(a, ctx, period, progress, issues),
        )

    def record_supervision_note(
        self, ctx: Context, initiative_id: UUID, expected_version: int | None, **body: Any
    ) -> int:
        """A head, the superior, the party committee or an inspector records a note."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            lambda i: self._supervisors(i, ctx.person_id),
            "supervise this initiative",
            lambda i, a: i.record_supervision_note(a, ctx, **body),
        )

    def raise_obstacle(
        self, ctx: Context, initiative_id: UUID, expected_version: int | None, *, obstacle: str
    ) -> int:
        """An assignee records an obstacle."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._members,
            "raise obstacles",
            lambda i, a: i.raise_obstacle(a, ctx, obstacle),
        )

    def resolve_obstacle(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        obstacle_version: int,
        measure: str,
    ) -> int:
        """The approving authority or its superior records the measure taken."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._heads_or_superior,
            "resolve obstacles",
            lambda i, a: i.resolve_obstacle(a, ctx, obstacle_version, measure),
        )

    def request_adjustment(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        changes: dict[str, Any],
        reason: str,
    ) -> int:
        """An assignee or proposer asks to change scope, dates or resources."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._members,
            "request adjustments",
            lambda i, a: i.request_adjustment(a, ctx, changes, reason),
        )

    def approve_adjustment(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        request_version: int,
        decision_document: str,
    ) -> int:
        """Only the authority that approved decides an adjustment."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._heads,
            "decide adjustments",
            lambda i, a: i.approve_adjustment(a, ctx, request_version, decision_document),
        )

    def reject_adjustment(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        request_version: int,
        reasons: list[str],
    ) -> int:
        """Only the authority that approved refuses an adjustment."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._heads,
            "decide adjustments",
            lambda i, a: i.reject_adjustment(a, ctx, request_version, reasons),
        )

    def suspend(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        reason: str,
        decision_document: str,
    ) -> int:
        """The approving authority or its superior suspends the work."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._heads_or_superior,
            "suspend pilots",
            lambda i, a: i.suspend(a, ctx, reason, decision_document),
        )

    def resume(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        reason: str,
        decision_document: str,
    ) -> int:
        """The approving authority or its superior resumes the work."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._heads_or_superior,
            "resume pilots",
            lambda i, a: i.resume(a, ctx, reason, decision_document),
        )

    def terminate(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        reason: str,
        decision_document: str,
    ) -> int:
        """The approving authority or its superior stops the work."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._heads_or_superior,
            "terminate pilots",
            lambda i, a: i.terminate(a, ctx, reason, decision_document),
        )

    def complete(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        completion_date: date,
    ) -> int:
        """An assignee declares the work complete."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._members,
            "complete it",
            lambda i, a: i.complete(a, ctx, completion_date),
        )

    # Helpers ---------------------------------------------------------------------------------

    def _employing_members(self, initiative: Initiative) -> list[Candidate]:
        return [(self._get(Organisation, initiative.employing_organisation_id), ANY_MEMBER)]

    def _supervisors(self, initiative: Initiative, person_id: UUID) -> list[Candidate]:
        return [
            *self._heads_or_superior(initiative),
            *self._party(initiative),
            *self._inspectors(person_id),
        ]


def urgent_terms(body: dict[str, Any]) -> dict[str, Any]:
    """The terms an urgent decision sets, from its body (checked by the aggregate)."""
    return {
        "scope": body.get("approved_scope"),
        "start": body.get("approved_start"),
        "end": body.get("approved_end"),
        "resources": body.get("resources"),
        "assignee_ids": body.get("assignee_ids"),
        "directions": body.get("directions", ""),
    }
