"""The inspection page: what an inspector looks for (head overrides, acts outside approval,
decisions without the party committee's opinion, protection measures other than recommended,
proposals submitted but never received, leadership meetings without a quorum, missed
deadlines, who read what), for the whole service
or one organisation with every organisation under it, and for a period.

The period is a year (`2025`), a half (`2025-H1`), a quarter (`2025-Q3`), a month (`2025-07`)
(domain/period.py) or the dates `from`/`to` (Vietnam days, both included). An initiative
belongs to a period when it was active in it: created before the period ended and acted on
since it began. A deadline belongs to it when it fell due in it; a reading of a record when it
was made in it. Every table's download (`?export=…&table=…`) keeps the filters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from flask import request

from domain.errors import InvalidError, NotFoundError
from domain.messages import msg
from domain.period import Period
from domain.quorum import Quorum, quorum_on, quorum_rules
from domain.values import VIETNAM_TZ
from projections import due, queries, roll_ups
from projections.db import Database
from projections.meeting_queries import leadership_meetings
from web.api import calendar, service, today
from web.auth import context
from web.pages import bp
from web.pages.views import db, names, page
from web.refusals import page_language, say

LIMIT = 200  # initiatives in one table of the page (its download holds as many)


@dataclass(frozen=True)
class Scope:
    """What the inspector asked to see: an organisation (and those under it) and a period."""

    organisation: str | None = None
    organisations: frozenset[str] | None = None
    first: date | None = None
    last: date | None = None

    @property
    def since(self) -> datetime | None:
        """The moment the period begins (its first Vietnam day's start)."""
        return datetime.combine(self.first, time(), VIETNAM_TZ) if self.first else None

    @property
    def until(self) -> datetime | None:
        """The moment the period has ended (the start of the Vietnam day after its last)."""
        return (
            datetime.combine(self.last + timedelta(days=1), time(), VIETNAM_TZ)
            if self.last
            else None
        )

    def initiatives(self) -> dict[str, Any]:
        """The filters of `queries.list_initiatives` for this scope (moments as the views
        record them: UTC, ISO)."""
        return {
            "organisations": self.organisations,
            "active_since": self.since.astimezone(UTC).isoformat() if self.since else None,
            "active_until": self.until.astimezone(UTC).isoformat() if self.until else None,
        }

    def holds(self, organisation_id: str, day: str) -> bool:
        """Whether a row of `organisation_id` dated `day` (ISO) lies in this scope."""
        if self.organisations is not None and organisation_id not in self.organisations:
            return False
        on = date.fromisoformat(day)
        return (self.first is None or on >= self.first) and (self.last is None or on <= self.last)


def _day(name: str) -> date | None:
    text = request.args.get(name, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidError(
            "{field} is a date such as 2025-07-31, not {text!r}", name, text=text
        ) from None


def scope_of(database: Database) -> Scope:
    """The scope the request's query asks for (InvalidError, a 422 page, when unusable)."""
    period = request.args.get("period", "").strip()
    first, last = _day("from"), _day("to")
    if period:
        if first or last:
            raise InvalidError("choose a period or dates (from, to), not both", "period")
        found = Period.parse(period)
        first, last = found.first, found.last
    if first and last and first > last:
        raise InvalidError(
            "the period ends ({last}) before it begins ({first})", "to", last=last, first=first
        )
    asked = request.args.get("organisation", "").strip()
    if not asked:
        return Scope(first=first, last=last)
    known = {o["id"] for o in queries.directory_organisations(database)}
    try:
        organisation = str(UUID(asked))
    except ValueError:
        organisation = ""
    if organisation not in known:
        raise InvalidError(
            "no organisation {asked!r} in the directory", "organisation", asked=asked
        )
    return Scope(organisation, frozenset(roll_ups.under(database, organisation)), first, last)


@bp.get("/inspection")
def inspection() -> Any:
    """Head overrides, missed deadlines, acts outside approval, party opinion, protection,
    submissions never received, readings; for an organisation (with those under it) and a
    period."""
    service().require_oversight(context(), None, msg("inspection view"))
    database = db()
    scope = scope_of(database)
    every = {"visible_to": None, **scope.initiatives()}

    def listed(**flags: Any) -> list[dict[str, Any]]:
        found = queries.list_initiatives(database, {**every, **flags}, "-updated_at", LIMIT, None)
        rows: list[dict[str, Any]] = found["items"]
        return rows

    within = queries.ReadScope(within=scope.organisations)
    clocks = due.deadlines(database, today(), calendar(), within)
    missed = [c for c in clocks["missed"] if scope.holds(c["organisation_id"], c["due_on"])]
    by_agency: dict[str, dict[str, int]] = {}
    for kind in ("missed", "running"):
        for c in clocks[kind]:
            if scope.holds(c["organisation_id"], c["due_on"]):
                by_agency.setdefault(c["organisation_id"], {"missed": 0, "running": 0})[kind] += 1
    # Submitted, and no clerk has recorded its receipt: the receipt clock still runs (or ran
    # out), counted from the day of submission.
    unreceived = [
        c
        for c in clocks["missed"] + clocks["running"]
        if c["name"] == "receipt"
        and c["finished_on"] is None
        and scope.holds(c["organisation_id"], c["started_on"])
    ]
    decided = [
        r for r in listed() if r["approval_basis"] and "approval" not in r["party_opinions"]
    ]
    readings = {
        "event_type": "Accessed",
        "organisations": scope.organisations,
        "since": scope.since,
        "until": scope.until,
    }
    return page(
        "inspection.html",
        scope=scope,
        organisations=queries.directory_organisations(database),
        overrides=listed(head_override=True),
        outside=listed(outside_approval=True),
        mismatches=queries.protection(database, True, scope.initiatives()),
        missed=missed,
        missed_by_agency=by_agency,
        unreceived=sorted(unreceived, key=lambda c: (c["started_on"], c["initiative_id"])),
        without_opinion=decided,
        without_quorum=without_quorum(database, scope),
        access=queries.audit(database, readings, 50, None)["items"],
        names=names(database),
    )


def without_quorum(database: Database, scope: Scope) -> list[dict[str, Any]]:
    """The leadership meetings of the scope (by the meeting's day) whose members present were
    fewer than the quorum: of the members eligible to vote that day, as the meeting's event
    records them, the number the deciding agency's rule in force that day requires (its own
    rule as the directory now records it, else more than half: `domain/quorum.py`, the rule
    the service enforces). The service refuses such a meeting; one recorded before the rule
    was enforced, or before the agency's own rule was entered, may lack it."""
    rules: dict[str, tuple[Quorum, ...]] = {}
    found = []
    for meeting in leadership_meetings(database, scope.organisations):
        data = meeting["data"]
        day = str(data["meeting_date"])
        if not scope.holds(meeting["organisation_id"], day):
            continue
        eligible = {str(p) for p in data.get("eligible_voter_ids") or ()}
        present = len(eligible & {str(p) for p in data.get("attendee_ids") or ()})
        deciding = str(meeting["deciding_id"])
        if deciding not in rules:
            rules[deciding] = _rules(deciding)
        quorum = quorum_on(rules[deciding], date.fromisoformat(day))
        if quorum.met(present, len(eligible)):
            continue
        rule = quorum.said
        found.append(
            {
                "initiative_id": meeting["initiative_id"],
                "title": meeting["title"],
                "organisation_id": meeting["organisation_id"],
                "meeting_date": date.fromisoformat(day),
                "members_present": present,
                "members_eligible": len(eligible),
                "members_needed": quorum.needed(len(eligible)),
                "quorum_rule": say(rule.template, rule.params, str(rule), page_language()),
            }
        )
    return found


def _rules(organisation: str) -> tuple[Quorum, ...]:
    """An organisation's own quorum rules (none when the directory has no such one)."""
    try:
        answer = service().get_organisation(UUID(organisation))
    except (ValueError, NotFoundError):
        return ()
    return quorum_rules(answer.get("quorum") or ())
