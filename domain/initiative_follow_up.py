"""The commands of recognition and follow-up (domain.md §4): commendation, the cadre's
evaluation inputs and salary step, reviews, replication, institutionalisation, corrections
and archiving.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Self
from uuid import UUID, uuid4

from domain import initiative_events as events
from domain.command_rules import Command
from domain.commands import (
    APPROVE_REPLICATION,
    ARCHIVE,
    COMMEND,
    CONSIDER_EARLY_SALARY_STEP,
    CORRECT,
    COUNTERSIGN_CORRECTION,
    HOLD_FINAL_REVIEW,
    HOLD_INTERIM_REVIEW,
    NAME_PROPOSERS,
    PROPOSE_REPLICATION,
    RECOMMEND_INSTITUTIONALISATION,
    RECORD_CADRE_EVALUATION_INPUT,
    REWARDS,
)
from domain.errors import ForbiddenError, InvalidError
from domain.initiative_core import InitiativeCore
from domain.initiative_events import ReviewHeld
from domain.initiative_payloads import Payload
from domain.messages import msg
from domain.values import Actor, Context, require_texts
from domain.vocabulary import CommendationForm, Regime


class FollowUpCommands(InitiativeCore):
    """Recognise the people, carry the result further, correct the record, archive it."""

    def commend(
        self,
        actor: Actor,
        ctx: Context,
        form: str,
        person_ids: list[UUID],
        decision_document: str,
    ) -> None:
        """Praise any time after approval; rewards only after a `completed` outcome (Art. 10)."""
        self._guard(COMMEND, actor)
        if CommendationForm(form) is not CommendationForm.PRAISE:
            self._require(REWARDS)
        self._require_participants(person_ids, "person_ids")
        self._trigger(
            events.Commended,
            actor,
            ctx,
            form=form,
            person_ids=person_ids,
            **require_texts(decision_document=decision_document),
        )

    def record_cadre_evaluation_input(
        self, actor: Actor, ctx: Context, person_id: UUID, period: str, facts: str
    ) -> None:
        """A personnel officer records what the cadre's annual evaluation uses (Art. 10)."""
        self._guard(RECORD_CADRE_EVALUATION_INPUT, actor)
        self._require_participants([person_id], "person_id")
        self._trigger(
            events.CadreEvaluationInputRecorded,
            actor,
            ctx,
            person_id=person_id,
            **require_texts(period=period, facts=facts),
        )

    def consider_early_salary_step(
        self,
        actor: Actor,
        ctx: Context,
        person_id: UUID,
        months_early: int,
        decision: str,
        decision_document: str = "",
    ) -> None:
        """A personnel officer records an early salary step of at most 12 months (Art. 10)."""
        self._guard(CONSIDER_EARLY_SALARY_STEP, actor)
        self._require_participants([person_id], "person_id")
        if not 1 <= months_early <= 12:
            raise InvalidError("an early salary step is 1 to 12 months", "months_early")
        self._trigger(
            events.EarlySalaryStepConsidered,
            actor,
            ctx,
            person_id=person_id,
            months_early=months_early,
            **require_texts(decision=decision),
            decision_document=decision_document,
        )

    def hold_interim_review(
        self, actor: Actor, ctx: Context, lessons: str, document_ref: str = ""
    ) -> None:
        """An interim review (sơ kết) while the work runs."""
        self._review(
            HOLD_INTERIM_REVIEW, events.InterimReviewHeld, actor, ctx, lessons, document_ref
        )

    def hold_final_review(
        self, actor: Actor, ctx: Context, lessons: str, document_ref: str = ""
    ) -> None:
        """A final review (tổng kết) after the evaluation."""
        self._review(HOLD_FINAL_REVIEW, events.FinalReviewHeld, actor, ctx, lessons, document_ref)

    def _review(
        self,
        command: Command,
        event_class: type[ReviewHeld],
        actor: Actor,
        ctx: Context,
        lessons: str,
        document_ref: str,
    ) -> None:
        """An interim or final review: its lessons required, its document reference not."""
        self._record(
            command, event_class, actor, ctx, {"lessons": lessons}, document_ref=document_ref
        )

    def propose_replication(
        self, actor: Actor, ctx: Context, target_organisation_ids: list[UUID], reason: str
    ) -> None:
        """Propose replicating a completed initiative in other organisations."""
        self._guard(PROPOSE_REPLICATION, actor)
        if not target_organisation_ids or len(set(target_organisation_ids)) != len(
            target_organisation_ids
        ):
            raise InvalidError("name distinct target organisations", "target_organisation_ids")
        if self.employing_organisation_id in target_organisation_ids:
            raise InvalidError("the initiative already runs there", "target_organisation_ids")
        self._trigger(
            events.ReplicationProposed,
            actor,
            ctx,
            target_organisation_ids=target_organisation_ids,
            **require_texts(reason=reason),
        )

    def approve_replication(
        self, actor: Actor, ctx: Context, proposal_version: int, decision_document: str
    ) -> list[Self]:
        """Approve a replication; returns the linked child initiatives to save with this one."""
        proposal = self._pending(
            APPROVE_REPLICATION,
            actor,
            self.replications,
            proposal_version,
            "proposal_version",
            msg("no replication proposal at version {version}"),
            msg("the replication at version {version} is approved"),
        )
        children = [
            type(self)._create(
                self._own(events.Replicated),
                id=uuid4(),
                **ctx.stamp(actor),
                title=self.title,
                regime=Regime.REGULAR.value,
                employing_organisation_id=target,
                proposer_ids=[],
                summary=f"Nhân rộng từ: {self.title}",
                parent_id=self.id,
            )
            for target in proposal.targets
        ]
        self._trigger(
            events.ReplicationApproved,
            actor,
            ctx,
            proposal_version=proposal_version,
            **require_texts(decision_document=decision_document),
            children={str(c.employing_organisation_id): c.id for c in children},
        )
        return children

    def name_proposers(
        self,
        actor: Actor,
        ctx: Context,
        proposer_ids: list[UUID],
        in_employer: Callable[[UUID], bool],
    ) -> None:
        """The head of the organisation a replication went to names who carries it there (a
        replicated initiative is created without proposers); they may then submit it."""
        self._guard(NAME_PROPOSERS, actor)
        if not proposer_ids:
            raise InvalidError("name at least one proposer", field="proposer_ids")
        if len(set(proposer_ids)) != len(proposer_ids):
            raise InvalidError("a proposer is named twice", field="proposer_ids")
        outside = [person for person in proposer_ids if not in_employer(person)]
        if outside:
            raise InvalidError(
                "{person} holds no position in the employing agency",
                field="proposer_ids",
                person=outside[0],
            )
        self._trigger(events.ProposersNamed, actor, ctx, proposer_ids=list(proposer_ids))

    def recommend_institutionalisation(
        self, actor: Actor, ctx: Context, target_instrument: str, drafting_body: str, reason: str
    ) -> None:
        """Recommend turning the result into a rule (thể chế hóa)."""
        texts = {
            "target_instrument": target_instrument,
            "drafting_body": drafting_body,
            "reason": reason,
        }
        self._record(
            RECOMMEND_INSTITUTIONALISATION,
            events.InstitutionalisationRecommended,
            actor,
            ctx,
            texts,
        )

    def correct(
        self,
        actor: Actor,
        ctx: Context,
        corrected_version: int,
        reason: str,
        corrections: Payload,
        original_actor: dict[str, str] | None,
    ) -> None:
        """The original actor proposes a correction of an event — never an edit; it takes
        effect when the head of the organisation it was recorded in countersigns it."""
        self._guard(CORRECT, actor)
        if not 1 <= corrected_version <= self.version:
            raise InvalidError(
                "no event at version {version}", "corrected_version", version=corrected_version
            )
        if original_actor is None or original_actor["person_id"] != str(actor.person_id):
            raise ForbiddenError("only the person who recorded an event may correct it")
        if not corrections:
            raise InvalidError("name at least one corrected field", "corrections")
        self._trigger(
            events.CorrectionProposed,
            actor,
            ctx,
            corrected_version=corrected_version,
            **require_texts(reason=reason),
            corrections=corrections,
            organisation_id=UUID(original_actor["organisation_id"]),
        )

    def countersign_correction(self, actor: Actor, ctx: Context, correction_version: int) -> None:
        """The head countersigns a proposed correction, by their own act: it takes effect."""
        self._guard(COUNTERSIGN_CORRECTION, actor, correction_version=correction_version)
        proposal = self.pending_corrections.get(correction_version)
        if proposal is None:
            raise InvalidError(
                "no correction proposed at version {version} awaits a countersignature",
                "correction_version",
                version=correction_version,
            )
        self._trigger(
            events.Corrected,
            actor,
            ctx,
            correction_version=correction_version,
            corrected_version=proposal.corrected_version,
            reason=proposal.reason,
            corrections=proposal.corrections,
        )

    def archive(self, actor: Actor, ctx: Context, archive_ref: str) -> None:
        """The clerk archives the file of an evaluated initiative."""
        self._record(ARCHIVE, events.Archived, actor, ctx, {"archive_ref": archive_ref})

    def _require_participants(self, person_ids: list[UUID], field: str) -> None:
        assignees = self.approval.assignees if self.approval else []
        outsiders = [p for p in person_ids if p not in self.proposer_ids and p not in assignees]
        if not person_ids or outsiders:
            raise InvalidError("name proposers or assignees of this initiative", field=field)
