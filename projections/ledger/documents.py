"""The documents a dossier carries (`documents/<sha256>.<ext>`), checked against the events
that refer to them.

An act that rests on documents records each one's SHA-256, media type and size in its event
(`attachments`), so the event's leaf commits to the exact documents. The dossier carries every
document its proven events refer to; the verifier accepts one only when its bytes hash to the
digest a proven event records, with that size and the extension of that media type, and fails
when one referred to is missing or one is there that no proven event refers to."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

FOLDER = "documents/"
EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}


class VerificationError(ValueError):
    """The receipt (or the dossier) does not prove what it claims. Defined here, the
    verifier's lowest module; `projections.ledger.verify` exports it."""


@dataclass(frozen=True)
class VerifiedDocument:
    """A document whose bytes are the ones a proven event refers to."""

    name: str  # documents/<sha256>.<ext>
    sha256: str
    media_type: str
    size: int
    versions: tuple[int, ...]  # the events that refer to it

    def describe(self) -> str:
        """One line, Vietnamese first, then English."""
        versions = ", ".join(str(v) for v in self.versions)
        return (
            f"Văn bản / Document: {self.name} ({self.media_type}, {self.size} bytes) — SHA-256"
            f" khớp sự kiện / matches the event(s) of version {versions}"
        )


def member_name(sha256: str, media_type: str) -> str:
    """The document's member in a dossier."""
    return f"{FOLDER}{sha256}.{EXTENSIONS.get(media_type, 'bin')}"


def referred(contents: Iterable[tuple[int, Mapping[str, Any]]]) -> dict[str, dict[str, Any]]:
    """The documents the events (version, content) refer to, by member name: digest, media
    type, size and the versions that refer to it. A malformed reference is a VerificationError."""
    found: dict[str, dict[str, Any]] = {}
    for version, content in contents:
        for reference in content.get("attachments") or []:
            try:
                sha256, kind, size = (
                    str(reference["sha256"]),
                    str(reference["media_type"]),
                    int(reference["size"]),
                )
            except (KeyError, TypeError, ValueError) as error:
                raise VerificationError(f"version {version} refers to a document badly") from error
            entry = found.setdefault(
                member_name(sha256, kind),
                {"sha256": sha256, "media_type": kind, "size": size, "versions": []},
            )
            if entry["size"] != size:  # each reference's size is checked, not the first's
                raise VerificationError(
                    f"version {version} gives document {sha256} a size of {size} bytes,"
                    f" version {entry['versions'][0]} {entry['size']}"
                )
            entry["versions"].append(version)
    return found


def verify_documents(
    files: Mapping[str, bytes], contents: Iterable[tuple[int, Mapping[str, Any]]]
) -> list[VerifiedDocument]:
    """Every document the proven events refer to is in `files` with the bytes they record,
    and no other document is: the verified documents, by name."""
    wanted = referred(contents)
    present = {name for name in files if name.startswith(FOLDER)}
    for name in sorted(present - wanted.keys()):
        raise VerificationError(f"{name} is not a document any proven event refers to")
    verified = []
    for name, entry in sorted(wanted.items()):
        if name not in files:
            raise VerificationError(
                f"{name} is missing: version {entry['versions'][0]} refers to it"
            )
        content = files[name]
        if hashlib.sha256(content).hexdigest() != entry["sha256"] or len(content) != entry["size"]:
            raise VerificationError(
                f"{name} is not the document version {entry['versions'][0]} refers to: its"
                " bytes do not hash to the digest the event records"
            )
        verified.append(
            VerifiedDocument(
                name, entry["sha256"], entry["media_type"], entry["size"], tuple(entry["versions"])
            )
        )
    return verified
