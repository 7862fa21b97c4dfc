"""What the views' declarations derive from their DDL (projections.view): the tables each one
creates, and the columns of a table, in the order the statements give them."""

from __future__ import annotations

from migrations import first_revision
from projections.audit_view import AuditView
from projections.ledger.guard import LEDGER_TABLES
from projections.view import columns, created
from projections.worker import all_views


def test_each_view_names_the_tables_its_ddl_creates_in_order() -> None:
    assert {view.name: view.tables for view in all_views()} == {
        "directory": ("dir_organisations", "dir_people", "dir_positions"),
        "initiatives": (
            "iv_initiatives",
            "iv_people",
            "iv_clocks",
            "iv_counts",
            "iv_updated_max",
            "iv_counts_marks",
        ),
        "cadre_records": ("iv_cadre_facts",),
        "audit": ("iv_audit",),
        "unit_plans": ("iv_unit_plans", "iv_unit_reviews"),
        "documents": ("iv_documents",),
        "ledger": LEDGER_TABLES,
    }
    # the ledger's tables are those revision 0001 made append-only (refusing triggers)
    assert LEDGER_TABLES == first_revision().LEDGER


def test_indexes_and_other_statements_create_no_table() -> None:
    ddl = (
        "CREATE INDEX IF NOT EXISTS t_a ON t (a)",
        "CREATE TABLE IF NOT EXISTS t (a TEXT NOT NULL)",
        "CREATE UNIQUE INDEX IF NOT EXISTS u_b ON u (b)",
        "CREATE TABLE IF NOT EXISTS u (b BIGINT PRIMARY KEY)",
    )
    assert created(ddl) == ("t", "u")


def test_the_columns_of_a_table_leave_its_key_constraint_out() -> None:
    statement = (
        "CREATE TABLE IF NOT EXISTS t (a TEXT NOT NULL, b INTEGER, c BLOB NOT NULL,"
        " PRIMARY KEY (a, b))"
    )
    assert columns(statement) == ("a", "b", "c")
    assert columns(AuditView.ddl[0]) == (
        "position",
        "aggregate_id",
        "aggregate_type",
        "version",
        "event_type",
        "recorded_at",
        "actor_person_id",
        "actor_name",
        "actor_role",
        "actor_organisation_id",
        "organisation_id",
        "request_id",
        "data",
    )
