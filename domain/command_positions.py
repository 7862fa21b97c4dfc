"""Who may act on an initiative — candidate positions *relative to the initiative*, read
from the directory as of the day — and the few steps of a command that need the directory
beyond them (the addressee of a submission, the voters of a meeting, the people an approval
assigns). The registry (`domain/commands.py`) names these; the application evaluates them.

Most Whos are seats (`Seat`: an organisation the initiative names, or its party committee or
superior, and the roles there), declared once: the application reads their positions from the
directory (`seated`), and the views say who must act next from the same seats without it
(`domain/awaited.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from domain.authority import ANY_MEMBER, Candidate, any_holds, eligible_voters
from domain.command_rules import Asking, Body, Lookups, Positions, Seat, Who
from domain.directory import Organisation
from domain.errors import ConflictError, ForbiddenError, InvalidError, WrongStateError
from domain.values import Actor, Context, organisation_id
from domain.vocabulary import OrganisationKind, Role, SuccessionKind

if TYPE_CHECKING:
    from domain.initiative import Initiative

HEAD = frozenset({Role.HEAD})
CLERK = frozenset({Role.CLERK})
# The roles of a seat, in the order the documents name them.
HEAD_ONLY = (Role.HEAD,)
CLERK_ONLY = (Role.CLERK,)
PARTY_SEAT = (Role.PARTY_COMMITTEE, Role.HEAD, Role.DEPUTY)
ANY_SEAT = tuple(r for r in Role if r in ANY_MEMBER)
INSPECTION_BODIES = frozenset(
    {OrganisationKind.INSPECTION_COMMISSION, OrganisationKind.INSPECTORATE}
)

# Positions relative to the initiative --------------------------------------------------------


def employer(d: Lookups, i: Initiative) -> Organisation:
    """The employing agency."""
    return d.organisation(i.employing_organisation_id, None)


def addressee(d: Lookups, i: Initiative) -> Organisation:
    """The organisation the proposal (or urgent report) was sent to."""
    if i.addressee_id is None:
        raise WrongStateError("the initiative has not been submitted")
    return d.organisation(i.addressee_id, None)


def authority(d: Lookups, i: Initiative) -> Organisation:
    """The organisation that approved; before approval, the addressee."""
    return d.organisation(i.authority_id, None) if i.authority_id else addressee(d, i)


def superior(d: Lookups, org: Organisation) -> Organisation | None:
    """The organisation's superior, if it has one."""
    return d.organisation(org.superior_id, None) if org.superior_id else None


def seat_organisation(
    d: Lookups, i: Initiative, seat: Seat, asking: Asking
) -> Organisation | None:
    """The organisation of a seat, from the directory; None when the initiative names none
    yet (an approving authority before approval) or the directory gives none (a superior).
    A seat of the addressee or the deciding authority refuses an initiative not submitted; a
    party committee the directory lacks refuses the act (409), and offers nobody the form."""
    found = seat.organisation_id(i)
    if found is None:
        if seat.place == "approving":
            return None
        raise WrongStateError("the initiative has not been submitted")
    org = d.organisation(found, None)
    if seat.via == "superior":
        return superior(d, org)
    if seat.via == "party_committee":
        if org.party_committee_id is not None:
            return d.organisation(org.party_committee_id, None)
        if asking.body is None:
            return None
        raise ConflictError(
            "{organisation} has no same-level party committee on record", organisation=org.name
        )
    return org


def seated(*seats: Seat) -> Positions:
    """The candidate positions of `seats`, in order, each organisation and roles once."""

    def positions(d: Lookups, i: Initiative, asking: Asking) -> list[Candidate]:
        found: list[Candidate] = []
        for seat in seats:
            org = seat_organisation(d, i, seat, asking)
            roles = frozenset(seat.roles)
            if org is not None and all((o.id, r) != (org.id, roles) for o, r in found):
                found.append((org, roles))
        return found

    return positions


def seats(description: str, *where: Seat) -> Who:
    """A Who of seats: its positions are theirs."""
    return Who(description, seated(*where), seats=where)


