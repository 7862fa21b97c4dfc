"""What an initiative waits for, and who must act next: read off the command registry.

In each status where the procedure waits on someone, one command of the registry moves the
initiative on (`FORWARD`: the receipt of a submitted proposal, the decision on one under review,
the proposer's amendment when a clarification was asked, the urgent decision, the result
report, the evaluation, the archiving). What the initiative waits for is that command when the
facts the registry declares for it hold; otherwise the command that records the first fact it
lacks (`Fact.recorded_by`): before an approval or an evaluation, the party committee's opinion,
then the leadership meeting. Who must act is that command's `Who`: the people its actor rules
name (the proposers, the assignees), else its first seat (the organisation relative to the
initiative, and the roles there). A running clock waits for the same, unless its rule names its
own command (`ClockRule.awaits`: an obstacle's resolution, by the approving authority).

Nothing here reads the directory: a seat in the party committee or the superior of an
organisation says so (`via`), and the reader resolves it (`projections/queries.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.clocks import CLOCKS
from domain.command_rules import Command, Via
from domain.commands import (
    AMEND,
    APPROVE,
    ARCHIVE,
    AUTHORIZE_URGENT,
    BY_NAME,
    EVALUATE,
    RATIFY_URGENT,
    RECEIVE,
    REPORT_RESULT,
)
from domain.initiative_core import InitiativeCore
from domain.vocabulary import Status

# The command that moves an initiative on, in each status where it waits on someone: the
# first of them whose facts hold (an urgent report is authorized before the cadre acts and
# ratified after).
FORWARD: dict[Status, tuple[Command, ...]] = {
    Status.SUBMITTED: (RECEIVE,),
    Status.UNDER_REVIEW: (APPROVE,),
    Status.CLARIFICATION_REQUESTED: (AMEND,),
    Status.URGENT_REPORTED: (AUTHORIZE_URGENT, RATIFY_URGENT),
    Status.COMPLETED: (REPORT_RESULT,),
    Status.TERMINATED: (REPORT_RESULT,),
    Status.UNDER_EVALUATION: (EVALUATE,),
    Status.EVALUATED: (ARCHIVE,),
}


@dataclass(frozen=True)
class Awaited:
    """A command an initiative waits for, and who must perform it: in the organisation the
    initiative names (`organisation_id`; or the party committee or superior of it, `via`),
    holding one of `actors` (roles, in the order the registry names them); or, when the
    command's rules name people, those people (`person_ids`) and what they are to the
    initiative (`actors`: `proposer`, `assignee`)."""

    command: str
    organisation_id: UUID | None
    via: Via | None
    actors: tuple[str, ...]
    person_ids: tuple[UUID, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """Plain values, as the views store them."""
        return {
            "command": self.command,
            "organisation_id": str(self.organisation_id) if self.organisation_id else None,
            "via": self.via,
            "actors": list(self.actors),
            "person_ids": [str(p) for p in self.person_ids],
        }


def waiting_on(initiative: InitiativeCore, command: Command) -> Awaited:
    """Who must perform `command` on the initiative: the people its actor rules name, else
    its first seat (none when its Who has no seat: an organisation the body names)."""
    seat = command.who.seats[0] if command.who.seats else None
    organisation = seat.organisation_id(initiative) if seat else None
    via = seat.via if seat else None
    for rule in command.actor:
        if rule.people is not None:
            people = tuple(rule.people(initiative))
            return Awaited(command.name, organisation, via, rule.relations, people)
    roles = tuple(str(r) for r in seat.roles) if seat else ()
    return Awaited(command.name, organisation, via, roles)


def next_command(initiative: InitiativeCore) -> Command | None:
    """The command the initiative waits for in its status (None: it waits on nobody)."""
    forward = FORWARD.get(initiative.status)
    if forward is None:
        return None
    for command in forward:
        if all(fact.holds(initiative) for fact in command.facts):
            return command
    for fact in forward[0].facts:
        if fact.recorded_by and not fact.holds(initiative):
            return BY_NAME[fact.recorded_by]
    return forward[0]


def awaited(initiative: InitiativeCore) -> Awaited | None:
    """What the initiative waits for in its status, and who must act."""
    command = next_command(initiative)
    return waiting_on(initiative, command) if command is not None else None


def clocks_awaited(initiative: InitiativeCore) -> dict[str, Awaited]:
    """What each running clock waits for, by the clock's name: the command its rule names,
    or what the initiative's status waits for."""
    return clocks_awaiting(initiative, awaited(initiative))


def clocks_awaiting(initiative: InitiativeCore, now: Awaited | None) -> dict[str, Awaited]:
    """`clocks_awaited`, given what the initiative's status waits for (`awaited`)."""
    found: dict[str, Awaited] = {}
    for clock in initiative.clocks:
        if clock.finished_on is not None or clock.name in found:
            continue
        own = CLOCKS[clock.name].awaits
        waits = waiting_on(initiative, BY_NAME[own]) if own else now
        if waits is not None:
            found[clock.name] = waits
    return found
