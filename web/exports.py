"""Rows as a spreadsheet: CSV (UTF-8 with a byte-order mark, so that Excel reads Vietnamese) or
Excel (.xlsx, openpyxl), headed and labelled in the reader's language from the pages' catalogue.

Text that a spreadsheet would run as a formula (=, +, -, @ first: a title is free text) is
written as text: quoted in CSV, a text cell in Excel.

Nested answers (the outcome counts) become one column per leaf (`own — by status — approved`);
lists are joined with "; ". Codes of the closed vocabularies and clock names are written as
their labels; dates as dates (dd/mm/yyyy in CSV, date cells in Excel). Ids stay ids, so that a
sheet can be joined with another.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from flask import Response
from flask_babel import gettext as _

from domain.values import VIETNAM_TZ
from web.pages import labels
from web.pages.filters import day

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Columns whose values are codes of a closed vocabulary (their label is written).
CODED = frozenset(
    {"status", "regime", "outcome", "recommended_measure", "determined_measure", "kind",
     "level", "role", "fact", "period", "phase", "form", "trigger", "basis", "next_actor",
     "indicator"}
)  # fmt: skip
CLOCK_COLUMNS = frozenset({"clock", "state"})  # a clock's name, and how it stands
# Columns whose values are names with a label of their own: an event's type, the command a
# row waits for.
NAMED: dict[str, Callable[[str], str]] = {
    "event_type": labels.event_label,
    "waiting_for": labels.waiting_label,
}


def flatten(row: Mapping[str, Any], prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    """A row's leaves by their path (nested mappings become paths)."""
    flat: dict[tuple[str, ...], Any] = {}
    for key, value in row.items():
        if isinstance(value, Mapping):
            flat.update(flatten(value, (*prefix, str(key))))
        else:
            flat[(*prefix, str(key))] = value
    return flat


def columns(rows: Iterable[Mapping[tuple[str, ...], Any]]) -> list[tuple[str, ...]]:
    """Every path any row has, in the order first met."""
    seen: dict[tuple[str, ...], None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def header(path: tuple[str, ...]) -> str:
    """A column's title: each part's label (a field, or a code under a count)."""
    return " — ".join(
        labels.field_label(part) if part in labels.FIELDS else labels.choice_label(part)
        for part in path
    )


def cell(path: tuple[str, ...], value: Any, excel: bool) -> Any:
    """A value as the sheet shows it."""
    name = path[-1]
    if value is None:
        shown: Any = ""
    elif isinstance(value, list | tuple):
        shown = "; ".join(str(cell(path, item, excel)) for item in value)
    elif isinstance(value, bool):
        shown = value if excel else (_("Có") if value else _("Không"))
    elif isinstance(value, str):
        shown = _text(name, value, excel)
    elif isinstance(value, date) and not excel:
        shown = day(value)
    else:
        shown = value
    return shown


def _text(name: str, value: str, excel: bool) -> Any:
    """A text value: a code's label, a date, or the text."""
    if name in CODED:
        return labels.choice_label(value)
    if name in NAMED:
        return NAMED[name](value)
    if name in CLOCK_COLUMNS and value in labels.CLOCKS:
        return str(labels.CLOCKS[value])
    if is_date_field(name):
        try:
            parsed = date.fromisoformat(value[:10])
        except ValueError:
            return value
        return parsed if excel else day(parsed)
    return value


def clock_sheet(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows of clocks as a sheet heads them: a clock's `name` is the `clock` column."""
    return [{("clock" if k == "name" else k): v for k, v in r.items()} for r in rows]


def is_date_field(name: str) -> bool:
    """Whether a field holds a day (read back as a date, shown dd/mm/yyyy)."""
    return name.endswith(("_on", "_date")) or name in ("start", "end")


def spreadsheet(name: str, rows: Sequence[Mapping[str, Any]], fmt: str) -> Response:
    """`rows` as a download named `<name>-<today>.<fmt>`."""
    flat = [flatten(row) for row in rows]
    paths = columns(flat)
    excel = fmt == "xlsx"
    body = [[cell(path, row.get(path), excel) for path in paths] for row in flat]
    titles = [header(path) for path in paths]
    if excel:
        data = _xlsx(name, titles, body)
    else:
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(titles)
        writer.writerows([[_inert(v) for v in values] for values in body])
        data = ("\ufeff" + text.getvalue()).encode("utf-8")
    filename = f"{name}-{datetime.now(VIETNAM_TZ):%Y-%m-%d}.{fmt}"
    return Response(
        data,
        mimetype=FORMATS[fmt].split(";")[0],
        content_type=FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


FORMULA_FIRST = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: Any) -> Any:
    """A CSV value no spreadsheet runs: text that would start a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_FIRST):
        return "'" + value
    return value


def _xlsx(name: str, titles: list[str], body: list[list[Any]]) -> bytes:
    # imported for a workbook only (it costs a process ~0.2 s), once per workbook
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=name[:31])

    def cell(value: Any) -> Any:
        """A cell openpyxl writes as it is: text always as text (openpyxl would make "=…" a
        formula), dates as dates, numbers as numbers."""
        if value is None or isinstance(value, bool | int | float | date):
            return value
        written = WriteOnlyCell(sheet, value=str(value))
        written.data_type = "s"  # never a formula
        return written

    sheet.append([cell(t) for t in titles])
    for values in body:
        sheet.append([cell(v) for v in values])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
