"""Read queries over the views: lists, dashboards, audit feed, projection status."""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from domain.calendar import WorkingCalendar
from domain.clocks import calendar_notes
from projections.db import Database, Row
from projections.history import held, held_by_span, held_unindexed, held_within, org_is
from projections.initiative_filters import initiative_filters
from projections.ledger.leaf import plain_state
from projections.ledger.story import ENVELOPE

SORTS = {"updated_at", "created_at", "title"}
WAITING = ("submitted", "under_review", "clarification_requested", "urgent_reported")
RUNNING = ("in_progress", "suspended")


class QueryError(ValueError):
    """A filter, sort or cursor the caller sent cannot be used."""


@dataclass(frozen=True)
class ReadScope:
    """Whose rows a dashboard reads and when: one organisation's (`organisation_id`), or
    those of the organisations `within` (a page's organisation and those under it), or (both
    None) every organisation's; as the views held them at log position `at` (None: now;
    projections/history.py)."""

    organisation_id: str | None = None
    at: int | None = None
    within: frozenset[str] | None = None

    def organisations(self) -> list[str] | None:
        """The organisations whose rows are read, in order (None: every one)."""
        if self.within is not None:
            return sorted(self.within)
        return [self.organisation_id] if self.organisation_id else None


ALL_NOW = ReadScope()  # every organisation's rows, as the views hold them now


def encode_cursor(values: list[Any]) -> str:
    """An opaque cursor for the next page."""
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


def decode_cursor(cursor: str) -> tuple[str, str]:
    """Read a cursor — the sort value (text: every sort key is) and the last row's id (a
    UUID); QueryError when it is not one `encode_cursor` made."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        value, last_id = values
        if not isinstance(value, str) or "\x00" in value or len(value) > 500:
            raise ValueError("bad sort value")
        value.encode()  # a lone surrogate cannot reach the database: UnicodeEncodeError
        last_id = str(UUID(str(last_id)))
    except (ValueError, TypeError) as error:
        raise QueryError("the cursor is not one this service issued") from error
    return value, last_id


def _initiative(row: Row) -> Row:
    state = json.loads(row.pop("state"))
    for column in ("search", "from_position", "to_position"):
        row.pop(column, None)
    for flag in (
        "protection_mismatch",
        "protection_requested",
        "head_override",
        "outside_approval",
    ):
        row[flag] = bool(row[flag])
    return {
        **row,
        "proposer_ids": state["proposer_ids"],
        "assignee_ids": state["assignee_ids"],
        "party_opinions": state.get("party_opinions", []),
    }


def list_initiatives(
    db: Database,
    filters: dict[str, Any],
    sort: str,
    limit: int,
    cursor: str | None,
    at: int | None = None,
) -> dict[str, Any]:
    """Initiatives matching `filters`, ordered by `sort` (`-` for descending), a page at a
    time; as they were at log position `at` (None: now)."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORTS:
        raise QueryError(f"sort by one of {', '.join(sorted(SORTS))}, optionally with '-'")
    where, params = initiative_filters(filters, at, db.kind)
    # As of a past position, the whole list (or a search) newest first walks the index of
    # every version from the bound (`_walked`); a narrower one reads the versions its filters'
    # indexes find (migrations r0009, r0012) and sorts them, which the planner, misjudging how
    # few rows an OR of organisations or a person keeps, would otherwise trade for that walk
    # (measured at 300,000 events: 160 ms against 18).
    narrowed = len(where) > 1 + bool(filters.get("q"))  # more than `held` and the search
    order = "DESC" if descending else "ASC"
    position: list[str] = []  # where the page starts: the cursor, the bound
    position_params: list[Any] = []
    if cursor:
        value, last_id = decode_cursor(cursor)
        op = "<" if descending else ">"
        position.append(f"(i.{key} {op} ? OR (i.{key} = ? AND i.id {op} ?))")
        position_params += [value, value, last_id]
    rows = None
    if at is not None and sort == "-updated_at" and not narrowed:
        bound = updated_bound(db, at)
        if bound is None:  # no initiative had a version yet
            return {"items": [], "next_cursor": None}
        position.append(f"i.{key} <= '{bound}'")
        rows = _walked(db, key, at, where[1:], params, position, position_params, limit + 1)
        if rows is None:  # the versions there mostly did not hold: those that did, by the span
            where = [held_by_span("i", at, db.kind), *where[1:]]
    if rows is None:
        selected = "SELECT i.* FROM iv_initiatives i WHERE " + " AND ".join(where + position)
        if at is not None and narrowed:
            selected = f"WITH kept AS MATERIALIZED ({selected}) SELECT i.* FROM kept i"
        rows = db.query(
            selected + f" ORDER BY i.{key} {order}, i.id {order} LIMIT ?",
            [*params, *position_params, limit + 1],
        )
    page = [_initiative(r) for r in rows[:limit]]
    following = None
    if len(rows) > limit:
        following = encode_cursor([page[-1][key], page[-1]["id"]])
    return {"items": page, "next_cursor": following}


