"""The vocabulary of the command registry (`domain/commands.py`): who may act, in which states,
with which facts on record. Each rule is an object declared once and evaluated by everything
that needs it: the application's authorisation, the aggregate's guard and `may()`.

* `Who`: the candidate positions *relative to the initiative* (the head of its addressee, a
  member of its employing agency, a clerk of an organisation the body names and the initiative
  concerns), read from the directory as of the day of the act by the application; they are
  declared in `domain/command_positions.py`, most of them as `Seat`s (an organisation the
  initiative names, or its party committee or superior, and the roles there), which also say
  who must act next without the directory (`domain/awaited.py`).
* `States`: the statuses in which the command is allowed.
* `ActorRule`: what the actor must or must not be to this initiative (a proposer, an assignee,
  never a proposer), checked by the aggregate; a rule that names people says which.
* `Fact`: what must be on record (the party opinion and a meeting before the approval, an open
  obstacle before its resolution), checked by the aggregate, and the command that records it.

A rule that depends on the request body (the organisation it names, the correction it
countersigns, the phase of an opinion) says how it reads without one: `Asking.body` is None
when `may()` asks whether a person could perform the command with *some* body; nothing runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal
from uuid import UUID

from domain.authority import Candidate
from domain.directory import Organisation, Person
from domain.errors import DomainError, ForbiddenError, WrongStateError
from domain.initiative_state import Pending
from domain.initiative_status import EVALUATED
from domain.messages import CommandWords, Message, msg
from domain.proposal import declares_grounds
from domain.values import Actor, Context
from domain.vocabulary import Phase, Regime, Role, Status

if TYPE_CHECKING:
    from domain.initiative import Initiative
    from domain.initiative_core import InitiativeCore

Body = Mapping[str, Any]


@dataclass(frozen=True)
class Lookups:
    """What the rules read outside the initiative; the application provides it."""

    organisation: Callable[[UUID, str | None], Organisation]  # 422 on the field, if named
    organisations_of: Callable[[UUID], list[Organisation]]  # where a person holds a position
    person: Callable[[UUID, str | None], Person]
    concerns: Callable[[Organisation, Initiative], bool]  # may it act on the initiative?
    acts: Callable[[UUID], dict[int, dict[str, str]]]  # the actor of each recorded version


@dataclass(frozen=True)
class Asking:
    """Who asks to act, and with which body (None: with whatever body, as `may()` asks), on
    which day (None: any day)."""

    person_id: UUID
    body: Body | None = None
    day: date | None = None


Positions = Callable[[Lookups, "Initiative", Asking], list[Candidate]]
Derive = Callable[[Lookups, "Initiative", Context, Actor, Body], dict[str, object]]
Check = Callable[[Lookups, Body], None]


# The organisations a seat names: the initiative's addressee; its deciding authority (the one
# that approved; before that, the addressee); only the one that approved; its employing agency.
Place = Literal["addressee", "authority", "approving", "employer"]
# The directory's organisation beside a place's: its same-level party committee, its superior.
Via = Literal["party_committee", "superior"]


@dataclass(frozen=True)
class Seat:
    """Where an actor sits relative to the initiative: the organisation `place` names (or
    the party committee or superior of it the directory gives, `via`), and the roles there
    (in the order the documents name them)."""

    place: Place
    roles: tuple[Role, ...]
    via: Via | None = None

    def organisation_id(self, initiative: InitiativeCore) -> UUID | None:
        """The organisation `place` names on the initiative (before `via`); None when it
        names none yet."""
        if self.place == "addressee":
            return initiative.addressee_id
        if self.place == "authority":
            return initiative.authority_id or initiative.addressee_id
        if self.place == "approving":
            return initiative.authority_id
        return initiative.employing_organisation_id


@dataclass(frozen=True)
class Who:
    """Candidate positions relative to the initiative, and how the documents say it: `{}`
    stands for whom the command's actor rules narrow it to ("anyone" otherwise). A Who made
    of `seats` takes its positions from them (`command_positions.seated`), the first seat
    being who is asked first."""

    description: str
    positions: Positions
    named_by: str | None = None  # the body field naming the organisation that acts
    seats: tuple[Seat, ...] = ()


@dataclass(frozen=True)
class States:
    """The statuses a command is allowed in (None: any); a command whose body names a phase
    may be allowed in other statuses for each phase."""

    statuses: tuple[Status, ...] | None
    name: str = ""  # what the documents call the set, when it has a name
    phases: tuple[tuple[Phase, tuple[Status, ...]], ...] = ()

    @classmethod
    def of(cls, statuses: Iterable[Status], name: str = "") -> States:
        """A set (listed in lifecycle order) or a tuple (listed as written)."""
        if isinstance(statuses, frozenset | set):
            return cls(tuple(s for s in Status if s in statuses), name)
        return cls(tuple(statuses), name)

    @classmethod
    def by_phase(cls, phases: Mapping[Phase, Iterable[Status]]) -> States:
        """Each phase's statuses; without a phase, any of them."""
        each = tuple((phase, cls.of(allowed).statuses or ()) for phase, allowed in phases.items())
        union = {s for _, allowed in each for s in allowed}
        return cls(cls.of(union).statuses, phases=each)

    def refusal(
        self, status: Status, verb: CommandWords, body: Body | None
    ) -> WrongStateError | None:
        """Why a command is not allowed in `status` (for the body's phase), or None."""
        allowed, phase = self.statuses, None
        if self.phases and body is not None and body.get("phase") is not None:
            phase = Phase(body["phase"])
            allowed = dict(self.phases)[phase]
        if allowed is None or status in allowed:
            return None
        if phase:
            return WrongStateError(
                "cannot {verb} an initiative that is {status} in the {phase} phase",
                verb=verb,
                status=status,
                phase=phase,
            )
        return WrongStateError(
            "cannot {verb} an initiative that is {status}", verb=verb, status=status
        )

    @property
    def text(self) -> str:
        """The statuses as the API document lists them."""
        if self.name:
            return self.name
        if self.phases:
            return "; ".join(f"{p} phase: {', '.join(s)}" for p, s in self.phases)
        return ", ".join(self.statuses) if self.statuses is not None else "any state"


