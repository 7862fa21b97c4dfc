"""The leaf format: a versioned, unambiguous encoding of one stored event (docs/ledger.md).

    leaf_input = 0x01                          format version 1
              || aggregate id                   16 bytes (the UUID's bytes, big-endian)
              || uint64 big-endian              the event's version in its aggregate
              || uint32 big-endian || topic     length-prefixed UTF-8 topic
              || uint32 big-endian || state     length-prefixed stored state, byte for byte

Every variable part carries its length, so no two different records share an encoding.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from typing import Any
from uuid import UUID

VERSION = 1


class LeafFormatError(ValueError):
    """Bytes that are not a leaf of a known format."""


@dataclass(frozen=True)
class StoredRecord:
    """What the event store holds for one event, exactly."""

    aggregate_id: UUID
    version: int
    topic: str
    state: bytes


def encode(record: StoredRecord) -> bytes:
    """The bytes hashed as the leaf of `record`."""
    topic = record.topic.encode("utf-8")
    return b"".join(
        (
            bytes([VERSION]),
            record.aggregate_id.bytes,
            struct.pack(">Q", record.version),
            struct.pack(">I", len(topic)),
            topic,
            struct.pack(">I", len(record.state)),
            record.state,
        )
    )


def decode(data: bytes) -> StoredRecord:
    """The record a leaf input encodes; LeafFormatError when it is not exactly one."""
    if not data or data[0] != VERSION:
        raise LeafFormatError("unknown leaf format version")
    try:
        aggregate_id = UUID(bytes=data[1:17])
        (version,) = struct.unpack(">Q", data[17:25])
        (topic_len,) = struct.unpack(">I", data[25:29])
        topic = data[29 : 29 + topic_len].decode("utf-8")
        at = 29 + topic_len
        (state_len,) = struct.unpack(">I", data[at : at + 4])
        state = data[at + 4 : at + 4 + state_len]
    except (struct.error, ValueError) as error:
        raise LeafFormatError(f"malformed leaf input: {error}") from error
    if (
        len(topic.encode()) != topic_len
        or len(state) != state_len
        or at + 4 + state_len != len(data)
    ):
        raise LeafFormatError("the leaf input's lengths do not match its content")
    return StoredRecord(aggregate_id, version, topic, state)


def plain_state(state: bytes) -> dict[str, Any]:
    """A stored state as plain JSON values: transcoded UUIDs, dates and times unwrapped."""
    data: dict[str, Any] = json.loads(state, object_hook=_plain)
    return data


def _plain(obj: dict[str, Any]) -> Any:
    if set(obj) == {"_type_", "_data_"}:
        if obj["_type_"] == "uuid_hex":
            return str(UUID(hex=obj["_data_"]))
        return obj["_data_"]
    return obj


def event_type(topic: str) -> str:
    """The event class name of a topic (`domain.initiative:Initiative.Approved` → Approved)."""
    return topic.rsplit(".", 1)[-1].rsplit(":", 1)[-1]
