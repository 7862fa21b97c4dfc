"""The documents a decision refers to: uploaded once, kept by the SHA-256 of their bytes.

`sniff` says what a file is from its first bytes (PDF, PNG, JPEG; the type a client claims is
not trusted); `AttachmentStore` keeps each file once per digest in the `attachments` table
(BYTEA on PostgreSQL, a BLOB on SQLite) — or, with an S3-compatible store configured
(projections/attachment_objects.py), its bytes there under `sha256/<digest>` and the row's
`content` NULL — and reads one back, bounded by the upload limit, checked to hash to its digest
(`AlteredDocumentError` otherwise: never served). Nothing updates or deletes a row: the same
bytes uploaded again answer the row there.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from projections.attachment_objects import ObjectStore, ObjectStoreError
from projections.db import Database
from projections.ledger.documents import FOLDER, member_name

# The media types accepted, by the bytes a file of each kind starts with.
MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
DIGEST = re.compile(r"^[0-9a-f]{64}$")


def sniff(content: bytes) -> str | None:
    """The media type `content`'s first bytes say it is, or None (not one accepted)."""
    return next((kind for magic, kind in MAGIC if content.startswith(magic)), None)


def digest_of(content: bytes) -> str:
    """The SHA-256 of `content`, 64 lowercase hex digits (what an event refers to)."""
    return hashlib.sha256(content).hexdigest()


def file_name(sha256: str, media_type: str) -> str:
    """`<sha256>.<ext>`: the document's name in a download and in a dossier."""
    return member_name(sha256, media_type).removeprefix(FOLDER)


@dataclass(frozen=True)
class Attachment:
    """What is known of a stored document, without its bytes."""

    sha256: str
    media_type: str
    size: int
    uploaded_at: str
    uploaded_by: str
    signatures: dict[str, Any] | None

    def reference(self) -> dict[str, Any]:
        """What an event records of it: the digest, the media type, the size."""
        return {"sha256": self.sha256, "media_type": self.media_type, "size": self.size}

    def as_dict(self) -> dict[str, Any]:
        """The API's answer."""
        return {**self.reference(), "signatures": self.signatures}


COLUMNS = "sha256, media_type, size, uploaded_at, uploaded_by, signatures"


class AlteredDocumentError(ValueError):
    """The bytes kept under a digest are missing or do not hash to it (the store's operator,
    or a fault, changed them): nothing of them is served."""

    def __init__(self, sha256: str) -> None:
        super().__init__(f"document {sha256} is not stored intact")
        self.sha256 = sha256


class AttachmentStore:
    """The attachments table, and the object store that keeps their bytes when one is
    configured (`objects`)."""

    def __init__(self, db: Database, objects: ObjectStore | None = None) -> None:
        self.db = db
        self.objects = objects

    def add(
        self,
        content: bytes,
        media_type: str,
        uploaded_by: str,
        at: datetime,
        signatures: dict[str, Any] | None,
    ) -> Attachment:
        """Keep `content` (already sniffed as `media_type`) under its digest; the row already
        there when the same bytes were uploaded before (its first uploader stays). With an
        object store, the object is put first, then the row written (without the bytes):
        ObjectStoreError when the store fails, and nothing is recorded."""
        sha256 = digest_of(content)
        if self.objects is not None:
            found = self.find(sha256)
            if found is not None:
                return found
            self.objects.put(sha256, content, media_type)
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO attachments (sha256, media_type, size, content, signatures,"
                " uploaded_at, uploaded_by) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (sha256) DO NOTHING",
                (
                    sha256,
                    media_type,
                    len(content),
                    None if self.objects is not None else content,
                    None if signatures is None else json.dumps(signatures, ensure_ascii=False),
                    at.isoformat(),
                    uploaded_by,
                ),
            )
        found = self.find(sha256)
        assert found is not None
        return found

    def find(self, sha256: str) -> Attachment | None:
        """The document's description, or None when none is stored under `sha256`."""
        if not DIGEST.match(sha256):
            return None
        rows = self.db.query(f"SELECT {COLUMNS} FROM attachments WHERE sha256 = ?", (sha256,))
        if not rows:
            return None
        row = rows[0]
        signatures = row["signatures"]
        return Attachment(
            sha256=row["sha256"],
            media_type=row["media_type"],
            size=int(row["size"]),
            uploaded_at=row["uploaded_at"],
            uploaded_by=row["uploaded_by"],
            signatures=None if signatures is None else json.loads(signatures),
        )

    def content(self, sha256: str) -> bytes | None:
        """The document's bytes (from its row, or from the object store when the row holds
        none), or None when no row is stored under `sha256`. AlteredDocumentError when the
        bytes are missing or do not hash to `sha256`; ObjectStoreError when the store fails
        (or is not configured while the row says it keeps the bytes)."""
        if not DIGEST.match(sha256):
            return None
        rows = self.db.query("SELECT content FROM attachments WHERE sha256 = ?", (sha256,))
        if not rows:
            return None
        kept = rows[0]["content"]
        if kept is not None:
            content: bytes | None = bytes(kept)
        elif self.objects is None:
            raise ObjectStoreError(
                f"document {sha256} is kept in an object store, and none is configured"
                " (ATTACHMENT_S3_*)"
            )
        else:
            content = self.objects.get(sha256)
        if content is None or digest_of(content) != sha256:
            raise AlteredDocumentError(sha256)
        return content

    def intact(self, sha256: str) -> bytes | None:
        """The document's bytes when they are stored intact, else None (a dossier then ends
        without being a valid ZIP, naming the event that refers to it)."""
        try:
            return self.content(sha256)
        except AlteredDocumentError:
            return None
