"""The service layer: one eventsourcing Application for the directory and every initiative.

Views call one method each with plain values and a `Context` (who, when, which request);
queries return plain values, never aggregates.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.directory_service import DirectoryService
from domain.initiative import Initiative
from domain.outcome_service import OutcomeService
from domain.pilot_service import PilotService
from domain.proposal_service import ProposalService
from domain.queries import describe_event, describe_initiative
from domain.values import local_date


class LedgerApplication(DirectoryService, ProposalService, PilotService, OutcomeService):
    """Commands and queries over the directory and initiatives, on one global event log."""

    name = "Ledger"

    def get_initiative(self, initiative_id: UUID) -> dict[str, Any]:
        """The current state of one initiative, with its clocks as of today."""
        initiative = self._get(Initiative, initiative_id)
        return describe_initiative(initiative, local_date(self.clock()), self.calendar)

    def get_history(self, initiative_id: UUID) -> list[dict[str, Any]]:
        """Every event of one initiative in order, with who acted under which position."""
        self._get(Initiative, initiative_id)
        return [describe_event(e) for e in self.events.get(initiative_id)]  # type: ignore[arg-type]
