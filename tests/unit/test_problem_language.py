"""The titles and default descriptions of werkzeug's errors that the refusals catalogue
translates are still werkzeug's own words (an upgrade that rewords one would leave the
problem in English)."""

from __future__ import annotations

from werkzeug import exceptions

from web.problem_language import DESCRIPTIONS, TITLES

STATUSES = (400, 401, 403, 404, 405, 406, 409, 412, 413, 415, 422, 428, 429, 500, 503)


def test_the_declared_titles_and_descriptions_are_werkzeugs() -> None:
    errors = [exceptions.default_exceptions[status]() for status in STATUSES]
    assert list(TITLES) == [error.name for error in errors]
    assert list(DESCRIPTIONS) == [error.description for error in errors]
