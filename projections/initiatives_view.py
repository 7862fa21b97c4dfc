"""The initiatives view: one row of current state per initiative, its people and its clocks.

Inbox, deadlines, supervision coverage, outcomes and protection are queries over these
tables (see `projections/queries.py`). Rows derive only from the aggregate and the calendar,
so an incremental build and a rebuild from scratch give the same rows. A row's `state` keeps
what the initiative waits for and who must act (`awaits`, and `clocks_await` for each running
clock by name: `domain/awaited.py`); a row written before they were kept has neither until the
initiative changes or the view is rebuilt.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from domain.awaited import awaited, clocks_awaiting
from domain.calendar import WorkingCalendar, vietnam
from domain.clocks import CLOCKS
from domain.initiative import Initiative
from projections import count_marks
from projections.db import Tx, chunks
from projections.history import HISTORY, Timeline, close
from projections.view import Change, created, dumps, fold, ident, iso

COLUMNS = (
    "id",
    "version",
    "position",
    "title",
    "search",
    "regime",
    "status",
    "employing_organisation_id",
    "addressee_id",
    "authority_id",
    "parent_id",
    "approval_basis",
    "approved_on",
    "terms_start",
    "terms_end",
    "outcome",
    "recommended_measure",
    "determined_measure",
    "protection_mismatch",
    "protection_requested",
    "head_override",
    "outside_approval",
    "supervision_notes",
    "last_supervision_on",
    "created_at",
    "updated_at",
    "state",
)


# The counts current before a batch, of the organisations it changes (read in the batch's
# transaction, after the batch before it committed: `_write_counts`).
CURRENT_COUNTS = (
    "SELECT organisation_id, status, outcome, child, n FROM iv_counts"
    " WHERE to_position IS NULL AND organisation_id IN ({})"
)
COUNT_KEY = ("organisation_id", "status", "outcome", "child")
# A rise of the greatest `updated_at` (position, value, value), kept only above the greatest
# the table holds already (its last row: the values only rise).
RISE = (
    "INSERT INTO iv_updated_max (position, updated_at) SELECT ?, ? WHERE COALESCE((SELECT"
    " updated_at FROM iv_updated_max ORDER BY position DESC LIMIT 1), '') < ?"
)
UPDATED = COLUMNS.index("updated_at")
# Where a row holds the values of the count it is in (`_Seen.count`).
_COUNTED = tuple(COLUMNS.index(c) for c in ("employing_organisation_id", "status", "outcome"))
_PARENT = COLUMNS.index("parent_id")
CLOCK_COLUMNS = ("name", "organisation_id", "started_on", "due_on", "finished_on")
Key = tuple[str, str, str, int]


@dataclass(frozen=True)
class _Seen:
    """An initiative's rows after one event: the initiative's, its people and clocks (by
    key), and the count it is in."""

    row: tuple[Any, ...]
    people: dict[Any, tuple[()]]
    clocks: dict[Any, tuple[Any, ...]]
    count: Key


@dataclass
class _Held:
    """The versions a partition of a parallel rebuild holds, and each initiative's keys of
    people and clocks (`put_all`)."""

    rows: Timeline = field(default_factory=Timeline)
    people: Timeline = field(default_factory=Timeline)
    clocks: Timeline = field(default_factory=Timeline)
    keys: dict[str, tuple[set[Any], set[Any]]] = field(default_factory=dict)


class InitiativesView:
    """The state of each initiative after each event, with its proposers, assignees and
    clocks: bitemporal rows (projections/history.py)."""

    name = "initiatives"
    ddl: tuple[str, ...] = (
        "CREATE TABLE IF NOT EXISTS iv_initiatives (id TEXT NOT NULL, version INTEGER NOT NULL,"
        " position BIGINT NOT NULL, title TEXT NOT NULL, search TEXT NOT NULL,"
        " regime TEXT NOT NULL, status TEXT NOT NULL, employing_organisation_id TEXT NOT NULL,"
        " addressee_id TEXT, authority_id TEXT, parent_id TEXT, approval_basis TEXT,"
        " approved_on TEXT, terms_start TEXT, terms_end TEXT, outcome TEXT,"
        " recommended_measure TEXT, determined_measure TEXT, protection_mismatch BOOLEAN NOT NULL,"
        " protection_requested BOOLEAN NOT NULL, head_override BOOLEAN NOT NULL,"
        " outside_approval BOOLEAN NOT NULL, supervision_notes INTEGER NOT NULL,"
        " last_supervision_on TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
        " state TEXT NOT NULL, from_position BIGINT NOT NULL, to_position BIGINT,"
        " PRIMARY KEY (id, from_position))",
        *(
            f"CREATE {unique}INDEX IF NOT EXISTS iv_initiatives_{name} ON iv_initiatives"
            f" ({columns}) WHERE to_position IS NULL"
            for unique, name, columns in (
                ("UNIQUE ", "current", "id"),
                ("", "org", "employing_organisation_id, status"),
                ("", "addressee", "addressee_id, status"),
                ("", "authority", "authority_id, status"),
                ("", "status", "status, updated_at"),
                ("", "updated", "updated_at, id"),
                ("", "created", "created_at, id"),
            )
        ),
        "CREATE INDEX IF NOT EXISTS iv_initiatives_past ON iv_initiatives"
        " (to_position, from_position) WHERE to_position IS NOT NULL",
        # The pilots by their last supervision note (the supervision dashboard's order;
        # migrations r0018).
        "CREATE INDEX IF NOT EXISTS iv_initiatives_piloted ON iv_initiatives"
        " (last_supervision_on, id)"
        " WHERE to_position IS NULL AND status IN ('in_progress', 'suspended')",
        "CREATE TABLE IF NOT EXISTS iv_people (initiative_id TEXT NOT NULL,"
        " person_id TEXT NOT NULL, relation TEXT NOT NULL, from_position BIGINT NOT NULL,"
        " to_position BIGINT, PRIMARY KEY (initiative_id, person_id, relation, from_position))",
        "CREATE INDEX IF NOT EXISTS iv_people_person ON iv_people (person_id)"
        " WHERE to_position IS NULL",
        "CREATE INDEX IF NOT EXISTS iv_people_past ON iv_people (person_id, from_position)"
        " WHERE to_position IS NOT NULL",
        "CREATE TABLE IF NOT EXISTS iv_clocks (initiative_id TEXT NOT NULL, seq INTEGER NOT NULL,"
        " name TEXT NOT NULL, organisation_id TEXT NOT NULL, started_on TEXT NOT NULL,"
        " due_on TEXT NOT NULL, finished_on TEXT, from_position BIGINT NOT NULL,"
        " to_position BIGINT, PRIMARY KEY (initiative_id, seq, from_position))",
        "CREATE INDEX IF NOT EXISTS iv_clocks_open ON iv_clocks (finished_on, due_on)"
        " WHERE to_position IS NULL",
        "CREATE INDEX IF NOT EXISTS iv_clocks_org ON iv_clocks (organisation_id, name)"
        " WHERE to_position IS NULL",
        # The clocks the deadlines list (open, or finished late): per organisation (with
        # `finished_on`, their counts are read from the index alone), and in the order of the
        # deadlines' pages (a page walks it and stops; migrations r0011).
        "CREATE INDEX IF NOT EXISTS iv_clocks_open_or_late ON iv_clocks"
        " (organisation_id, due_on, finished_on)"
        " WHERE to_position IS NULL AND (finished_on IS NULL OR finished_on > due_on)",
        "CREATE INDEX IF NOT EXISTS iv_clocks_open_or_late_due ON iv_clocks"
        " (due_on, initiative_id, seq)"
        " WHERE to_position IS NULL AND (finished_on IS NULL OR finished_on > due_on)",
        "CREATE INDEX IF NOT EXISTS iv_clocks_past ON iv_clocks (to_position, from_position)"
        " WHERE to_position IS NOT NULL",
        # How many initiatives each organisation employs, by status and outcome (children of
        # a replication apart): the dashboards read these few rows, not every initiative.
        # A count that falls to 0 keeps its row: the past of every count is a key lookup.
        "CREATE TABLE IF NOT EXISTS iv_counts (organisation_id TEXT NOT NULL,"
        " status TEXT NOT NULL, outcome TEXT NOT NULL, child INTEGER NOT NULL,"
        " n BIGINT NOT NULL, from_position BIGINT NOT NULL, to_position BIGINT,"
        " PRIMARY KEY (organisation_id, status, outcome, child, from_position))",
        "CREATE UNIQUE INDEX IF NOT EXISTS iv_counts_current ON iv_counts"
        " (organisation_id, status, outcome, child) WHERE to_position IS NULL",
        # Every version by `updated_at`, and the greatest `updated_at` begun up to each
        # position (a row where it rose): a list as of a past position walks the index from
        # there (migrations r0010, projections/queries.py `list_initiatives`).
        "CREATE INDEX IF NOT EXISTS iv_initiatives_updated_held ON iv_initiatives"
        " (updated_at, id)",
        # The few versions that concern protection, now and in the past (the protection
        # dashboard reads these, not every initiative).
        "CREATE INDEX IF NOT EXISTS iv_initiatives_protection ON iv_initiatives"
        " (from_position) WHERE protection_requested OR determined_measure IS NOT NULL",
        "CREATE TABLE IF NOT EXISTS iv_updated_max (position BIGINT PRIMARY KEY,"
        " updated_at TEXT NOT NULL)",
        # Every count as it held every few thousand positions: the counts as of a past
        # position read the last mark and the versions since (projections/count_marks.py,
        # migrations r0013).
        *count_marks.DDL,
    )
    tables = created(ddl)  # what `ddl` creates, in its order
    # A partition of a parallel rebuild only appends versions to these (held from batch to
    # batch: `partial`; projections/deferred_indexes.py).
    appended = ("iv_initiatives", "iv_people", "iv_clocks")

    def __init__(self, calendar: WorkingCalendar | None = None) -> None:
        self.calendar = calendar or vietnam()
        # A partition of a parallel rebuild sees some initiatives only: the counts, the rises
        # of `updated_at` and the marks, which sum over all of them, are derived after
        # (`derive`), not written by its batches.
        self.partial = False
        # A partition's versions of its initiatives, kept from its first batch to its last:
        # each written once it is replaced, the current ones by `finish` (unless a batch failed:
        # `lost`; the partition stops then, with its writer's error rather than one of this).
        self._held = _Held()
        self._lost = False
        self._seen: dict[int, _Seen] = {}
        self._before: dict[int, _Seen | None] = {}
        self._last: dict[str, _Seen | None] = {}

    def before(self, position: int, aggregate: Any) -> None:
        """The initiative's rows before the event at `position` (once a batch: the batch's
        later events follow from the earlier ones)."""
        if self.partial:  # its versions are held (`_held`): nothing read before
            return
        if isinstance(aggregate, Initiative):
            key = str(aggregate.id)
            if key not in self._last:
                self._last[key] = self._see(position, aggregate)
            self._before[position] = self._last[key]
        elif aggregate is None:
            self._before[position] = None

    def observe(self, change: Change) -> None:
        """The initiative's rows after `change`."""
        if isinstance(change.aggregate, Initiative):
            seen = self._see(change.position, change.aggregate)
            self._seen[change.position] = seen
            self._last[str(change.aggregate.id)] = seen

    def forget(self) -> None:
        """Drop what was seen of a batch that was not applied (a partition cannot go on: its
        held versions lack that batch's)."""
        self._batch_done()
        self._lost = self.partial

    def _batch_done(self) -> None:
        self._seen.clear()
        self._before.clear()
        self._last.clear()

    def _see(self, position: int, ini: Initiative) -> _Seen:
        row = self._row(position, ini)
        clocks = {(ident(ini.id), r[1]): r[2:] for r in self._clocks(ini)}
        organisation, status, outcome = (row[i] for i in _COUNTED)
        return _Seen(
            row,
            dict.fromkeys(_people(ini), ()),
            clocks,
            (organisation, status, outcome or "", 0 if row[_PARENT] is None else 1),
        )

    def apply(self, tx: Tx, changes: list[Change]) -> None:
        """Write every version the batch made of each initiative it touched."""
        if self.partial:
            self._apply_held(tx, changes)
            return
        rows, people, clocks = Timeline(), Timeline(), Timeline()
        deltas: dict[Key, list[tuple[int, int]]] = {}
        keys: dict[str, tuple[set[Any], set[Any]]] = {}
        rises: list[tuple[int, str, str]] = []
        for change in changes:
            seen = self._seen.get(change.position)
            if seen is None:
                continue
            ident_ = seen.row[0]
            if ident_ not in keys:
                keys[ident_] = self._start(seen, change.position, rows, people, clocks)
            earlier = self._before.get(change.position)
            if earlier is None or earlier.count != seen.count:
                if earlier is not None:
                    deltas.setdefault(earlier.count, []).append((change.position, -1))
                deltas.setdefault(seen.count, []).append((change.position, 1))
            rows.put(change.position, ident_, seen.row[1:])
            updated = seen.row[UPDATED]
            if not rises or updated > rises[-1][1]:
                rises.append((change.position, updated, updated))
            people.put_all(change.position, seen.people, keys[ident_][0])
            clocks.put_all(change.position, seen.clocks, keys[ident_][1])
        self._batch_done()
        close(tx, "iv_initiatives", ("id",), rows.closes())
        close(tx, "iv_people", ("initiative_id", "person_id", "relation"), people.closes())
        close(tx, "iv_clocks", ("initiative_id", "seq"), clocks.closes())
        _counts(tx, deltas)
        tx.executemany(RISE, rises)
        if changes:  # the marks the batch's versions reach (read from them)
            tx.later(functools.partial(count_marks.write, max(c.position for c in changes)))
        _append(tx, rows.rows(), people.rows(), clocks.rows())

    def _apply_held(self, tx: Tx, changes: list[Change]) -> None:
        """A partition's batch: its versions join those held (from its first batch on), and
        those it replaced are written, closed. No row is written twice, so no UPDATE (a log in
        time order replaces in each batch versions of the batches before: an UPDATE each, a
        tenth of a rebuild's time at a million events); no count, rise or mark (`derive`)."""
        held = self._held
        for change in changes:
            seen = self._seen.get(change.position)
            if seen is None:
                continue
            ident_ = seen.row[0]
            people_keys, clock_keys = held.keys.setdefault(ident_, (set(), set()))
            held.rows.put(change.position, ident_, seen.row[1:])
            held.people.put_all(change.position, seen.people, people_keys)
            held.clocks.put_all(change.position, seen.clocks, clock_keys)
        self._batch_done()
        _append(tx, held.rows.ended(), held.people.ended(), held.clocks.ended())

    def finish(self, tx: Tx) -> None:
        """A partition's last write: the versions it holds that are current."""
        if self._lost:
            raise RuntimeError("a batch of this partition failed: the versions it held are lost")
        held = self._held
        _append(tx, held.rows.rows(), held.people.rows(), held.clocks.rows())
        self._held = _Held()

    def _start(
        self, seen: _Seen, position: int, rows: Timeline, people: Timeline, clocks: Timeline
    ) -> tuple[set[Any], set[Any]]:
        """What the table holds of an initiative before the batch's first change of it."""
        earlier = self._before.get(position)
        if earlier is None:
            return set(), set()
        rows.known(seen.row[0])
        for key in earlier.people:
            people.known(key, ())
        for key, values in earlier.clocks.items():
            clocks.known(key, values)
        return set(earlier.people), set(earlier.clocks)

    def _row(self, position: int, ini: Initiative) -> tuple[Any, ...]:
        approval, terms = ini.approval, ini.terms
        recommended, _ = ini.recommended_measure()
        determination = ini.protection.determined
        determined = determination.measure if determination else None
        waits = awaited(ini)
        values = {
            "id": ident(ini.id),
            "version": ini.version,
            "position": position,
            "title": ini.title,
            "search": fold(ini.title),
            "regime": str(ini.regime),
            "status": str(ini.status),
            "employing_organisation_id": str(ini.employing_organisation_id),
            "addressee_id": ident(ini.addressee_id),
            "authority_id": ident(ini.authority_id),
            "parent_id": ident(ini.parent_id),
            "approval_basis": approval.basis if approval else None,
            "approved_on": iso(approval.approved_on if approval else None),
            "terms_start": iso(terms.start if terms else None),
            "terms_end": iso(terms.end if terms else None),
            "outcome": ini.evaluation.outcome if ini.evaluation else None,
            "recommended_measure": recommended.value if recommended else None,
            "determined_measure": determined,
            "protection_mismatch": bool(
                determined and recommended and determined != recommended.value
            ),
            "protection_requested": bool(ini.protection.requests),
            "head_override": bool(approval and approval.basis == "head_override"),
            "outside_approval": bool(ini.outside_approval),
            "supervision_notes": ini.supervision.notes,
            "last_supervision_on": iso(ini.supervision.last_on),
            "created_at": iso(ini.created_on),
            "updated_at": iso(ini.modified_on),
            "state": dumps(
                {
                    # ids as text already: the encoder's C loop then calls no Python for
                    # them (the state's encoding was an eighth of a rebuild's partition)
                    "proposer_ids": _idents(ini.proposer_ids),
                    "assignee_ids": _idents(approval.assignee_ids) if approval else [],
                    "party_opinions": sorted(ini.party_opinions),
                    "flags": [flag.as_dict() for flag in ini.outside_approval],
                    "awaits": waits.as_dict() if waits else None,
                    "clocks_await": {
                        k: v.as_dict() for k, v in clocks_awaiting(ini, waits).items()
                    },
                }
            ),
        }
        return tuple(values[c] for c in COLUMNS)

    def _clocks(self, ini: Initiative) -> list[tuple[Any, ...]]:
        rows = []
        for seq, clock in enumerate(ini.clocks):
            rule = CLOCKS[clock.name]
            rows.append(
                (
                    ident(ini.id),
                    seq,
                    clock.name,
                    ident(clock.organisation_id),
                    iso(clock.started_on),
                    iso(rule.due(clock.started_on, self.calendar)),
                    iso(clock.finished_on),
                )
            )
        return rows


