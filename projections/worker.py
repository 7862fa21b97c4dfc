"""The worker: follows the global event log and applies batches to every view, exactly once.

Each batch is applied to every view and the views' tracking positions move in the same
transaction: a crash anywhere leaves either the whole batch or none of it. The worker keeps
the aggregates it has seen in memory and mutates them with each event (the domain's own
projector), so a batch costs one decode per event and one row write per touched aggregate.
It wakes on PostgreSQL NOTIFY, with a periodic poll as a safety net; on SQLite it polls.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, cast
from uuid import UUID

import psycopg
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Notification
from psycopg import sql

from projections import deferred_indexes
from projections.aggregate_cache import AggregateCache
from projections.audit_view import AuditView
from projections.cadre_view import CadreRecordsView
from projections.db import Database, PlannedTx, Tx, emptied, in_schema
from projections.directory_view import DirectoryView
from projections.documents_view import DocumentsView
from projections.history import HISTORY_DDL, restart
from projections.initiatives_view import InitiativesView
from projections.ledger.act_mapper import ActMapper, keys_of
from projections.ledger.acts import ActError
from projections.ledger.sealing import SealingView, check_refused
from projections.plans_view import PlansView
from projections.read_ahead import ReadAhead, Reader, log_reader, unchecked
from projections.view import Change, View

log = logging.getLogger(__name__)

# expected positions, last position, planned writes, number of events
_Batch = tuple[dict[str, int], int, PlannedTx, int]

TRACKING_DDL = (
    "CREATE TABLE IF NOT EXISTS projection_tracking (view TEXT PRIMARY KEY,"
    " position BIGINT NOT NULL, updated_at TEXT NOT NULL)",
)


# A catch-up this long (a first start on a restored log, a rebuild) refreshes the statistics.
BULK = 50_000
# Events a batch holds at most (one transaction of every view). A long catch-up goes faster in
# larger ones: fewer commits, and fewer current rows closed (a count touched by a batch is closed
# once in it). A rebuild of 300,002 events by 1,000, 2,000, 5,000 and 10,000 events a batch: 88,
# 80, 69 and 67-69 s, the process's peak 369, -, 468 and 566 MB; from 5,000 on the worker's own
# Python bounds it, not the database. New events as they come make batches as small as they were.
# On SQLite, whose writer holds the whole database's lock for the batch, commands would wait behind
# a batch that long: 1,000 there.
BATCH = 5_000
SQLITE_BATCH = 1_000
# The tracked position of a view that a parallel rebuild is writing (projections/parallel.py):
# no worker applies a batch to it meanwhile, and one that finds it so with no rebuild running
# (the rebuild stopped) empties it and builds it again from the first event.
REBUILDING = -1
# The advisory lock of rebuilds (a worker's batches take 7415253): a rebuild takes it alone to
# start, then its processes share it while they run; a worker that finds views REBUILDING empties
# them only when it can take it alone (no process of a rebuild is left). One per store: the second
# key is the hash of its schema (stores in other schemas of the database rebuild at the same time).
REBUILD_LOCK = 7415254


def all_views() -> list[View]:
    """Every view the worker maintains, in the order batches are applied."""
    return [
        DirectoryView(),
        InitiativesView(),
        CadreRecordsView(),
        AuditView(),
        PlansView(),
        DocumentsView(),
        SealingView(),
    ]


def rebuildable(views: Sequence[View]) -> list[View]:
    """The views that may be emptied and rebuilt (the ledger is append-only)."""
    return [v for v in views if not getattr(v, "append_only", False)]


def create_view_tables(db: Database, views: Sequence[View] | None = None) -> None:
    """Create the tracking table and every view's tables in a private SQLite database (the
    time-travel copies, projections.asof). A store's own tables come from its migrations
    (migrations/, `ledger migrate`), whose revisions must keep up with these."""
    if db.kind != "sqlite":
        raise ValueError("a store's tables are made by its migrations (`ledger migrate`)")
    with db.transaction() as tx:
        for statement in (*TRACKING_DDL, *HISTORY_DDL):
            tx.execute(statement)
        for view in views or all_views():
            for statement in view.ddl:
                tx.execute(statement)


def positions(db: Database, views: Sequence[View]) -> dict[str, int]:
    """Each view's tracked log position (0 for a view never run)."""
    rows = db.query("SELECT view, position FROM projection_tracking")
    known = {r["view"]: int(r["position"]) for r in rows}
    return {v.name: known.get(v.name, 0) for v in views}


