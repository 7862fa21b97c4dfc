"""What every view is: its tables, how it applies a batch of changes, how it is cleared."""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol, overload
from uuid import UUID

from eventsourcing.domain import Aggregate

from projections.db import Tx


@dataclass(frozen=True)
class Change:
    """One stored event at its log position, with its aggregate after the whole batch."""

    position: int
    event: Aggregate.Event
    aggregate: Aggregate | None
    state: bytes = b""
    topic: str = ""


class View(Protocol):
    """A read model: tables created by `migrate`, rows written only by the worker."""

    name: str
    tables: tuple[str, ...]  # the tables its `ddl` creates (`created`)
    ddl: tuple[str, ...]

    def apply(self, tx: Tx, changes: list[Change]) -> None:
        """Write the effect of `changes` (in log order) in the caller's transaction."""


_CREATE_TABLE = re.compile(r"CREATE TABLE IF NOT EXISTS (\w+) ")


def created(ddl: tuple[str, ...]) -> tuple[str, ...]:
    """The tables `ddl` creates (its `CREATE TABLE IF NOT EXISTS name` statements), in order."""
    return tuple(found[1] for found in map(_CREATE_TABLE.match, ddl) if found)


def columns(statement: str) -> tuple[str, ...]:
    """The columns a `CREATE TABLE` statement declares, in order (its table constraints, such
    as `PRIMARY KEY (…)`, left out)."""
    body = statement[statement.index("(") + 1 : statement.rindex(")")]
    parts = (part.strip() for part in _OUTSIDE_PARENTHESES.split(body))
    return tuple(part.split()[0] for part in parts if not part.startswith("PRIMARY KEY"))


_OUTSIDE_PARENTHESES = re.compile(r",(?![^(]*\))")  # a comma not within (…)


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    raise TypeError(f"cannot store {type(value).__name__} in a view")


# One encoder for every call (json.dumps makes one a call: a fifth of its time for a row's state).
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_default)


def dumps(value: Any) -> str:
    """Compact JSON in the value's own (deterministic) key order, Vietnamese kept readable."""
    return _ENCODER.encode(value)


def iso(value: date | datetime | None) -> str | None:
    """A date or time as ISO text (dates compare correctly as text)."""
    return value.isoformat() if value is not None else None


@functools.lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lowercase without diacritics, đ as d: searches match with or without accents."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


_TEXTS: dict[UUID, str] = {}  # ids as text: the worker writes the same ids event after event


@overload
def ident(value: UUID | str) -> str: ...


@overload
def ident(value: UUID | str | None) -> str | None: ...


def ident(value: UUID | str | None) -> str | None:
    """An id as text."""
    if value is None or isinstance(value, str):
        return value
    text = _TEXTS.get(value)
    if text is None:
        if len(_TEXTS) >= 100_000:
            _TEXTS.clear()
        text = _TEXTS[value] = str(value)
    return text
