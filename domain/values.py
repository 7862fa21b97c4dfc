"""Value types shared by the aggregates: roles, kinds, the actor stamp, local dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.errors import InvalidError
from domain.initiative_payloads import DocumentRef
from domain.vocabulary import Role

# Indochina Time has no daylight saving: a fixed offset needs no tz database.
VIETNAM_TZ = timezone(timedelta(hours=7), "ICT")

# Namespace of the deterministic ids derived from directory keys.
KEY_NAMESPACE = uuid5(NAMESPACE_URL, "urn:initiative-ledger:directory")


@dataclass(frozen=True)
class Actor:
    """Who performed an act and under which position: set by the service, never the client."""

    person_id: UUID
    name: str
    role: Role
    organisation_id: UUID

    def as_dict(self) -> dict[str, str]:
        """The stored form of the stamp (plain JSON values)."""
        return {
            "person_id": str(self.person_id),
            "name": self.name,
            "role": self.role.value,
            "organisation_id": str(self.organisation_id),
        }

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Actor:
        """Rebuild the stamp from its stored form."""
        return cls(
            person_id=UUID(data["person_id"]),
            name=data["name"],
            role=Role(data["role"]),
            organisation_id=UUID(data["organisation_id"]),
        )


@dataclass(frozen=True, kw_only=True)
class Context:
    """The circumstances of one command: who asks, when (server clock) and which request (each
    named where a context is made)."""

    person_id: UUID
    at: datetime
    request_id: str
    # The documents the request refers to (checked to be stored by the web layer), recorded
    # in the event of an act that rests on documents (initiative_events.DOCUMENTED).
    documents: tuple[DocumentRef, ...] = ()

    @property
    def local_date(self) -> date:
        """The calendar day in Vietnam at which the command is made."""
        return local_date(self.at)

    def stamp(self, actor: Actor) -> dict[str, Any]:
        """What the event of an act carries besides its own fields: the actor's stamp, the
        request, and the moment (the event's timestamp)."""
        return {"actor": actor.as_dict(), "request_id": self.request_id, "timestamp": self.at}


def local_date(moment: datetime) -> date:
    """The calendar day in Vietnam of an aware moment."""
    return moment.astimezone(VIETNAM_TZ).date()


def utc_now() -> datetime:
    """The server clock, in UTC."""
    return datetime.now(tz=UTC)


def organisation_id(key: str) -> UUID:
    """The id of the organisation whose directory key is `key`."""
    return uuid5(KEY_NAMESPACE, f"organisation:{key}")


def person_id(key: str) -> UUID:
    """The id of the person whose directory key is `key`."""
    return uuid5(KEY_NAMESPACE, f"person:{key}")


def require_text(value: str, field: str) -> str:
    """Refuse empty or blank text."""
    if not value or not value.strip():
        raise InvalidError("{field} must not be empty", field=field)
    return value


def require_texts(**values: str) -> dict[str, str]:
    """`values` by field name, each refused when empty or blank (in their order)."""
    return {field: require_text(value, field) for field, value in values.items()}


def detached(value: object) -> object:
    """`value` with every list, dict and set in it copied, the frozen values shared: what an
    aggregate's `__deepcopy__` needs of its state (`Initiative`, `DirectoryEntry`), whose state
    changes replace frozen values and change only lists, dicts and sets in place."""
    if isinstance(value, list):
        return [detached(v) for v in value]
    if isinstance(value, dict):
        return {k: detached(v) for k, v in value.items()}
    if isinstance(value, set):
        return set(value)
    return value