DECIDING_HEAD = Seat("authority", HEAD_ONLY)
DECIDING_PARTY = Seat("authority", PARTY_SEAT, via="party_committee")
DECIDING_SUPERIORS_HEAD = Seat("authority", HEAD_ONLY, via="superior")

# The head of the approving authority (before approval, of the addressee).
authority_head = seated(DECIDING_HEAD)
# The head of the approving authority, or of its superior.
authority_or_superior_head = seated(DECIDING_HEAD, DECIDING_SUPERIORS_HEAD)
# Members of the approving authority's same-level party committee; a directory without one
# refuses the act (409), and offers nobody the form.
party = seated(DECIDING_PARTY)
# Anyone holding a position in the employing agency or the approving authority.
members = seated(Seat("employer", ANY_SEAT), Seat("approving", ANY_SEAT))


def inspectors(d: Lookups, person_id: UUID) -> list[Candidate]:
    """The inspection bodies in which this person holds or held a position."""
    return [
        (org, frozenset({Role.INSPECTOR}))
        for org in d.organisations_of(person_id)
        if org.kind in INSPECTION_BODIES
    ]


def inspectors_over(d: Lookups, i: Initiative, asking: Asking) -> list[Candidate]:
    """The person's inspection bodies whose jurisdiction reaches the initiative (the same
    relation the read policy uses): a ward's inspection commission inspects that ward, not
    another ward or the city's departments."""
    return [(org, roles) for org, roles in inspectors(d, asking.person_id) if d.concerns(org, i)]


def supervisors(d: Lookups, i: Initiative, asking: Asking) -> list[Candidate]:
    """The authority's head or its superior's, its party committee, or an inspector with
    jurisdiction."""
    return [
        *authority_or_superior_head(d, i, asking),
        *party(d, i, asking),
        *inspectors_over(d, i, asking),
    ]


def members_or_inspectors(d: Lookups, i: Initiative, asking: Asking) -> list[Candidate]:
    """Members of the employing agency or the authority, or an inspector with jurisdiction."""
    return [*members(d, i, asking), *inspectors_over(d, i, asking)]


def proposer_or_employer_head(d: Lookups, i: Initiative, asking: Asking) -> list[Candidate]:
    """A proposer holding a position in the employing agency; anyone else as its head."""
    return [(employer(d, i), ANY_MEMBER if asking.person_id in i.proposer_ids else HEAD)]


def replication_approvers(d: Lookups, i: Initiative, asking: Asking) -> list[Candidate]:
    """The head of the approving authority's superior (its own, at the top)."""
    found = authority(d, i)
    return [(superior(d, found) or found, HEAD)]


def countersigners(d: Lookups, i: Initiative, asking: Asking) -> list[Candidate]:
    """The head of the organisation the corrected event was recorded in (of any correction
    awaiting a countersignature, when the body names none of them)."""
    pending = i.pending_corrections
    if not pending:
        raise WrongStateError("no correction awaits a countersignature")
    named = asking.body.get("correction_version") if asking.body is not None else None
    chosen = [pending[named]] if named in pending else pending.values()
    return [(d.organisation(UUID(p.organisation_id), None), HEAD) for p in chosen]


def original_actor(d: Lookups, i: Initiative, asking: Asking) -> list[Candidate]:
    """The person who recorded the corrected event, in the organisation it was recorded in
    (any event they recorded, when there is no body)."""
    acts = d.acts(i.id)
    mine = [a for a in acts.values() if a.get("person_id") == str(asking.person_id)]
    if asking.body is None:
        where = dict.fromkeys(a["organisation_id"] for a in mine)
        return [(d.organisation(UUID(o), None), ANY_MEMBER) for o in where]
    if not mine:
        raise ForbiddenError("only the person who recorded an event may correct it")
    version = asking.body.get("corrected_version")
    original = acts.get(version) if isinstance(version, int) else None
    if original is None:
        raise InvalidError("no event at version {version}", "corrected_version", version=version)
    return [(d.organisation(UUID(original["organisation_id"]), None), ANY_MEMBER)]


