"""The offline verifier against receipts changed at random: each change is refused with a
VerificationError (never another exception), or changes nothing the verifier prints."""

from __future__ import annotations

import copy
import os
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from domain.application import LedgerApplication
from projections.db import Database
from projections.ledger.note import Signer
from projections.ledger.verify import VerificationError, describe, verify_receipt
from tests.conftest import name_in_summary
from tests.integration.test_ledger import receipt, sealed, trusted

__all__ = ["sealed"]  # the fixture, used by name

SEED = int(os.environ.get("VERIFIER_FUZZ_SEED") or random.SystemRandom().randrange(2**32))
REPLAY = f"VERIFIER_FUZZ_SEED={SEED}"

# Any JSON value, nested a little.
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=6,
)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON document: each key of each object, each item of each list."""
    found: list[tuple[Any, ...]] = []
    if isinstance(value, dict | list):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, child in items:
            found.append((*prefix, key))
            found.extend(paths(child, (*prefix, key)))
    return found


def changed(document: Any, path: tuple[Any, ...], new: Any, remove: bool) -> Any:
    """A copy of `document` with the value at `path` replaced by `new` (or removed)."""
    result = copy.deepcopy(document)
    parent = result
    for key in path[:-1]:
        parent = parent[key]
    if remove:
        del parent[path[-1]]
    else:
        parent[path[-1]] = new
    return result


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

    @settings(
        max_examples=300,
        deadline=None,
        derandomize=False,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
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
