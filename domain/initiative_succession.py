"""The succession of authority after a merger, split or renaming (domain.md §5.15): the head of
the successor takes over what an initiative still awaits of the old unit.

The directory records the succession (`Succession`: merged into, renamed or split from, and
the day); the registry's `hand_over` (`domain/commands.py`) lets the successor's head record a
`HandedOver`, from the day it took effect, on an initiative that has not ended. Its state change
puts the successor wherever the initiative names the old unit — its employing agency, the
addressee of its proposal, the authority that decides it — and moves the running clocks
counted against the old unit; from then the registry's rules read the successor's positions.
Nothing earlier changes: the events keep the old unit (the history shows it as it was), the
approval keeps the authority that decided it (`Approval.authority_id`; `authority_id` reads
the successor), and `handovers` lists each handover.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from uuid import UUID

from domain import initiative_events as events
from domain.commands import HAND_OVER
from domain.errors import ConflictError, ForbiddenError
from domain.initiative_core import InitiativeCore
from domain.initiative_state import Handover
from domain.values import Actor, Context
from domain.vocabulary import HandoverRole


class SuccessionCommands(InitiativeCore):
    """Hand an initiative over to the successor of an organisation it names."""

    def hand_over(
        self,
        actor: Actor,
        ctx: Context,
        from_organisation_id: UUID,
        to_organisation_id: UUID,
        relation: str,
        effective_on: date,
        document_ref: str = "",
    ) -> None:
        """The successor's head takes over what the initiative awaits of
        `from_organisation_id`, which the directory says was merged, renamed or split into
        `to_organisation_id` (`relation`) from `effective_on` (`command_positions.succession`):
        the initiative must name it still, and the succession must have taken effect."""
        self._guard(HAND_OVER, actor)
        if actor.organisation_id != to_organisation_id:
            raise ForbiddenError("only the head of the successor takes over its initiatives")
        roles = self._roles_of(from_organisation_id)
        if not roles:
            raise self._not_named(from_organisation_id)
        today = ctx.local_date
        if effective_on > today:
            raise ConflictError(
                "the succession takes effect on {effective_on:%d/%m/%Y}, later than today,"
                " {today:%d/%m/%Y} in Vietnam: the successor takes over from that day",
                effective_on=effective_on,
                today=today,
            )
        self._trigger(
            events.HandedOver,
            actor,
            ctx,
            from_organisation_id=from_organisation_id,
            to_organisation_id=to_organisation_id,
            relation=relation,
            effective_on=effective_on,
            roles=[role.value for role in roles],
            document_ref=document_ref.strip(),
        )

    def _roles_of(self, organisation: UUID) -> list[HandoverRole]:
        """What `organisation` is to the initiative now: its employing agency, the addressee,
        the deciding authority (none, one or several)."""
        named = {
            HandoverRole.EMPLOYER: self.employing_organisation_id,
            HandoverRole.ADDRESSEE: self.addressee_id,
            HandoverRole.AUTHORITY: self.authority_id,
        }
        return [role for role, named_id in named.items() if named_id == organisation]

    def _not_named(self, organisation: UUID) -> ConflictError:
        """The refusal of a handover from an organisation the initiative no longer names (it
        was handed over already) or never named."""
        done = [h for h in self.handovers if h.from_organisation_id == organisation]
        if done:
            return ConflictError(
                "already handed over to the successor on {day:%d/%m/%Y}"
                " (version {version}): the successor decides it",
                day=done[-1].handed_over_on,
                version=done[-1].version,
            )
        return ConflictError(
            "the initiative does not name that organisation: it is neither its employing"
            " agency, nor the addressee of its proposal, nor its deciding authority"
        )

    # The state change (`Initiative`'s `@event(HandedOver)` calls it) ----------------------

    def _pass_to_successor(self, handover: Handover) -> None:
        """Put the successor where the initiative named the old unit (`roles`), move the
        running clocks counted against the old unit, and list the handover."""
        successor = handover.to_organisation_id
        if HandoverRole.EMPLOYER in handover.roles:
            self.employing_organisation_id = successor
        if HandoverRole.ADDRESSEE in handover.roles:
            self.addressee_id = successor
        if HandoverRole.AUTHORITY in handover.roles:
            self.successor_authority_id = successor
        self.clocks = [
            replace(c, organisation_id=successor)
            if c.finished_on is None and c.organisation_id == handover.from_organisation_id
            else c
            for c in self.clocks
        ]
        self.handovers = (*self.handovers, handover)
