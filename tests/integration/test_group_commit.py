"""Group commit on PostgreSQL (projections/group_commit.py): the concurrent saves of a process
share one transaction, and every follower still reads a gap-free order that never changes."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.persistence import (
    IntegrityError,
    OperationalError,
    ProgrammingError,
    StoredEvent,
)
from psycopg import sql

from domain.application import LedgerApplication
from domain.errors import ConcurrentWriteError
from domain.values import Actor
from domain.vocabulary import Role
from projections.group_commit import GroupCommitRecorder
from projections.storage import Storage
from tests.conftest import PG_URL, migrated
from tests.factories import Clock, Scenario, oid, pid, stored_application, ward_directory
from tests.integration import group_commit_writer
from tests.integration.group_commit_writer import TOPIC
from tests.waiting import wait_until

pytestmark = pytest.mark.postgres

WRITER = Path(group_commit_writer.__file__)
# Server-side delays at random, inside the writers' transactions: after each insert, and at
# each commit (a deferred constraint trigger runs when the transaction commits).
DELAYS = """
CREATE FUNCTION {schema}.delay() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN PERFORM pg_sleep(random() * 0.002); RETURN NULL; END $$;
CREATE TRIGGER delay_insert AFTER INSERT ON {schema}.ledger_events
  FOR EACH STATEMENT EXECUTE FUNCTION {schema}.delay();
CREATE CONSTRAINT TRIGGER delay_commit AFTER INSERT ON {schema}.ledger_events
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {schema}.delay();
"""
# Each row's transaction (txid_current() is the top-level transaction's, also in a savepoint).
TRANSACTIONS = "ALTER TABLE {schema}.ledger_events ADD COLUMN xact bigint DEFAULT txid_current()"
# A commit refused: a deferred check fails when the transaction holds an event of this topic.
REFUSE_COMMIT = """
CREATE FUNCTION {schema}.refuse() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'commit refused'; END $$;
CREATE CONSTRAINT TRIGGER refuse_commit AFTER INSERT ON {schema}.ledger_events
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.topic = 'refused-at-commit')
  EXECUTE FUNCTION {schema}.refuse();
