"""The commands of the urgent path (HCMC plan 124-KH/TU): the report, and the competent
authority's authorization, ratification or refusal.
"""

from __future__ import annotations

from typing import Any, Unpack
from uuid import UUID

from domain import initiative_events as events
from domain.command_rules import Command
from domain.commands import AUTHORIZE_URGENT, RATIFY_URGENT, REFUSE_URGENT, REPORT_URGENT
from domain.initiative_core import InitiativeCore, approved_terms
from domain.initiative_events import UrgentDecision
from domain.initiative_payloads import UrgentReport
from domain.proposal import confirmed_grounds
from domain.rules import checked_terms, validate_urgent_report
from domain.values import Actor, Context, require_texts


class UrgentCommands(InitiativeCore):
    """Report an urgent situation and decide on it."""

    def report_urgent(
        self, actor: Actor, ctx: Context, addressee_id: UUID, **report: Unpack[UrgentReport]
    ) -> None:
        """Report an urgent situation with at least two options and the declaration of grounds
        (HCMC plan 124-KH/TU): a proposer reports to the head of the employing agency, its head
        to the superior agency (`addressee_id`, from the registry's `derive`)."""
        self._guard(REPORT_URGENT, actor)
        validate_urgent_report(report)
        acted_on = report.get("acted_on")
        if acted_on is not None:
            self._stated(ctx, "acted_on", acted_on)
        self._trigger(events.UrgentReported, actor, ctx, addressee_id=addressee_id, report=report)

    def authorize_urgent(self, actor: Actor, ctx: Context, **decision: Any) -> None:
        """The competent authority authorizes before the cadre acts, confirming the declaration
        of grounds and setting the terms with its specific directions (`_urgent_decision`)."""
        self._urgent_decision(AUTHORIZE_URGENT, events.UrgentAuthorized, actor, ctx, **decision)

    def ratify_urgent(self, actor: Actor, ctx: Context, **decision: Any) -> None:
        """The competent authority ratifies what the cadre had to do before the decision,
        confirming the declaration of grounds and setting the terms with its directions."""
        self._urgent_decision(RATIFY_URGENT, events.UrgentRatified, actor, ctx, **decision)

    def refuse_urgent(
        self, actor: Actor, ctx: Context, reasons: list[str], document_ref: str
    ) -> None:
        """The competent authority refuses the urgent report (or what was done under it)."""
        self._refuse(REFUSE_URGENT, events.UrgentRefused, actor, ctx, reasons, document_ref)

    def _urgent_decision(
        self,
        command: Command,
        event_class: type[UrgentDecision],
        actor: Actor,
        ctx: Context,
        decision_document: str = "",
        grounds_confirmed: bool = False,
        **terms: object,
    ) -> None:
        """Authorize or ratify: the decision document, the terms it sets (its directions
        required) and the confirmation of the declaration of grounds."""
        self._guard(command, actor)
        self._trigger(
            event_class,
            actor,
            ctx,
            **require_texts(decision_document=decision_document),
            approval=checked_terms(approved_terms(terms)),
            grounds_confirmed=confirmed_grounds(grounds_confirmed),
        )
