"""An act signature checked once is remembered for exactly the bytes it was checked over: the
same act is not checked again, and any other bytes (an altered body, another signature) are."""

from __future__ import annotations

import os
import signal
import time
import uuid
from dataclasses import replace

import pytest

from projections.ledger import acts, deferred, leaf
from projections.ledger.act_checker import ActChecker, ActCheckerError
from projections.ledger.acts import ActError, ActKeys, Checked, unwrap, wrap
from projections.ledger.deferred import DeferredChecks
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


def pages(keys: ActKeys, count: int, size: int = 3) -> list[list[leaf.StoredRecord]]:
    """`count` pages of `size` acts of one aggregate, versions 1 onwards."""
    aggregate = uuid.UUID(int=9)
    made = [
        leaf.StoredRecord(aggregate, v, TOPIC, keys.sign(aggregate, v, TOPIC, b'{"n":%d}' % v))
        for v in range(1, count * size + 1)
    ]
    return [made[i : i + size] for i in range(0, len(made), size)]


def test_deferred_checks_remember_every_act_the_process_verified(keys: ActKeys) -> None:
    reader = ActKeys.of(None, keys.verifiers)
    checks = DeferredChecks(reader)
    try:
        for page in pages(keys, 4):
            checks.add(page)
        checks.settle()
    finally:
        checks.close()
    assert len(reader._checked._seen) == 12  # checked by the process, remembered here
    assert checks._checker is None  # ended by close


@pytest.mark.parametrize("forgery", ["altered", "unknown key", "no signature"])
def test_deferred_checks_refuse_an_act_no_later_than_ahead_pages_after_it(
    keys: ActKeys, forgery: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The verdict on a page is collected at the latest when AHEAD more pages wait, and at
    `settle`: a record that is not an authenticated act raises ActError saying why."""
    monkeypatch.setattr(deferred, "AHEAD", 2)
    given = pages(keys, 5)
    bad = given[0][1]
    unwrapped = unwrap(bad.state)
    assert unwrapped is not None
    key_id, signature, _ = unwrapped
    if forgery == "altered":
        state, reason = wrap(b'{"n":0}', key_id, signature), "invalid act signature"
    elif forgery == "unknown key":
        state, reason = wrap(b'{"n":2}', key_id + 1, signature), "unknown act key"
    else:
        state, reason = b'{"n":2}', "carries no act signature"
    given[0][1] = replace(bad, state=state)
    checks = DeferredChecks(ActKeys.of(None, keys.verifiers))
    try:
        checks.add(given[0])
        checks.add(given[1])  # two pending: not waited for yet
        with pytest.raises(ActError, match=reason) as refused:
            checks.add(given[2])  # the first page's would be a third verdict pending
    finally:
        checks.close()
    assert refused.value.version == 2


def test_deferred_checks_whose_process_stops_check_the_acts_themselves(
    keys: ActKeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every act is still checked (here, then) when the process is gone; an altered one is
    refused."""
    reader = ActKeys.of(None, keys.verifiers)
    given = pages(keys, 2)
    unwrapped = unwrap(given[1][2].state)
    assert unwrapped is not None
    given[1][2] = replace(given[1][2], state=wrap(b'{"n":0}', *unwrapped[:2]))
    checks = DeferredChecks(reader)
    try:
        checks.add(given[0])
        checks.settle()
        assert checks._checker is not None
        os.kill(checks._checker._started().pid, signal.SIGKILL)
        checks.add(given[1])
        with pytest.raises(ActError, match="version 6 has an invalid act signature"):
            checks.settle()
    finally:
        checks.close()
    assert len(reader._checked._seen) == 5  # the first page by the process, two here