ANY_STATE = States(None)


@dataclass(frozen=True)
class ActorRule:
    """What the actor must be to the initiative (`who`: a proposer, an assignee) or must never
    be (`never`, a sentence of the API document); `refusal` names the command's `{verb}`. A
    rule that names people (`naming`) says who they are (`people`) and what they are to the
    initiative (`relations`: `proposer`, `assignee`)."""

    holds: Callable[[InitiativeCore, UUID, Body | None], bool]
    refusal: str
    who: str = ""
    never: str = ""
    people: Callable[[InitiativeCore], list[UUID]] | None = None
    relations: tuple[str, ...] = ()


def naming(
    people: Callable[[InitiativeCore], list[UUID]],
    relations: tuple[str, ...],
    refusal: str,
    who: str,
) -> ActorRule:
    """A rule that the actor is one of `people` of the initiative."""
    return ActorRule(
        lambda i, person, body: person in people(i),
        refusal,
        who=who,
        people=people,
        relations=relations,
    )


@dataclass(frozen=True)
class Fact:
    """A fact the initiative must have on record: a condition the documents state, the
    refusal (409) when it is missing, and the command that records it (`recorded_by`, a
    registry name), where one does."""

    description: str
    holds: Callable[[InitiativeCore], bool]
    refusal: str | Message
    recorded_by: str = ""


def holds_any(person_id: UUID, candidates: Iterable[Candidate], day: date) -> bool:
    """Whether the person held one of the candidate positions on `day`."""
    return any(
        any(p.role in roles for p in org.positions_held(person_id, day))
        for org, roles in candidates
    )


# What the actor must be ----------------------------------------------------------------------


def _assignees(i: InitiativeCore) -> list[UUID]:
    return i.approval.assignees if i.approval else []


def _not_the_author(i: InitiativeCore, person: UUID, body: Body | None) -> bool:
    """Not the author of the correction the body names (of some pending one, without it)."""
    pending = i.pending_corrections
    named = body.get("correction_version") if body is not None else None
    if named in pending:
        return pending[named].proposed_by != str(person)
    return body is not None or any(p.proposed_by != str(person) for p in pending.values())


def _proposers(i: InitiativeCore) -> list[UUID]:
    return list(i.proposer_ids)


def _assignees_or_proposers(i: InitiativeCore) -> list[UUID]:
    return list(dict.fromkeys([*_assignees(i), *i.proposer_ids]))


