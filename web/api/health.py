"""Liveness and storage kind."""

from __future__ import annotations

import time
from typing import Any

from flask import current_app
from flask.views import MethodView
from marshmallow import fields

from projections.ledger import verifications
from web.api import Blueprint, service
from web.schemas.common import StrictSchema

blp = Blueprint("health", __name__, url_prefix="/api", description="Service health")


class HealthSchema(StrictSchema):
    """The service is up and its event store answers."""

    status = fields.String()
    storage = fields.String()
    node = fields.String(
        metadata={
            "description": "writer, or reader: a node that answers reads from a replica"
            " (LEDGER_NODE); compare its log_position with a writer's to see the replica's lag"
        }
    )
    log_position = fields.Integer()
    views_position = fields.Integer()
    views_lag = fields.Integer(metadata={"description": "events not yet applied to every view"})
    integrity = fields.String(
        metadata={
            "description": "ok (the last full verification found nothing), failed (it found"
            " something, or the sealer refused a row that is not an act), unverified"
        }
    )
    last_verification = fields.String(allow_none=True)
    findings = fields.List(fields.String(), metadata={"description": "the first 20 findings"})
    witnesses = fields.Integer(metadata={"description": "witnesses configured"})
    witness_quorum = fields.Integer()
    cosigned_size = fields.Integer(
        allow_none=True,
        metadata={"description": "the newest checkpoint cosigned by the quorum (its size)"},
    )
    cosigned_age_seconds = fields.Float(
        allow_none=True,
        metadata={"description": "seconds since the quorum cosigned it (null: never)"},
    )


@blp.route("/health")
class Health(MethodView):
    """Health of the service."""

    @blp.response(200, HealthSchema)
    def get(self) -> dict[str, Any]:
        """Report liveness, the storage kind and the head of the event log."""
        kind = current_app.extensions["ledger.service"].storage.kind
        head = service().recorder.max_notification_id() or 0
        reads = current_app.extensions["ledger.reads"]
        views = reads.lowest_position()
        settings = current_app.extensions["ledger.settings"]
        store = settings.ledger_store(reads.db)
        cosigned = store.last_cosigned()
        return {
            **verifications.integrity(reads.db),
            "witnesses": len(store.witnesses),
            "witness_quorum": store.quorum,
            "cosigned_size": cosigned["size"] if cosigned else None,
            "cosigned_age_seconds": (
                round(time.time() - cosigned["signed_at"], 1) if cosigned else None
            ),
            "status": "ok",
            "storage": kind,
            "node": settings.node,
            "log_position": head,
            "views_position": views,
            "views_lag": head - views,
        }
