"""The access log of an initiative: who, as an inspector, opened a reading of its record, and
why. A reading (its id is the request id of the act that opened it) lets that inspector read
the restricted record for a while; reading itself never writes.

Kept apart from the Initiative so that reading never changes the initiative's version (and
never makes a cadre's If-Match stale). One log per initiative, id derived from it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict
from uuid import NAMESPACE_OID, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.values import Actor, Context, require_text


def access_log_id(initiative_id: UUID) -> UUID:
    """The id of the access log of an initiative."""
    return uuid5(NAMESPACE_OID, f"initiative-ledger/access-log/{initiative_id}")


class Access(TypedDict):
    """An entry of the log: when, who (their stamp), what they read and why, and the reading
    (the request id of the act that opened it)."""

    at: datetime
    actor: dict[str, str]
    what: str
    purpose: str
    reading: str


class AccessLog(Aggregate):
    """Readings of one initiative's record by inspection bodies."""

    create_id = staticmethod(access_log_id)  # one per initiative

    class Opened(Aggregate.Created):
        initiative_id: UUID
        employing_organisation_id: UUID

    class Accessed(Aggregate.Event):
        actor: dict[str, str]
        request_id: str
        what: str
        purpose: str

    @event(Opened)
    def __init__(self, initiative_id: UUID, employing_organisation_id: UUID) -> None:
        self.initiative_id = initiative_id
        self.employing_organisation_id = employing_organisation_id
        self.entries: list[Access] = []

    @classmethod
    def open(cls, initiative_id: UUID, employing_organisation_id: UUID, at: datetime) -> AccessLog:
        """Start the log of an initiative."""
        return cls._create(
            cls.Opened,
            initiative_id=initiative_id,
            employing_organisation_id=employing_organisation_id,
            timestamp=at,
        )

    def record(self, actor: Actor, ctx: Context, what: str, purpose: str) -> None:
        """An inspector read `what`, for `purpose` (required)."""
        self.trigger_event(
            self.Accessed, **ctx.stamp(actor), what=what, purpose=require_text(purpose, "purpose")
        )

    @event(Accessed)
    def _accessed(
        self,
        actor: dict[str, str],
        request_id: str,
        what: str,
        purpose: str,
        timestamp: datetime,
    ) -> None:
        self.entries.append(
            {
                "at": timestamp,
                "actor": actor,
                "what": what,
                "purpose": purpose,
                "reading": request_id,
            }
        )
