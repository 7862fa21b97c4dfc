"""An act signature checked once is remembered for exactly the bytes it was checked over: the
same act is not checked again, and any other bytes (an altered body, another signature) are."""

from __future__ import annotations

import os
import signal
import time
import uuid
from dataclasses import replace

import pytest

from projections.ledger import acts, leaf
from projections.ledger.act_checker import ActChecker, ActCheckerError
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


def test_an_act_this_process_signed_is_remembered_as_checked_for_exactly_its_bytes(
    keys: ActKeys,
) -> None:
    """The next command on an initiative reads back the act the last one signed, most often in
    the same process: remembered when signed, its exact bytes are not checked again (they
    would verify: Ed25519 signs deterministically); a process that only verifies checks them,
    and altered bytes are checked and refused in both."""
    act = record(keys)
    unwrapped = unwrap(act.state)
    assert unwrapped is not None
    key_id, signature, body = unwrapped
    message = acts.act_message(act.aggregate_id, act.version, act.topic, body)
    assert (key_id, signature, message) in keys._checked
    assert keys.open(act) == b'{"title":"A"}'
    assert len(keys._checked._seen) == 1
    reader = ActKeys.of(None, keys.verifiers)
    assert reader.open(act) == b'{"title":"A"}'
    assert len(reader._checked._seen) == 1, "checked, then remembered"
    altered = replace(act, state=wrap(b'{"title":"B"}', key_id, signature))
    for opener in (keys, reader):
        with pytest.raises(ActError, match="invalid act signature"):
            opener.open(altered)


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


def acts_of_every_kind(keys: ActKeys) -> list[leaf.StoredRecord]:
    """An act, an altered act, an unsigned row, and an act signed by a key not trusted here."""
    act = record(keys)
    altered = replace(act, state=act.state.replace(b'"A"', b'"B"'))
    unsigned = replace(act, state=b'{"title":"A"}')
    other = record(ActKeys.of(Signer.generate("acts.example/other")))
    return [act, altered, unsigned, other]


def test_a_process_of_its_own_opens_exactly_the_acts_checked_here(keys: ActKeys) -> None:
    records = acts_of_every_kind(keys)
    assert keys.opened(records) == [b'{"title":"A"}', None, None, None]
    checker = ActChecker()
    try:
        assert keys.opened(records, checker.checked) == keys.opened(records)
        assert keys.opened(records[:1] * 3, checker.checked) == [b'{"title":"A"}'] * 3
        pid = checker._started().pid
        assert keys.opened([], checker.checked) == []
    finally:
        checker.close()
    assert checker._process is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # ended, and reaped by close()


def test_a_checking_process_that_died_is_an_error_not_an_answer(keys: ActKeys) -> None:
    checker = ActChecker()
    try:
        process = checker._started()
        process.kill()
        process.wait()
        with pytest.raises(ActCheckerError, match="act checking process stopped"):
            keys.opened([record(keys)], checker.checked)
    finally:
        checker.close()


def test_a_checking_process_that_does_not_answer_is_an_error_and_is_ended(keys: ActKeys) -> None:
    checker = ActChecker(timeout=0.5)
    try:
        process = checker._started()
        os.kill(process.pid, signal.SIGSTOP)  # alive, never answering
        started = time.monotonic()
        with pytest.raises(ActCheckerError, match="did not answer in time"):
            keys.opened([record(keys)], checker.checked)
        assert time.monotonic() - started < 30
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        checker.close()


def test_a_closed_checker_starts_no_process(keys: ActKeys) -> None:
    checker = ActChecker()
    checker.close()
    with pytest.raises(ActCheckerError, match="closed"):
        keys.opened([record(keys)], checker.checked)
    assert checker._process is None
