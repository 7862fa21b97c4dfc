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

What sums over every initiative — the counts per organisation, the rises of `updated_at` and
the counts' marks — is not written by the partitions: once all are done, one transaction
derives it from the versions they wrote (`initiatives_view.derive`) and moves the views to the
position the rebuild read up to. Events recorded meanwhile are the worker's, as usual.

While it runs the views' tracked position is REBUILDING (projections/worker.py): no worker
applies a batch to them, and the service's status says so; their tables fill partition by
partition, so pages read then see a part of the log (not a prefix of it) until the end. If it
stops (a partition failed, the process was killed), the views stay REBUILDING; the next worker
that starts, finding no rebuild holding the lock, empties them and builds them again one batch
after another. Only on PostgreSQL: SQLite has one writer.
"""

from __future__ import annotations

import logging
import os
import pickle
import selectors
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, Any, cast
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Notification
from psycopg import sql

from projections.db import Database, Tx
from projections.initiatives_view import InitiativesView, derive
from projections.ledger.act_mapper import keys_of
from projections.ledger.acts import ActKeys
from projections.ledger.note import Verifier
from projections.read_ahead import Reader
from projections.storage import Storage
from projections.view import View
from projections.worker import (
    REBUILD_LOCK,
    REBUILDING,
    Worker,
    analyze,
    reset_views,
    settle,
)

log = logging.getLogger(__name__)

# The events of an initiative go to the partition of its id; any other aggregate's to partition 0.
INITIATIVE_TOPICS = "domain.initiative:Initiative.%"


class RebuildError(Exception):
    """A parallel rebuild could not start, or one of its partitions failed."""


def default_processes() -> int:
    """One partition per core, at least two."""
    return max(2, os.cpu_count() or 2)


def rebuild(
    app: Application[UUID],
    db: Database,
    views: Sequence[View],
    processes: int | None = None,
    batch_size: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Empty `views` and build them again from the whole log; the number of events applied
    (each counted once). In `processes` partitions on PostgreSQL (default: one per core, at
    least two); on SQLite, or with one process, one batch after another."""
    views = list(views)
    parts = processes or default_processes()
    if db.kind != "postgresql" or parts < 2:
        reset_views(db, views)
        worker = Worker(app, db, views, batch_size=batch_size)
        if progress:
            worker.on_batch = lambda count, _last: progress(count)
        applied = worker.catch_up()
        analyze(db, views)
        return applied
    keys = keys_of(app.mapper)
    if keys is None:
        raise RebuildError("a rebuild reads the log through an application that checks acts")
    with db.storage.connect() as guard:  # holds the rebuild's lock until the end
        locked = guard.execute("SELECT pg_try_advisory_lock(%s)", (REBUILD_LOCK,)).fetchone()
        if not locked or not locked[0]:
            raise RebuildError("another rebuild of the views is running")
        head = app.recorder.max_notification_id() or 0
        reset_views(db, views, REBUILDING)
        jobs = [
            _Job(db.storage, dict(app.env), keys.verifiers, views, part, parts, head, batch_size)
            for part in range(parts)
        ]
        applied = _run(jobs, progress)
        initiatives = any(isinstance(view, InitiativesView) for view in views)
        settle(db, views, head, lambda tx: _derived(tx, head, initiatives))
    analyze(db, views)
    return applied


def _derived(tx: Tx, head: int, initiatives: bool) -> None:
    if initiatives:
        derive(tx, head)


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
    """Run one process per job until all are done; RebuildError as soon as one fails.

    Each is `python -P -m projections.parallel` (as the act checker: it imports nothing of the
    caller's `__main__`), its job on standard input, one line on standard output per batch
    applied (the count), then `done`, or `failed` and why."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-P", "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        for _ in jobs
    ]
    applied, finished = 0, set[int]()
    try:
        for process, job in zip(processes, jobs, strict=True):
            stdin = cast(IO[bytes], process.stdin)
            stdin.write(pickle.dumps(job))
            stdin.close()
        with selectors.DefaultSelector() as selector:
            for part, process in enumerate(processes):
                selector.register(cast(IO[bytes], process.stdout), selectors.EVENT_READ, part)
            pending = [b""] * len(jobs)
            while len(finished) < len(jobs):
                for key, _ in selector.select():
                    part = key.data
                    chunk = os.read(cast(IO[bytes], key.fileobj).fileno(), 65536)
                    if not chunk:  # its output closed before it said it was done
                        selector.unregister(key.fileobj)
                        pending[part] += b"\n"
                    *lines, pending[part] = (pending[part] + chunk).split(b"\n")
                    for line in lines:
                        count = _said(part, line.decode("utf-8", "replace").strip(), finished)
                        applied += count
                        if progress and count:
                            progress(count)
    finally:
        for process in processes:
            if process.poll() is None and len(finished) < len(jobs):
                process.kill()
            process.wait()
            cast(IO[bytes], process.stdout).close()
    return applied


def _said(part: int, line: str, finished: set[int]) -> int:
    """The events a partition's line says it applied (0 for `done`, which it notes)."""
    if line == "done":
        finished.add(part)
        return 0
    if line.isdigit():
        return int(line)
    if part in finished:
        return 0
    why = line.removeprefix("failed ") or "it stopped without a word"
    raise RebuildError(f"partition {part} of the rebuild failed: {why}")


def main() -> None:
    """A partition's process: apply the share of the log of the job on standard input up to
    its last position, writing each batch's count, then `done` (or `failed` and why)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us
    out = sys.stdout
    app: Any = None
    db: Database | None = None
    try:
        from domain.application import LedgerApplication

        job: _Job = pickle.loads(sys.stdin.buffer.read())
        app = LedgerApplication(env=job.env, mapper=ActKeys.of(None, job.verifiers).mapper)
        db = Database(job.storage)
        for view in job.views:
            if isinstance(view, InitiativesView):
                view.partial = True
        worker = Worker(
            app,
            db,
            job.views,
            batch_size=job.batch_size,
            stop=job.stop,
            read=partition_reader(app, job.part, job.parts),
        )
        worker.track = False
        worker.on_batch = lambda count, _last: print(count, file=out, flush=True)
        worker.catch_up()
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
        with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, params, prepare=True)
            return [
                Notification(
                    id=row["notification_id"],
                    originator_id=row["originator_id"],
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=bytes(row["state"]),
                )
                for row in curs.fetchall()
            ]

    return read


if __name__ == "__main__":
    main()
