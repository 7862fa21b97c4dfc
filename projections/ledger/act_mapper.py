"""The eventsourcing mapper of a deployed process: it signs every act it stores and refuses
to decode a stored event that is not an authenticated act (projections.ledger.acts)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.persistence import Mapper, StoredEvent, Transcoder

from projections.ledger.acts import ActKeys, record_of


class ActMapper(Mapper[UUID]):
    """The eventsourcing mapper that signs every new event and refuses unauthenticated ones."""

    def __init__(self, transcoder: Transcoder, keys: ActKeys) -> None:
        super().__init__(transcoder)
        self.keys = keys

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        """Encode and sign."""
        stored = super().to_stored_event(domain_event)
        signed = self.keys.sign(
            UUID(str(stored.originator_id)), stored.originator_version, stored.topic, stored.state
        )
        return StoredEvent(stored.originator_id, stored.originator_version, stored.topic, signed)

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        """Verify the act signature, then decode; ActError when it does not verify."""
        return self.to_sealed_domain_event(stored_event, self.keys.open(record_of(stored_event)))

    def to_sealed_domain_event(self, stored_event: StoredEvent, body: bytes) -> Any:
        """Decode an act from its body, which the caller verified (`ActKeys.open`): the
        signature is not unwrapped and checked a second time."""
        return super().to_domain_event(
            StoredEvent(
                stored_event.originator_id,
                stored_event.originator_version,
                stored_event.topic,
                body,
            )
        )


def keys_of(mapper: Mapper[UUID]) -> ActKeys | None:
    """The act keys an application's mapper checks with; None for a plain mapper."""
    return mapper.keys if isinstance(mapper, ActMapper) else None
