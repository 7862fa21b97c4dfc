"""What the verifier fuzz tests share: the seed (fresh each run, VERIFIER_FUZZ_SEED replays),
any JSON value, the places of a document and a copy changed at one of them, the settings."""

from __future__ import annotations

import copy
import os
import random
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

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


def forging(examples: int) -> settings:
    """Hypothesis' settings for a test that forges documents inside one test's fixtures."""
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
