"""What the revisions share: SQLAlchemy's column types and the ways a column is declared.

Plain SQLAlchemy, never the live modules' table definitions (they change; a revision does
not). As frozen as the revisions that use them: a change here would change what an existing
revision creates, so add a helper rather than change one.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

TEXT = sa.Text()
INT = sa.Integer()
BIG = sa.BigInteger()
BOOL = sa.Boolean()
BYTES = sa.LargeBinary()  # BLOB on SQLite, BYTEA on PostgreSQL


def need(name: str, type_: Any) -> sa.Column[Any]:
    """A NOT NULL column."""
    return sa.Column(name, type_, nullable=False)


def may(name: str, type_: Any) -> sa.Column[Any]:
    """A nullable column."""
    return sa.Column(name, type_, nullable=True)


def key(name: str, type_: Any) -> sa.Column[Any]:
    """The single-column primary key, as `name TYPE PRIMARY KEY` made it: never numbered by
    the database, and (SQLite's reading of that clause) not declared NOT NULL."""
    return sa.Column(name, type_, primary_key=True, autoincrement=False, nullable=True)


def key_not_null(name: str, type_: Any) -> sa.Column[Any]:
    """The single-column primary key, never numbered by the database, declared NOT NULL."""
    return sa.Column(name, type_, primary_key=True, autoincrement=False)