def named(field: str, roles: Role | frozenset[Role]) -> Positions:
    """The role in the organisation the body names in `field`, which the initiative must
    concern (authority is relative to the initiative, never to the body's word); without a
    body, any organisation concerned by the initiative where the person holds the role."""
    wanted = frozenset({roles}) if isinstance(roles, Role) else roles

    def positions(d: Lookups, i: Initiative, asking: Asking) -> list[Candidate]:
        if asking.body is None:
            mine = d.organisations_of(asking.person_id)
            return [(org, wanted) for org in mine if d.concerns(org, i)]
        if asking.body.get(field) is None:
            raise InvalidError("name the organisation that acts", field)
        org = d.organisation(asking.body[field], field)
        if not d.concerns(org, i):
            raise ForbiddenError(
                "{organisation} is not concerned by this initiative: it may act on it only as"
                " its employing agency, deciding authority, one of their superiors or party"
                " committees, or an inspection body with jurisdiction over them",
                organisation=org.name,
            )
        return [(org, wanted)]

    return positions


# The successor of a merged, split or renamed organisation (domain.md §5.15) -----------------

MERGED = (SuccessionKind.MERGED_INTO,)
# Recorded by the new organisation, naming the old one it comes from.
SUCCEEDS = (SuccessionKind.RENAMED_FROM, SuccessionKind.SPLIT_FROM)


@dataclass(frozen=True)
class Successor:
    """The organisation that succeeds another, how the directory records it, and from when."""

    organisation: Organisation
    relation: SuccessionKind
    effective_on: date


def successor(d: Lookups, old: Organisation, to: UUID | None) -> Successor:
    """The successor of `old` as the directory records it: the organisation it was merged into
    (the latest merger recorded), or the one the body names (`to`) that the directory says it
    was merged into, or renamed or split from it — a split leaves several successors, so the
    one that takes over names itself. 409 when the directory records no such succession."""
    merged = old.successions(*MERGED)
    if to is None:
        if not merged:
            raise ConflictError(
                "{organisation} was not merged into another organisation (the directory"
                " records no merger): after a renaming or a split, name its successor",
                organisation=old.name,
            )
        step = merged[-1]
        into = d.organisation(organisation_id(step.organisation), None)
        return Successor(into, step.relation, step.date)
    new = d.organisation(to, "to_organisation_id")
    for step in merged:
        if organisation_id(step.organisation) == new.id:
            return Successor(new, step.relation, step.date)
    for step in new.successions(*SUCCEEDS):
        if step.organisation == old.key:
            return Successor(new, step.relation, step.date)
    raise ConflictError(
        "the directory records no succession of {old} by {new}: it was neither"
        " merged into it nor renamed or split into it",
        old=old.name,
        new=new.name,
    )


def named_successors(d: Lookups, i: Initiative, person: UUID) -> list[Successor]:
    """The successors of the organisations the initiative names (its employing agency,
    addressee and deciding authority): those they were merged into, and those of the person's
    organisations that the directory says were renamed or split from one of them."""
    named = [d.organisation(o, None) for o in dict.fromkeys(_named_ids(i))]
    found = [
        Successor(
            d.organisation(organisation_id(step.organisation), None), step.relation, step.date
        )
        for old in named
        for step in old.successions(*MERGED)
    ]
    keys = {old.key for old in named}
    found += [
        Successor(org, step.relation, step.date)
        for org in d.organisations_of(person)
        for step in org.successions(*SUCCEEDS)
        if step.organisation in keys
    ]
    return found


def _named_ids(i: Initiative) -> list[UUID]:
    return [o for o in (i.employing_organisation_id, i.addressee_id, i.authority_id) if o]


