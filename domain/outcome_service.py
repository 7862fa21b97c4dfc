"""Commands after the pilot: result, evaluation, protection, recognition, follow-up, records."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.authority import ANY_MEMBER, Candidate
from domain.directory import Organisation
from domain.errors import ForbiddenError, InvalidError, WrongStateError
from domain.initiative import Initiative
from domain.service_base import HEAD, ServiceBase
from domain.values import Context, Role

CLERKS = frozenset({Role.CLERK})


class OutcomeService(ServiceBase):
    """What follows the work: its evaluation, the cadre's protection and recognition."""

    def report_result(
        self, ctx: Context, initiative_id: UUID, expected_version: int | None, **body: Any
    ) -> int:
        """An assignee or proposer reports the result; the evaluation clock starts."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._members,
            "report results",
            lambda i, a: i.report_result(a, ctx, **body),
        )

    def evaluate(
        self, ctx: Context, initiative_id: UUID, expected_version: int | None, **body: Any
    ) -> int:
        """The approving agency's head evaluates after the leadership meeting (Art. 11)."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._heads,
            "evaluate initiatives",
            lambda i, a: i.evaluate(a, ctx, **body),
        )

    def request_protection(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        trigger: str,
        proceeding_ref: str = "",
        reason: str = "",
    ) -> int:
        """The cadre, the agency's head or an inspection body asks for protection."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            lambda i: [*self._members(i), *self._inspectors(ctx.person_id)],
            "request protection",
            lambda i, a: i.request_protection(a, ctx, trigger, proceeding_ref, reason),
        )

    def determine_protection(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        measure: str,
        reasons: str,
        evidence: list[str],
        document_ref: str,
    ) -> int:
        """The employing agency's head (or its superior's, for the head's own) determines."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._employer_heads,
            "determine protection",
            lambda i, a: i.determine_protection(a, ctx, measure, reasons, evidence, document_ref),
        )

    def record_liability_outcome(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        body_organisation_id: UUID,
        decision: str,
        document_ref: str,
    ) -> int:
        """The deciding body's clerk records its decision on liability."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            lambda i: self._in_concerned(i, body_organisation_id, CLERKS, "body_organisation_id"),
            "record the body's decision",
            lambda i, a: i.record_liability_outcome(
                a, ctx, self._get(Organisation, a.organisation_id).name, decision, document_ref
            ),
        )

    def commend(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        awarding_organisation_id: UUID,
        form: str,
        person_ids: list[UUID],
        decision_document: str,
    ) -> int:
        """A commendation officer of the awarding organisation records praise or a reward."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            lambda i: self._in_concerned(
                i, awarding_organisation_id, Role.COMMENDATION, "awarding_organisation_id"
            ),
            "record commendations",
            lambda i, a: i.commend(a, ctx, form, person_ids, decision_document),
        )

    def record_cadre_evaluation_input(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        personnel_organisation_id: UUID,
        person_id: UUID,
        period: str,
        facts: str,
    ) -> int:
        """A personnel officer records facts for the cadre's evaluation."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            lambda i: self._in_concerned(
                i, personnel_organisation_id, Role.PERSONNEL, "personnel_organisation_id"
            ),
            "record evaluation inputs",
            lambda i, a: i.record_cadre_evaluation_input(a, ctx, person_id, period, facts),
        )

    def consider_early_salary_step(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        personnel_organisation_id: UUID,
        person_id: UUID,
        months_early: int,
        decision: str,
        decision_document: str = "",
    ) -> int:
        """A personnel officer records an early salary step considered."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            lambda i: self._in_concerned(
                i, personnel_organisation_id, Role.PERSONNEL, "personnel_organisation_id"
            ),
            "consider salary steps",
            lambda i, a: i.consider_early_salary_step(
                a, ctx, person_id, months_early, decision, decision_document
            ),
        )

    def hold_interim_review(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        lessons: str,
        document_ref: str = "",
    ) -> int:
        """The approving authority's head or party committee holds an interim review."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._reviewers,
            "hold reviews",
            lambda i, a: i.hold_interim_review(a, ctx, lessons, document_ref),
        )

    def hold_final_review(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        lessons: str,
        document_ref: str = "",
    ) -> int:
        """The approving authority's head or party committee holds the final review."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._reviewers,
            "hold reviews",
            lambda i, a: i.hold_final_review(a, ctx, lessons, document_ref),
        )

    def propose_replication(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        target_organisation_ids: list[UUID],
        reason: str,
    ) -> int:
        """The approving authority or its superior proposes replication elsewhere."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._heads_or_superior,
            "propose replication",
            lambda i, a: i.propose_replication(a, ctx, target_organisation_ids, reason),
            after=lambda: [
                self._get(Organisation, t, "target_organisation_ids")
                for t in target_organisation_ids
            ],
        )

    def approve_replication(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        proposal_version: int,
        decision_document: str,
    ) -> int:
        """The superior of the approving authority approves; child initiatives are created."""
        initiative = self._load(initiative_id, expected_version)
        actor = self._actor_among(
            ctx, self._replication_approvers(initiative), "approve replication"
        )
        children = initiative.approve_replication(actor, ctx, proposal_version, decision_document)
        return self._save(initiative, *children)

    def recommend_institutionalisation(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        target_instrument: str,
        drafting_body: str,
        reason: str,
    ) -> int:
        """The approving authority or its superior recommends turning the result into a rule."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            self._heads_or_superior,
            "recommend institutionalisation",
            lambda i, a: i.recommend_institutionalisation(
                a, ctx, target_instrument, drafting_body, reason
            ),
        )

    def correct(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        corrected_version: int,
        reason: str,
        corrections: dict[str, Any],
    ) -> int:
        """The original actor proposes a correction of what they recorded."""
        initiative = self._load(initiative_id, expected_version)
        recorders = {
            getattr(e, "actor", {}).get("person_id") for e in self.events.get(initiative_id)
        }
        if str(ctx.person_id) not in recorders:
            raise ForbiddenError("only the person who recorded an event may correct it")
        original = self._event_actor(initiative_id, corrected_version)
        org = self._get(Organisation, UUID(original["organisation_id"])) if original else None
        if org is None:
            raise InvalidError(f"no event at version {corrected_version}", "corrected_version")
        actor = self._actor(ctx, org, ANY_MEMBER, "correct what they recorded there")
        initiative.correct(actor, ctx, corrected_version, reason, corrections, original)
        return self._save(initiative)

    def countersign_correction(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        correction_version: int,
    ) -> int:
        """The head of the organisation where the corrected act was recorded countersigns."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            lambda i: self._countersigners(i, correction_version),
            "countersign corrections",
            lambda i, a: i.countersign_correction(a, ctx, correction_version),
        )

    def _countersigners(self, initiative: Initiative, correction_version: int | None) -> list[Any]:
        pending = initiative.pending_corrections
        if not pending:
            raise WrongStateError("no correction awaits a countersignature")
        chosen = (
            [pending[correction_version]] if correction_version in pending else pending.values()
        )
        return [(self._get(Organisation, UUID(p["organisation_id"])), HEAD) for p in chosen]

    def archive(
        self,
        ctx: Context,
        initiative_id: UUID,
        expected_version: int | None,
        *,
        archive_ref: str,
    ) -> int:
        """A clerk of the employing agency or the approving authority archives the file."""
        return self._run(
            ctx,
            initiative_id,
            expected_version,
            lambda i: [(org, CLERKS) for org, _ in self._members(i)],
            "archive files",
            lambda i, a: i.archive(a, ctx, archive_ref),
        )

    # Helpers ---------------------------------------------------------------------------------

    def _employer_heads(self, initiative: Initiative) -> list[Candidate]:
        employer = self._get(Organisation, initiative.employing_organisation_id)
        superior = self._superior_of(employer)
        return [(employer, HEAD)] + ([(superior, HEAD)] if superior else [])

    def _reviewers(self, initiative: Initiative) -> list[Candidate]:
        return [*self._heads(initiative), *self._party(initiative)]

    def _replication_approvers(self, initiative: Initiative) -> list[Candidate]:
        authority = self._authority(initiative)
        superior = self._superior_of(authority)
        return [(superior or authority, HEAD)]

    def _event_actor(self, initiative_id: UUID, version: int) -> dict[str, str] | None:
        events = list(self.events.get(initiative_id, gt=version - 1, lte=version))
        actor: dict[str, str] | None = getattr(events[0], "actor", None) if events else None
        return actor
