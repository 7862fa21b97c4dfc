"""Dashboards answered from the shared answer cache (projections/answer_cache.py) when the
views have not moved since the answer was computed.

A question's key is a digest of: the dashboard; its filters, normalised (`min_position` and
`as_of` apart); the caller's visibility scope (`all` for the bodies that see every unit,
otherwise the caller's own person: two callers who may see different things never share an
answer, even where the gate already made the answer the same); the day its working days count
from; the working-day calendar; and a digest of the code that computes answers, so a deploy
never serves what an older release computed. The gate runs before any lookup, on every
request.

The answer is served only for exactly the positions it was computed at: every view's
tracking position now (read on each request; an answer computed while a view moved is served
but not stored), or, `as_of` a past moment, the log position that moment maps to. The answer
says which in its headers: `Answer-Cache` (`hit`, `miss` or `off`) and `Answer-Position`
(the position every view has reached, or the as-of log position).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flask import Flask, Response, after_this_request, current_app
from marshmallow import Schema

from domain.values import local_date
from projections import workdays
from projections.answer_cache import AnswerCache, Entry
from projections.db import Database
from projections.worker import all_views
from web.api import ReadPoint, calendar, not_after_now, past_point, service, today
from web.auth import context
from web.reads import Reads

Compute = Callable[[ReadPoint], dict[str, Any]]
ROOT = Path(__file__).resolve().parent.parent
CODE = ("domain", "projections", "web/api/dashboard.py", "web/answers.py")


def install(app: Flask, writes: bool) -> None:
    """The app's answer cache (DASHBOARD_CACHE); `writes`: not on a reader node."""
    settings = app.extensions["ledger.settings"]
    reads: Reads = app.extensions["ledger.reads"]
    app.extensions["ledger.answers"] = AnswerCache(
        reads.db,
        settings.dashboard_cache_bytes,
        timedelta(seconds=settings.dashboard_cache_seconds),
        writes=writes,
        enabled=settings.dashboard_cache,
    )


@functools.cache
def code_digest() -> str:
    """A digest of the source that computes the answers (the domain, the projections, this
    module and the dashboards' routes)."""
    digest = hashlib.sha256()
    for name in CODE:
        path = ROOT / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(str(file.relative_to(ROOT)).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()[:16]


def positions(db: Database) -> tuple[str, int, int]:
    """Every view's tracking position as one text, the highest and the lowest of them."""
    rows = {
        r["view"]: int(r["position"])
        for r in db.query("SELECT view, position FROM projection_tracking")
    }
    found = [(v.name, rows.get(v.name, 0)) for v in all_views()]
    values = [p for _, p in found]
    return ",".join(f"{n}={p}" for n, p in found), max(values), min(values)


def scope() -> str:
    """The caller's visibility: `all` for the bodies that see every unit, else their own."""
    ctx = context()
    if service().overseen_organisations(ctx, []) is None:
        return "all"
    return f"person:{ctx.person_id}"


def key_of(dashboard: str, args: dict[str, Any], who: str, day: date) -> str:
    """The question's key (the module's docstring)."""
    question = [
        dashboard,
        sorted((k, str(v)) for k, v in args.items() if v is not None),
        who,
        day.isoformat(),
        workdays.span_of(calendar()).key,
        code_digest(),
    ]
    return hashlib.sha256(json.dumps(question).encode()).hexdigest()


def serve(
    dashboard: str, args: dict[str, Any], compute: Compute, schema: Schema
) -> dict[str, Any] | Response:
    """The dashboard's answer for `args` (`min_position` waited for, `as_of` answered from
    the past), from the cache when it holds the answer at the views' current positions: then
    the stored JSON itself (as `schema` dumped it), not decoded and encoded again."""
    reads: Reads = current_app.extensions["ledger.reads"]
    reads.ready(args.pop("min_position", None))
    moment = args.pop("as_of", None)
    cache: AnswerCache = current_app.extensions["ledger.answers"]
    meta: dict[str, Any] | None = None
    if moment is not None:
        not_after_now(moment, "as_of")
        # The log position of the moment and the checkpoint covering it now (not when the
        # answer was cached): the key's position, and the as-of facts of a hit.
        head, meta = current_app.extensions["ledger.asof"].point(moment)
        position, lowest, day = f"asof:{head}", head, local_date(moment)
    else:
        position, head, lowest = positions(reads.db)
        day = today()
    if cache.writes and workdays.ready(reads.db, calendar()) is None:
        chosen = calendar()
        cache.later(lambda tx: workdays.fill(tx, chosen))  # meanwhile counted in Python
    if not cache.enabled or lowest < 0:  # off, or a view being rebuilt (projections/parallel.py)
        _mark("off", lowest)
        return compute(_point(reads, moment, day, head, meta))
    key = key_of(dashboard, args, scope(), day)
    hit = cache.get(key, position)
    if hit is not None:
        _mark("hit", lowest)
        chunks = with_as_of(hit, current_app.json.dumps(meta).encode())
        sent = Response(chunks, mimetype="application/json")
        sent.content_length = sum(len(c) for c in chunks)
        return sent
    _mark("miss", lowest)
    at = _point(reads, moment, day, head, meta)
    answer = compute(at)
    if moment is not None:
        # Kept only once every view has passed the position: before, the views' history
        # there may still lack the events a lagging view has not read.
        still = positions(reads.db)[2] >= head
    else:
        still = positions(reads.db)[0] == position  # no view moved meanwhile
    if still:
        stored = schema.dump({k: v for k, v in answer.items() if k != "as_of"})
        encoded = current_app.json.dumps(stored).encode()
        cache.put(Entry(key, dashboard, position, head, encoded))
    return answer


def with_as_of(stored: bytes, meta: bytes) -> list[bytes]:
    """A stored answer (a JSON object) with its `as_of` member added, as the chunks to send
    (the answer copied once, however long)."""
    return [stored[:-1], (b"," if len(stored) > 2 else b"") + b'"as_of":' + meta + b"}"]


def _point(
    reads: Reads, moment: Any, day: date, position: int, meta: dict[str, Any] | None
) -> ReadPoint:
    """Where to compute: the views now, or as of `moment` (at log `position`) as
    `web.api.read_point` reads it — the views' history, the replay only before it starts."""
    if moment is None or meta is None:
        return ReadPoint(reads.db, day, None)
    return past_point(moment, position, meta)


def _mark(how: str, position: int) -> None:
    @after_this_request
    def marked(response: Response) -> Response:
        response.headers["Answer-Cache"] = how
        response.headers["Answer-Position"] = str(position)
        return response
