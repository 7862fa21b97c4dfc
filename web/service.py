"""The per-process domain application, built on first use so a forking server never shares it."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from datetime import datetime

from psycopg_pool import ConnectionPool

from domain.application import LedgerApplication
from domain.values import utc_now
from projections.db import Database
from projections.ledger import verifications
from projections.ledger.acts import ActKeys
from projections.ledger.check import verify_log
from projections.ledger.guard import INSERT_ONLY, grant_service_role
from projections.ledger.store import Checkpointer
from projections.ledger.witnessing import Cosigning
from projections.storage import VIEW_TABLES, Storage
from web.config import Settings

log = logging.getLogger(__name__)


class ServiceHolder:
    """Builds the LedgerApplication lazily, once per process (gunicorn workers fork)."""

    def __init__(
        self, storage: Storage, acts: ActKeys, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self.storage = storage
        self.acts = acts
        self.clock = clock
        self._lock = threading.Lock()
        self._app: LedgerApplication | None = None
        self._pid = 0

    def get(self) -> LedgerApplication:
        """The application of this process; web processes never create tables."""
        if self._app is None or self._pid != os.getpid():
            with self._lock:
                if self._app is None or self._pid != os.getpid():
                    env = self.storage.eventsourcing_env(create_tables=False)
                    self._app = LedgerApplication(
                        env=env, clock=self.clock, mapper=self.acts.mapper
                    )
                    self._pid = os.getpid()
        return self._app

    def pool_stats(self) -> dict[str, int] | None:
        """The event store's pool of connections in this process, as psycopg_pool counts it
        (PostgreSQL; None on SQLite or before the application's first use here)."""
        app = self._app
        if app is None or self._pid != os.getpid():
            return None
        pool = getattr(getattr(app.recorder, "datastore", None), "pool", None)
        return pool.get_stats() if isinstance(pool, ConnectionPool) else None

    def close(self) -> None:
        """Release connections."""
        if self._app is not None and self._pid == os.getpid():
            self._app.close()
        self._app = None


def migrate(storage: Storage, service_role: str | None = None) -> None:
    """Bring the schema and every table to the newest revision (migrations/: the release step;
    web and worker never do), as the owner; with `service_role`, grant that role what the
    service needs and no more. A store the previous release made is recognised and upgraded;
    one that cannot be migrated raises migrations.MigrationError, nothing changed."""
    import migrations  # alembic and SQLAlchemy: only the release step loads them

    log.info("schema of %s: %s", storage.describe(), migrations.upgrade(storage))
    if service_role:
        db = Database(storage)
        try:
            views = tuple(t for t in VIEW_TABLES if t not in INSERT_ONLY)
            grant_service_role(db, service_role, views)
        finally:
            db.close()


def ledger_duties(
    settings: Settings, db: Database, app: Callable[[], LedgerApplication]
) -> Callable[[], object] | None:
    """What the worker does after each catch-up: sign a checkpoint when leaves are new (every
    CHECKPOINT_INTERVAL), get the newest one cosigned by the witnesses, and every
    LEDGER_VERIFY_INTERVAL seconds verify the whole log and keep the result (what
    `/api/health` reports). None without a checkpoint signing key."""
    signer = settings.signer()
    if signer is None:
        return None
    checkpointer = Checkpointer(db, signer, settings.ledger_origin, settings.checkpoint_interval)
    witnesses = settings.witnesses()
    cosigning = Cosigning(db, witnesses) if witnesses else None
    interval = settings.verify_interval
    next_check = [time.monotonic() + interval]

    def duties() -> None:
        checkpointer.maybe_issue()
        if cosigning is not None:
            cosigning.run()
        if interval > 0 and time.monotonic() >= next_check[0]:
            report = verify_log(app(), db, signer.verifier)
            verifications.record(db, report)
            if not report.ok:
                log.error("ledger verification found %d problems", len(report.problems))
            next_check[0] = time.monotonic() + interval

    return duties
