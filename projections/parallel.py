"""A rebuild of the views in parallel: the log's initiatives split among processes by id.

One process rebuilding every view is bound by its own Python (decoding, advancing aggregates,
building rows: one core, the interpreter's lock) while the second core checks acts and runs
the database. Here each of `processes` partitions is a worker of its own (its act checker, its
writer thread, its connections) that reads, checks, decodes and applies only its share of the
log: the events of the initiatives whose id's last byte modulo `processes` is its number — an
initiative's events all in one partition, in log order — and every other aggregate's events
(the directory, plans, access logs: few) in partition 0, in log order as well. Every row a view
writes belongs to one aggregate or one event (keyed by it), so partitions never write the same
row; the audit feed's rows are keyed by log position and its pages read them in that order.
A partition holds its initiatives' current versions from batch to batch and writes each once
it is replaced (closed), the current ones at its end: no row is written twice.

What sums over every initiative — the counts per organisation, the rises of `updated_at` and
the counts' marks — is not written by the partitions: once all are done, one transaction
derives it from the versions they wrote (`initiatives_view.derive`) and moves the views to the
position the rebuild read up to. Events recorded meanwhile are the worker's, as usual.

While it runs the views' tracked position is REBUILDING (projections/worker.py): no worker
applies a batch to them, and the service's status says so; their tables fill partition by
partition (a part of the log, not a prefix of it), so the reads of them answer 503 until the
end (web/reads.py `Reads.ready`). If it
stops (a partition failed, the process was killed), the views stay REBUILDING; the next worker
that starts, finding no rebuild holding the lock, empties them and builds them again one batch
after another. Only on PostgreSQL: SQLite has one writer.
"""

from __future__ import annotations

import logging
import os
import pickle
import queue
import re
import selectors
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import IO, Any, cast
from uuid import UUID

import psycopg
from eventsourcing.application import Application
from eventsourcing.persistence import Notification
from psycopg import sql
from psycopg.rows import tuple_row

from domain.initiative import Initiative
from projections import deferred_indexes
from projections.db import Database, Tx
from projections.initiatives_view import InitiativesView, derive
from projections.ledger.act_mapper import keys_of
from projections.ledger.acts import ActKeys
from projections.ledger.note import Verifier
from projections.read_ahead import Reader
from projections.storage import Storage
from projections.view import Change, View
from projections.worker import (
    REBUILD_LOCK,
    REBUILDING,
    NotRebuildingError,
    Worker,
    analyze,
    maintenance,
    positions,
    reset_views,
    settle,
    vacuum,
)

log = logging.getLogger(__name__)

# The tables of the sums derived at the end (the partitions leave them empty): their indexes are
# built once they are filled (`_derived`).
SUMMED = ("iv_counts", "iv_updated_max", "iv_counts_marks")
# The events of an initiative go to the partition of its id; any other aggregate's to partition 0.
INITIATIVE_TOPICS = "domain.initiative:Initiative.%"


class RebuildError(Exception):
    """A parallel rebuild could not start, or one of its partitions failed."""


def default_processes() -> int:
    """One partition per core this process may run on, at least two and at most 8 (each holds
    about four connections and an act checker of its own)."""
    return min(8, max(2, len(os.sched_getaffinity(0))))