# The versions a list newest first as of a past position reads in order before it gives the
# walk up for the planner's choice (a search of a word the early log rarely holds would pass
# most of the table: 56 ms at a tenth of 300,000 events where the planner's plan takes 3).
WALK = 2000


def _walked(
    db: Database,
    key: str,
    at: int,
    filters: list[str],
    filter_params: list[Any],
    position: list[str],
    position_params: list[Any],
    wanted: int,
) -> list[Row] | None:
    """The first `wanted` versions that held at `at` and match `filters`, newest first, read
    from the index by `updated_at` from `position` (the bound, the cursor) — or None when the
    first WALK versions there hold fewer: what the walk found then is the start of the answer,
    not all of it, and the caller asks the planner. (`held` is written so that no index
    answers it: with it, the planner, once the table's pages are all visible, trades the walk
    for every version that held, sorted; 1.8 against 16-19 ms at a quarter of 300,000
    events.)"""
    walked = (
        "SELECT i.* FROM iv_initiatives i WHERE "
        + " AND ".join(position)
        + f" ORDER BY i.{key} DESC, i.id DESC LIMIT {WALK}"
    )
    kept = " AND ".join([held_unindexed("i", at), *filters])
    rows = db.query(
        f"SELECT i.* FROM ({walked}) AS i WHERE {kept} ORDER BY i.{key} DESC, i.id DESC LIMIT ?",
        [*position_params, *filter_params, wanted],
    )
    return rows if len(rows) >= wanted else None


def updated_bound(db: Database, at: int) -> str | None:
    """The greatest `updated_at` of the initiatives' versions begun at or before log position
    `at` (None: none was). No version that held at `at` was updated later, so a list newest
    first as of `at` walks the index of every version from there, not from the versions
    written since (migrations r0010). Not a bound of `created_at`: on a store whose history
    began after an initiative's first event, that time is in no version's `updated_at`.
    Written into the statement as a literal, so that the planner weighs the walk by the value
    itself: it is a time this service wrote, and is refused unless it reads back as one."""
    rows = db.query(
        "SELECT updated_at FROM iv_updated_max WHERE position <= ? ORDER BY position DESC LIMIT 1",
        [int(at)],
    )
    if not rows:
        return None
    value = str(rows[0]["updated_at"])
    if datetime.fromisoformat(value).isoformat() != value:
        raise ValueError(f"iv_updated_max holds {value!r}, not a time this service wrote")
    return value


def inbox(
    db: Database,
    organisation_id: str,
    today: date,
    calendar: WorkingCalendar,
    at: int | None = None,
) -> list[Row]:
    """Proposals awaiting a decision by `organisation_id`, most urgent first, each with what
    it waits for and who must act next (`next_actors`); as at log position `at` (None: now)."""
    rows = db.query(
        "SELECT i.id, i.title, i.status, i.regime, i.employing_organisation_id, i.updated_at,"
        " c.started_on, c.due_on, i.state FROM iv_initiatives i LEFT JOIN iv_clocks c"
        " ON c.initiative_id = i.id AND c.name = 'approval_decision' AND c.finished_on IS NULL"
        f" AND {held('c', at, db.kind)} WHERE {org_is('i.addressee_id', at, db.kind)}"
        f" AND i.status IN ({', '.join('?' for _ in WAITING)}) AND {held('i', at, db.kind)}",
        [organisation_id, *WAITING],
    )
    waits = [json.loads(row.pop("state")).get("awaits") for row in rows]
    for row in rows:
        due = row["due_on"]
        row["working_days_left"] = (
            calendar.working_days_between(today, date.fromisoformat(due)) if due else None
        )
    next_actors(db, rows, waits, at)
    return sorted(rows, key=lambda r: (r["due_on"] is None, r["due_on"] or "", r["id"]))


