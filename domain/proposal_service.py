"""Opening a draft: the one initiative command that is not on an initiative yet (the others
are the registry's, `domain/commands.py`, run by `ServiceBase.execute`)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.authority import ANY_MEMBER, authorise
from domain.directory import Organisation, Person
from domain.initiative import Initiative, Regime
from domain.messages import msg
from domain.service_base import ServiceBase
from domain.values import Context


class ProposalService(ServiceBase):
    """Open a draft."""

    def create_initiative(
        self,
        ctx: Context,
        *,
        title: str,
        employing_organisation_id: UUID,
        regime: str = Regime.REGULAR.value,
        co_proposer_ids: list[UUID] | None = None,
        summary: str = "",
    ) -> dict[str, Any]:
        """Open a draft as its first proposer, who must hold a position in the employing agency."""
        employer = self._get(Organisation, employing_organisation_id, "employing_organisation_id")
        actor = self._actor_among(
            ctx, [(employer, ANY_MEMBER)], msg("propose an initiative there")
        )
        for co in co_proposer_ids or []:
            co_person = self._get(Person, co, "co_proposer_ids")
            authorise(co_person, employer, ANY_MEMBER, ctx.local_date, "co-propose there")
        initiative = Initiative.draft(
            actor,
            ctx,
            title=title,
            regime=Regime(regime),
            employing_organisation_id=employer.id,
            co_proposer_ids=co_proposer_ids or [],
            summary=summary,
        )
        self._save(initiative)
        return {"id": initiative.id, "version": initiative.version}
