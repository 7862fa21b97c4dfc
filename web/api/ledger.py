"""The public face of the ledger: checkpoints, the verifier key and proofs (no token needed:
they reveal hashes only). Receipts, which reveal content, live with the initiatives."""

from __future__ import annotations

import base64
from typing import Any

from flask import Response, current_app
from flask.views import MethodView
from marshmallow import fields, validate
from werkzeug.exceptions import NotFound, UnprocessableEntity

from domain.messages import msg
from projections.ledger.merkle import ProofError
from projections.ledger.store import LedgerStore
from projections.ledger.verify import TrustedKeys
from web.api import Blueprint
from web.schemas.common import AT_LEAST_0, AT_LEAST_1, StrictSchema

blp = Blueprint(
    "ledger",
    __name__,
    url_prefix="/api/v1/ledger",
    description="Tamper-evident ledger: checkpoints, key, proofs (public)",
)


def store() -> LedgerStore:
    """The ledger tables of this deployment."""
    store: LedgerStore = current_app.extensions["ledger.settings"].ledger_store(
        current_app.extensions["ledger.reads"].db
    )
    return store


def text(body: str) -> Response:
    """A text/plain answer."""
    return Response(body, mimetype="text/plain; charset=utf-8")


class CheckpointSchema(StrictSchema):
    """A stored checkpoint."""

    size = fields.Integer()
    root = fields.String(metadata={"description": "base64 SHA-256 root"})
    note = fields.String(metadata={"description": "the signed checkpoint (C2SP signed-note)"})
    created_at = fields.String()


class HistoryArgs(StrictSchema):
    """A page of checkpoints, newest first."""

    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    before = fields.Integer(validate=AT_LEAST_1)


class InclusionArgs(StrictSchema):
    """Which leaf, in which tree."""

    index = fields.Integer(required=True, validate=AT_LEAST_0)
    size = fields.Integer(required=True, validate=AT_LEAST_1)


class ConsistencyArgs(StrictSchema):
    """From which tree size to which."""

    from_ = fields.Integer(required=True, data_key="from", validate=AT_LEAST_1)
    to = fields.Integer(required=True, validate=AT_LEAST_1)


class ProofSchema(StrictSchema):
    """Proof hashes, base64, in RFC 9162 order."""

    index = fields.Integer()
    size = fields.Integer()
    hashes = fields.List(fields.String())


class ConsistencySchema(StrictSchema):
    """A consistency proof."""

    from_ = fields.Integer(data_key="from")
    to = fields.Integer()
    hashes = fields.List(fields.String())


def _b64(hashes: list[bytes]) -> list[str]:
    return [base64.b64encode(h).decode() for h in hashes]


def _proof(make: Any) -> list[str]:
    try:
        return _b64(make())
    except ProofError as error:
        raise UnprocessableEntity(description=str(error)) from error


@blp.route("/checkpoint")
class Latest(MethodView):
    """The latest checkpoint."""

    @blp.response(200, content_type="text/plain")
    def get(self) -> Response:
        """The latest signed checkpoint (C2SP tlog-checkpoint), as text."""
        latest = store().latest()
        if latest is None:
            raise NotFound(description=msg("no checkpoint has been issued yet"))
        return text(latest.note)


@blp.route("/checkpoints")
class History(MethodView):
    """Every checkpoint issued."""

    @blp.arguments(HistoryArgs, location="query")
    @blp.response(200, CheckpointSchema(many=True))
    def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """Checkpoints, newest first (page with `before`)."""
        return [
            {
                "size": c.size,
                "root": base64.b64encode(c.root).decode(),
                "note": c.note,
                "created_at": c.created_at,
            }
            for c in store().history(args["limit"], args.get("before"))
        ]


@blp.route("/key")
class Key(MethodView):
    """The verifier key."""

    @blp.response(200, content_type="text/plain")
    def get(self) -> Response:
        """The log's verifier keys, one per line (C2SP signed-note format): the checkpoint key
        (named as the origin), then every act key (named `<origin>/acts`). Publish them out of
        band too: a verifier needs both to check a receipt."""
        keys = trusted_keys()
        if keys is None:
            raise NotFound(description=msg("this deployment has no ledger key configured"))
        return text(keys.encode())


def trusted_keys() -> TrustedKeys | None:
    """The keys a verifier of this deployment needs, or None without a checkpoint key."""
    verifier = current_app.extensions["ledger.settings"].verifier()
    if verifier is None:
        return None
    return TrustedKeys.of(verifier, current_app.extensions["ledger.service"].acts)


@blp.route("/proofs/inclusion")
class Inclusion(MethodView):
    """Inclusion proofs."""

    @blp.arguments(InclusionArgs, location="query")
    @blp.response(200, ProofSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The inclusion proof of leaf `index` in the tree of `size` leaves."""
        hashes = _proof(lambda: store().inclusion(args["index"], args["size"]))
        return {"index": args["index"], "size": args["size"], "hashes": hashes}


@blp.route("/proofs/consistency")
class Consistency(MethodView):
    """Consistency proofs."""

    @blp.arguments(ConsistencyArgs, location="query")
    @blp.response(200, ConsistencySchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The proof that the tree of `to` leaves extends the tree of `from` leaves."""
        hashes = _proof(lambda: store().consistency(args["from_"], args["to"]))
        return {"from_": args["from_"], "to": args["to"], "hashes": hashes}