class Worker:
    """Applies the log to the views in batches; `run` loops until stopped."""

    def __init__(
        self,
        app: Application[UUID],
        db: Database,
        views: Sequence[View] | None = None,
        batch_size: int | None = None,
        poll_interval: float = 1.0,
        stop: int | None = None,
        read: Reader | None = None,
    ) -> None:
        if keys_of(app.mapper) is None:
            raise ValueError(
                "the worker follows the log only with an application that checks acts"
                " (projections.ledger.acts): unauthenticated rows must not reach the views"
            )
        self.app = app
        self.db = db
        self.every_view = list(views or all_views())
        self.views = list(self.every_view)  # those applied this round (`_tracked`)
        self.read = read or log_reader(app)
        # Whether batches move the views' tracked positions (a rebuild's partition does not).
        self.track = True
        # unset: BATCH on PostgreSQL, SQLITE_BATCH on SQLite
        self.batch_size = batch_size or (BATCH if db.kind == "postgresql" else SQLITE_BATCH)
        self.poll_interval = poll_interval
        self.stop_at = stop  # apply nothing after this log position (time travel)
        self.cache = AggregateCache(app)
        self.ledger: Database | None = None  # a rebuild's: refused rows looked up in it
        self.stopping = threading.Event()
        self._wake = threading.Event()
        self.caught_up = threading.Condition()
        self.position = 0
        self.on_batch: Callable[[int, int], None] | None = None
        # Called inside the batch transaction just before it commits (fault-injection tests).
        self.before_commit: Callable[[], None] | None = None
        # Called after each catch-up in `run` (the checkpointer: sign when leaves are new).
        self.after_catch_up: Callable[[], object] | None = None

    def run_once(self) -> int:
        """Apply at most one batch; the number of events applied."""
        tracked = self._tracked()
        batch = self._prepare(tracked) if tracked else None
        if batch is None:
            self._announce(min(tracked.values(), default=0))
            return 0
        try:
            self._commit(*batch)
        except _RacedError:
            self._forget()
            return 0
        return batch[3]

    def catch_up(self) -> int:
        """Apply batches until the views reach the head of the log.

        Pipelined: while one batch commits (in a writer thread, its own connection), the
        next is decoded and prepared here, so Python and the database work at the same time.
        """
        pending: queue.Queue[_Batch | None] = queue.Queue(maxsize=2)
        failures: list[BaseException] = []
        writer = threading.Thread(
            target=self._write_all, args=(pending, failures), name="ledger-worker-writer"
        )
        writer.start()
        total = 0
        pages = ReadAhead(self.app, self.batch_size, self.stop_at, self.read)
        try:
            tracked = self._tracked()
            while tracked and not failures:
                batch = self._prepare(tracked, pages)
                if batch is None:
                    break
                pending.put(batch)
                tracked = {name: max(position, batch[1]) for name, position in tracked.items()}
                total += batch[3]
        finally:
            try:
                pages.close()
            finally:
                pending.put(None)
                writer.join()
        if failures:
            self._forget()
            if isinstance(failures[0], _RacedError):
                return total + self.catch_up()
            raise failures[0]
        if total == 0:
            self._announce(min(tracked.values(), default=0))
        return total

    def _tracked(self) -> dict[str, int]:
        """The positions of the views this round applies batches to: every view but those a
        parallel rebuild is writing (REBUILDING). One that a stopped rebuild left so is
        emptied first (its rows are a part of the log's, not a prefix), then built again."""
        tracked = positions(self.db, self.every_view)
        if not self.track:  # a partition of a parallel rebuild: its views from the first event
            return tracked
        if REBUILDING in tracked.values():
            stale = [v for v in self.every_view if tracked[v.name] == REBUILDING]
            left = reset_stale(self.db, stale)
            if left:
                log.warning("a parallel rebuild stopped: %s built again", ", ".join(left))
                tracked.update(dict.fromkeys(left, 0))
        self.views = [v for v in self.every_view if tracked[v.name] != REBUILDING]
        return {v.name: tracked[v.name] for v in self.views}

    def _prepare(self, tracked: dict[str, int], pages: ReadAhead | None = None) -> _Batch | None:
        """Read, decode and plan the next batch after `tracked` (no writes)."""
        start = min(tracked.values()) + 1
        if self.stop_at is not None and start > self.stop_at:
            return None
        if pages is None:
            notifications, bodies = unchecked(self.read(start, self.batch_size, self.stop_at))
        else:
            notifications, bodies = pages.page(start)
        if not notifications:
            return None
        try:
            self._sync_views()
            changes, refused = self._decode(notifications, bodies, tracked)
            if refused and self.ledger is not None:
                check_refused(self.ledger, refused)
            last = notifications[-1].id
            plan = self._plan(tracked, changes, refused, last)
        except BaseException:
            self._forget()
            raise
        return dict(tracked), last, plan, len(notifications)

    def _sync_views(self) -> None:
        """Let the views that keep state of their own catch up with the database."""
        for view in self.views:
            sync = getattr(view, "sync", None)
            if sync is not None:
                sync(self.db)

    def _decode(
        self,
        notifications: Sequence[Notification],
        bodies: Sequence[bytes | None],
        tracked: dict[str, int],
    ) -> tuple[list[Change], list[tuple[int, ActError]]]:
        """The batch's events as changes, and the positions refused as not the service's
        (`bodies`: those of the acts already checked, `ReadAhead`).

        A view that keeps history (`observe`) sees each change as it happens — the aggregate
        before the event, then after it — since the batch's changes share one aggregate."""
        observers = [v for v in self.views if hasattr(v, "observe")]
        behind = all(notifications[0].id > tracked[v.name] for v in observers)  # all see all
        changes: list[Change] = []
        refused: list[tuple[int, ActError]] = []
        mapper = cast(ActMapper, self.app.mapper)
        for n, body in zip(notifications, bodies, strict=True):
            try:
                if body is None:
                    event = cast(Aggregate.Event, mapper.to_domain_event(n))
                else:
                    event = cast(Aggregate.Event, mapper.to_sealed_domain_event(n, body))
            except ActError as error:
                # A row the service did not record: no view shows it, no leaf seals it.
                log.error("refused log position %d: %s", n.id, error)
                refused.append((n.id, error))
                continue
            watching = observers if behind else [v for v in observers if n.id > tracked[v.name]]
            if not watching:
                changes.append(Change(n.id, event, self.cache.advance(event), n.state, n.topic))
                continue
            change = Change(
                n.id, event, self.cache.advance(event, _before(watching, n.id)), n.state, n.topic
            )
            for view in watching:
                view.observe(change)
            changes.append(change)
        return changes, refused

    def _plan(
        self,
        tracked: dict[str, int],
        changes: list[Change],
        refused: list[tuple[int, ActError]],
        last: int,
    ) -> PlannedTx:
        """Every view's writes for the changes past its position, and its new position."""
        plan = PlannedTx()
        now = datetime.now(tz=UTC).isoformat()
        tracking: list[tuple[str, int, str]] = []  # (view, position, updated_at)
        for view in self.views:
            relevant = changes  # in log order: all of them when the first is past the view
            if changes and changes[0].position <= tracked[view.name]:
                relevant = [c for c in changes if c.position > tracked[view.name]]
            if relevant:
                view.apply(plan, relevant)
            refuse = getattr(view, "refuse", None)
            if refuse is not None:
                refuse(plan, [(p, e) for p, e in refused if p > tracked[view.name]])
            # A view already past this batch (added earlier, rebuilt later) keeps its place.
            tracking.append((view.name, max(tracked[view.name], last), now))
        if self.track:
            plan.executemany(_TRACK, tracking)  # one round trip for every view's position
        return plan

    def _commit(self, expected: dict[str, int], last: int, plan: PlannedTx, count: int) -> None:
        """Write one planned batch, unless another worker moved the views meanwhile."""
        try:
            with self.db.transaction() as tx:
                if self.track:
                    locked = _lock_tracking(tx, self.db.kind)
                    if {v.name: locked.get(v.name, 0) for v in self.views} != expected:
                        raise _RacedError
                plan.run(tx)
                if self.before_commit:
                    self.before_commit()
        except BaseException:
            self._forget()
            raise
        self._announce(last)
        if self.on_batch:
            self.on_batch(count, last)

    def _forget(self) -> None:
        """After a failed or raced batch: drop every in-memory state that ran ahead."""
        self.cache.clear()
        for view in self.views:
            forget = getattr(view, "forget", None)
            if forget is not None:
                forget()

    def _write_all(
        self, pending: queue.Queue[_Batch | None], failures: list[BaseException]
    ) -> None:
        try:
            while (batch := pending.get()) is not None:
                if not failures:
                    try:
                        self._commit(*batch)
                    except BaseException as error:
                        failures.append(error)
        finally:
            self.db.close()

    def run(self) -> None:
        """Loop until `stop()`: catch up, then wait for a notification or the poll interval.

        Any failure (the database gone, a broken connection) is logged and retried after the
        poll interval with fresh connections: the worker outlives outages without a restart.
        """
        listener: psycopg.Connection[Any] | None = None
        try:
            while not self.stopping.is_set():
                try:
                    if listener is None:
                        listener = self._listener()
                    applied = self.catch_up()
                    if applied >= BULK:
                        analyze(self.db, self.views)
                    if self.after_catch_up:
                        self.after_catch_up()
                    if not applied:
                        self._wait(listener)
                except Exception:
                    log.exception("batch failed; retrying after the poll interval")
                    _closed(listener)
                    listener = None
                    self.db.close()
                    self.stopping.wait(self.poll_interval)
        finally:
            _closed(listener)
            self.db.close()

    def stop(self) -> None:
        """Finish the current batch and return from `run`."""
        self.stopping.set()
        self._wake.set()

    def nudge(self) -> None:
        """Look at the log now rather than at the next poll (SQLite, in-process)."""
        self._wake.set()

    def wait_for(self, position: int, timeout: float) -> bool:
        """Block until the views reach `position` (for an in-process worker)."""
        deadline = time.monotonic() + timeout
        with self.caught_up:
            while self.position < position:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self.caught_up.wait(remaining)
        return True

    def _announce(self, position: int) -> None:
        with self.caught_up:
            self.position = max(self.position, position)
            self.caught_up.notify_all()

    def _listener(self) -> psycopg.Connection[Any] | None:
        if self.db.kind != "postgresql":
            return None
        conn = self.db.storage.connect()
        conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.db.storage.events_table)))
        return conn

    def _wait(self, listener: psycopg.Connection[Any] | None) -> None:
        if listener is None:
            self._wake.wait(self.poll_interval)
            self._wake.clear()
            return
        for _ in listener.notifies(timeout=self.poll_interval, stop_after=1):
            break