def running_clocks_of(
    db: Database, person_id: str, today: date, calendar: WorkingCalendar
) -> list[Row]:
    """The running clocks of the initiatives a person proposed or is assigned to, most urgent
    first, each with the working days left (negative: overdue), what it waits for and who must
    act (`next_actors`)."""
    rows = db.query(
        "SELECT c.initiative_id, c.name, c.organisation_id, c.started_on, c.due_on, i.title,"
        " i.status, i.state FROM iv_clocks c JOIN iv_initiatives i ON i.id = c.initiative_id"
        " AND i.to_position IS NULL WHERE c.finished_on IS NULL AND c.to_position IS NULL"
        " AND c.initiative_id IN (SELECT initiative_id FROM iv_people WHERE person_id = ?"
        " AND to_position IS NULL)"
        " ORDER BY c.due_on, c.initiative_id, c.seq",
        [person_id],
    )
    waits = []
    for row in rows:
        waits.append(json.loads(row.pop("state")).get("clocks_await", {}).get(row["name"]))
        due = date.fromisoformat(row["due_on"])
        row["working_days_left"] = calendar.working_days_between(today, due)
    next_actors(db, rows, waits)
    return rows


def next_actors(
    db: Database, rows: list[Row], waits: list[dict[str, Any] | None], at: int | None = None
) -> None:
    """Put on each row what it waits for (`waiting_for`: the command awaited) and who must
    act: `next_actor` (their roles, or `proposer` / `assignee`), the organisation where they
    act (`next_actor_organisation_id`: the party committee or superior a seat names is read
    from the directory view) and the people named (`next_actor_person_ids`). A row the view
    wrote before it kept them, or one that waits on nobody, has none."""
    bases = sorted({w["organisation_id"] for w in waits if w and w.get("via")})
    beside = {}
    if bases:
        beside = {
            r["id"]: r
            for r in db.query(
                "SELECT id, party_committee_id, superior_id FROM dir_organisations"
                f" WHERE id IN ({', '.join('?' for _ in bases)}) AND {held('', at, db.kind)}",
                bases,
            )
        }
    for row, wait in zip(rows, waits, strict=True):
        organisation = wait["organisation_id"] if wait else None
        if wait and wait.get("via"):
            organisation = beside.get(organisation, {}).get(f"{wait['via']}_id")
        row.update(
            {
                "waiting_for": wait["command"] if wait else None,
                "next_actor": list(wait["actors"]) if wait else [],
                "next_actor_organisation_id": organisation,
                "next_actor_person_ids": list(wait["person_ids"]) if wait else [],
            }
        )


