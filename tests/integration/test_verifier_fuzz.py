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


@pytest.mark.parametrize("index", [float("inf"), 1e400, 6.0, True, "6", None])
def test_an_authority_event_whose_index_is_not_an_integer_is_refused(
    stored_app: LedgerApplication,
    db: Database,
    signer: Signer,
    sealed: dict[str, Any],
    index: Any,
) -> None:
    """Found by the test above (seed 965680907): an authority event's leaf index of Infinity
    (JSON's 1e400 reads as it) made the verifier fail with OverflowError; a number with a
    point was taken for the integer it rounds to. Each is refused, saying which field."""
    original = receipt(stored_app, db, sealed["id"], 6)
    assert original["authority"]["events"], "the receipt proves its actor's authority"
    forged = changed(original, ("authority", "events", 0, "index"), index, False)
    with pytest.raises(VerificationError) as refused:
        verify_receipt(forged, trusted(signer))
    assert str(refused.value) == (
        "the authority proof is malformed: an event of the authority proof: 'index' is"
        " missing or not a int"
    )