def _before(views: list[View], position: int) -> Callable[[Aggregate | None], None]:
    """Show `views` the aggregate before the event at `position` (before it changes)."""

    def seen(aggregate: Aggregate | None) -> None:
        for view in views:
            view.before(position, aggregate)  # type: ignore[attr-defined]

    return seen


def _closed(conn: psycopg.Connection[Any] | None) -> None:
    """Close a connection that may already be broken."""
    if conn is not None:
        with contextlib.suppress(psycopg.Error):
            conn.close()


class _RacedError(Exception):
    """Another worker moved the views between reading the log and writing the batch."""


def _lock_tracking(tx: Tx, kind: str) -> dict[str, int]:
    """Serialise workers (SQLite: BEGIN IMMEDIATE already did), then re-read positions."""
    if kind == "postgresql":
        tx.execute("SELECT pg_advisory_xact_lock(7415253)")
    rows = tx.query("SELECT view, position FROM projection_tracking")
    return {r["view"]: int(r["position"]) for r in rows}


_TRACK = (
    "INSERT INTO projection_tracking (view, position, updated_at) VALUES (?, ?, ?)"
    " ON CONFLICT (view) DO UPDATE SET position = excluded.position,"
    " updated_at = excluded.updated_at"
)


def _track(tx: Tx, view: str, position: int) -> None:
    tx.execute(_TRACK, (view, position, datetime.now(tz=UTC).isoformat()))


