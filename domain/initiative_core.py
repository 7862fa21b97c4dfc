"""What every phase of the initiative shares: its typed state, the guard that applies the
command registry's rules (`domain/commands.py`), `_trigger`, the bounds of the dates a
command's body states (`_stated`, after the table `STATED_DATES`: domain.md §5.12), and the
helpers of the state changes.

`InitiativeCore` is a plain class at run time. The commands of each phase are a mixin that
subclasses it (`initiative_proposal.py`, `initiative_urgent.py`, `initiative_pilot.py`,
`initiative_outcome.py`, `initiative_follow_up.py`, `initiative_succession.py`), and
`Initiative` (`domain/initiative.py`) combines them with eventsourcing's `Aggregate`, keeping
the event classes, `__init__` and the `@event` state changes itself. For the type checker the
core is that aggregate already: an `Aggregate` with the state `Initiative.__init__` sets (what
a draft starts with, beyond its own fields, is declared once here, in `_start_state`), so each
mixin is checked against what the aggregate has. The mixins name the event classes of
`initiative_events.py`; `_own` resolves each, by name, to the class `Initiative` redefines (the
one whose topic is stored). The approval and the urgent decisions that set terms share one
state change, `approval_change`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, TypeVar, cast
from uuid import UUID

from domain.errors import ConflictError, InvalidError, WrongStateError
from domain.initiative_events import DOCUMENTED, InitiativeEvent, Refusal
from domain.initiative_payloads import ApprovedTerms, Payload, UrgentReport
from domain.initiative_state import (
    Adjustment,
    Approval,
    Clarification,
    Clock,
    Correction,
    Decision,
    Evaluation,
    Handover,
    Implementation,
    Institutionalisation,
    Meeting,
    Obstacle,
    OutsideApproval,
    Pending,
    PendingCorrection,
    Protection,
    Receipt,
    Recognition,
    Replication,
    ResourceAllocation,
    Result,
    Review,
    Supervision,
    Terms,
)
from domain.messages import msg
from domain.proposal import Tally, tally
from domain.protection import recommend
from domain.rules import require_items
from domain.values import Actor, Context, local_date, require_texts
from domain.vocabulary import Measure, Outcome, Phase, Regime, Status

if TYPE_CHECKING:
    from eventsourcing.domain import Aggregate as _Aggregate

    from domain.command_rules import Command, Fact
else:
    _Aggregate = object

E = TypeVar("E", bound=type)
P = TypeVar("P", bound=Pending)


def _documents(event_class: type[InitiativeEvent], ctx: Context) -> dict[str, object]:
    """The documents the request refers to, as the event records them (`attachments`); none
    when it refers to none. An act that does not rest on documents refuses them (422)."""
    if not ctx.documents:
        return {}
    if event_class.__name__ not in DOCUMENTED:
        raise InvalidError("this act refers to no document", "attachments")
    return {"attachments": [dict(d) for d in ctx.documents]}


class InitiativeCore(_Aggregate):
    """The state, derived facts and guards that every phase's commands use."""

    if TYPE_CHECKING:
        # What `Initiative.__init__` sets from the draft; the rest is `_start_state`'s.
        title: str
        parent_id: UUID | None
        regime: Regime
        employing_organisation_id: UUID
        proposer_ids: list[UUID]
        summary: str

    # The Vietnam days of the last submission, escalation and amendment, which a date stated
    # later must not precede (`STATED_DATES`; the rest of the state keeps the days of the other
    # events it follows). Set by their state changes; none until then, and none in the state
    # of a snapshot the previous release took (the bounds then fall back on the creation).
    submitted_on: date | None = None
    escalated_on: date | None = None
    amended_on: date | None = None
    # The handovers to the successors of merged, split or renamed organisations, and the
    # successor that decides in place of the authority that approved (domain.md §5.15;
    # `initiative_succession.py`). Replaced, never changed in place; none until a handover.
    handovers: tuple[Handover, ...] = ()
    successor_authority_id: UUID | None = None

    # Derived facts ------------------------------------------------------------------------

    @property
    def authority_id(self) -> UUID | None:
        """The organisation that approved (or authorized), which decides what follows; once
        a handover passed that on, its successor (`approval` keeps the one that approved)."""
        if self.approval is None:
            return None
        return self.successor_authority_id or self.approval.authority_id

    def meeting_tally(self) -> Tally:
        """The tally of the last meeting that still counts."""
        assert self.last_meeting is not None
        return tally(self.last_meeting.votes, UUID(self.last_meeting.chair_id))

    def recommended_measure(self) -> tuple[Measure | None, list[str]]:
        """The protection measure the record supports (domain.md §6)."""
        evaluation = self.evaluation
        return recommend(
            approved=self.approval is not None,
            outcome=Outcome(evaluation.outcome) if evaluation and evaluation.outcome else None,
            damage_caused=bool(evaluation and evaluation.damage_caused),
            findings=evaluation.findings if evaluation else {},
            self_interest_or_abuse=bool(evaluation and evaluation.self_interest_or_abuse),
            acts_outside_approval=bool(self.outside_approval),
        )

    # Guards and triggering ----------------------------------------------------------------

    def _pending(
        self,
        command: Command,
        actor: Actor,
        requests: Mapping[str, P],
        version: int,
        field: str,
        missing: str,
        decided: str,
    ) -> P:
        """The request that `command` decides: guard it, then the one of `requests` recorded
        at `version` (a body's `field`), which must still await its decision: 422 when there
        is none (`missing`), 409 when it is decided (`decided`); both templates name the
        `{version}`."""
        self._guard(command, actor)
        request = requests.get(str(version))
        if request is None:
            raise InvalidError(missing, field, version=version)
        if not request.pending:
            raise ConflictError(decided, version=version)
        return request

    def _terms(self) -> Terms:
        if self.terms is None:
            raise ConflictError("nothing has been approved")
        return self.terms

    def _own(self, event_class: E) -> E:
        """The aggregate's own class of an event of `initiative_events.py`: the one that
        `Initiative` redefines in its body, whose topic (`domain.initiative:Initiative.<Name>`)
        is what is stored. The commands name the classes of `initiative_events.py`."""
        own: E = getattr(type(self), event_class.__name__)
        return own

    def _trigger(
        self, event_class: type[InitiativeEvent], actor: Actor, ctx: Context, **data: object
    ) -> None:
        self.trigger_event(
            self._own(event_class), **ctx.stamp(actor), **data, **_documents(event_class, ctx)
        )

    def _record(
        self,
        command: Command,
        event_class: type[InitiativeEvent],
        actor: Actor,
        ctx: Context,
        texts: dict[str, str],
        **data: object,
    ) -> None:
        """A command whose checks are the registry's rules and required `texts` (by field
        name): guard `command`, refuse a blank text, trigger `event_class` with the texts and
        `data`."""
        self._guard(command, actor)
        self._trigger(event_class, actor, ctx, **require_texts(**texts), **data)

    def _refuse(
        self,
        command: Command,
        event_class: type[Refusal],
        actor: Actor,
        ctx: Context,
        reasons: list[str],
        document_ref: str,
        unstated: str = "",
    ) -> None:
        """A refusal (of a proposal, of an urgent report): guard `command`, require the
        `reasons` (`unstated`: the refusal when there are none) and the document's reference,
        trigger `event_class`."""
        self._guard(command, actor)
        self._trigger(
            event_class,
            actor,
            ctx,
            reasons=require_items(reasons, "reasons", unstated),
            **require_texts(document_ref=document_ref),
        )

    def _guard(self, command: Command, actor: Actor, **body: object) -> None:
        """Refuse unless the registry's rules of `command` allow it (`domain/commands.py`):
        its states, what the actor must be, what must be on record. `body` carries what a
        rule reads of the request (the phase of an opinion, the correction countersigned)."""
        refused = command.refusal(self, actor.person_id, body)
        if refused is not None:
            raise refused

    def _require(self, fact: Fact) -> None:
        """Refuse (409) unless `fact` is on record: a fact only some bodies need."""
        if not fact.holds(self):
            raise WrongStateError(fact.refusal)

    def earliest(self, field: str) -> tuple[date, str]:
        """The earliest day the date a body states as `field` (a key of `STATED_DATES`) may
        be, and the earlier event that sets it, as a refusal names it: the latest on record of
        the events that date follows, the initiative's creation at least (domain.md §5.12)."""
        bounds = [*STATED_DATES[field].follows(self), (CREATION, local_date(self.created_on))]
        return max(((day, event) for event, day in bounds if day is not None), key=_day)

    def _stated(self, ctx: Context, field: str, day: date) -> date:
        """`day`, the date the body states as `field` (a key of `STATED_DATES`), if it lies
        between the earlier event it follows (`earliest`) and today in Vietnam; otherwise an
        `InvalidError` naming `field` and the bound it fails (domain.md §5.12). The event's
        own timestamp stays the record of when the act was entered."""
        name = STATED_DATES[field].name
        earliest, event = self.earliest(field)
        if day < earliest:
            raise InvalidError(
                "the {name} {day:%d/%m/%Y} is before {event} on {earliest:%d/%m/%Y}",
                field=field,
                name=name,
                day=day,
                event=event,
                earliest=earliest,
            )
        today = ctx.local_date
        if day > today:
            raise InvalidError(
                "the {name} {day:%d/%m/%Y} is later than today, {today:%d/%m/%Y} in Vietnam",
                field=field,
                name=name,
                day=day,
                today=today,
            )
        return day

    # State helpers: called by the `@event` methods only -----------------------------------

    def _start_state(self) -> None:
        """The state every draft starts with, beyond what it was drafted with: called by
        `Initiative.__init__` (the state change of `Drafted` and `Replicated`)."""
        self.status = Status.DRAFT
        self.addressee_id: UUID | None = None
        self.proposal: Payload = {}
        self.received: Receipt | None = None
        self.clarification: Clarification | None = None
        # Opinions and meetings count only if given after the last change to the proposal.
        self.review_round = 0
        self.party_opinions: dict[str, int] = {}
        self.last_meeting: Meeting | None = None
        self.approval: Approval | None = None
        self.decision: Decision | None = None
        self.urgent: UrgentReport = {}
        self.terms: Terms | None = None
        self.resources_allocated: list[ResourceAllocation] = []
        self.implementation = Implementation()
        self.progress_reports = 0
        self.supervision = Supervision()
        self.obstacles: dict[str, Obstacle] = {}  # keyed by version, as text: JSON-safe
        self.adjustments: dict[str, Adjustment] = {}
        self.outside_approval: list[OutsideApproval] = []
        self.result: Result | None = None
        self.evaluation: Evaluation | None = None
        self.protection = Protection()
        self.recognition = Recognition()
        self.reviews: list[Review] = []
        self.replications: dict[str, Replication] = {}
        self.institutionalisation: list[Institutionalisation] = []
        self.corrections: list[Correction] = []
        self.pending_corrections: dict[int, PendingCorrection] = {}
        self.archive_ref: str | None = None
        self.clocks: list[Clock] = []

    def _start_clock(self, name: str, day: date, obstacle_version: int | None = None) -> None:
        responsible = {
            "receipt": self.addressee_id,
            "approval_decision": self.addressee_id,
            "obstacle_resolution": self.authority_id or self.employing_organisation_id,
            "evaluation": self.authority_id or self.employing_organisation_id,
        }.get(name, self.employing_organisation_id)
        self.clocks.append(Clock(name, day, None, responsible, obstacle_version))

    def _finish_clock(self, name: str, day: date, obstacle_version: int | None = None) -> None:
        """Stop the latest running clock of `name` (for that obstacle, if given)."""
        for index in reversed(range(len(self.clocks))):
            clock = self.clocks[index]
            if (
                clock.name == name
                and clock.finished_on is None
                and clock.obstacle_version == obstacle_version
            ):
                self.clocks[index] = replace(clock, finished_on=day)
                return

    def _finish_clocks(self, name: str, day: date) -> None:
        """Stop every running clock of `name`."""
        self.clocks = [
            replace(c, finished_on=day) if c.name == name and c.finished_on is None else c
            for c in self.clocks
        ]

    def _new_review_round(self) -> None:
        self.review_round += 1
        self.party_opinions = {
            k: v for k, v in self.party_opinions.items() if k != Phase.APPROVAL.value
        }
        self.last_meeting = None


