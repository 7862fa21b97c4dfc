"""Bulk generation of a realistic history through the real domain (benchmarks only).

Authority lookups are skipped (actors are built from the synthetic directory it imports),
but every event comes from the Initiative aggregate's own commands, so every rule on the
aggregate holds. Many aggregates are saved per `save()` call to make generation quick.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast
from uuid import UUID, uuid4

from domain.application import LedgerApplication
from domain.directory_payloads import DirectoryFile
from domain.initiative import Initiative, Phase, Regime
from domain.proposal import NOT_CONTRARY, TEXT_FIELDS
from domain.quorum import MORE_THAN_HALF
from domain.values import Actor, Context, organisation_id, person_id
from domain.vocabulary import ApprovalBasis, Role

ROLES = ("head", "deputy-1", "deputy-2", "clerk", "party", *(f"staff-{n}" for n in range(6)))


def synthetic_directory(wards: int) -> DirectoryFile:
    """A city and `wards` wards, each with its party committee and eleven people."""
    start = date(2025, 7, 1)
    orgs = [
        {
            "key": "city",
            "name": "Ủy ban nhân dân Thành phố",
            "kind": "peoples_committee",
            "level": "province",
            "valid_from": start,
            "party_committee": "city-party",
        },
        {
            "key": "city-party",
            "name": "Thành ủy",
            "kind": "party_committee",
            "level": "province",
            "valid_from": start,
            "party_committee": "city-party",
        },
    ]
    people, positions = [], []
    for w in range(wards):
        orgs += [
            {
                "key": f"ward-{w}",
                "name": f"Ủy ban nhân dân phường {w}",
                "kind": "peoples_committee",
                "level": "commune",
                "superior": "city",
                "party_committee": f"ward-{w}-party",
                "valid_from": start,
            },
            {
                "key": f"ward-{w}-party",
                "name": f"Đảng ủy phường {w}",
                "kind": "party_committee",
                "level": "commune",
                "superior": "city-party",
                "party_committee": f"ward-{w}-party",
                "valid_from": start,
            },
        ]
        for role in ROLES:
            key = f"w{w}-{role}"
            people.append(
                {
                    "key": key,
                    "full_name": f"Cán bộ {role} phường {w}",
                    "party_member": True,
                    "identifiers": {},
                }
            )
            org, kind = f"ward-{w}", role.split("-")[0]
            if kind == "party":
                org, kind = f"ward-{w}-party", "party_committee"
            positions.append(
                {"person": key, "organisation": org, "role": kind, "valid_from": start}
            )
    # Plain dicts of the directory file's shape (the import checks them as it does a file).
    return cast(DirectoryFile, {"organisations": orgs, "people": people, "positions": positions})


class Ward:
    """The actors of one ward."""

    def __init__(self, w: int, app: LedgerApplication) -> None:
        self.org = organisation_id(f"ward-{w}")
        party = organisation_id(f"ward-{w}-party")

        def actor(role: str, kind: Role, org: UUID) -> Actor:
            return Actor(person_id(f"w{w}-{role}"), f"Cán bộ {role} phường {w}", kind, org)

        self.head = actor("head", Role.HEAD, self.org)
        self.deputies = [
            actor("deputy-1", Role.DEPUTY, self.org),
            actor("deputy-2", Role.DEPUTY, self.org),
        ]
        self.clerk = actor("clerk", Role.CLERK, self.org)
        self.party = actor("party", Role.PARTY_COMMITTEE, party)
        self.staff = [actor(f"staff-{n}", Role.STAFF, self.org) for n in range(6)]


# Where a generated life stops, and how often: about 11 events per initiative on average,
# like a province where most initiatives are short and a third run their whole course.
STOPS = (
    ("draft", 5),
    ("submitted", 5),
    ("under_review", 10),
    ("approved", 10),
    ("piloting", 40),
    ("evaluated", 30),
)


def life(
    ward: Ward,
    rng: random.Random,
    begin: datetime,
    stop: str | None = None,
    reports: int | None = None,
) -> tuple[Initiative, int]:
    """One initiative up to a random (or given) stage; returns it and its event count."""
    stop = stop or rng.choices([s for s, _ in STOPS], [w for _, w in STOPS])[0]
    day = [begin]

    def ctx(days: float = 1) -> Context:
        day[0] += timedelta(days=days)
        return Context(person_id=uuid4(), at=day[0], request_id="bench")

    def done() -> tuple[Initiative, int]:
        return ini, len(ini.pending_events)

    proposer = rng.choice(ward.staff)
    ini = Initiative.draft(
        proposer,
        ctx(),
        title=f"Sáng kiến {rng.randrange(10**6)} {rng.choice(TOPICS)}",
        regime=Regime.REGULAR,
        employing_organisation_id=ward.org,
        co_proposer_ids=[],
        summary="Thí điểm",
    )
    if stop == "draft":
        return done()
    start = (day[0] + timedelta(days=30)).date()
    ini.submit(proposer, ctx(), ward.org, **_proposal(start))
    if stop == "submitted":
        return done()
    c = ctx()
    ini.receive(ward.clerk, c, c.local_date, "1/VT")
    ini.give_party_opinion(ward.party, ctx(), Phase.APPROVAL, "Đồng ý", "CV 1")
    if stop == "under_review":
        return done()
    voters = [ward.head, *ward.deputies]
    _meeting(ini, ward, voters, ctx(), "BB 1")
    ini.approve(
        ward.head,
        ctx(),
        basis=ApprovalBasis.MAJORITY,
        decision_document="QĐ 1",
        justification="",
        grounds_confirmed=True,
        approved_scope="Phường",
        approved_start=start,
        approved_end=start + timedelta(days=200 if reports is None else 100 * 365),
        resources="2 cán bộ",
        assignee_ids=[proposer.person_id],
        directions="Báo cáo hằng tháng",
    )
    if stop == "approved":
        return done()
    ctx(30)
    c = ctx()
    ini.start_implementation(proposer, c, c.local_date)
    count = reports if reports is not None else rng.randrange(1, 4 if stop == "piloting" else 7)
    for n in range(count):
        ini.report_progress(proposer, ctx(5 if reports is None else 0.01), f"Kỳ {n}", "Ổn", "")
        if n % 4 == 0 and reports is None:
            ini.record_supervision_note(ward.party, ctx(), "supervision", "Ổn", "", "", False)
    if stop == "piloting":
        return done()
    c = ctx()
    ini.complete(proposer, c, c.local_date)
    ini.report_result(
        proposer, ctx(), [{"objective": "A", "result": "Đạt"}], False, "", 0, "Tốt", True
    )
    ini.give_party_opinion(ward.party, ctx(), Phase.EVALUATION, "Đồng ý", "CV 2")
    _meeting(ini, ward, voters, ctx(), "BB 2")
    ini.evaluate(
        ward.head,
        ctx(),
        parts=[{"part": "A", "outcome": "completed"}],
        outcome=rng.choice(("completed", "completed", "partially_completed", "not_completed")),
        damage_caused=False,
        damage_description="",
        damage_amount_vnd=0,
        objective_causes="",
        subjective_causes="",
        findings=dict.fromkeys(
            ("followed_policy", "pure_motive", "common_interest", "within_scope_and_time"), True
        ),
        self_interest_or_abuse=False,
        document_ref="BB 3",
    )
    return done()


TOPICS = ("một cửa", "số hóa", "chuyển đổi số", "bãi xe", "hộ tịch", "môi trường", "an sinh")


def _meeting(ini: Initiative, ward: Ward, voters: list[Actor], c: Context, ref: str) -> None:
    ini.hold_leadership_meeting(
        ward.head,
        c,
        meeting_date=c.local_date,
        attendee_ids=[v.person_id for v in voters],
        eligible_voters=lambda _day: [v.person_id for v in voters],
        quorum=lambda _day: MORE_THAN_HALF,
        votes=[{"person_id": v.person_id, "vote": "for"} for v in voters],
        minutes_ref=ref,
    )


def long_initiative(app: LedgerApplication, wards: int, events: int, seed: int = 11) -> UUID:
    """One initiative of about `events` events (a pilot reporting for years)."""
    rng = random.Random(seed)
    ward = Ward(rng.randrange(wards), app)
    ini, _ = life(ward, rng, datetime(2025, 8, 1, 3, tzinfo=UTC), "piloting", max(0, events - 7))
    app.save(ini)
    return ini.id


def spread_life(
    ward: Ward, rng: random.Random, begin: datetime, events: int
) -> tuple[Initiative, int]:
    """A pilot of about `events` events reporting over SPAN_DAYS: progress reports by its
    proposer, every tenth a supervision note by the ward's party committee (two
    organisations' authority proofs in its dossier); and its event count."""
    ini, count = life(ward, rng, begin, "piloting", 0)
    proposer = next(a for a in ward.staff if a.person_id == ini.proposer_ids[0])
    last = ini.pending_events[-1].timestamp
    added = max(0, events - count)
    gap = (begin + timedelta(days=SPAN_DAYS) - last) / max(1, added)
    for n in range(added):
        ctx = Context(person_id=uuid4(), at=last + gap * (n + 1), request_id="bench")
        if n % 10 == 9:
            ini.record_supervision_note(ward.party, ctx, "supervision", "Ổn", "", "", False)
        else:
            ini.report_progress(proposer, ctx, f"Kỳ {n}", "Ổn", "")
    return ini, count + added