def reset_views(
    db: Database, views: Sequence[View], position: int = 0, defer: Sequence[str] = ()
) -> None:
    """Empty the views' tables and move them to `position` (0, or REBUILDING for a parallel
    rebuild, which builds the indexes of the tables `defer` at its end: `deferred_indexes`),
    atomically."""
    if not views:
        raise ValueError("no view to reset")
    if any(getattr(v, "append_only", False) for v in views):
        raise ValueError("the ledger is append-only: it is verified, never rebuilt")
    with db.transaction() as tx:
        _lock_tracking(tx, db.kind)
        _reset(tx, views, position, db.kind)
        if defer and db.kind == "postgresql":
            deferred_indexes.defer(tx, views, defer)


def reset_stale(db: Database, views: Sequence[View]) -> list[str]:
    """Empty, and move to 0, those of `views` still REBUILDING when no process of a rebuild is
    running (a rebuild that stopped left them): the names of those reset."""
    with db.transaction() as tx:
        tracked = _lock_tracking(tx, db.kind)
        if db.kind == "postgresql":
            free = tx.query(
                "SELECT pg_try_advisory_xact_lock(?, hashtext(?)) AS free",
                (REBUILD_LOCK, db.storage.schema),
            )
            if not free[0]["free"]:
                return []
        stale = [v for v in views if tracked.get(v.name) == REBUILDING]
        if stale:
            _reset(tx, stale, 0, db.kind)
        return _names(stale)


