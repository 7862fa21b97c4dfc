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
# The statuses in which nothing more is awaited of the deciding authority: the outcome is
# recorded (evaluated, archived) or the proposal ended without a pilot (rejected, withdrawn).
# An initiative in any other status still awaits a decision or an act (a terminated pilot is
# still reported and evaluated: domain.md §5.7), and passes to the successor of a merged,
# split or renamed organisation by a handover (domain.md §5.15).
ENDED = frozenset({Status.REJECTED, Status.WITHDRAWN, Status.EVALUATED, Status.ARCHIVED})
UNDER_WAY = frozenset(Status) - ENDED
