"""What the operators' monitoring reads from the database when Prometheus scrapes
(web/metrics.py, docs/operations.md "Metrics"): how far the worker and the sealer are behind
the head of the log, how old the newest signed and cosigned checkpoints are and how many
leaves wait for one, and the last full verification's result and age.

Each figure is one small query on a primary key or an index (the log's head, the views'
tracking rows, the newest leaf, checkpoint, cosignature and verification), the same ones the
health endpoint and the ledger page read: a scrape costs a few milliseconds however long the
log is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from projections.db import Database
from projections.ledger import verifications
from projections.ledger.sealing import SealingView, tree_size
from projections.ledger.store import LedgerStore
from projections.worker import all_views, positions


@dataclass(frozen=True)
class LedgerGauges:
    """The state of the log, the views and the ledger at one moment."""

    head: int  # the log position of the newest stored event
    worker_lag: int  # events not yet applied to every view (the health endpoint's views_lag)
    sealing_lag: int  # events the sealer has not yet sealed (or refused)
    sealed_leaves: int
    refused: int  # stored rows the sealer refused as not the service's acts
    checkpoint_size: int  # leaves covered by the newest signed checkpoint (0: none yet)
    checkpoint_age: float | None  # seconds since it was signed (None: none yet)
    # With a witness policy (a quorum of at least one witness), else None: the newest
    # checkpoint the quorum cosigned, its size (0: none yet) and seconds since it was.
    cosigned_size: int | None
    cosigned_age: float | None
    verification_ok: bool | None  # the last full verification (None: none yet)
    verification_age: float | None

    @property
    def checkpoint_pending(self) -> int:
        """Sealed leaves no signed checkpoint covers yet."""
        return max(0, self.sealed_leaves - self.checkpoint_size)

    @property
    def cosigning_pending(self) -> int | None:
        """Leaves covered by a signed checkpoint but by none the quorum cosigned."""
        if self.cosigned_size is None:
            return None
        return max(0, self.checkpoint_size - self.cosigned_size)


def log_head(db: Database) -> int:
    """The log position of the newest stored event (0 for an empty log): the maximum of the
    event store's primary key."""
    column = "rowid" if db.kind == "sqlite" else "notification_id"
    rows = db.query(f"SELECT MAX({column}) AS head FROM {db.storage.events_table}")
    head = rows[0]["head"] if rows else None
    return 0 if head is None else int(head)


def read_gauges(db: Database, store: LedgerStore, now: datetime | None = None) -> LedgerGauges:
    """Read every figure (raises what the database raises when it cannot be read)."""
    now = now or datetime.now(tz=UTC)
    head = log_head(db)
    tracked = positions(db, all_views())
    newest = store.newest()
    cosigned = store.last_cosigned() if store.quorum > 0 else None
    last = verifications.latest(db)
    refused = db.query("SELECT COUNT(*) AS n FROM ledger_refused")
    return LedgerGauges(
        head=head,
        worker_lag=max(0, head - min(tracked.values())),
        sealing_lag=max(0, head - tracked[SealingView.name]),
        sealed_leaves=tree_size(db),
        refused=int(refused[0]["n"]),
        checkpoint_size=newest.size if newest else 0,
        checkpoint_age=_age(now, _moment(newest.created_at)) if newest else None,
        cosigned_size=(cosigned["size"] if cosigned else 0) if store.quorum > 0 else None,
        cosigned_age=(
            _age(now, datetime.fromtimestamp(int(cosigned["signed_at"]), tz=UTC))
            if cosigned
            else None
        ),
        verification_ok=bool(last["ok"]) if last else None,
        verification_age=_age(now, _moment(str(last["verified_at"]))) if last else None,
    )


def _moment(text: str) -> datetime:
    """A stored ISO time (written in UTC by the service; a time without a zone is UTC)."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _age(now: datetime, then: datetime) -> float:
    """Seconds from `then` to `now`, never negative (clocks of two hosts may disagree)."""
    return max(0.0, (now - then).total_seconds())
