"""Where an initiative stands: its status, its regime, the phases of the party opinion, and
the sets of statuses the commands check (imported from `domain.initiative` as before)."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Where an initiative stands in its lifecycle."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    CLARIFICATION_REQUESTED = "clarification_requested"
    URGENT_REPORTED = "urgent_reported"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    IN_PROGRESS = "in_progress"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"
    COMPLETED = "completed"
    UNDER_EVALUATION = "under_evaluation"
    EVALUATED = "evaluated"
    ARCHIVED = "archived"


class Regime(StrEnum):
    """Ordinary procedure or the urgent path."""

    REGULAR = "regular"
    URGENT = "urgent"


class Phase(StrEnum):
    """The two moments at which the same-level party committee gives its opinion."""

    APPROVAL = "approval"
    EVALUATION = "evaluation"


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