def successor_heads(d: Lookups, i: Initiative, asking: Asking) -> list[Candidate]:
    """The head of the successor of the organisation the body names (`from_organisation_id`,
    `to_organisation_id`: `successor`); without a body, of the successor of any organisation
    the initiative names, from the day the succession took effect."""
    if asking.body is None:
        return [
            (s.organisation, HEAD)
            for s in named_successors(d, i, asking.person_id)
            if asking.day is None or s.effective_on <= asking.day
        ]
    named = asking.body.get("from_organisation_id")
    if named is None:
        raise InvalidError(
            "name the organisation merged, split or renamed", "from_organisation_id"
        )
    old = d.organisation(named, "from_organisation_id")
    return [(successor(d, old, asking.body.get("to_organisation_id")).organisation, HEAD)]


# Who may act ---------------------------------------------------------------------------------

IN_EMPLOYER = seats("{} holding a position in the employing agency", Seat("employer", ANY_SEAT))
IN_EMPLOYER_OR_AUTHORITY = seats(
    "{} holding a position in the employing agency or the approving authority",
    Seat("employer", ANY_SEAT),
    Seat("approving", ANY_SEAT),
)
RECEIVERS = seats("the addressee's clerk or head", Seat("addressee", (Role.CLERK, Role.HEAD)))
ADDRESSEE_HEAD = seats("the addressee's head", Seat("addressee", HEAD_ONLY))
PARTY_MEMBER = seats(
    "a member of the deciding agency's same-level party committee", DECIDING_PARTY
)
CHAIR = seats("the deciding agency's head (chair)", DECIDING_HEAD)
COMPETENT_HEAD = seats("the competent authority's head", DECIDING_HEAD)
APPROVING_HEAD = seats("the head of the authority that approved", DECIDING_HEAD)
HEAD_OR_SUPERIORS = seats(
    "the approving authority's head or its superior's", DECIDING_HEAD, DECIDING_SUPERIORS_HEAD
)
SUPERVISORS = Who(
    "the approving authority's head or its superior's, a member of its party committee, "
    "or an inspector of a body whose jurisdiction reaches the initiative",
    supervisors,
)
REVIEWERS = seats(
    "the approving authority's head or party committee", DECIDING_HEAD, DECIDING_PARTY
)
PROTECTION_ASKERS = Who(
    "{} holding a position in the employing agency or the approving authority, or an inspector"
    " with jurisdiction",
    members_or_inspectors,
)
EMPLOYER_HEADS = seats(
    "the employing agency's head or its superior's",
    Seat("employer", HEAD_ONLY),
    Seat("employer", HEAD_ONLY, via="superior"),
)
EMPLOYER_HEAD = seats("the employing agency's head", Seat("employer", HEAD_ONLY))
URGENT_REPORTERS = Who(
    "a proposer holding a position in the employing agency (the report goes to its head), or"
    " the employing agency's head (the report goes to the superior agency)",
    proposer_or_employer_head,
)
BODY_CLERK = Who(
    "a clerk of the deciding body (an organisation the initiative concerns)",
    named("body_organisation_id", CLERK),
    named_by="body_organisation_id",
)
AWARDING_OFFICER = Who(
    "a commendation officer of the awarding organisation (one the initiative concerns)",
    named("awarding_organisation_id", Role.COMMENDATION),
    named_by="awarding_organisation_id",
)
PERSONNEL_OFFICER = Who(
    "a personnel officer of an organisation the initiative concerns",
    named("personnel_organisation_id", Role.PERSONNEL),
    named_by="personnel_organisation_id",
)
REPLICATION_APPROVER = Who("the head of the approving authority's superior", replication_approvers)
ORIGINAL_ACTOR = Who(
    "the person who recorded the corrected event, holding a position where they recorded it",
    original_actor,
)
COUNTERSIGNER = Who(
    "the head of the organisation the corrected event was recorded in", countersigners
)
SUCCESSOR_HEAD = Who(
    "the head of the successor of the organisation the body names (`from_organisation_id`, the"
    " initiative's employing agency, addressee or deciding authority): the organisation the"
    " directory says it was merged into, or the one the body names (`to_organisation_id`) that"
    " the directory says was renamed or split from it",
    successor_heads,
)
RECORDS_CLERK = seats(
    "a clerk of the employing agency or the approving authority",
    Seat("employer", CLERK_ONLY),
    Seat("approving", CLERK_ONLY),
)


