"""The offline verifier against receipts changed at random: each change is refused with a
VerificationError (never another exception), or changes nothing the verifier prints."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, seed
from hypothesis import strategies as st

from domain.application import LedgerApplication
from projections.db import Database
from projections.ledger.note import Signer
from projections.ledger.verify import VerificationError, describe, verify_receipt
from tests.conftest import name_in_summary
from tests.fuzzing import JSON, REPLAY, SEED, changed, forging, paths
from tests.integration.test_ledger import receipt, sealed, trusted

__all__ = ["sealed"]  # the fixture, used by name


def test_a_receipt_changed_anywhere_is_refused_or_proves_the_same(
    request: pytest.FixtureRequest,
    stored_app: LedgerApplication,
    db: Database,
    signer: Signer,
    sealed: dict[str, Any],
) -> None:
    name_in_summary(request, f"random seed of {__name__}: {SEED} (replay: {REPLAY})")
    original = receipt(stored_app, db, sealed["id"], 6)
    keys = trusted(signer)
    proven = describe(verify_receipt(original, keys))
    places = paths(original)

    @forging(300)
    @seed(SEED)
    @given(place=st.sampled_from(places), new=JSON, remove=st.booleans())
    def check(place: tuple[Any, ...], new: Any, remove: bool) -> None:
        forged = changed(original, place, new, remove)
        try:
            verified = verify_receipt(forged, keys)
        except VerificationError:
            return
        assert describe(verified) == proven, (place, new, remove)

    check()
