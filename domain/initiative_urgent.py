"""The commands of the urgent path (HCMC plan 124-KH/TU): the report, and the competent
authority's authorization, ratification or refusal.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.errors import WrongStateError
from domain.initiative_core import InitiativeCore
from domain.initiative_status import Regime, Status
from domain.rules import checked_terms, require_items, validate_urgent_report
from domain.values import Actor, Context, require_text


class UrgentCommands(InitiativeCore):
    """Report an urgent situation and decide on it."""

    def report_urgent(
        self, actor: Actor, ctx: Context, addressee_id: UUID, report: dict[str, Any]
    ) -> None:
        """Report an urgent situation with at least two options (HCMC plan 124-KH/TU)."""
        self._require_status({Status.DRAFT}, "report as urgent")
        if self.regime is not Regime.URGENT:
            raise WrongStateError("only an initiative drafted on the urgent path can be reported")
        self._require_proposer(actor, "report")
        validate_urgent_report(report, ctx.local_date)
        self._trigger(self.UrgentReported, actor, ctx, addressee_id=addressee_id, report=report)

    def authorize_urgent(
        self, actor: Actor, ctx: Context, decision_document: str, approval: dict[str, Any]
    ) -> None:
        """The competent authority authorizes before the cadre acts."""
        self._require_urgent_decision(actor, acted=False, act="authorize")
        self._trigger(
            self.UrgentAuthorized,
            actor,
            ctx,
            decision_document=require_text(decision_document, "decision_document"),
            approval=checked_terms(approval),
        )

    def ratify_urgent(
        self, actor: Actor, ctx: Context, decision_document: str, approval: dict[str, Any]
    ) -> None:
        """The competent authority ratifies what the cadre had to do before the decision."""
        self._require_urgent_decision(actor, acted=True, act="ratify")
        self._trigger(
            self.UrgentRatified,
            actor,
            ctx,
            decision_document=require_text(decision_document, "decision_document"),
            approval=checked_terms(approval),
        )

    def refuse_urgent(
        self, actor: Actor, ctx: Context, reasons: list[str], document_ref: str
    ) -> None:
        """The competent authority refuses the urgent report (or what was done under it)."""
        self._require_status({Status.URGENT_REPORTED}, "refuse")
        self._require_not_proposer(actor, "refuse")
        self._trigger(
            self.UrgentRefused,
            actor,
            ctx,
            reasons=require_items(reasons, "reasons"),
            document_ref=require_text(document_ref, "document_ref"),
        )

    def _require_urgent_decision(self, actor: Actor, acted: bool, act: str) -> None:
        self._require_status({Status.URGENT_REPORTED}, act)
        self._require_not_proposer(actor, act)
        if (self.urgent.get("acted_on") is not None) is not acted:
            raise WrongStateError(
                "the cadre already acted: ratify or refuse what was done"
                if not acted
                else "the cadre has not acted yet: authorize or refuse"
            )