def rebuild(
    app: Application[UUID],
    db: Database,
    views: Sequence[View],
    processes: int | None = None,
    batch_size: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Empty `views` and build them again from the whole log; the number of events applied
    (each counted once). In `processes` partitions on PostgreSQL (default_processes); on
    SQLite, or with one process, one batch after another. RebuildError when another rebuild
    runs, or a partition fails (the views are then left REBUILDING: the next worker builds
    them again)."""
    views = list(views)
    if not views:
        raise ValueError("no view to rebuild")
    parts = processes or default_processes()
    if db.kind != "postgresql":
        return _one_by_one(app, db, views, batch_size, progress)
    with db.storage.connect() as guard:  # holds the rebuild's lock until the end
        schema = db.storage.schema
        if not _locked(guard, "pg_try_advisory_lock", schema):
            raise RebuildError(
                "another rebuild of the views is running (or the processes of one that stopped)"
            )
        if parts < 2:
            return _one_by_one(app, db, views, batch_size, progress)
        keys = keys_of(app.mapper)
        if keys is None:
            raise RebuildError("a rebuild reads the log through an application that checks acts")
        head = app.recorder.max_notification_id() or 0
        # The tables the partitions write lose their secondary indexes until the end.
        written = [t for v in views for t in v.tables if t not in SUMMED]
        reset_views(db, views, REBUILDING, defer=written)
        # Shared from now on: the partitions share it, a second rebuild cannot take it alone.
        _locked(guard, "pg_advisory_lock_shared", schema)
        _locked(guard, "pg_advisory_unlock", schema)
        jobs = [
            _Job(db.storage, dict(app.env), keys.verifiers, views, part, parts, head, batch_size)
            for part in range(parts)
        ]
        applied = _run(jobs, progress)
        _settled(db, views, head)
    return applied


def _settled(db: Database, views: list[View], head: int) -> None:
    """The partitions' tables vacuumed, then the secondary indexes the rebuild dropped built
    again — on two connections, taking the largest work first — while the sums are derived on
    a third; then the views moved to `head` (`settle`) with every index there; then the sums'
    tables vacuumed and every table analysed (the planner's statistics of an index's
    expressions need the index)."""
    tables = [t for v in views for t in v.tables]
    written = [t for t in tables if t not in SUMMED]
    initiatives = any(isinstance(v, InitiativesView) for v in views)
    work = _queued(_largest_first(db, written, deferred_indexes.kept(db, views)))
    with ThreadPoolExecutor(2, thread_name_prefix="ledger-rebuild-indexes") as pool:
        builds = [pool.submit(_worked, db, work) for _ in range(2)]

        def step(tx: Tx) -> None:
            _derived(tx, head, initiatives)
            for build in builds:
                if (failed := build.exception()) is not None:
                    raise RebuildError(f"an index could not be built again: {failed}")
            deferred_indexes.done(tx, views)

        try:
            settle(db, views, head, step)
        except NotRebuildingError as error:
            raise RebuildError(f"the rebuild was undone meanwhile: {error}") from error
        finally:
            for build in builds:
                build.exception()  # each ended before the pool closes
        summed = [t for t in tables if t in SUMMED]
        for work_done in [
            pool.submit(vacuum, db, summed),
            pool.submit(
                _worked, db, _queued([f"ANALYZE {', '.join(written)}"] if written else [])
            ),
        ]:
            work_done.result()


_INDEX = re.compile(r" ON (?:\S+\.)?(\w+) USING (\w+)")


def _largest_first(db: Database, tables: list[str], indexes: list[tuple[str, str]]) -> list[str]:
    """`VACUUM` of each table, then each index statement, the largest first (by the table's
    size; a GiST index, slower to build, counted four times)."""
    if not tables:
        return []
    rows = db.query(
        "SELECT c.relname AS name, pg_relation_size(c.oid) AS size FROM pg_class c"
        " WHERE c.relnamespace = current_schema()::regnamespace AND c.relname IN"
        f" ({', '.join('?' for _ in tables)})",
        tables,
    )
    size = {str(row["name"]): int(row["size"]) for row in rows}
    vacuums = sorted(tables, key=lambda t: -size.get(t, 0))

    def cost(statement: str) -> int:
        found = _INDEX.search(statement)
        table, method = (found[1], found[2]) if found else ("", "")
        return size.get(table, 0) * (4 if method == "gist" else 1)

    builds = sorted((s for _, s in indexes), key=lambda s: -cost(s))
    return [f"VACUUM {t}" for t in vacuums] + builds


def _queued(statements: list[str]) -> queue.SimpleQueue[str]:
    work: queue.SimpleQueue[str] = queue.SimpleQueue()
    for statement in statements:
        work.put(statement)
    return work


def _worked(db: Database, work: queue.SimpleQueue[str]) -> None:
    """Run statements of `work` (maintenance: vacuums, index builds) on a connection of its
    own until none is left."""
    with maintenance(db) as conn:
        conn.execute("SET maintenance_work_mem = '256MB'")  # each index sorted in memory
        while True:
            try:
                statement = work.get_nowait()
            except queue.Empty:
                return
            conn.execute(statement)


def _one_by_one(
    app: Application[UUID],
    db: Database,
    views: list[View],
    batch_size: int | None,
    progress: Callable[[int], None] | None,
) -> int:
    reset_views(db, views)
    worker = Worker(app, db, views, batch_size=batch_size)
    worker.ledger = db  # a sealed act that does not verify stops it (check_refused)
    if progress:
        worker.on_batch = lambda count, _last: progress(count)
    applied = worker.catch_up()
    analyze(db, views)
    return applied


def _locked(conn: psycopg.Connection[Any], how: str, schema: str) -> bool:
    """`how` (an advisory lock function) of the store's REBUILD_LOCK on `conn`'s session:
    whether it was taken (a `pg_try_…` may not be; the others wait until it is)."""
    row = conn.execute(f"SELECT {how}(%s, hashtext(%s))", (REBUILD_LOCK, schema)).fetchone()
    return not how.startswith("pg_try_") or bool(row and row[0])


def _derived(tx: Tx, head: int, initiatives: bool) -> None:
    """The sums derived into their empty tables, whose indexes are built after (keeping them
    up to date row by row cost a third of the derivation, at a million events)."""
    if initiatives:
        tx.execute("SET LOCAL work_mem = '256MB'")  # its windows sort every version in memory
        tx.execute("SET LOCAL maintenance_work_mem = '256MB'")  # each index sorted in memory
        again = deferred_indexes.dropped(tx, SUMMED)
        derive(tx, head)
        for statement in again:
            tx.execute(statement)


@dataclass(frozen=True)
class _Job:
    """What a partition needs, in values a new process can receive."""

    storage: Storage
    env: dict[str, str]
    verifiers: tuple[Verifier, ...]
    views: list[View]
    part: int
    parts: int
    stop: int
    batch_size: int | None


def _run(jobs: list[_Job], progress: Callable[[int], None] | None) -> int:
    """Run one process per job until all are done; RebuildError as soon as one fails (the
    others are killed then).

    Each is `python -P -m projections.parallel` (as the act checker: it imports nothing of the
    caller's `__main__`), its job on standard input, one line on standard output per batch
    applied (the count), then `done`, or `failed` and why."""
    processes = [_started(job) for job in jobs]
    applied, finished = 0, set[int]()
    try:
        with selectors.DefaultSelector() as selector:
            for part, process in enumerate(processes):
                selector.register(cast(IO[bytes], process.stdout), selectors.EVENT_READ, part)
            pending = [b""] * len(jobs)
            while len(finished) < len(jobs):
                for key, _ in selector.select():
                    part = key.data
                    chunk = os.read(cast(IO[bytes], key.fileobj).fileno(), 65536)
                    if not chunk:  # its output closed: a last line, said or not
                        selector.unregister(key.fileobj)
                        pending[part] += b"\n"
                    *lines, pending[part] = (pending[part] + chunk).split(b"\n")
                    for line in lines:
                        count = _said(
                            processes[part], part, line.decode(errors="replace"), finished
                        )
                        applied += count
                        if progress and count:
                            progress(count)
    finally:
        _ended(processes, killed=len(finished) < len(jobs))
    return applied


def _started(job: _Job) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-P", "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    stdin = cast(IO[bytes], process.stdin)
    try:
        stdin.write(pickle.dumps(job))
        stdin.close()
    except BrokenPipeError:  # it died at once: its output says so, or its end does
        pass
    return process


def _ended(processes: list[subprocess.Popen[bytes]], killed: bool) -> None:
    """Every process ended (killed first, all of them, when the rebuild failed)."""
    if killed:
        for process in processes:
            if process.poll() is None:
                process.kill()
    for process in processes:
        process.wait()
        cast(IO[bytes], process.stdout).close()


def _said(process: subprocess.Popen[bytes], part: int, line: str, finished: set[int]) -> int:
    """The events a partition's line says it applied (0 for `done`, which it notes)."""
    line = line.strip()
    if line == "done":
        finished.add(part)
        return 0
    if line.isdigit():
        return int(line)
    if part in finished:
        return 0
    if not line.startswith("failed "):
        code = process.wait()
        line = f"failed it stopped without a word (exit status {code})"
    raise RebuildError(f"partition {part} of the rebuild failed: {line.removeprefix('failed ')}")


class _PartitionGuard:
    """A view of a partition's process that writes nothing and fails on an initiative of
    another partition (an event of one stored under a topic the reader does not route by its
    id would otherwise split its versions between two partitions)."""

    name = "partition-guard"
    tables: tuple[str, ...] = ()
    ddl: tuple[str, ...] = ()

    def __init__(self, part: int, parts: int) -> None:
        self.part, self.parts = part, parts

    def before(self, position: int, aggregate: Any) -> None:
        """Nothing to see before."""

    def observe(self, change: Change) -> None:
        aggregate = change.aggregate
        if isinstance(aggregate, Initiative) and aggregate.id.bytes[15] % self.parts != self.part:
            raise RebuildError(
                f"the event at log position {change.position} ({change.topic}) belongs to"
                f" initiative {aggregate.id} of another partition: its topic is not one of"
                f" {INITIATIVE_TOPICS!r}"
            )

    def apply(self, tx: Tx, changes: list[Change]) -> None:
        """Nothing to write."""


def main() -> None:
    """A partition's process: apply the share of the log of the job on standard input up to
    its last position, writing each batch's count, then `done` (or `failed` and why).

    It shares the rebuild's lock for as long as it runs (no worker empties the views under it)
    and goes on only while the views are REBUILDING and the rebuild's process is its parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us
    out, parent = sys.stdout, os.getppid()
    app: Any = None
    db: Database | None = None
    try:
        from domain.application import LedgerApplication

        job: _Job = pickle.loads(sys.stdin.buffer.read())
        app = LedgerApplication(env=job.env, mapper=ActKeys.of(None, job.verifiers).mapper)
        db = Database(job.storage)
        with job.storage.connect() as shared:
            _locked(shared, "pg_advisory_lock_shared", job.storage.schema)
            if any(p != REBUILDING for p in positions(db, job.views).values()):
                raise RebuildError("the views are no longer being rebuilt")
            for view in job.views:
                if isinstance(view, InitiativesView):
                    view.partial = True
            worker = Worker(
                app,
                db,
                [*job.views, _PartitionGuard(job.part, job.parts)],
                batch_size=job.batch_size,
                stop=job.stop,
                read=partition_reader(app, job.part, job.parts),
            )
            worker.track = False
            worker.ledger = db  # a sealed act that does not verify stops it (check_refused)
            worker.before_commit = lambda: _parent_alive(parent)
            worker.on_batch = lambda count, _last: print(count, file=out, flush=True)
            worker.catch_up()
            with db.transaction() as tx:  # the versions still current, held until now
                for view in job.views:
                    if isinstance(view, InitiativesView):
                        view.finish(tx)
                _parent_alive(parent)
        print("done", file=out, flush=True)
    except Exception as error:  # the parent reports it and stops the others
        why = " ".join(f"{type(error).__name__}: {error}".split())
        print(f"failed {why}", file=out, flush=True)
        raise SystemExit(1) from error
    finally:
        if db is not None:
            db.close()
        if app is not None:
            app.close()


def _parent_alive(parent: int) -> None:
    """Before a batch commits: the rebuild that started this process still runs."""
    if os.getppid() != parent:
        raise RebuildError("the rebuild's process stopped")


def partition_reader(app: Application[UUID], part: int, parts: int) -> Reader:
    """The pages of the log that partition `part` of `parts` applies (the module's docstring)."""
    recorder: Any = app.recorder
    statement = sql.SQL(
        "SELECT notification_id, originator_id, originator_version, topic, state FROM {}.{}"
        " WHERE notification_id >= %s AND notification_id <= %s AND (CASE WHEN topic LIKE %s"
        " THEN get_byte(uuid_send(originator_id), 15) %% %s ELSE 0 END) = %s"
        " ORDER BY notification_id LIMIT %s"
    ).format(sql.Identifier(recorder.datastore.schema), sql.Identifier(recorder.events_table_name))

    def read(start: int, size: int, stop: int | None) -> Sequence[Notification]:
        last = stop if stop is not None else 2**63 - 1
        params = (start, last, INITIATIVE_TOPICS, parts, part, size)
        # rows as tuples: a dict per row was 2 % of a partition's time
        with (
            recorder.datastore.get_connection() as conn,
            conn.cursor(row_factory=tuple_row) as curs,
        ):
            curs.execute(statement, params, prepare=True)
            return [
                Notification(
                    id=ident,
                    originator_id=aggregate,
                    originator_version=version,
                    topic=topic,
                    state=bytes(state),
                )
                for ident, aggregate, version, topic, state in curs.fetchall()
            ]

    return read


if __name__ == "__main__":
    main()