def approval_change(basis: str = "", finishes: str = "") -> Callable[..., None]:
    """The state change of an event that sets the approved terms, for `@event` in
    `Initiative`: an approval in principle (its basis is the event's own; it finishes the
    `finishes` clock) or an urgent authorization or ratification (whose `basis` is this one).
    The event's attributes come in by the names of the change's parameters."""

    def change(
        self: InitiativeCore,
        decision_document: str,
        approval: ApprovedTerms,
        actor: dict[str, str],
        timestamp: datetime,
        basis: str = basis,  # the event's own, when it carries one (an approval in principle)
        grounds_confirmed: bool | None = None,  # None: recorded before it was asked for
    ) -> None:
        self.status = Status.APPROVED
        self.approval = Approval(
            **approval,
            basis=basis,
            decision_document=decision_document,
            authority_id=UUID(actor["organisation_id"]),
            approved_on=local_date(timestamp),
            grounds_confirmed=grounds_confirmed,
        )
        self.terms = self.approval.terms
        if finishes:
            self._finish_clock(finishes, local_date(timestamp))

    return change


def approved_terms(body: Mapping[str, object]) -> ApprovedTerms:
    """The terms an approval or an urgent decision sets, from its `approved_*` fields (as
    given: `approve` and `checked_terms` check them)."""
    terms = {
        "scope": body.get("approved_scope"),
        "start": body.get("approved_start"),
        "end": body.get("approved_end"),
        "resources": body.get("resources"),
        "assignee_ids": body.get("assignee_ids"),
        "directions": body.get("directions", ""),
    }
    return cast(ApprovedTerms, terms)


