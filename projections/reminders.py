"""Reminders: what each person must act on today, their choices, and the record of sendings.

The daily digest is read from the views as they stand, through the dashboards' own queries
(so that every clock the initiatives view keeps comes through, whatever its name):

- a clock due within `due.AT_RISK` working days, or overdue (`due.deadlines`): to the heads,
  deputies and clerks of the organisation it runs against; a result report's clock also to the
  initiative's proposers and assignees, who write it;
- a proposal awaiting a decision (`due.inbox`, as the inbox page lists it): to the heads,
  deputies and clerks of the organisation it is addressed to;
- a pilot without a supervision note for `UNSUPERVISED_DAYS` days
  (`queries.supervision_coverage`): to the head and deputies of the authority that approved it
  (of the employing organisation when none is recorded).

Positions count as held on the digest's day. `reminder_preferences` keeps each person's language
and opt-out; `reminder_sendings` records every digest before it goes to the SMTP server and
marks it sent after (revision 0003; the reasoning: web/reminders.py, docs/operations.md).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.calendar import WorkingCalendar
from projections import due, queries
from projections.db import Database, Row

DIGEST = "daily"
UNSUPERVISED_DAYS = 30
ACTING = ("head", "deputy", "clerk")  # the roles that answer for an organisation's deadlines
SUPERVISING = ("head", "deputy")
OWN_PEOPLE = frozenset({"result_report"})  # clocks the initiative's own people act on
LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
MAX_ATTEMPTS = 3  # a digest the SMTP server refused is offered to it this many times a day

# The sections of a digest, in the order it lists them.
CLOCK, INBOX, SUPERVISION = "clock", "inbox", "supervision"
SECTIONS = (CLOCK, INBOX, SUPERVISION)

# The states of a sending: recorded before the SMTP transaction (`sending`: from then on its
# outcome is unknown until marked), accepted by the server (`sent`), refused by it (`failed`:
# not delivered, offered again by the next pass of the day).
SENDING, SENT, FAILED = "sending", "sent", "failed"


@dataclass(frozen=True)
class Item:
    """One thing a person must act on, as the digest shows it."""

    section: str
    initiative_id: str
    title: str
    organisation: str  # the name of the organisation concerned
    what: str = ""  # the clock's name; the proposal's status
    due_on: str | None = None
    working_days_left: int | None = None
    overdue_by: int | None = None  # working days past the due date (a clock overdue)
    last_on: str | None = None  # the last supervision note (a pilot)
    provisional: bool = False  # the due date rests on a provisional day of the calendar

    @property
    def key(self) -> tuple[str, str, str, str | None]:
        """The same item reached through two positions is listed once."""
        return (self.section, self.initiative_id, self.what, self.due_on)

    def order(self) -> tuple[int, str, str, str]:
        """Sections in order; the earliest due (or least recently supervised) first."""
        return (
            SECTIONS.index(self.section),
            self.due_on or self.last_on or "",
            self.title,
            self.initiative_id,
        )


@dataclass(frozen=True)
class Recipient:
    """A person of the directory as the reminders see them."""

    person_id: str
    key: str
    full_name: str
    email: str | None
    language: str
    opted_out: bool


@dataclass(frozen=True)
class Digest:
    """What one person must act on, on one day."""

    recipient: Recipient
    day: date
    items: tuple[Item, ...]

    def section(self, name: str) -> list[Item]:
        """The items of one section, in order."""
        return [item for item in self.items if item.section == name]


class _Holders:
    """Who holds which role where, on the day."""

    def __init__(self, db: Database, day: date) -> None:
        self.by_org: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for row in db.query(
            "SELECT organisation_id, person_id, role FROM dir_positions"
            " WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)",
            [day.isoformat(), day.isoformat()],
        ):
            self.by_org[row["organisation_id"]][row["role"]].add(row["person_id"])

    def of(self, organisation_id: str | None, roles: Iterable[str]) -> set[str]:
        """The people holding one of `roles` in the organisation."""
        held = self.by_org.get(organisation_id or "", {})
        return {person for role in roles for person in held.get(role, ())}

    def organisations(self, roles: Iterable[str]) -> set[str]:
        """The organisations where someone holds one of `roles`."""
        wanted = set(roles)
        return {org for org, held in self.by_org.items() if wanted & set(held)}


class _Collected:
    """The items found so far, per person."""

    def __init__(self, db: Database, day: date, calendar: WorkingCalendar) -> None:
        self.db = db
        self.day = day
        self.calendar = calendar
        self.holders = _Holders(db, day)
        self.names = {
            r["id"]: r["name"]
            for r in db.query("SELECT id, name FROM dir_organisations WHERE to_position IS NULL")
        }
        self.items: dict[str, dict[tuple[str, str, str, str | None], Item]] = defaultdict(dict)

    def give(self, people: Iterable[str], item: Item) -> None:
        for person in people:
            self.items[person].setdefault(item.key, item)

    def clocks(self) -> None:
        """Clocks due within due.AT_RISK working days, and clocks overdue (not finished)."""
        found = due.deadlines(self.db, self.day, self.calendar)
        at_risk = [r for r in found["running"] if r["working_days_left"] <= due.AT_RISK]
        overdue = [r for r in found["missed"] if r["finished_on"] is None]
        for row in at_risk + overdue:
            item = Item(
                CLOCK,
                row["initiative_id"],
                row["title"],
                self.names.get(row["organisation_id"], ""),
                what=row["name"],
                due_on=row["due_on"],
                working_days_left=row.get("working_days_left"),
                overdue_by=row.get("overdue_by_working_days"),
                provisional=bool(row.get("provisional")),
            )
            people = self.holders.of(row["organisation_id"], ACTING)
            if row["name"] in OWN_PEOPLE:
                people |= self._own_people(row["initiative_id"])
            self.give(people, item)

    def _own_people(self, initiative_id: str) -> set[str]:
        rows = self.db.query(
            "SELECT person_id FROM iv_people WHERE initiative_id = ? AND to_position IS NULL",
            [initiative_id],
        )
        return {r["person_id"] for r in rows}

    def inbox(self) -> None:
        """Proposals awaiting a decision, in the inbox of each organisation where they wait."""
        marks = ", ".join("?" for _ in queries.WAITING)
        waiting = self.db.query(
            "SELECT DISTINCT addressee_id FROM iv_initiatives WHERE addressee_id IS NOT NULL"
            f" AND status IN ({marks}) AND to_position IS NULL",
            list(queries.WAITING),
        )
        for org in sorted(r["addressee_id"] for r in waiting):
            people = self.holders.of(org, ACTING)
            if not people:
                continue
            for row in due.inbox(self.db, org, self.day, self.calendar):
                item = self._initiative_item(
                    INBOX, row, due_on=row["due_on"], working_days_left=row["working_days_left"]
                )
                self.give(people, item)

    def unsupervised(self) -> None:
        """Pilots without a supervision note in UNSUPERVISED_DAYS days."""
        for row in queries.supervision_coverage(self.db, self.day, UNSUPERVISED_DAYS):
            authority = row["authority_id"] or row["employing_organisation_id"]
            item = self._initiative_item(SUPERVISION, row, last_on=row["last_supervision_on"])
            self.give(self.holders.of(authority, SUPERVISING), item)

    def _initiative_item(self, section: str, row: Row, **details: Any) -> Item:
        """An item of `section` on a row of the initiatives (the inbox, the supervision
        coverage): the initiative, its title, its employing organisation and its status."""
        return Item(
            section,
            row["id"],
            row["title"],
            self.names.get(row["employing_organisation_id"], ""),
            what=row["status"],
            **details,
        )


def digests(db: Database, day: date, calendar: WorkingCalendar) -> list[Digest]:
    """Every person with something to act on `day`, by directory key (those without an
    address or who opted out included: the sender says why it skips them)."""
    found = _Collected(db, day, calendar)
    found.clocks()
    found.inbox()
    found.unsupervised()
    people = recipients(db, found.items)
    return sorted(
        (
            Digest(people[p], day, tuple(sorted(items.values(), key=Item.order)))
            for p, items in found.items.items()
            if p in people and items
        ),
        key=lambda d: d.recipient.key,
    )


def recipients(db: Database, person_ids: Iterable[str]) -> dict[str, Recipient]:
    """The people of the directory among `person_ids`, with their address and choices."""
    wanted = set(person_ids)
    chosen = preferences(db)
    found = {}
    current = "SELECT id, key, full_name, details FROM dir_people WHERE to_position IS NULL"
    for row in db.query(current):
        if row["id"] not in wanted:
            continue
        details = json.loads(row["details"])
        language, opted_out = chosen.get(row["id"], (DEFAULT_LANGUAGE, False))
        found[row["id"]] = Recipient(
            row["id"], row["key"], row["full_name"], details.get("email"), language, opted_out
        )
    return found


# The people's choices ----------------------------------------------------------------------


def preferences(db: Database) -> dict[str, tuple[str, bool]]:
    """Each person's language and opt-out, for those who chose."""
    return {
        r["person_id"]: (r["language"], bool(r["opted_out"]))
        for r in db.query("SELECT person_id, language, opted_out FROM reminder_preferences")
    }


