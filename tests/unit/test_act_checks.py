"""An act signature checked once is remembered for exactly the bytes it was checked over: the
same act is not checked again, and any other bytes (an altered body, another signature) are."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from projections.ledger import leaf
from projections.ledger.acts import ActError, ActKeys, Checked, unwrap, wrap
from projections.ledger.note import Signer

TOPIC = "domain.initiative:Initiative.Drafted"


@pytest.fixture
def keys() -> ActKeys:
    return ActKeys.of(Signer.generate("acts.example/test"))


def record(keys: ActKeys, body: bytes = b'{"title":"A"}') -> leaf.StoredRecord:
    aggregate = uuid.UUID(int=7)
    return leaf.StoredRecord(aggregate, 1, TOPIC, keys.sign(aggregate, 1, TOPIC, body))


def test_an_act_checked_once_is_remembered(keys: ActKeys) -> None:
    act = record(keys)
    assert keys.open(act) == b'{"title":"A"}'
    assert len(keys._checked._seen) == 1
    assert keys.open(act) == b'{"title":"A"}'
    assert len(keys._checked._seen) == 1


def test_other_bytes_are_checked_even_after_the_act_was(keys: ActKeys) -> None:
    act = record(keys)
    keys.open(act)
    unwrapped = unwrap(act.state)
    assert unwrapped is not None
    key_id, signature, _body = unwrapped
    altered = replace(act, state=wrap(b'{"title":"B"}', key_id, signature))
    with pytest.raises(ActError, match="invalid act signature"):
        keys.open(altered)
    forged = replace(act, state=wrap(b'{"title":"A"}', key_id, bytes(64)))
    with pytest.raises(ActError, match="invalid act signature"):
        keys.open(forged)
    moved = replace(act, version=2)  # the same bytes as another version of the initiative
    with pytest.raises(ActError, match="invalid act signature"):
        keys.open(moved)
    assert len(keys._checked._seen) == 1, "a refused act is not remembered"


def test_the_oldest_checks_are_forgotten_first() -> None:
    checked = Checked(2)
    for n in (1, 2, 3):
        checked.add((n, b"s", b"m"))
    assert (1, b"s", b"m") not in checked
    assert (2, b"s", b"m") in checked  # and now the most recently used
    checked.add((4, b"s", b"m"))
    assert (2, b"s", b"m") in checked
    assert (3, b"s", b"m") not in checked