# Honest dates (domain.md §5.12) -----------------------------------------------------------------

# An earlier event, as a refusal names it, and its day (None: not on record).
Bound = tuple[str, date | None]
CREATION = msg("the creation of the initiative")


def _day(bound: tuple[date, str]) -> date:
    return bound[0]


@dataclass(frozen=True)
class StatedDate:
    """A date a command's body states: how a refusal names it, and the earlier events it
    must not precede (beyond the initiative's creation, which every date follows)."""

    name: str
    follows: Callable[[InitiativeCore], list[Bound]]


def _start_follows(initiative: InitiativeCore) -> list[Bound]:
    """Work starts on or after its approval or urgent authorization; work an urgent
    ratification covers began when the cadre acted, before the decision."""
    approval = initiative.approval
    if approval is None:
        return []
    acted_on = initiative.urgent.get("acted_on")
    if approval.basis == "urgent_ratified" and acted_on is not None:
        return [(msg("the urgent action ratified"), acted_on)]
    return [(msg("the approval"), approval.approved_on)]


# The dates a command's body states of plans and time limits: the planned and approved
# periods, an adjustment's, the due date of a clarification. They may lie ahead; an end is not
# before its start, a due date not before today (each command checks its own).
PLANNED_DATES = frozenset(
    {"planned_start", "planned_end", "approved_start", "approved_end", "start", "end", "due_date"}
)

# Every other date a command's body states, of something that happened, by its field: it lies
# between the latest earlier event it follows and today in Vietnam (`InitiativeCore._stated`).
STATED_DATES: dict[str, StatedDate] = {
    "receipt_date": StatedDate(
        msg("receipt date"),
        lambda i: [
            (msg("the submission"), i.submitted_on),
            (msg("the escalation"), i.escalated_on),
        ],
    ),
    "meeting_date": StatedDate(
        msg("meeting date"),
        lambda i: [
            (msg("the receipt of the proposal"), i.received.receipt_date if i.received else None),
            (msg("the last amendment"), i.amended_on),
            (msg("the result report"), i.result.reported_on if i.result else None),
        ],
    ),
    "acted_on": StatedDate(msg("date the cadre acted"), lambda i: []),
    "actual_start": StatedDate(msg("start date"), _start_follows),
    "completion_date": StatedDate(
        msg("completion date"),
        lambda i: [(msg("the start of the work"), i.implementation.actual_start)],
    ),
}
