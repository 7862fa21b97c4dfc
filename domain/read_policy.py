"""Who may read what: an initiative's restricted record or only its public register entry;
which organisations' dashboards; whose cadre records.

The restricted record (state, history, changes, receipts, dossier, access log) is open to the
people an initiative concerns, as of the day of the reading:
  * its proposers and assignees;
  * anyone holding a position in the employing agency, the addressee or the approving authority;
  * heads and deputies of any superior of those organisations;
  * members of those organisations' same-level party committees;
  * inspectors of an inspection body whose superior is above those organisations
    (through superiors or party committees): their jurisdiction;
  * personnel and commendation officers of those organisations or their superiors.
Everyone else with a token sees the public register: title, status, outcome, commendations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any
from uuid import UUID

from domain.directory import Organisation
from domain.initiative import Initiative
from domain.vocabulary import Level, OrganisationKind, Role

FULL = "full"
REGISTER = "register"
LEADERS = frozenset({Role.HEAD, Role.DEPUTY})
PARTY = frozenset({Role.PARTY_COMMITTEE, Role.HEAD, Role.DEPUTY})
OFFICERS = frozenset({Role.PERSONNEL, Role.COMMENDATION})
INSPECTION = frozenset({OrganisationKind.INSPECTION_COMMISSION, OrganisationKind.INSPECTORATE})
WIDE_LEVELS = frozenset({Level.PROVINCE, Level.CENTRAL})

Load = Callable[[UUID], Organisation | None]


def read_level(
    person: UUID,
    affiliations: Iterable[Organisation],
    initiative: Initiative,
    day: date,
    load: Load,
) -> str:
    """`full` or `register` for `person` reading `initiative` on `day`."""
    assignees = initiative.approval.assignees if initiative.approval else []
    if person in initiative.proposer_ids or person in assignees:
        return FULL
    concerned = concerned_organisations(initiative)
    return FULL if oversees(person, affiliations, concerned, day, load) else REGISTER


def oversees(
    person: UUID, affiliations: Iterable[Organisation], concerned: set[UUID], day: date, load: Load
) -> bool:
    """Whether `person` belongs to, leads from above, or inspects one of `concerned`."""
    above = {a for org in concerned for a in _chain(org, load)} - concerned
    committees = {c for org in concerned if (c := _committee(org, load)) is not None}
    for org in affiliations:
        roles = {p.role for p in org.positions_held(person, day)}
        if not roles:
            continue
        if org.id in concerned and roles - {Role.ADMIN}:
            return True
        if org.id in above and roles & (LEADERS | OFFICERS):
            return True
        if org.id in committees and roles & PARTY:
            return True
        if org.kind in INSPECTION and Role.INSPECTOR in roles and org.superior_id is not None:
            reach = {a for c in concerned for a in _chain(c, load) | _party_chain(c, load)}
            if org.superior_id in reach:
                return True
    return False


def concerned_organisations(initiative: Initiative) -> set[UUID]:
    """The organisations an initiative belongs to: employing agency, addressee, authority."""
    return {
        i
        for i in (
            initiative.employing_organisation_id,
            initiative.addressee_id,
            initiative.authority_id,
        )
        if i is not None
    }


def concerns(organisation: Organisation, initiative: Initiative, load: Load) -> bool:
    """Whether `organisation` may act on `initiative` when a command's body names it: one the
    initiative belongs to, a superior of one, their party committees and theirs, or an
    inspection body whose jurisdiction reaches them (docs/authorization.md)."""
    concerned = concerned_organisations(initiative)
    reach = {a for c in concerned for a in _chain(c, load) | _party_chain(c, load)}
    if organisation.id in reach:
        return True
    return organisation.kind in INSPECTION and organisation.superior_id in reach


def system_wide(person: UUID, affiliations: Iterable[Organisation], day: date) -> bool:
    """The named bodies that see every unit: inspectors of a province's (or the centre's)
    inspection commission or inspectorate, personnel officers of a province's (or the
    centre's) organisations, and the leaders of top-level organisations. An inspector or a
    personnel officer of a ward sees only what their jurisdiction reaches."""
    for org in affiliations:
        roles = {p.role for p in org.positions_held(person, day)}
        provincial = org.level in WIDE_LEVELS
        if provincial and org.kind in INSPECTION and Role.INSPECTOR in roles:
            return True
        if provincial and Role.PERSONNEL in roles:
            return True
        if org.superior_id is None and roles & LEADERS:
            return True
    return False


def _chain(start: UUID, load: Load) -> set[UUID]:
    """The organisation and all its superiors."""
    seen: set[UUID] = set()
    current: UUID | None = start
    while current is not None and current not in seen:
        seen.add(current)
        org = load(current)
        current = org.superior_id if org else None
    return seen


def _committee(org_id: UUID, load: Load) -> UUID | None:
    org = load(org_id)
    return org.party_committee_id if org else None


def _party_chain(org_id: UUID, load: Load) -> set[UUID]:
    committee = _committee(org_id, load)
    return _chain(committee, load) if committee else set()


def register_entry(state: dict[str, Any]) -> dict[str, Any]:
    """The public register's view of an initiative's state."""
    return {
        "id": state["id"],
        "version": state["version"],
        "title": state["title"],
        "regime": state["regime"],
        "status": state["status"],
        "employing_organisation_id": state["employing_organisation_id"],
        "outcome": (state.get("evaluation") or {}).get("outcome"),
        "commendations": [
            {"form": c["form"], "on": c["on"]}
            for c in state.get("recognition", {}).get("commendations", [])
        ],
        "register_only": True,
    }