def prefer(
    db: Database,
    person_id: str,
    now: datetime,
    language: str | None = None,
    opted_out: bool | None = None,
) -> tuple[str, bool]:
    """Record a person's choice (what is not given stays as it was); their choices now."""
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"language: one of {', '.join(LANGUAGES)}, not {language!r}")
    with db.transaction() as tx:
        rows = tx.query(
            "SELECT language, opted_out FROM reminder_preferences WHERE person_id = ?",
            [person_id],
        )
        was = (
            (rows[0]["language"], bool(rows[0]["opted_out"]))
            if rows
            else (DEFAULT_LANGUAGE, False)
        )
        chosen = (language or was[0], was[1] if opted_out is None else opted_out)
        tx.execute(
            "INSERT INTO reminder_preferences (person_id, language, opted_out, updated_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (person_id) DO UPDATE SET"
            " language = excluded.language, opted_out = excluded.opted_out,"
            " updated_at = excluded.updated_at",
            [person_id, chosen[0], chosen[1], now.isoformat()],
        )
    return chosen


# The record of sendings --------------------------------------------------------------------


@dataclass(frozen=True)
class Sending:
    """A digest about to be handed to the SMTP server."""

    day: date
    person_id: str
    address: str
    language: str
    items: int
    message_id: str


def claim(db: Database, sending: Sending, now: datetime, unconfirmed: bool = False) -> str | None:
    """Record the intent to send, committed before anything goes to the SMTP server; None
    when this caller may now send, else the state that stops it (`sent`, `sending`: another
    sender has it or a sender stopped without knowing its outcome; `failed` after
    MAX_ATTEMPTS). A refused one is taken again; an unconfirmed one only when asked
    (`unconfirmed`: the operator's `--retry-unconfirmed`). One statement, so that two
    senders never both take the same digest (the key is digest, day, person)."""
    with db.transaction() as tx:
        taken = tx.query(
            "INSERT INTO reminder_sendings (digest, day, person_id, address, language, items,"
            " message_id, status, attempts, claimed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)"
            " ON CONFLICT (digest, day, person_id) DO UPDATE SET address = excluded.address,"
            " language = excluded.language, items = excluded.items, status = excluded.status,"
            " attempts = reminder_sendings.attempts + 1, claimed_at = excluded.claimed_at,"
            " error = NULL WHERE (reminder_sendings.status = ? AND reminder_sendings.attempts < ?)"
            " OR (reminder_sendings.status = ? AND ?) RETURNING attempts",
            [
                DIGEST,
                sending.day.isoformat(),
                sending.person_id,
                sending.address,
                sending.language,
                sending.items,
                sending.message_id,
                SENDING,
                now.isoformat(),
                FAILED,
                MAX_ATTEMPTS,
                SENDING,
                unconfirmed,
            ],
        )
        if taken:
            return None
        rows = tx.query(
            "SELECT status FROM reminder_sendings WHERE digest = ? AND day = ? AND person_id = ?",
            [DIGEST, sending.day.isoformat(), sending.person_id],
        )
    return str(rows[0]["status"])


