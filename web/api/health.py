"""Liveness and storage kind."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields

from web.api import service
from web.schemas.common import StrictSchema

blp = Blueprint("health", __name__, url_prefix="/api", description="Service health")


class HealthSchema(StrictSchema):
    """The service is up and its event store answers."""

    status = fields.String()
    storage = fields.String()
    log_position = fields.Integer()
    views_position = fields.Integer()
    views_lag = fields.Integer(metadata={"description": "events not yet applied to every view"})


@blp.route("/health")
class Health(MethodView):
    """Health of the service."""

    @blp.response(200, HealthSchema)
    def get(self) -> dict[str, Any]:
        """Report liveness, the storage kind and the head of the event log."""
        kind = current_app.extensions["ledger.service"].storage.kind
        head = service().recorder.max_notification_id() or 0
        views = current_app.extensions["ledger.reads"].lowest_position()
        return {
            "status": "ok",
            "storage": kind,
            "log_position": head,
            "views_position": views,
            "views_lag": head - views,
        }