def deadlines(
    db: Database, today: date, calendar: WorkingCalendar, scope: ReadScope = ALL_NOW
) -> dict[str, Any]:
    """Running clocks and missed deadlines, with counts per organisation (of the scope's
    organisation, or all, as at its log position)."""
    # Clocks finished in time are neither running nor missed: the partial index
    # iv_clocks_open_or_late holds only the others.
    ids, at = scope.organisations(), scope.at
    where = f" AND {org_is('c.organisation_id', at, db.kind, len(ids))}" if ids is not None else ""
    rows = db.query(
        "SELECT c.initiative_id, c.name, c.organisation_id, c.started_on, c.due_on,"
        " c.finished_on, i.title, i.status FROM iv_clocks c JOIN iv_initiatives i"
        f" ON i.id = c.initiative_id AND {held('i', at, db.kind)} WHERE {held('c', at, db.kind)}"
        " AND (c.finished_on IS NULL OR c.finished_on > c.due_on)"
        + where
        + " ORDER BY c.due_on, c.initiative_id, c.seq",
        ids or [],
    )
    running, missed = [], []
    per_org: dict[str, dict[str, int]] = defaultdict(lambda: {"running": 0, "missed": 0})
    spans: dict[tuple[str, str | None], int] = {}  # many clocks share their dates
    left: dict[str, int] = {}

    def between(start: str, end: str | None) -> int:
        if (start, end) not in spans:
            last = date.fromisoformat(end) if end else today
            spans[start, end] = calendar.working_days_between(date.fromisoformat(start), last)
        return spans[start, end]

    for row in rows:
        end = date.fromisoformat(row["finished_on"]) if row["finished_on"] else today
        if end > date.fromisoformat(row["due_on"]):
            row["overdue_by_working_days"] = between(row["due_on"], row["finished_on"])
            missed.append(row)
            per_org[row["organisation_id"]]["missed"] += 1
        elif row["finished_on"] is None:
            if row["due_on"] not in left:
                left[row["due_on"]] = calendar.working_days_between(
                    today, date.fromisoformat(row["due_on"])
                )
            row["working_days_left"] = left[row["due_on"]]
            running.append(row)
            per_org[row["organisation_id"]]["running"] += 1
    noted = _Noted(today, calendar)
    for row in running + missed:
        row.update(noted(row))
    return {"running": running, "missed": missed, "by_organisation": dict(per_org)}


class _Noted:
    """The calendar notes of the deadlines' rows (`domain.clocks.calendar_notes`, dates as
    text), computed once for the many rows that share their clock's name and dates."""

    def __init__(self, today: date, calendar: WorkingCalendar) -> None:
        self.today = today
        self.calendar = calendar
        self.known: dict[tuple[str, str, str, str | None], dict[str, Any]] = {}

    def __call__(self, row: Row) -> dict[str, Any]:
        key = (row["name"], row["started_on"], row["due_on"], row["finished_on"])
        if key not in self.known:
            notes = calendar_notes(
                row["name"],
                date.fromisoformat(row["started_on"]),
                date.fromisoformat(row["due_on"]),
                date.fromisoformat(row["finished_on"]) if row["finished_on"] else None,
                self.today,
                self.calendar,
            )
            self.known[key] = {
                **notes,
                "provisional_dates": [d.isoformat() for d in notes["provisional_dates"]],
            }
        return self.known[key]


def supervision_coverage(
    db: Database, today: date, days: int, scope: ReadScope = ALL_NOW, limit: int | None = None
) -> list[Row]:
    """Pilots without a supervision note in the last `days` days (employed or approved by the
    scope's organisation, or all, as at its log position); the first `limit` (None: all)."""
    where, params = _unsupervised(db, today, days, scope)
    return db.query(
        "SELECT id, title, status, employing_organisation_id, authority_id, supervision_notes,"
        f" last_supervision_on FROM iv_initiatives WHERE {where}"
        f" ORDER BY {UNSUPERVISED_ORDER[db.kind]}"
        + ("" if limit is None else f" LIMIT {int(limit)}"),
        params,
    )


# The longest unsupervised first: never (no note), then by the day of the last note, in the
# order of the pilots' index (migrations r0018): SQLite puts NULL first, PostgreSQL is told to.
UNSUPERVISED_ORDER = {
    "postgresql": "last_supervision_on NULLS FIRST, id",
    "sqlite": "last_supervision_on, id",
}


def supervision_totals(
    db: Database, today: date, days: int, scope: ReadScope = ALL_NOW
) -> dict[str, int]:
    """How many pilots the scope oversees (`pilots`: employed or approved by its organisation,
    as `supervision_coverage` selects them) and how many of them are unsupervised (its rows)."""
    pilots, params = _piloted(db, scope)
    row = db.query(
        f"SELECT COUNT(*) AS pilots, SUM(CASE WHEN {UNSUPERVISED} THEN 1 ELSE 0 END) AS n"
        f" FROM iv_initiatives WHERE {pilots}",
        [(today - timedelta(days=days)).isoformat(), *params],
    )[0]
    return {"pilots": int(row["pilots"]), "unsupervised": int(row["n"] or 0)}


