"""The sets of statuses the commands check (the statuses themselves: `domain.vocabulary`)."""

from __future__ import annotations

from domain.vocabulary import Status

BEFORE_DECISION = frozenset(
    {
        Status.DRAFT,
        Status.SUBMITTED,
        Status.UNDER_REVIEW,
        Status.CLARIFICATION_REQUESTED,
        Status.URGENT_REPORTED,
    }
)
IN_REVIEW = frozenset({Status.UNDER_REVIEW, Status.CLARIFICATION_REQUESTED})
RUNNING = frozenset({Status.IN_PROGRESS, Status.SUSPENDED})
AFTER_APPROVAL = frozenset(
    {
        Status.APPROVED,
        Status.IN_PROGRESS,
        Status.SUSPENDED,
        Status.TERMINATED,
        Status.COMPLETED,
        Status.UNDER_EVALUATION,
        Status.EVALUATED,
        Status.ARCHIVED,
    }
)
EVALUATED = frozenset({Status.EVALUATED, Status.ARCHIVED})
