"""Alembic's environment for the ledger: the revisions run on the connection that
`migrations.upgrade` opened from the store's Storage, inside its transaction (taken under
its lock); the version table is in the store's schema. Nothing is read from alembic.ini.

Alembic's own command line only writes new revisions here (CONTRIBUTING.md, "a table"); a
database is migrated by `ledger migrate`.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError(
        "the ledger's database is migrated by `ledger migrate` (migrations.upgrade), which"
        " opens the connection; alembic's command line only writes revisions"
    )
context.configure(
    connection=connection,
    version_table_schema=context.config.attributes.get("schema"),
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
