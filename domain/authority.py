"""Who may act: positions checked against the directory as of the act's day (§5.9)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from domain.directory import Organisation, Person
from domain.errors import ForbiddenError
from domain.messages import Either, Message, msg
from domain.values import Actor
from domain.vocabulary import Role

# When a person holds several qualifying positions, the stamp names the strongest.
PRECEDENCE = list(Role)

ANY_MEMBER = frozenset(Role) - {Role.ADMIN}


def role_names(roles: Iterable[Role]) -> Either:
    """Roles in a sentence: 'head or clerk'."""
    return Either(sorted(roles, key=PRECEDENCE.index))


def authorise(
    person: Person,
    organisation: Organisation,
    roles: Iterable[Role],
    day: date,
    act: str,
) -> Actor:
    """The actor stamp of `person` acting in `organisation` under one of `roles` on `day`."""
    wanted = frozenset(roles)
    held = [p for p in organisation.positions_held(person.id, day) if p.role in wanted]
    if not held:
        raise ForbiddenError(
            "{person} did not hold a {roles} position in {organisation} on {day:%d/%m/%Y},"
            " which is needed to {act}",
            person=person.full_name,
            roles=role_names(wanted),
            organisation=organisation.name,
            day=day,
            act=act,
        )
    position = min(held, key=lambda p: PRECEDENCE.index(p.role))
    return Actor(
        person_id=person.id,
        name=person.full_name,
        role=position.role,
        organisation_id=organisation.id,
    )


def eligible_voters(
    organisation: Organisation, day: date, proposers: Iterable[UUID]
) -> list[UUID]:
    """Head and deputies on `day`, minus any who proposed (Art. 8)."""
    excluded = set(proposers)
    holders = organisation.holders({Role.HEAD, Role.DEPUTY}, day)
    return sorted({p.person_id for p in holders} - excluded, key=str)


def any_holds(organisation: Organisation, people: Iterable[UUID], role: Role, day: date) -> bool:
    """Whether one of `people` held `role` in `organisation` on `day`."""
    holders = {p.person_id for p in organisation.holders({role}, day)}
    return any(person in holders for person in people)


Candidate = tuple[Organisation, frozenset[Role]]


def authorise_any(person: Person, candidates: Iterable[Candidate], day: date, act: str) -> Actor:
    """The stamp of the first candidate position `person` held on `day`, else refuse."""
    tried = []
    for organisation, roles in candidates:
        if any(p.role in roles for p in organisation.positions_held(person.id, day)):
            return authorise(person, organisation, roles, day, act)
        tried.append(
            Message(
                "a {roles} position in {organisation}",
                roles=role_names(roles),
                organisation=organisation.name,
            )
        )
    raise ForbiddenError(
        "{person} did not hold {positions} on {day:%d/%m/%Y}, which is needed to {act}",
        person=person.full_name,
        positions=Either(tried) if tried else msg("a position"),
        day=day,
        act=act,
    )
