"""A reader web node's settings (LEDGER_NODE=reader) fail closed: it reads a PostgreSQL replica
through read-only sessions, runs no worker, keeps no counters in the database, names the
writer nodes in production; and the `ledger` commands that write refuse its settings. (The
node itself, on a real replica: tests/integration/test_replica.py.)"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tests.factories import refusal
from web.cli import main
from web.config import Settings

REPLICA = "postgresql://ledger@replica.internal:5432/ledger"
READER = {"LEDGER_NODE": "reader", "DATABASE_URL": REPLICA}
PRODUCTION = {
    "LEDGER_ENV": "production",
    "JWT_SECRET": "s" * 40,
    "SECRET_KEY": "k" * 40,
    "LEDGER_ORIGIN": "ledger.hcm.example/initiatives",
}


def test_a_reader_reads_through_read_only_sessions_a_writer_does_not() -> None:
    reader = Settings.load({**READER, "WRITER_URL": "https://ledger.hcm.example"})
    assert (reader.reader, reader.node, reader.writer_url) == (
        True,
        "reader",
        "https://ledger.hcm.example",
    )
    storage = reader.storage
    assert storage.read_only
    assert storage.describe() == "postgresql://ledger@replica.internal:5432/ledger (read-only)"
    assert "-c default_transaction_read_only=on" in storage.connection_settings()[1]["options"]
    assert storage.eventsourcing_env()["POSTGRES_READ_ONLY"] == "y"
    writer = Settings.load({"DATABASE_URL": REPLICA})
    assert (writer.reader, writer.node, writer.storage.read_only) == (False, "writer", False)
    assert "read_only" not in writer.storage.connection_settings()[1]["options"]
    assert "POSTGRES_READ_ONLY" not in writer.storage.eventsourcing_env()


def test_a_misconfigured_reader_refuses_to_start() -> None:
    assert refusal({"LEDGER_NODE": "replica"}) == (
        "LEDGER_NODE must be writer or reader, not 'replica'"
    )
    assert refusal({"LEDGER_NODE": "reader", "DATABASE_URL": "sqlite:///var/ledger.sqlite3"}) == (
        "LEDGER_NODE=reader reads a PostgreSQL replica: DATABASE_URL must be postgresql://…"
        " (the replica), not SQLite"
    )
    assert refusal({**READER, "IN_PROCESS_WORKER": "on"}) == (
        "LEDGER_NODE=reader never writes: IN_PROCESS_WORKER must be off (the worker runs"
        " against the primary)"
    )
    assert refusal({**READER, "RATELIMIT_STORAGE_URI": "ledgerdb://"}) == (
        "LEDGER_NODE=reader cannot keep rate-limit counters in the database (a replica is"
        " read-only): leave RATELIMIT_STORAGE_URI unset (memory) or use redis://…"
    )
    assert refusal({**READER, "WRITER_URL": "ledger.hcm.example"}) == (
        "WRITER_URL must be an http:// or https:// address, not 'ledger.hcm.example'"
    )


def test_a_production_reader_names_the_writer_nodes() -> None:
    assert refusal({**READER, **PRODUCTION}) == (
        "LEDGER_ENV=production refuses to start; set WRITER_URL (where a reader node sends"
        " commands: the writer web nodes)"
    )
    settings = Settings.load({**READER, **PRODUCTION, "WRITER_URL": "https://ledger.hcm.example"})
    assert (settings.production, settings.reader, settings.storage.read_only) == (True, True, True)
    assert Settings.load({**PRODUCTION, "DATABASE_URL": REPLICA}).writer_url == ""


@pytest.mark.parametrize(
    "command",
    [["migrate"], ["worker"], ["demo"], ["run"], ["projections", "rebuild"]],
)
def test_commands_that_write_refuse_a_reader_s_settings(
    command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in READER.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: LEDGER_NODE=reader: `main {' '.join(command)}` writes, and a reader node's"
        " database is a read-only replica; run it with the primary's settings (LEDGER_NODE"
        " unset)\n"
    )
