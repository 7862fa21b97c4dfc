"""The whole read model as it stood at a past moment, built apart from the live views.

The log is replayed up to the last event recorded at or before the moment into a private
in-memory set of views (the same view code, so the same rows the live views had then). The
answer names its log position and the first checkpoint covering it. Recent answers are
cached by log position.

The lists and dashboards of a past moment are answered from the live views' history instead
(projections/history.py, web.api.read_point); the replay remains the test oracle for them,
and answers only the moments before the views' history starts (a store upgraded to
bitemporal views, or to revision 0017's people and plans, and not rebuilt since), in the
web's bulkhead for heavy reads.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import Application

from projections.db import Database, MemoryDatabase
from projections.worker import Worker, all_views, create_view_tables, rebuildable


@dataclass(frozen=True)
class PastViews:
    """Views rebuilt up to `position`, and what proves that point of the log."""

    db: Database
    meta: dict[str, Any]


class AsOfViews:
    """Builds and caches past read models."""

    def __init__(self, app_factory: Any, live: Database, cache_size: int = 2) -> None:
        self.app_factory = app_factory
        self.live = live
        self.cache_size = cache_size
        self._cache: OrderedDict[int, Database] = OrderedDict()
        self._lock = threading.Lock()

    def position_at(self, moment: datetime) -> int:
        """The last log position recorded at or before `moment` (0: before the first)."""
        rows = self.live.query(
            "SELECT MAX(position) AS position FROM iv_audit WHERE recorded_at <= ?",
            (moment.isoformat(),),
        )
        return int(rows[0]["position"] or 0) if rows else 0

    def at(
        self, moment: datetime, gate: Callable[[], AbstractContextManager[object]] = nullcontext
    ) -> PastViews:
        """The read model as of `moment`, replayed; a replay (not an answer from the cache)
        runs inside `gate` (the web's bulkhead for heavy reads)."""
        position, meta = self.point(moment)
        return PastViews(self.replay(position, gate), meta)

    def point(self, moment: datetime) -> tuple[int, dict[str, Any]]:
        """The log position of `moment`, and the facts an as-of answer names (the position,
        the leaf and the first checkpoint covering it)."""
        position = self.position_at(moment)
        return position, {
            "as_of": moment.isoformat(),
            "log_position": position,
            **self._checkpoint(position),
        }

    def replay(
        self, position: int, gate: Callable[[], AbstractContextManager[object]] = nullcontext
    ) -> Database:
        """The views replayed up to `position` (cached)."""
        return self._views(position, gate)

    def _cached(self, position: int) -> Database | None:
        with self._lock:
            if position in self._cache:
                self._cache.move_to_end(position)
                return self._cache[position]
        return None

    def _views(
        self, position: int, gate: Callable[[], AbstractContextManager[object]]
    ) -> Database:
        cached = self._cached(position)
        if cached is not None:
            return cached
        with gate():
            cached = self._cached(position)  # built by another request while this one waited
            if cached is not None:
                return cached
            db = MemoryDatabase()
            views = rebuildable(all_views())
            create_view_tables(db, views)
            app: Application[UUID] = self.app_factory()
            worker = Worker(app, db, views, batch_size=5000, stop=position)
            worker.ledger = self.live  # a sealed act that does not verify: 409, not left out
            worker.catch_up()
        with self._lock:
            self._cache[position] = db
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return db

    def _checkpoint(self, position: int) -> dict[str, Any]:
        rows = self.live.query(
            "SELECT idx FROM ledger_leaves WHERE position <= ? ORDER BY position DESC LIMIT 1",
            (position,),
        )
        if not rows:
            return {"leaf_index": None, "checkpoint_size": None, "checkpoint": None}
        index = int(rows[0]["idx"])
        found = self.live.query(
            "SELECT size, note FROM ledger_checkpoints WHERE size > ? ORDER BY size LIMIT 1",
            (index,),
        )
        return {
            "leaf_index": index,
            "checkpoint_size": int(found[0]["size"]) if found else None,
            "checkpoint": found[0]["note"] if found else None,
        }