"""


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Storage]:
    with migrated("postgres", tmp_path) as storage:  # dropped after: its shape changes
        run_sql(storage, TRANSACTIONS)
        yield storage


def run_sql(storage: Storage, statements: str) -> None:
    with storage.connect() as conn:
        conn.execute(statements.format(schema=storage.schema).encode())


def rows(storage: Storage) -> list[tuple[int, str, int, int]]:
    """(notification id, originator, version, transaction id) of every stored event."""
    with storage.connect() as conn:
        return [
            (n, str(o), v, int(x))
            for n, o, v, x in conn.execute(
                sql.SQL(
                    "SELECT notification_id, originator_id, originator_version, xact"
                    " FROM {}.ledger_events ORDER BY notification_id"
                ).format(sql.Identifier(storage.schema))
            )
        ]


def recorder_of(app: LedgerApplication) -> GroupCommitRecorder:
    assert isinstance(app.recorder, GroupCommitRecorder)
    return app.recorder


def event(originator: uuid.UUID, version: int, topic: str = TOPIC) -> StoredEvent:
    return StoredEvent(originator, version, topic, b"{}")


@contextmanager
def table_held(storage: Storage) -> Iterator[None]:
    """The events table locked by another session, as a save locks it, until the block ends:
    a save that starts meanwhile waits for the lock, and the saves after it queue up."""
    with storage.connect() as conn, conn.transaction():
        conn.execute(
            sql.SQL("LOCK TABLE {}.ledger_events IN EXCLUSIVE MODE").format(
                sql.Identifier(storage.schema)
            )
        )
        yield


def waiting_for_lock(storage: Storage) -> int:
    with storage.connect() as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = %s::regclass",
            (f"{storage.schema}.ledger_events",),
        ).fetchone()
    assert row is not None
    return int(row[0])


def queued(storage: Storage, app: LedgerApplication, saves: list[Callable[[], Any]]) -> list[Any]:
    """Run each of `saves` in a thread of its own, all in one batch behind a first save that
    waits for the lock (each returns what its save returned, or raised)."""
    outcomes: list[Any] = [None] * len(saves)

    def run(n: int, save: Callable[[], Any]) -> None:
        try:
            outcomes[n] = save()
        except Exception as error:
            outcomes[n] = error

    threads = []
    with table_held(storage):
        for n, save in enumerate(saves):
            threads.append(threading.Thread(target=run, args=(n, save)))
            threads[-1].start()
            if n == 0:  # the leader has taken its batch (itself) and waits for the lock
                wait_until(lambda: waiting_for_lock(storage) == 1, "the first save waits")
            else:  # in this order in the queue
                wait_until(lambda n=n: recorder_of(app).waiting() == n, f"save {n} queued")
    for thread in threads:
        thread.join()
    return outcomes


def writer(storage: Storage, seed: int, folder: Path) -> subprocess.Popen[bytes]:
    """A process of its own saving in 4 threads, 40 saves each (seeds `seed`…), its outcomes
    written to `seed`.json, its output to `seed`.log."""
    out = str(folder / f"{seed}.json")
    with (folder / f"{seed}.log").open("w") as log:
        return subprocess.Popen(
            [sys.executable, str(WRITER), PG_URL, storage.schema, str(seed), "4", "40", out],
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def test_concurrent_writers_and_processes_never_show_a_follower_a_gap_or_a_reordering(
    store: Storage, tmp_path: Path
) -> None:
    run_sql(store, DELAYS)
    app = LedgerApplication(env=store.eventsourcing_env())
    reads: list[list[tuple[int, str, int]]] = []
    writing = threading.Event()

    def follow() -> None:  # as the worker and the ledger's sealing read the log
        while writing.is_set():
            page = app.recorder.select_notifications(start=1, limit=100_000)
            reads.append([(n.id, str(n.originator_id), n.originator_version) for n in page])

    writing.set()
    follower = threading.Thread(target=follow)
    follower.start()
    processes = {seed: writer(store, seed, tmp_path) for seed in (100, 200)}
    try:
        here = group_commit_writer.in_threads(app.recorder, 1, 6, 40)
        for seed, process in processes.items():
            assert process.wait(timeout=120) == 0, (tmp_path / f"{seed}.log").read_text()
    finally:
        writing.clear()
        follower.join()
        app.close()
    told = here + [
        o for seed in (100, 200) for o in json.loads((tmp_path / f"{seed}.json").read_text())
    ]
    final = rows(store)

    # Every read the follower made is a prefix of the final order: nothing appeared later
    # below what it had read, and nothing moved.
    order = [(n, o, v) for n, o, v, _ in final]
    assert len(reads) > 10
    assert [n for n, read in enumerate(reads) if read != order[: len(read)]] == []
    assert len({len(read) for read in reads}) > 3  # it read while the log grew
    # Each save recorded is there once, with the ids it was told; nothing of a refused save is.
    recorded = [o for o in told if o["ids"] is not None]
    refused = [o for o in told if o["ids"] is None]
    assert len(told) == 14 * 40
    assert len(refused) == 14 * 40 // group_commit_writer.REFUSED_EVERY
    expected = sorted(
        (i, o, v)
        for save in recorded
        for i, (o, v) in zip(save["ids"], save["events"], strict=True)
    )
    assert order == expected
    stale = {(o, v) for save in recorded for o, v in save["events"]}
    fresh_of_refused = {(o, v) for save in refused for o, v in save["events"]} - stale
    assert fresh_of_refused
    assert not fresh_of_refused & {(o, v) for _, o, v in order}
    # And saves did share transactions (fewer commits than saves).
    assert len({x for *_, x in final}) < len(recorded)


def test_a_stale_save_in_a_batch_fails_alone(store: Storage) -> None:
    app = LedgerApplication(env=store.eventsourcing_env())
    try:
        taken = uuid.uuid4()
        app.recorder.insert_events([event(taken, 1)])
        first, stale, second, third = (uuid.uuid4() for _ in range(4))
        outcomes = queued(
            store,
            app,
            [
                lambda: app.recorder.insert_events([event(first, 1)]),
                lambda: app.recorder.insert_events([event(second, 1), event(second, 2)]),
                lambda: app.recorder.insert_events([event(stale, 1), event(taken, 1)]),
                lambda: app.recorder.insert_events([event(third, 1)]),
            ],
        )
    finally:
        app.close()
    assert isinstance(outcomes[2], IntegrityError)
    assert "duplicate key" in str(outcomes[2])
    final = rows(store)
    assert outcomes[0] == [final[1][0]]
    assert outcomes[1] == [final[2][0], final[3][0]]
    assert outcomes[3] == [final[4][0]]
    assert [(o, v) for _, o, v, _ in final] == [
        (str(taken), 1),
        (str(first), 1),
        (str(second), 1),
        (str(second), 2),
        (str(third), 1),
    ]
    # The three saves queued behind the first were committed by one transaction.
    assert final[2][3] == final[3][3] == final[4][3] != final[1][3]


def test_a_conflicting_command_in_a_batch_is_refused_alone(store: Storage, clock: Clock) -> None:
    app = stored_application(store, clock)
    try:
        app.import_directory(ward_directory(), "test")
        one, other, third = (Scenario(app, clock) for _ in range(3))
        for scenario in (one, other, third):
            scenario.draft()
        actor = Actor(pid("can-bo"), "Phạm Đức Dũng", Role.STAFF, oid("ben-thanh-ubnd"))
        copies = [app.repository.get(s.id) for s in (third, one, one, other)]
        for copy, reason in zip(copies, ("Ba", "Một", "Hai", "Khác"), strict=True):
            copy.withdraw(actor, one.as_("can-bo"), reason)
        outcomes = queued(store, app, [lambda c=c: app._save(c) for c in copies])
        histories = [app.get_history(s.id) for s in (one, other, third)]
    finally:
        app.close()
    assert outcomes[0] == outcomes[1] == outcomes[3] == 2
    assert isinstance(outcomes[2], ConcurrentWriteError)
    assert [[h["data"].get("reason") for h in history] for history in histories] == [
        [None, "Một"],
        [None, "Khác"],
        [None, "Ba"],
    ]


def test_a_commit_refused_fails_every_save_of_its_batch_and_records_nothing(
    store: Storage,
) -> None:
    run_sql(store, REFUSE_COMMIT)
    app = LedgerApplication(env=store.eventsourcing_env())
    try:
        first, second, refused, third = (uuid.uuid4() for _ in range(4))
        outcomes = queued(
            store,
            app,
            [
                lambda: app.recorder.insert_events([event(first, 1)]),
                lambda: app.recorder.insert_events([event(second, 1)]),
                lambda: app.recorder.insert_events([event(refused, 1, "refused-at-commit")]),
                lambda: app.recorder.insert_events([event(third, 1), event(third, 2)]),
            ],
        )
        later = uuid.uuid4()
        after = app.recorder.insert_events([event(later, 1)])
    finally:
        app.close()
    # (A PL/pgSQL exception: eventsourcing's ProgrammingError, which no one retries.)
    assert [(type(o), str(o).split("\n")[0]) for o in outcomes[1:]] == [
        (ProgrammingError, "commit refused")
    ] * 3
    assert len({id(o) for o in outcomes[1:]}) == 3  # each caller its own exception
    final = rows(store)
    assert [(o, v) for _, o, v, _ in final] == [(str(first), 1), (str(later), 1)]
    assert outcomes[0] == [final[0][0]]
    assert after == [final[1][0]]


def test_a_lone_save_leads_at_once_and_an_empty_one_records_nothing(store: Storage) -> None:
    app = LedgerApplication(env=store.eventsourcing_env())
    try:
        alone = uuid.uuid4()
        assert app.recorder.insert_events([]) is None
        ids = app.recorder.insert_events([event(alone, 1), event(alone, 2)])
        assert recorder_of(app).waiting() == 0
    finally:
        app.close()
    assert ids == [n for n, *_ in rows(store)]


def test_a_lock_not_granted_in_time_fails_every_save_of_the_batch_with_that_error(
    store: Storage,
) -> None:
    """The lock's refusal is the transaction's error, given to every save of its batch (the
    kind the service retries once, then answers 503), not taken for a save's own data (the
    followers were told of an aborted transaction instead, and not retried)."""
    env = {**store.eventsourcing_env(), "POSTGRES_STATEMENT_TIMEOUT": "2"}
    app = LedgerApplication(env=env)
    outcomes: list[Any] = [None] * 3

    def run(n: int) -> None:
        try:  # the group commit itself, without the service's retry of such an error
            outcomes[n] = GroupCommitRecorder.insert_events(app.recorder, [event(uuid.uuid4(), 1)])
        except Exception as error:
            outcomes[n] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(3)]
    try:
        with table_held(store):  # held until every save has given up
            for n, thread in enumerate(threads):
                thread.start()
                if n == 0:
                    wait_until(lambda: waiting_for_lock(store) == 1, "the first save waits")
                else:
                    wait_until(lambda n=n: recorder_of(app).waiting() == n, f"save {n} queued")
            for thread in threads:
                thread.join()
    finally:
        app.close()
    assert [type(o) for o in outcomes] == [OperationalError] * 3
    assert all("statement timeout" in str(o) for o in outcomes), outcomes
    assert rows(store) == []
