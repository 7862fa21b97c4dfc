"""The commands after the pilot (domain.md §4 to §6): the result report, the evaluation,
and the protection of the cadre with the liability outcome that follows it.
"""

from __future__ import annotations

from typing import Unpack

from domain import initiative_events as events
from domain.commands import (
    DETERMINE_PROTECTION,
    EVALUATE,
    RECORD_LIABILITY_OUTCOME,
    REPORT_RESULT,
    REQUEST_PROTECTION,
)
from domain.errors import InvalidError
from domain.initiative_core import InitiativeCore
from domain.initiative_payloads import EvaluationBody
from domain.rules import check_damage, checked_evaluation
from domain.values import Actor, Context, require_texts
from domain.vocabulary import Measure, ProtectionTrigger


class OutcomeCommands(InitiativeCore):
    """Report the result, evaluate it and determine the protection (Art. 11)."""

    def report_result(
        self,
        actor: Actor,
        ctx: Context,
        results: list[dict[str, str]],
        damage_caused: bool,
        damage_description: str,
        damage_amount_vnd: int,
        causes: str,
        honesty_declaration: bool,
    ) -> None:
        """The result against each objective, damage and causes; the evaluation clock starts."""
        self._guard(REPORT_RESULT, actor)
        if not results:
            raise InvalidError("report the result of at least one objective", "results")
        check_damage(damage_caused, damage_description, damage_amount_vnd)
        if honesty_declaration is not True:
            raise InvalidError("the report must be declared honest", "honesty_declaration")
        self._trigger(
            events.ResultReported,
            actor,
            ctx,
            results=results,
            damage_caused=damage_caused,
            damage_description=damage_description,
            damage_amount_vnd=damage_amount_vnd,
            **require_texts(causes=causes),
            honesty_declaration=True,
        )

    def evaluate(self, actor: Actor, ctx: Context, **evaluation: Unpack[EvaluationBody]) -> None:
        """The head of the approving agency evaluates after a meeting (Art. 11)."""
        self._guard(EVALUATE, actor)
        self._trigger(events.Evaluated, actor, ctx, **checked_evaluation(evaluation))

    def request_protection(
        self, actor: Actor, ctx: Context, trigger: str, proceeding_ref: str = "", reason: str = ""
    ) -> None:
        """The cadre, the agency or a body opening a proceeding asks for protection."""
        self._guard(REQUEST_PROTECTION, actor)
        ProtectionTrigger(trigger)
        self._trigger(
            events.ProtectionRequested,
            actor,
            ctx,
            trigger=trigger,
            proceeding_ref=proceeding_ref,
            reason=reason,
        )

    def determine_protection(
        self,
        actor: Actor,
        ctx: Context,
        measure: str,
        reasons: str,
        evidence: list[str],
        document_ref: str,
    ) -> None:
        """The employing agency's head determines the measure; a mismatch is flagged."""
        self._guard(DETERMINE_PROTECTION, actor)
        recommended, _ = self.recommended_measure()
        self._trigger(
            events.ProtectionDetermined,
            actor,
            ctx,
            measure=Measure(measure).value,
            recommended=recommended.value if recommended else None,
            **require_texts(reasons=reasons, document_ref=document_ref),
            evidence=evidence,
        )

    def record_liability_outcome(
        self, actor: Actor, ctx: Context, body: str, decision: str, document_ref: str
    ) -> None:
        """The deciding body's clerk records its decision; the service never decides it."""
        texts = {"body": body, "decision": decision, "document_ref": document_ref}
        self._record(RECORD_LIABILITY_OUTCOME, events.LiabilityOutcomeRecorded, actor, ctx, texts)