# A pilot without a supervision note since the statement's parameter (a day).
UNSUPERVISED = "(last_supervision_on IS NULL OR last_supervision_on < ?)"


def _unsupervised(db: Database, today: date, days: int, scope: ReadScope) -> tuple[str, list[Any]]:
    """The condition of `supervision_coverage`'s rows, and its parameters."""
    pilots, params = _piloted(db, scope)
    return f"{UNSUPERVISED} AND {pilots}", [(today - timedelta(days=days)).isoformat(), *params]


def _piloted(db: Database, scope: ReadScope) -> tuple[str, list[Any]]:
    """The condition selecting the pilots the scope oversees, and its parameters. The pilots'
    statuses are written in (constants: SQLite uses a partial index only for a condition
    written as the index's, migrations r0018)."""
    ids, at = scope.organisations(), scope.at
    params: list[Any] = []
    org = ""
    if ids is not None:
        employer = org_is("employing_organisation_id", at, db.kind, len(ids))
        org = f" AND ({employer} OR {org_is('authority_id', at, db.kind, len(ids))})"
        params += [*ids, *ids]
    statuses = ", ".join(f"'{status}'" for status in RUNNING)
    found = held_within("", at, db.kind, ids)
    return f"status IN ({statuses}) AND {found}{org}", params


def protection(
    db: Database,
    mismatches_only: bool,
    filters: dict[str, Any] | None = None,
    at: int | None = None,
) -> list[Row]:
    """Recommended against determined measures (of the initiatives `filters` selects, as
    `list_initiatives` reads them; as at log position `at`)."""
    where, params = initiative_filters(
        {**(filters or {}), "protection_mismatch": True if mismatches_only else None},
        at,
        db.kind,
    )
    return [
        {**r, "protection_mismatch": bool(r["protection_mismatch"])}
        for r in db.query(
            "SELECT i.id, i.title, i.status, i.employing_organisation_id, i.outcome,"
            " i.recommended_measure, i.determined_measure, i.protection_mismatch,"
            " i.protection_requested FROM iv_initiatives i WHERE (i.protection_requested"
            " OR i.determined_measure IS NOT NULL)"  # as the partial index says (r0010)
            + "".join(f" AND {condition}" for condition in where)
            + " ORDER BY i.id",
            params,
        )
    ]


def cadre_records(
    db: Database, period: str, person_id: str | None = None, at: int | None = None
) -> list[Row]:
    """Facts per person and period (`quarter` or `year`), as at log position `at` (None: now):
    the facts recorded up to it, under the names the people had then. Counted by the database
    (one row per person, period and fact: a province's hundreds of thousands of facts are not
    sent to Python one by one), in the order of the people's ids, then of the periods."""
    where = ["f.person_id = ?"] if person_id else []
    if at is not None:
        where.append(f"f.position <= {int(at)}")
    # on_date is an ISO date: its year, and its quarter from its month
    quarter = "(CAST(substr(f.on_date, 6, 2) AS INTEGER) + 2) / 3" if period != "year" else "0"
    rows = db.query(
        "SELECT f.person_id, p.full_name, substr(f.on_date, 1, 4) AS yr,"
        f" {quarter} AS qr, f.fact, COUNT(*) AS n"
        " FROM iv_cadre_facts f LEFT JOIN dir_people p ON p.id = f.person_id"
        f" AND {held('p', at, db.kind)}"
        + (f" WHERE {' AND '.join(where)}" if where else "")
        + " GROUP BY f.person_id, p.full_name, yr, qr, f.fact"
        " ORDER BY f.person_id, yr, qr",
        [person_id] if person_id else [],
    )
    table: dict[tuple[str, str], Row] = {}
    for row in rows:
        year = str(int(row["yr"]))
        label = year if period == "year" else f"{year}-Q{int(row['qr'])}"
        key = (row["person_id"], label)
        entry = table.setdefault(
            key,
            {
                "person_id": row["person_id"],
                "full_name": row["full_name"],
                "period": label,
                "proposed": 0,
                "approved": 0,
                "completed": 0,
                "commended": 0,
                "protected": 0,
            },
        )
        entry[row["fact"]] += int(row["n"])
    return list(table.values())


