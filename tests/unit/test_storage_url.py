"""A store's URL is refused with its reason before anything runs: here, a SQLite older than the
service's statements need (projections/storage.py SQLITE_AT_LEAST)."""

from __future__ import annotations

import sqlite3

import pytest

from projections import storage
from web.config import Settings


def test_a_sqlite_older_than_the_views_need_is_refused_in_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(storage.sqlite3, "sqlite_version_info", (3, 34, 1))
    monkeypatch.setattr(storage.sqlite3, "sqlite_version", "3.34.1")
    with pytest.raises(storage.StorageConfigError) as refused:
        Settings.load({"DATABASE_URL": "sqlite:///var/ledger.sqlite3"}).storage  # noqa: B018
    assert str(refused.value) == (
        "SQLite 3.35.0 or later is needed (RETURNING, MATERIALIZED, UPDATE ... FROM); this"
        " Python has 3.34.1: use PostgreSQL or a Python built with a newer SQLite"
    )


def test_the_sqlite_here_is_new_enough() -> None:
    assert sqlite3.sqlite_version_info >= storage.SQLITE_AT_LEAST
    assert storage.Storage.from_url("sqlite:///var/ledger.sqlite3").kind == "sqlite"