PROPOSER = naming(
    _proposers, ("proposer",), msg("only a proposer may {verb} this initiative"), "a proposer"
)
ASSIGNEE = naming(
    _assignees,
    ("assignee",),
    msg("only an assignee of the approval may {verb} this initiative"),
    "an assignee",
)
PROPOSER_OR_ASSIGNEE = naming(
    _assignees_or_proposers,
    ("assignee", "proposer"),
    msg("only an assignee of the approval or a proposer may {verb} this initiative"),
    "an assignee or proposer",
)
NOT_PROPOSER = ActorRule(
    lambda i, person, body: person not in i.proposer_ids,
    msg("a proposer cannot {verb} their own initiative"),
    never="Never a proposer of the initiative",
)
NOT_THE_AUTHOR = ActorRule(
    _not_the_author,
    msg("a correction is countersigned by someone other than its author"),
    never="Never the correction's author",
)


# What must be on record ----------------------------------------------------------------------


def _outcome_completed(i: InitiativeCore) -> bool:
    return (
        i.status in EVALUATED and i.evaluation is not None and i.evaluation.outcome == "completed"
    )


def outcome_completed(what: str) -> Fact:
    """An evaluation with the outcome `completed`, which `what` needs (Art. 10)."""
    return Fact(
        "the initiative is evaluated with the outcome completed",
        _outcome_completed,
        Message("{what} need an evaluation with the outcome 'completed'", what=what),
    )


def _decision_facts(
    phase: Phase, since: str, meeting: str, *, opinion_since: bool
) -> tuple[Fact, Fact]:
    """The party committee's opinion of `phase` (Art. 4) and the leadership meeting (`meeting`
    says which) that the decision of that phase needs, each recorded since `since` (the
    opinion's description says so where `opinion_since`)."""
    return (
        Fact(
            f"the party committee's {phase}-phase opinion is on record"
            + (f" since {since}" if opinion_since else ""),
            lambda i: phase.value in i.party_opinions,
            Message(
                "{phase} needs the same-level party committee's opinion (Art. 4); none is"
                " recorded since {since}",
                phase=phase,
                since=since,
            ),
            recorded_by="give_party_opinion",
        ),
        Fact(
            f"a leadership meeting is on record since {since}",
            lambda i: i.last_meeting is not None,
            Message(
                "{phase} needs {meeting}; none is recorded since {since}",
                phase=phase,
                meeting=meeting,
                since=since,
            ),
            recorded_by="hold_leadership_meeting",
        ),
    )


APPROVAL_OPINION, APPROVAL_MEETING = _decision_facts(
    Phase.APPROVAL,
    msg("the proposal last changed"),
    msg("a leadership meeting (Art. 8)"),
    opinion_since=True,
)
EVALUATION_OPINION, EVALUATION_MEETING = _decision_facts(
    Phase.EVALUATION,
    msg("the result was reported"),
    msg("a leadership meeting without proposer-deputies (Art. 11)"),
    opinion_since=False,
)
GROUNDS_DECLARED = Fact(
    "the proposal declares its grounds",
    lambda i: declares_grounds(i.proposal),
    msg(
        "the proposal carries no declaration of grounds (it was submitted before the declaration"
        " was required): the proposer adds it by an amendment"
    ),
    recorded_by="amend",
)
URGENT_GROUNDS_DECLARED = Fact(
    "the urgent report declares its grounds",
    lambda i: declares_grounds(i.urgent),
    msg(
        "the urgent report carries no declaration of grounds (it was reported before the"
        " declaration was required): refuse it, and the situation is reported again"
    ),
)
URGENT_PATH = Fact(
    "the initiative was drafted on the urgent path",
    lambda i: i.regime is Regime.URGENT,
    msg("only an initiative drafted on the urgent path can be reported"),
)
NOT_ACTED = Fact(
    "the cadre has not acted yet",
    lambda i: i.urgent.get("acted_on") is None,
    msg("the cadre already acted: ratify or refuse what was done"),
)
ACTED = Fact(
    "the cadre has already acted",
    lambda i: i.urgent.get("acted_on") is not None,
    msg("the cadre has not acted yet: authorize or refuse"),
)
UNCLAIMED_REPLICATION = Fact(
    "a replicated initiative whose proposers are not named yet",
    lambda i: i.parent_id is not None and not i.proposer_ids,
    msg("only a replicated initiative without proposers has its proposers named"),
)
APPROVAL_ON_RECORD = Fact(
    "an approval or urgent authorization is on record",
    lambda i: i.approval is not None,
    msg("protection needs an approval or urgent authorization on record"),
)
PROTECTION_REQUESTED = Fact(
    "a protection request is on record",
    lambda i: bool(i.protection.requests),
    msg("a liability outcome follows a protection request"),
)
PENDING_CORRECTION = Fact(
    "a correction awaits a countersignature",
    lambda i: bool(i.pending_corrections),
    msg("no correction awaits a countersignature"),
)


