"""Who may act: positions checked against the directory as of the act's day (§5.9)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from domain.directory import Organisation, Person
from domain.errors import ForbiddenError
from domain.values import Actor
from domain.vocabulary import Role

# When a person holds several qualifying positions, the stamp names the strongest.
PRECEDENCE = list(Role)

ANY_MEMBER = frozenset(Role) - {Role.ADMIN}


def role_names(roles: Iterable[Role]) -> str:
    """Roles in a sentence: 'head or clerk'."""
    names = sorted((r.value for r in roles), key=lambda n: PRECEDENCE.index(Role(n)))
    return " or ".join(names)


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
            f"{person.full_name} did not hold a {role_names(wanted)} position in"
            f" {organisation.name} on {day:%d/%m/%Y}, which is needed to {act}"
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
        tried.append(f"a {role_names(roles)} position in {organisation.name}")
    raise ForbiddenError(
        f"{person.full_name} did not hold {' or '.join(tried) or 'a position'}"
        f" on {day:%d/%m/%Y}, which is needed to {act}"
    )