def audit(
    db: Database,
    filters: dict[str, Any],
    limit: int,
    before: int | None,
    at: int | None = None,
) -> dict[str, Any]:
    """Every event, newest first; `before` is the position cursor of the next page; up to
    log position `at` (None: all)."""
    where: list[str] = []
    params: list[Any] = []
    for column, key in (
        ("organisation_id", "organisation_id"),
        ("actor_person_id", "person_id"),
        ("event_type", "event_type"),
        ("aggregate_id", "aggregate_id"),
    ):
        if filters.get(key):
            where.append(f"{column} = ?")
            params.append(str(filters[key]))
    if filters.get("organisations") is not None:
        organisations = sorted(filters["organisations"])
        where.append(f"organisation_id IN ({', '.join('?' for _ in organisations) or 'NULL'})")
        params += organisations
    # The view records UTC (ISO text compares as time only in one offset): a moment given in
    # another offset (the API takes any; the inspection page, Vietnam's) is converted first.
    if filters.get("since"):
        where.append("recorded_at >= ?")
        params.append(filters["since"].astimezone(UTC).isoformat())
    if filters.get("until"):
        where.append("recorded_at < ?")
        params.append(filters["until"].astimezone(UTC).isoformat())
    if before is not None:
        where.append("position < ?")
        params.append(before)
    if at is not None:
        where.append("position <= ?")
        params.append(at)
    rows = db.query(
        "SELECT * FROM iv_audit"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY position DESC LIMIT ?",
        [*params, limit + 1],
    )
    page = [{**r, "data": stored_data(r["data"])} for r in rows[:limit]]
    return {"items": page, "next_before": page[-1]["position"] if len(rows) > limit else None}


# Fields of the stored state that the audit row already has in its own columns.
# (the audit row keeps the stored state, the act's signature at its front)
_ENVELOPE = {*ENVELOPE, "_act"}


def stored_data(state: str) -> dict[str, Any]:
    """An event's stored JSON as plain values, without the fields the row already has."""
    data = plain_state(state.encode("utf-8"))
    return {k: v for k, v in data.items() if k not in _ENVELOPE}


def directory_organisations(db: Database, at: int | None = None) -> list[Row]:
    """Every organisation, by key (as at log position `at`; None: now)."""
    rows = []
    for r in db.query(
        "SELECT id, key, details FROM dir_organisations"
        f" WHERE {held('', at, db.kind)} ORDER BY key"
    ):
        details = json.loads(r["details"])
        for name in ("valid_from", "valid_to"):
            details[name] = date.fromisoformat(details[name]) if details.get(name) else None
        rows.append({**details, "id": r["id"], "key": r["key"]})
    return rows


def directory_names(db: Database) -> dict[str, str]:
    """The display name of every person and organisation, by id."""
    found = {p["id"]: p["full_name"] for p in directory_people(db)}
    found.update({o["id"]: o["name"] for o in directory_organisations(db)})
    return found


def directory_people(db: Database, at: int | None = None) -> list[Row]:
    """Every person, by key (as at log position `at`; None: now)."""
    return [
        {**json.loads(r["details"]), "id": r["id"], "key": r["key"]}
        for r in db.query(
            f"SELECT id, key, details FROM dir_people WHERE {held('', at, db.kind)} ORDER BY key"
        )
    ]


def tracking(db: Database) -> dict[str, Row]:
    """Each view's position and when it last moved."""
    return {
        r["view"]: r
        for r in db.query("SELECT view, position, updated_at FROM projection_tracking")
    }


def positions_of(db: Database, person_id: str, day: date) -> list[Row]:
    """The positions a person holds on `day`, with the organisation's name."""
    return db.query(
        "SELECT p.organisation_id, o.name AS organisation_name, p.role, p.title"
        " FROM dir_positions p JOIN dir_organisations o ON o.id = p.organisation_id"
        " AND o.to_position IS NULL WHERE p.person_id = ? AND p.valid_from <= ?"
        " AND (p.valid_to IS NULL OR p.valid_to >= ?)"
        " ORDER BY o.name, p.role",
        [person_id, day.isoformat(), day.isoformat()],
    )