def _append(
    tx: Tx,
    rows: list[tuple[Any, ...]],
    people: list[tuple[Any, ...]],
    clocks: list[tuple[Any, ...]],
) -> None:
    """COPY the versions: fewer round trips for the writer thread, which shares the
    interpreter with the thread preparing the next batch."""
    tx.append("iv_initiatives", (*COLUMNS, *HISTORY), rows)
    tx.append("iv_people", ("initiative_id", "person_id", "relation", *HISTORY), people)
    tx.append("iv_clocks", ("initiative_id", "seq", *CLOCK_COLUMNS, *HISTORY), clocks)


def _counts(tx: Tx, deltas: dict[Key, list[tuple[int, int]]]) -> None:
    """Write the counts' versions (in the transaction, once the writes before it are made)."""
    if deltas:
        tx.later(functools.partial(_write_counts, deltas))


def _write_counts(deltas: dict[Key, list[tuple[int, int]]], tx: Tx) -> None:
    """Each changed count's row current before the batch closed at its first change, then
    one version per change: that count plus the batch's changes up to it. One read of the
    counts current, one statement to close, one COPY (a statement per version before: most of
    the rebuild's time in the database, 2 of 5 minutes at 300,002 events)."""
    before: dict[Key, int] = {}
    for chunk in chunks(sorted({key[0] for key in deltas})):
        statement = CURRENT_COUNTS.format(", ".join("?" for _ in chunk))
        for row in tx.query(statement, chunk):
            key = (row["organisation_id"], row["status"], row["outcome"], int(row["child"]))
            before[key] = int(row["n"])
    closes, versions = [], []
    for key, changes in sorted(deltas.items()):
        changes.sort()
        if key in before:
            closes.append((changes[0][0], *key))
        n = before.get(key, 0)
        for i, (position, delta) in enumerate(changes):
            n += delta
            following = changes[i + 1][0] if i + 1 < len(changes) else None
            versions.append((*key, n, position, following))
    close(tx, "iv_counts", COUNT_KEY, closes)
    tx.append("iv_counts", (*COUNT_KEY, "n", *HISTORY), versions)


