"""One flask-smorest Blueprint per resource, and the helpers every view uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from flask import current_app, request
from werkzeug.exceptions import NotFound, PreconditionFailed

from domain.application import LedgerApplication
from domain.calendar import WorkingCalendar
from domain.read_policy import FULL, register_entry
from domain.values import local_date
from projections.db import Database
from projections.ledger.dossier import build_dossier
from projections.ledger.integrity import check_record
from projections.ledger.receipts import build_receipt
from projections.ledger.store import LedgerStore
from web.auth import context
from web.reads import Reads


def service() -> LedgerApplication:
    """The domain application of this process."""
    app: LedgerApplication = current_app.extensions["ledger.service"].get()
    return app


def if_match() -> int | None:
    """The version the caller expects (If-Match: "3", 3 or W/"3"), or None."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    value = header.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise PreconditionFailed(description='If-Match must be a version number such as "3"')
    return int(value)


def views(args: dict[str, Any]) -> Database:
    """The views' database, once they have applied `min_position` (popped from `args`)."""
    return read_point(args).db


@dataclass(frozen=True)
class ReadPoint:
    """Where a query reads: the live views now, or the views rebuilt as of a past moment."""

    db: Database
    today: date
    meta: dict[str, Any] | None

    def answer(self, body: dict[str, Any]) -> dict[str, Any]:
        """`body` with the as-of facts (log position, checkpoint) when answering the past."""
        return {**body, "as_of": self.meta}


def read_point(args: dict[str, Any]) -> ReadPoint:
    """Pop `min_position` / `as_of` from `args` and say where to read."""
    reads: Reads = current_app.extensions["ledger.reads"]
    reads.wait_for(args.pop("min_position", None))
    moment = args.pop("as_of", None)
    if moment is None:
        return ReadPoint(reads.db, today(), None)
    past = current_app.extensions["ledger.asof"].at(moment)
    return ReadPoint(past.db, local_date(moment), past.meta)


def today() -> date:
    """Today in Vietnam by the server clock."""
    return local_date(service().clock())


def calendar() -> WorkingCalendar:
    """The working-day calendar."""
    return service().calendar


def ledger_store(db: Database) -> LedgerStore:
    """The ledger as this deployment serves proofs: checkpoints meeting its witness policy."""
    store: LedgerStore = current_app.extensions["ledger.settings"].ledger_store(db)
    return store


def proven(initiative_id: UUID) -> None:
    """Serve nothing of an initiative whose stored events the ledger does not cover
    (RecordIntegrityError: answered 409 integrity-failure, naming the event)."""
    reads: Reads = current_app.extensions["ledger.reads"]
    grace = current_app.extensions["ledger.settings"].seal_grace
    check_record(service(), reads.db, initiative_id, service().clock(), grace)


def receipt_of(aggregate_id: UUID, version: int) -> dict[str, Any]:
    """The receipt of one event of an initiative (404 unknown, 409 not yet provable)."""
    restricted(aggregate_id, "receipts")
    proven(aggregate_id)
    if version < 1:
        raise NotFound(description="versions start at 1")
    reads: Reads = current_app.extensions["ledger.reads"]
    return build_receipt(service(), ledger_store(reads.db), aggregate_id, version)


def read_history(
    initiative_id: UUID, until: datetime | None, purpose: str | None
) -> list[dict[str, Any]]:
    """The history; an inspector's reading is recorded, with its purpose, before it is shown."""
    restricted(initiative_id, "history")
    proven(initiative_id)
    history = service().get_history(initiative_id, until)
    inspected(initiative_id, "history", purpose)
    return history


def inspected(initiative_id: UUID, what: str, purpose: str | None) -> None:
    """Record the reading when the caller is an inspector (purpose required: 422 without)."""
    ctx = context()
    if service().is_inspector(ctx):
        service().record_access(ctx, initiative_id, what, purpose)


def dossier_of(initiative_id: UUID, purpose: str | None) -> bytes:
    """The inspection dossier ZIP (an inspector's reading is recorded first)."""
    restricted(initiative_id, "dossier")
    proven(initiative_id)
    reads: Reads = current_app.extensions["ledger.reads"]
    archive = build_dossier(service(), ledger_store(reads.db), initiative_id)
    inspected(initiative_id, "dossier", purpose)
    return archive


def restricted(initiative_id: UUID, what: str) -> None:
    """The read policy's gate for the restricted record (docs/authorization.md)."""
    service().require_full_read(context(), initiative_id, what)


def readable_state(state: dict[str, Any]) -> dict[str, Any]:
    """The full state for those the initiative concerns, else its public register entry."""
    if service().read_level(context(), UUID(str(state["id"]))) == FULL:
        return state
    return register_entry(state)
