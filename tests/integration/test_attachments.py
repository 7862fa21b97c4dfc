"""The attachments' store (projections/attachments.py) on both backends: each document kept once
under the SHA-256 of its bytes, read back byte for byte; the media type from the first bytes."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from projections.attachments import AttachmentStore, file_name, sniff
from projections.db import Database

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_a_document_is_kept_once_under_its_digest_and_read_back_whole(db: Database) -> None:
    store = AttachmentStore(db)
    first = store.add(PDF, "application/pdf", "person-1", AT, None)
    again = store.add(PDF, "application/pdf", "person-2", AT.replace(hour=9), None)
    digest = hashlib.sha256(PDF).hexdigest()
    assert first == again
    assert first.as_dict() == {
        "sha256": digest,
        "media_type": "application/pdf",
        "size": len(PDF),
        "signatures": None,
    }
    assert (first.uploaded_by, first.uploaded_at) == ("person-1", AT.isoformat())
    assert store.content(digest) == PDF
    assert db.query("SELECT COUNT(*) AS n FROM attachments")[0]["n"] == 1
    assert file_name(digest, "application/pdf") == f"{digest}.pdf"


def test_an_unknown_or_malformed_digest_finds_nothing(db: Database) -> None:
    store = AttachmentStore(db)
    assert store.find("0" * 64) is None
    assert store.content("0" * 64) is None
    assert store.find("not a digest'; DROP TABLE attachments; --") is None


def test_the_media_type_is_read_from_the_first_bytes_only() -> None:
    assert sniff(PDF) == "application/pdf"
    assert sniff(b"\x89PNG\r\n\x1a\n\x00\x00") == "image/png"
    assert sniff(b"\xff\xd8\xff\xe0\x00\x10JFIF") == "image/jpeg"
    assert sniff(b"GIF89a") is None
    assert sniff(b"<html>%PDF-1.7") is None
    assert sniff(b"") is None