def mark_sent(db: Database, day: date, person_id: str, now: datetime) -> None:
    """The SMTP server accepted the digest."""
    _mark(db, day, person_id, [SENT, now.isoformat(), None])


def mark_failed(db: Database, day: date, person_id: str, error: str) -> None:
    """The SMTP server refused the digest, or could not be reached: it was not delivered."""
    _mark(db, day, person_id, [FAILED, None, error[:500]])


def _mark(db: Database, day: date, person_id: str, values: list[Any]) -> None:
    with db.transaction() as tx:
        tx.execute(
            "UPDATE reminder_sendings SET status = ?, sent_at = ?, error = ?"
            " WHERE digest = ? AND day = ? AND person_id = ? AND status = ?",
            [*values, DIGEST, day.isoformat(), person_id, SENDING],
        )


def sendings(db: Database, day: date) -> list[Row]:
    """The day's sendings, with each person's key, by key."""
    return db.query(
        "SELECT p.key, s.person_id, s.address, s.language, s.items, s.message_id, s.status,"
        " s.attempts, s.claimed_at, s.sent_at, s.error FROM reminder_sendings s"
        " LEFT JOIN dir_people p ON p.id = s.person_id AND p.to_position IS NULL"
        " WHERE s.digest = ? AND s.day = ?"
        " ORDER BY p.key, s.person_id",
        [DIGEST, day.isoformat()],
    )
