"""Directory commands and queries: import, organisations, people."""

from __future__ import annotations

from uuid import UUID

from domain.directory import Organisation, Person
from domain.directory_payloads import (
    DirectoryFile,
    HeldPosition,
    OrganisationAnswer,
    OrganisationSummary,
    PersonAnswer,
    PersonSummary,
)
from domain.importer import ImportReport, plan_import
from domain.queries import describe_organisation
from domain.service_base import ServiceBase


class DirectoryService(ServiceBase):
    """Organisations, people and positions."""

    def import_directory(self, data: DirectoryFile, source: str) -> dict[str, int]:
        """Record what differs between `data` and the directory, atomically."""
        report: ImportReport = plan_import(
            data,
            lambda i: self._find(Organisation, i),
            lambda i: self._find(Person, i),
            source,
            self.clock(),
        )
        if report.dirty:
            self._save(*report.dirty)
        return report.as_dict()

    def get_organisation(self, organisation_id: UUID) -> OrganisationAnswer:
        """One organisation with its positions."""
        return describe_organisation(self._get(Organisation, organisation_id))

    def get_person(self, person_id: UUID) -> PersonAnswer:
        """One person with the positions they hold or held anywhere."""
        person = self._get(Person, person_id)
        positions: list[HeldPosition] = [
            {**position.as_dict(), "organisation_id": org.id}
            for org in self._organisations_of(person_id)
            for position in org.positions.values()
            if position.person_id == person_id
        ]
        return {
            "id": person.id,
            "key": person.key,
            **person.details.as_dict(),
            "positions": positions,
        }

    def list_organisations(self) -> list[OrganisationSummary]:
        """Every organisation, ordered by key."""
        orgs = [self._get(Organisation, i) for i in self._created_ids(Organisation.Registered)]
        summaries: list[OrganisationSummary] = [
            {"id": o.id, "key": o.key, **o.details.as_dict()} for o in orgs
        ]
        return sorted(summaries, key=lambda o: o["key"])

    def list_people(self) -> list[PersonSummary]:
        """Every person, ordered by key."""
        people = [self._get(Person, i) for i in self._created_ids(Person.Registered)]
        summaries: list[PersonSummary] = [
            {"id": p.id, "key": p.key, **p.details.as_dict()} for p in people
        ]
        return sorted(summaries, key=lambda p: p["key"])

    def person_exists(self, person_id: UUID) -> bool:
        """Whether the directory knows this person (used to authenticate tokens)."""
        return self._directory_find(Person, person_id) is not None
