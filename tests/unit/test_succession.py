"""A unit's positions end with it: after a merger (the directory gives the old unit a
`valid_to`), nobody acts in it any more, whatever each position's own end says; the successor's
positions count from its `valid_from` (docs/domain.md §5.9, §5.15)."""

from __future__ import annotations

from datetime import date

from domain.application import LedgerApplication
from domain.directory import Organisation
from domain.vocabulary import Role
from tests.factories import oid, pid, ward_directory


def test_a_position_counts_only_while_its_organisation_is_in_being(
    app: LedgerApplication,
) -> None:
    directory = ward_directory()
    ward = next(o for o in directory["organisations"] if o["key"] == "ben-thanh-ubnd")
    ward.update(valid_from=date(2025, 7, 1), valid_to=date(2026, 3, 31))
    app.import_directory(directory, "test")
    org = app.repository.get(oid("ben-thanh-ubnd"))
    assert isinstance(org, Organisation)
    head = pid("chu-tich")
    assert [p.role for p in org.positions_held(head, date(2026, 3, 31))] == [Role.HEAD]
    assert org.positions_held(head, date(2026, 4, 1)) == []  # its own valid_to is open
    assert org.positions_held(head, date(2025, 6, 30)) == []  # before the ward was formed
    assert len(org.holders({Role.HEAD, Role.DEPUTY}, date(2026, 3, 31))) == 3
    assert org.holders({Role.HEAD, Role.DEPUTY}, date(2026, 4, 1)) == []