# The lives begin one after another over this many days (within the years the working-day
# calendar knows), about this many events each: the log's time grows with its positions.
SPAN_DAYS = 690
EVENTS_PER_LIFE = 10
SAVED_AT_ONCE = 500  # events per save


def generate(
    app: LedgerApplication,
    events: int,
    wards: int = 200,
    seed: int = 7,
    progress: Callable[[int], None] | None = None,
    spread: int = 0,
    spread_ids: list[UUID] | None = None,
) -> int:
    """Import the synthetic directory and record initiatives until `events` are stored, in the
    order of their times, as the service records them: the lives begin one after another over
    SPAN_DAYS and interleave, and an event is saved once no life still to begin can come before
    it. (Each life saved at once, all beginning on one day, made a log whose time did not grow
    with its positions: a read as of an early position then passed versions written later.)

    With `spread`, one of the initiatives has about that many events, spread evenly over the
    whole log (`spread_life`: a dossier's benchmark); its id is appended to `spread_ids`."""
    app.import_directory(synthetic_directory(wards), "bench")
    rng = random.Random(seed)
    team = [Ward(w, app) for w in range(wards)]
    begin = datetime(2025, 8, 1, 3, tzinfo=UTC)
    stored = app.recorder.max_notification_id() or 0
    step = timedelta(days=SPAN_DAYS) / max(1, (events - stored - spread) // EVENTS_PER_LIFE)
    waiting: list[tuple[datetime, int, Any]] = []  # (time, order, event): a heap
    order = itertools.count()
    count = lives = 0
    if spread:
        long, count = spread_life(team[0], rng, begin, spread)
        if spread_ids is not None:
            spread_ids.append(long.id)
        for event in long.collect_events():
            heapq.heappush(waiting, (event.timestamp, next(order), event))
    while stored + count < events:
        start = begin + step * lives
        lives += 1
        _save_before(app, waiting, start)
        ini, n = life(rng.choice(team), rng, start)
        for event in ini.collect_events():
            heapq.heappush(waiting, (event.timestamp, next(order), event))
        count += n
        if progress and lives % 50 == 0:
            progress(stored + count)
    _save_before(app, waiting, None)
    return app.recorder.max_notification_id() or 0


def _save_before(
    app: LedgerApplication, waiting: list[tuple[datetime, int, Any]], time: datetime | None
) -> None:
    """Save the waiting events earlier than `time` (None: all), in order of time (an
    initiative's own in the order it made them)."""
    due = []
    while waiting and (time is None or waiting[0][0] < time):
        due.append(heapq.heappop(waiting)[2])
        if len(due) == SAVED_AT_ONCE:
            app.save(*due)
            due = []
    if due:
        app.save(*due)


def _proposal(start: date) -> dict[str, Any]:
    text = "Nội dung đề xuất"
    return {
        **dict.fromkeys((f for f in TEXT_FIELDS if f != "chosen_option"), text),
        "bottleneck": "not_regulated",
        "rules_concerned": ["QĐ 1"],
        "tasks": ["Việc 1"],
        "expected_results": ["Kết quả 1"],
        "planned_start": start,
        "planned_end": start + timedelta(days=200),
        "options": [{"title": "A", "description": ""}, {"title": "B", "description": ""}],
        "chosen_option": "A",
        "no_self_interest": True,
        NOT_CONTRARY: True,
    }
