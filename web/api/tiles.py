"""The log for monitors, without an account: `GET /log/checkpoint` and the hash tiles of
c2sp.org/tlog-tiles under `/log/tile/`. Hashes only (no entry bundles: the records are
restricted); every tile is within the newest checkpoint that meets the witness policy."""

from __future__ import annotations

from flask import Blueprint, Response, current_app

from projections.ledger.store import LedgerStore
from projections.ledger.tiles import TileError, available, parse_tile_path

bp = Blueprint("tiles", __name__, url_prefix="/log")


def _store() -> LedgerStore:
    store: LedgerStore = current_app.extensions["ledger.settings"].ledger_store(
        current_app.extensions["ledger.reads"].db
    )
    return store


def _text(status: int, body: str) -> Response:
    response = Response(body, status=status, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/checkpoint")
def checkpoint() -> Response:
    """The newest checkpoint meeting the witness policy, with its cosignatures."""
    latest = _store().latest()
    if latest is None:
        return _text(404, "no checkpoint has been issued (and cosigned) yet\n")
    response = Response(latest.note, mimetype="text/plain")
    response.headers["Cache-Control"] = "max-age=2"
    return response


@bp.get("/tile/<path:path>")
def tile(path: str) -> Response:
    """A full or partial hash tile."""
    try:
        level, index, width = parse_tile_path(path)
    except TileError as error:
        return _text(400, f"{error}\n")
    store = _store()
    latest = store.latest()
    have = available(level, latest.size) if latest else 0
    if index * 256 + width > have:
        return _text(404, "the tree of the newest checkpoint has no such tile\n")
    try:
        data = store.tile(level, index, width)
    except LookupError as error:
        return _text(404, f"{error}\n")
    response = Response(data, mimetype="application/octet-stream")
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
