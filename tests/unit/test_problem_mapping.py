"""Every domain error class maps to a status, by its most specific class."""

from __future__ import annotations

import inspect

import pytest

from domain import errors
from web.problems import DOMAIN_STATUS, domain_status

ERROR_CLASSES = [
    cls
    for _, cls in inspect.getmembers(errors, inspect.isclass)
    if issubclass(cls, errors.DomainError)
]


def test_every_domain_error_class_has_a_row_or_an_ancestor_row() -> None:
    mapped = {cls for cls, _, _ in DOMAIN_STATUS}
    unmapped = [c for c in ERROR_CLASSES if not any(issubclass(c, m) for m in mapped)]
    assert unmapped == []
    assert len(ERROR_CLASSES) == 8


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (errors.NotFoundError("x"), 404),
        (errors.ForbiddenError("x"), 403),
        (errors.ConflictError("x"), 409),
        (errors.ConcurrentWriteError("x"), 409),
        (errors.StaleVersionError(1, 2), 412),
        (errors.InvalidError("x"), 422),
        (errors.DomainError("x"), 400),
    ],
)
def test_the_most_specific_class_decides_the_status(
    error: errors.DomainError, status: int
) -> None:
    assert domain_status(error)[0] == status