# Requests of the record that await their decision: an obstacle, an adjustment, a replication.


def _awaiting(
    description: str, requests: Callable[[InitiativeCore], Mapping[str, Pending]], refusal: str
) -> Fact:
    """That one of the initiative's `requests` (its obstacles, adjustments, replications)
    still awaits its decision."""
    return Fact(description, lambda i: any(r.pending for r in requests(i).values()), refusal)


OPEN_OBSTACLE = _awaiting("an obstacle is open", lambda i: i.obstacles, msg("no obstacle is open"))
PENDING_ADJUSTMENT = _awaiting(
    "an adjustment request awaits a decision",
    lambda i: i.adjustments,
    msg("no adjustment request is waiting for a decision"),
)
PENDING_REPLICATION = _awaiting(
    "a replication proposal awaits approval",
    lambda i: i.replications,
    msg("no replication proposal is waiting for approval"),
)


# The command ---------------------------------------------------------------------------------

# A path segment is the command's name without a leading verb of these (the POST says it).
PATH_VERBS = ("give_", "hold_", "record_", "consider_")


@dataclass(frozen=True)
class Command:
    """One command, declared once (see `domain/commands.py`)."""

    name: str  # the aggregate's (and the application's) method
    who: Who
    act: str  # authorisation refusals: "…, which is needed to {act}"
    verb: str  # the aggregate's refusals: "cannot {verb} an initiative that is …"
    states: States
    summary: str  # the API document's
    schema: str  # the request schema's name in web.schemas
    actor: tuple[ActorRule, ...] = ()
    facts: tuple[Fact, ...] = ()
    derive: Derive | None = None  # arguments the aggregate needs from the directory
    check: Check | None = None  # the body against the directory, once the guards passed
    segment: str = ""  # the URL path segment, when the name does not give it

    def __post_init__(self) -> None:
        if any(r.who for r in self.actor) and "{}" not in self.who.description:
            raise ValueError(f"{self.name}: an actor rule narrows a Who that names no one")

    @property
    def path(self) -> str:
        """`request-clarification`; `party-opinion` for `give_party_opinion`."""
        verb = next((v for v in PATH_VERBS if self.name.startswith(v)), "")
        return self.segment or self.name.removeprefix(verb).replace("_", "-")

    def refusal(
        self, initiative: InitiativeCore, person_id: UUID, body: Body | None = None
    ) -> DomainError | None:
        """Why the initiative refuses this person the command now, or None: the states, the
        actor rules, then the facts (the positions are the application's)."""
        refused = self.states.refusal(initiative.status, CommandWords(self.verb, self.name), body)
        if refused is not None:
            return refused
        for rule in self.actor:
            if not rule.holds(initiative, person_id, body):
                return ForbiddenError(rule.refusal, verb=CommandWords(self.verb, self.name))
        for fact in self.facts:
            if not fact.holds(initiative):
                return WrongStateError(fact.refusal)
        return None

    def arguments(self, body: Body) -> dict[str, object]:
        """The body as the aggregate takes it: without the organisation the Who reads."""
        return {k: v for k, v in body.items() if k != self.who.named_by}

    @property
    def who_text(self) -> str:
        """Who may, as the API document says it."""
        noun = next((r.who for r in self.actor if r.who), "anyone")
        never = [r.never for r in self.actor if r.never]
        return ". ".join([self.who.description.format(noun), *never])

    @property
    def when_text(self) -> str:
        """When it is allowed, as the API document says it."""
        facts = " and ".join(f.description for f in self.facts)
        if not facts:
            return self.states.text
        if self.states.statuses is None:
            return facts
        return f"{self.states.text}. Only when {facts}"
