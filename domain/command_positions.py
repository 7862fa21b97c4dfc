"""Who may act on an initiative — candidate positions *relative to the initiative*, read
from the directory as of the day — and the few steps of a command that need the directory
beyond them (the addressee of a submission, the voters of a meeting, the people an approval
assigns). The registry (`domain/commands.py`) names these; the application evaluates them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from domain.authority import ANY_MEMBER, Candidate, any_holds, eligible_voters
from domain.command_rules import Asking, Body, Lookups, Positions, Who
from domain.directory import Organisation
from domain.errors import ConflictError, ForbiddenError, InvalidError, WrongStateError
from domain.values import Actor, Context
from domain.vocabulary import OrganisationKind, Role

if TYPE_CHECKING:
    from domain.initiative import Initiative

HEAD = frozenset({Role.HEAD})
CLERK = frozenset({Role.CLERK})
PARTY = frozenset({Role.PARTY_COMMITTEE, Role.HEAD, Role.DEPUTY})
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


def in_addressee(roles: frozenset[Role]) -> Positions:
    """Holders of `roles` in the addressee."""
    return lambda d, i, asking: [(addressee(d, i), roles)]


def employer_members(d: Lookups, i: Initiative, asking: Asking) -> list[Candidate]:
    """Anyone holding a position in the employing agency."""
    return [(employer(d, i), ANY_MEMBER)]


def members(d: Lookups, i: Initiative, asking: Asking) -> list[Candidate]:
    """Anyone holding a position in the employing agency or the approving authority."""
    found = [(employer(d, i), ANY_MEMBER)]
    if i.authority_id and i.authority_id != i.employing_organisation_id:
        found.append((authority(d, i), ANY_MEMBER))
    return found


def authority_head(d: Lookups, i: Initiative, asking: Asking) -> list[Candidate]:
    """The head of the approving authority (before approval, of the addressee)."""
    return [(authority(d, i), HEAD)]


def head_or_superiors(d: Lookups, org: Organisation) -> list[Candidate]:
    """The head of `org`, or of its superior (if it has one)."""
    above = superior(d, org)
    return [(org, HEAD)] + ([(above, HEAD)] if above else [])


def authority_or_superior_head(d: Lookups, i: Initiative, asking: Asking) -> list[Candidate]:
    """The head of the approving authority, or of its superior."""
    return head_or_superiors(d, authority(d, i))


def party(d: Lookups, i: Initiative, asking: Asking) -> list[Candidate]:
    """Members of the approving authority's same-level party committee; a directory without
    one refuses the act (409), and offers nobody the form."""
    org = authority(d, i)
    if org.party_committee_id is not None:
        return [(d.organisation(org.party_committee_id, None), PARTY)]
    if asking.body is None:
        return []
    raise ConflictError(f"{org.name} has no same-level party committee on record")


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


def reviewers(d: Lookups, i: Initiative, asking: Asking) -> list[Candidate]:
    """The authority's head or its party committee."""
    return [*authority_head(d, i, asking), *party(d, i, asking)]


def members_or_inspectors(d: Lookups, i: Initiative, asking: Asking) -> list[Candidate]:
    """Members of the employing agency or the authority, or an inspector with jurisdiction."""
    return [*members(d, i, asking), *inspectors_over(d, i, asking)]


def employer_heads(d: Lookups, i: Initiative, asking: Asking) -> list[Candidate]:
    """The head of the employing agency, or of its superior."""
    return head_or_superiors(d, employer(d, i))


def employer_head(d: Lookups, i: Initiative, asking: Asking) -> list[Candidate]:
    """The head of the employing agency."""
    return [(employer(d, i), HEAD)]


def proposer_or_employer_head(d: Lookups, i: Initiative, asking: Asking) -> list[Candidate]:
    """A proposer holding a position in the employing agency; anyone else as its head."""
    return [(employer(d, i), ANY_MEMBER if asking.person_id in i.proposer_ids else HEAD)]


def records_clerks(d: Lookups, i: Initiative, asking: Asking) -> list[Candidate]:
    """A clerk of the employing agency or of the approving authority."""
    return [(org, CLERK) for org, _ in members(d, i, asking)]


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
        raise InvalidError(f"no event at version {version}", "corrected_version")
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
                f"{org.name} is not concerned by this initiative: it may act on it only as its"
                " employing agency, deciding authority, one of their superiors or party"
                " committees, or an inspection body with jurisdiction over them"
            )
        return [(org, wanted)]

    return positions


# Who may act ---------------------------------------------------------------------------------

IN_EMPLOYER = Who("{} holding a position in the employing agency", employer_members)
IN_EMPLOYER_OR_AUTHORITY = Who(
    "{} holding a position in the employing agency or the approving authority", members
)
RECEIVERS = Who("the addressee's clerk or head", in_addressee(frozenset({Role.CLERK, Role.HEAD})))
ADDRESSEE_HEAD = Who("the addressee's head", in_addressee(frozenset({Role.HEAD})))
PARTY_MEMBER = Who("a member of the deciding agency's same-level party committee", party)
CHAIR = Who("the deciding agency's head (chair)", authority_head)
COMPETENT_HEAD = Who("the competent authority's head", authority_head)
APPROVING_HEAD = Who("the head of the authority that approved", authority_head)
HEAD_OR_SUPERIORS = Who(
    "the approving authority's head or its superior's", authority_or_superior_head
)
SUPERVISORS = Who(
    "the approving authority's head or its superior's, a member of its party committee, "
    "or an inspector of a body whose jurisdiction reaches the initiative",
    supervisors,
)
REVIEWERS = Who("the approving authority's head or party committee", reviewers)
PROTECTION_ASKERS = Who(
    "{} holding a position in the employing agency or the approving authority, or an inspector"
    " with jurisdiction",
    members_or_inspectors,
)
EMPLOYER_HEADS = Who("the employing agency's head or its superior's", employer_heads)
EMPLOYER_HEAD = Who("the employing agency's head", employer_head)
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
RECORDS_CLERK = Who("a clerk of the employing agency or the approving authority", records_clerks)


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
            f"what the head proposes or reports goes to the superior agency,"
            f" but {agency.name} has none in the directory"
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