# What some commands need from the directory ------------------------------------------------


def competent_authority(
    d: Lookups, i: Initiative, ctx: Context, actor: Actor, body: Body
) -> dict[str, object]:
    """The addressee: the employing agency, or its superior when a proposer heads it (Art. 7)."""
    return {"addressee_id": _addressee(employer(d, i), i.proposer_ids, ctx)}


def reporting_authority(
    d: Lookups, i: Initiative, ctx: Context, actor: Actor, body: Body
) -> dict[str, object]:
    """The addressee of an urgent report: as a proposal's, and the superior agency when the
    employing agency's head reports it (the head reports to the competent level above)."""
    return {"addressee_id": _addressee(employer(d, i), [*i.proposer_ids, actor.person_id], ctx)}


def _addressee(agency: Organisation, senders: list[UUID], ctx: Context) -> UUID:
    """The agency, or its superior when one of `senders` heads it on the day."""
    if not any_holds(agency, senders, Role.HEAD, ctx.local_date):
        return agency.id
    if agency.superior_id is None:
        raise ConflictError(
            "what the head proposes or reports goes to the superior agency,"
            " but {agency} has none in the directory",
            agency=agency.name,
        )
    return agency.superior_id


def addressees_superior(
    d: Lookups, i: Initiative, ctx: Context, actor: Actor, body: Body
) -> dict[str, object]:
    """The agency an escalation goes to."""
    above = addressee(d, i).superior_id
    if above is None:
        raise ConflictError("the addressee has no superior agency to escalate to")
    return {"superior_id": above}


def voters(d: Lookups, i: Initiative, ctx: Context, actor: Actor, body: Body) -> dict[str, object]:
    """Who may vote on a day (the deciding agency's head and deputies, no proposer), and how
    many of them make a quorum (the agency's own rule then in force, else more than half)."""
    deciding = authority(d, i)
    return {
        "eligible_voters": lambda day: eligible_voters(deciding, day, i.proposer_ids),
        "quorum": deciding.quorum_on,
    }


def deciding_body(
    d: Lookups, i: Initiative, ctx: Context, actor: Actor, body: Body
) -> dict[str, object]:
    """The name of the body whose decision the clerk records."""
    return {"body": d.organisation(actor.organisation_id, None).name}


def corrected_act(
    d: Lookups, i: Initiative, ctx: Context, actor: Actor, body: Body
) -> dict[str, object]:
    """Who recorded the corrected event, and where."""
    return {"original_actor": d.acts(i.id).get(body.get("corrected_version", 0))}


def employer_staff(
    d: Lookups, i: Initiative, ctx: Context, actor: Actor, body: Body
) -> dict[str, object]:
    """Whether a person holds a position in the employing agency on the command's day."""
    found = employer(d, i)
    return {"in_employer": lambda person: bool(found.positions_held(person, ctx.local_date))}


def succession(
    d: Lookups, i: Initiative, ctx: Context, actor: Actor, body: Body
) -> dict[str, object]:
    """The successor of the organisation the body names, how the directory records the
    succession, and the day it took effect."""
    old = d.organisation(body["from_organisation_id"], "from_organisation_id")
    found = successor(d, old, body.get("to_organisation_id"))
    return {
        "to_organisation_id": found.organisation.id,
        "relation": found.relation.value,
        "effective_on": found.effective_on,
    }


def known_attendees(d: Lookups, body: Body) -> None:
    """Every attendee is a person of the directory."""
    for person in body["attendee_ids"]:
        d.person(person, "attendee_ids")


def known_assignees(d: Lookups, body: Body) -> None:
    """At least one assignee, each a person of the directory."""
    if not body.get("assignee_ids"):
        raise InvalidError("name at least one assignee", field="assignee_ids")
    for person in body["assignee_ids"]:
        d.person(person, "assignee_ids")


def known_targets(d: Lookups, body: Body) -> None:
    """Every target of a replication is an organisation of the directory."""
    for target in body["target_organisation_ids"]:
        d.organisation(target, "target_organisation_ids")
