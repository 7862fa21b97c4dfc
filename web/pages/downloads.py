"""Downloads of the pages' tables: `?export=csv|xlsx&table=…` on a page's own URL answers one
of the tables it renders as a spreadsheet (web/exports.py), with the page's filters applied."""

from __future__ import annotations

from typing import Any

from flask import request, url_for
from werkzeug.wrappers import Response

from domain.errors import InvalidError

# The tables a page offers as a download (`?export=csv|xlsx&table=…`, the page's own filters
# applied): each one of the values the page renders.
EXPORTABLE = {
    "home.html": ("missed", "running"),
    "inbox.html": ("waiting",),
    "list.html": ("rows",),
    "me.html": ("records", "clocks", "mine"),
    "inspection.html": (
        "overrides",
        "outside",
        "without_opinion",
        "mismatches",
        "unreceived",
        "without_quorum",
        "missed",
        "access",
    ),
}
CLOCK_TABLES = ("missed", "running", "clocks", "unreceived")  # a row's `name` is its clock's
EXPORT_LIMIT = 5000  # initiatives in one download of the list


def exporting() -> bool:
    """Whether this request asks for a download of one of the page's tables."""
    return "export" in request.args


def exported(template: str, values: dict[str, Any]) -> Response:
    """The table `table` of the page's values as CSV or Excel."""
    # Here, not at the top: web.exports reads the pages' labels, and importing web.pages
    # imports this module (through the views).
    from web.exports import FORMATS, clock_sheet, spreadsheet

    fmt, table = request.args.get("export", ""), request.args.get("table", "")
    if fmt not in FORMATS:
        raise InvalidError("a download is export=csv or export=xlsx", "export")
    if table not in EXPORTABLE.get(template, ()):
        raise InvalidError("this page offers no table {table!r} to download", "table", table=table)
    rows = values[table]
    if table in CLOCK_TABLES:
        rows = clock_sheet(rows)
    return spreadsheet(table.replace("_", "-"), rows, fmt)


def export_url(table: str, fmt: str) -> str:
    """This page's URL, its filters kept, asking for `table` as `fmt` (a template global)."""
    values: dict[str, Any] = {**(request.view_args or {}), **request.args.to_dict()}
    values.pop("cursor", None)
    return url_for(str(request.endpoint), **{**values, "export": fmt, "table": table})
