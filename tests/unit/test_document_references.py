"""The documents a dossier's proven events refer to: every reference is checked, not the
first of each document only."""

from __future__ import annotations

import pytest

from projections.ledger.documents import VerificationError, referred

SHA = "ab" * 32


def cites(size: int) -> dict[str, object]:
    return {"attachments": [{"sha256": SHA, "media_type": "application/pdf", "size": size}]}


def test_a_document_cited_twice_is_one_member_with_both_versions() -> None:
    assert referred([(3, cites(10)), (5, cites(10)), (6, {"attachments": None})]) == {
        f"documents/{SHA}.pdf": {
            "sha256": SHA,
            "media_type": "application/pdf",
            "size": 10,
            "versions": [3, 5],
        }
    }


def test_two_events_that_give_one_document_two_sizes_are_refused() -> None:
    with pytest.raises(VerificationError) as refused:
        referred([(3, cites(10)), (5, cites(11))])
    assert str(refused.value) == (
        f"version 5 gives document {SHA} a size of 11 bytes, version 3 10"
    )
