"""The service layer: one eventsourcing Application for the directory and every initiative.

Views call one method each with plain values and a `Context` (who, when, which request);
queries return plain values, never aggregates.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import cast
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.access import AccessLog, access_log_id
from domain.directory import Organisation
from domain.directory_service import DirectoryService
from domain.errors import ForbiddenError, InvalidError, NotFoundError
from domain.initiative import Initiative
from domain.messages import msg
from domain.plan_service import PlanService
from domain.proposal_service import ProposalService
from domain.queries import describe_event, describe_initiative, differences
from domain.read_policy import FULL, oversees, read_level, system_wide
from domain.values import Context, local_date
from domain.vocabulary import Role


class LedgerApplication(DirectoryService, ProposalService, PlanService):
    """Commands and queries over the directory and initiatives, on one global event log."""

    name = "Ledger"

    def get_initiative(
        self, initiative_id: UUID, as_of: datetime | None = None, version: int | None = None
    ) -> dict[str, object]:
        """One initiative now, at a past moment or at a version, its clocks as they stood then.

        The past is replayed from the events (there are no snapshots: nothing is served that
        the ledger does not cover).
        """
        current = self._get(Initiative, initiative_id)
        if as_of is None and version is None:
            return describe_initiative(current, local_date(self.clock()), self.calendar)
        events = self._events_until(initiative_id, as_of, version)
        past: Initiative = self.repository.get(
            initiative_id, version=events[-1].originator_version
        )
        when = as_of or events[-1].timestamp
        return describe_initiative(past, local_date(when), self.calendar)

    def get_history(
        self, initiative_id: UUID, until: datetime | None = None
    ) -> list[dict[str, object]]:
        """Every event of one initiative in order (up to `until`), with who acted and how."""
        self._get(Initiative, initiative_id)
        return [describe_event(e) for e in self._events_until(initiative_id, until, None)]

    def read_level(self, ctx: Context, initiative_id: UUID) -> str:
        """`full` (the restricted record) or `register` (public register) for this caller."""
        initiative = self._get(Initiative, initiative_id)
        affiliations = self._organisations_of(ctx.person_id)  # none for an unknown person
        return read_level(
            ctx.person_id,
            affiliations,
            initiative,
            ctx.local_date,
            lambda i: self._directory_find(Organisation, i),
        )

    def require_full_read(self, ctx: Context, initiative_id: UUID, what: str) -> None:
        """Refuse the restricted record to callers it does not concern (403 with the reason)."""
        if self.read_level(ctx, initiative_id) != FULL:
            raise ForbiddenError(
                "the {what} of an initiative is restricted to the people and bodies it"
                " concerns; you may read its entry in the public register",
                what=what,
            )

    def require_oversight(self, ctx: Context, organisation_id: UUID | None, what: str) -> None:
        """Dashboards: one organisation for those who oversee it; all for system-wide roles."""
        affiliations = self._organisations_of(ctx.person_id)
        if system_wide(ctx.person_id, affiliations, ctx.local_date):
            return
        if organisation_id is not None and oversees(
            ctx.person_id,
            affiliations,
            {organisation_id},
            ctx.local_date,
            lambda i: self._directory_find(Organisation, i),
        ):
            return
        scope = msg("this organisation") if organisation_id else msg("every organisation")
        raise ForbiddenError(
            "the {what} of {scope} is for those who belong to, lead or inspect it; name an"
            " organisation you oversee",
            what=what,
            scope=scope,
        )

    def overseen_organisations(self, ctx: Context, candidates: list[UUID]) -> set[UUID] | None:
        """Of `candidates`, the organisations the caller oversees; None: all (system-wide)."""
        affiliations = self._organisations_of(ctx.person_id)
        if system_wide(ctx.person_id, affiliations, ctx.local_date):
            return None
        directory = self._directory()
        return {
            org
            for org in candidates
            if oversees(
                ctx.person_id,
                affiliations,
                {org},
                ctx.local_date,
                lambda i: directory.find(Organisation, i),
            )
        }

    def require_cadre_records(self, ctx: Context, person_id: UUID | None) -> None:
        """Cadre records: one's own, or personnel boards, inspectors, top-level leaders."""
        if person_id == ctx.person_id:
            return
        if not system_wide(ctx.person_id, self._organisations_of(ctx.person_id), ctx.local_date):
            raise ForbiddenError(
                "cadre records are for the cadre themself, personnel boards and inspectors"
            )

    def positions_digest(self, person_id: UUID) -> str:
        """A digest of every position the person holds or held: it changes when one is
        assigned, changed or ended (page sessions end with it)."""
        items = sorted(
            f"{org.id}|{p.key}|{p.role.value}|{p.valid_from}|{p.valid_to}"
            for org in self._organisations_of(person_id)
            for p in org.positions.values()
            if p.person_id == person_id
        )
        return hashlib.sha256("\n".join(items).encode()).hexdigest()

    def require_ledger_verifier(self, ctx: Context) -> None:
        """A full verification reads every event: inspectors and administrators only."""
        for org in self._organisations_of(ctx.person_id):
            roles = {p.role for p in org.positions_held(ctx.person_id, ctx.local_date)}
            if roles & {Role.INSPECTOR, Role.ADMIN}:
                return
        raise ForbiddenError(
            "a full verification of the ledger reads every event: it is for inspectors and"
            " administrators; anyone may verify receipts and dossiers offline"
        )

    def is_inspector(self, ctx: Context) -> bool:
        """Whether the caller holds an inspector position today (their reading is logged)."""
        try:
            self._actor_among(ctx, self._inspectors(ctx.person_id), msg("inspect"))
        except ForbiddenError:
            return False
        return True

    def record_access(
        self, ctx: Context, initiative_id: UUID, what: str, purpose: str | None
    ) -> None:
        """Log that an inspector read `what` of an initiative, and why."""
        initiative = self._get(Initiative, initiative_id)
        if not purpose or not purpose.strip():
            raise InvalidError("an inspector states the purpose of the reading", "purpose")
        actor = self._actor_among(ctx, self._inspectors(ctx.person_id), msg("inspect"))
        log = self._find(AccessLog, access_log_id(initiative_id)) or AccessLog.open(
            initiative_id, initiative.employing_organisation_id, ctx.at
        )
        log.record(actor, ctx, what, purpose)
        self._save(log)

    def open_reading(self, ctx: Context, initiative_id: UUID, purpose: str | None) -> str:
        """An inspector opens a reading of the restricted record, stating why (recorded); the
        reading's id, which their reads then name."""
        self.record_access(ctx, initiative_id, "record", purpose)
        return ctx.request_id

    def reading_open(
        self, ctx: Context, initiative_id: UUID, reading: str | None, seconds: float
    ) -> bool:
        """Whether `reading` is one the caller opened on this initiative in the last
        `seconds`."""
        if not reading:
            return False
        log = self._find(AccessLog, access_log_id(initiative_id))
        for entry in log.entries if log else []:
            if (
                entry.get("reading") == reading
                and entry["actor"]["person_id"] == str(ctx.person_id)
                and (ctx.at - entry["at"]).total_seconds() <= seconds
            ):
                return True
        return False

    def get_access_log(self, initiative_id: UUID) -> list[dict[str, object]]:
        """Who read the initiative's record as an inspector, when, what and why."""
        self._get(Initiative, initiative_id)
        log = self._find(AccessLog, access_log_id(initiative_id))
        return [dict(entry) for entry in log.entries] if log else []

    def get_changes(
        self, initiative_id: UUID, start: datetime, end: datetime
    ) -> dict[str, object]:
        """The events recorded after `start` up to `end`, and how the state differs."""
        if end < start:
            raise InvalidError("`to` must not be before `from`", field="to")
        self._get(Initiative, initiative_id)
        events = [e for e in self._events_until(initiative_id, end, None) if e.timestamp > start]
        before = self._state_or_none(initiative_id, start)
        after = self._state_or_none(initiative_id, end)
        return {
            "events": [describe_event(e) for e in events],
            "differences": differences(before or {}, after or {}),
            "existed_at_from": before is not None,
        }

    def _state_or_none(self, initiative_id: UUID, moment: datetime) -> dict[str, object] | None:
        try:
            return self.get_initiative(initiative_id, as_of=moment)
        except NotFoundError:
            return None

    def _events_until(
        self, initiative_id: UUID, until: datetime | None, version: int | None
    ) -> list[Aggregate.Event]:
        events: list[Aggregate.Event] = [
            cast(Aggregate.Event, e) for e in self.events.get(initiative_id, lte=version)
        ]
        if until is not None:
            events = [e for e in events if e.timestamp <= until]
        if version is not None and (
            version < 1 or not events or events[-1].originator_version != version
        ):
            raise NotFoundError("the initiative has no version {version}", version=version)
        if not events:
            raise NotFoundError("the initiative did not exist yet at {until}", until=until)
        return events