# The counts' versions, from every initiative's versions at once: at each version whose count
# (organisation, status, outcome, child) is not its version before's, +1 to it and -1 to the one
# before; each count's running sum, held until its next change. One event is one version of
# one initiative, so a count changes at most once a position: what `_write_counts` writes batch
# by batch.
_KEY = (
    "employing_organisation_id AS o, status AS s, COALESCE(outcome, '') AS oc,"
    " CASE WHEN parent_id IS NULL THEN 0 ELSE 1 END AS c"
)
DERIVED_COUNTS = (
    f"WITH v AS (SELECT id, from_position AS p, {_KEY} FROM iv_initiatives),"
    " w AS (SELECT p, o, s, oc, c, LAG(o) OVER k AS o0, LAG(s) OVER k AS s0,"
    " LAG(oc) OVER k AS oc0, LAG(c) OVER k AS c0, LAG(p) OVER k AS p0 FROM v"
    " WINDOW k AS (PARTITION BY id ORDER BY p)),"
    " moved AS (SELECT * FROM w WHERE p0 IS NULL OR o <> o0 OR s <> s0 OR oc <> oc0 OR c <> c0),"
    " d AS (SELECT o, s, oc, c, p, 1 AS delta FROM moved"
    " UNION ALL SELECT o0, s0, oc0, c0, p, -1 FROM moved WHERE p0 IS NOT NULL)"
    " INSERT INTO iv_counts (organisation_id, status, outcome, child, n, from_position,"
    " to_position) SELECT o, s, oc, c, SUM(delta) OVER k, p, LEAD(p) OVER k FROM d"
    " WINDOW k AS (PARTITION BY o, s, oc, c ORDER BY p)"
)
# Each version whose `updated_at` is above every one before it in the log (what RISE keeps).
DERIVED_RISES = (
    "INSERT INTO iv_updated_max (position, updated_at) SELECT p, u FROM (SELECT"
    " from_position AS p, updated_at AS u, MAX(updated_at) OVER (ORDER BY from_position ROWS"
    " BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before FROM iv_initiatives) r"
    " WHERE before IS NULL OR u > before"
)


def derive(tx: Tx, upto: int) -> None:
    """Write the counts, the rises and the marks up to position `upto` from the versions that
    partitions of a parallel rebuild wrote (the tables holding none of them yet)."""
    tx.execute(DERIVED_COUNTS)
    tx.execute(DERIVED_RISES)
    count_marks.derive(upto, tx)


def _idents(ids: list[UUID] | None) -> list[str] | None:
    return None if ids is None else [ident(i) for i in ids]


def _people(ini: Initiative) -> list[tuple[str, str, str]]:
    assignees = ini.approval.assignees if ini.approval else []
    initiative = ident(ini.id)
    return [(initiative, ident(p), "proposer") for p in ini.proposer_ids] + [
        (initiative, ident(p), "assignee") for p in assignees
    ]