def _reset(tx: Tx, views: Sequence[View], position: int, kind: str) -> None:
    emptied(tx, [table for view in views for table in view.tables], kind)
    for view in views:
        _track(tx, view.name, position)
    restart(tx, _names(views))
    if kind == "postgresql":  # the indexes a stopped rebuild dropped, on the empty tables
        deferred_indexes.restore(tx, views)


def rebuilding(db: Database) -> bool:
    """Whether a view is being rebuilt (its tables hold a part of the log, not a prefix)."""
    return REBUILDING in positions(db, all_views()).values()


def _names(views: Sequence[View]) -> list[str]:
    return [view.name for view in views]


class NotRebuildingError(Exception):
    """The views a rebuild wrote are no longer REBUILDING (reset meanwhile)."""


def settle(db: Database, views: Sequence[View], position: int, step: Callable[[Tx], None]) -> None:
    """Move views that a parallel rebuild wrote from REBUILDING to `position`, with `step` (what
    the rebuild derives once every partition is written) in the same transaction: `step`
    first, then the workers' lock, taken only to check and move the positions (the workers
    apply batches to the other views meanwhile)."""
    with db.transaction() as tx:
        step(tx)
        tracked = _lock_tracking(tx, db.kind)
        if any(tracked.get(name) != REBUILDING for name in _names(views)):
            raise NotRebuildingError(f"{', '.join(_names(views))}: no longer being rebuilt")
        for view in views:
            _track(tx, view.name, position)


def analyze(db: Database, views: Sequence[View]) -> None:
    """Refresh the planner's statistics of the views' tables (after a rebuild or bulk load);
    on PostgreSQL, vacuum them too.

    Without statistics PostgreSQL plans queries on the freshly filled tables with those of the
    empty ones until autovacuum comes by: sequential scans where an index answers in 1 ms.
    Without a vacuum no page is marked all-visible, and a read the index alone could answer
    visits every row's page: the counts of the province's open or late clocks read 6,124 pages
    for 51 ms at a million events, where the index alone answers. A role that does not own the
    tables gets PostgreSQL's warning for each and nothing done (autovacuum does it later).
    """
    if db.kind == "postgresql":
        vacuum(db, [t for view in views for t in view.tables])
        return
    with db.transaction() as tx:
        tx.execute("ANALYZE")


def vacuum(db: Database, tables: Sequence[str]) -> None:
    """`VACUUM (ANALYZE)` of `tables` of a PostgreSQL store, on a connection of its own."""
    if not tables:
        return
    with maintenance(db) as conn:
        conn.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")


@contextlib.contextmanager
def maintenance(db: Database) -> Iterator[psycopg.Connection[Any]]:
    """A PostgreSQL connection of its own for maintenance (vacuums, index builds): in the
    store's schema, autocommit (VACUUM runs outside a transaction), no statement timeout (not
    a request's read)."""
    with db.storage.connect() as conn:
        in_schema(conn, db.storage.schema)
        conn.execute("SET statement_timeout = 0")
        yield conn


def status(app: Application[UUID], db: Database, views: Sequence[View]) -> list[dict[str, Any]]:
    """Each view's position, lag in events and the age of its oldest unapplied event."""
    head = app.recorder.max_notification_id() or 0
    now = datetime.now(tz=UTC)
    rows = []
    for name, position in positions(db, views).items():
        lag_seconds = 0.0
        if position < head:
            following = app.recorder.select_notifications(start=max(position, 0) + 1, limit=1)
            if following:
                event = cast(Aggregate.Event, app.mapper.to_domain_event(following[0]))
                lag_seconds = max(0.0, (now - event.timestamp).total_seconds())
        rows.append(
            {
                "view": name,
                "position": position,
                "head": head,
                "rebuilding": position == REBUILDING,
                "lag_events": head - max(position, 0),
                "lag_seconds": round(lag_seconds, 3),
            }
        )
    return rows
