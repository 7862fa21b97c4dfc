"""Domain errors: one tree, mapped once to HTTP statuses by the web layer.

    DomainError
    ├── NotFoundError            an aggregate or directory entry does not exist
    ├── ForbiddenError           the actor may not do this (no position, own initiative, …)
    ├── ConflictError            the command clashes with the current state
    │   ├── WrongStateError      the initiative is not in a state that allows the act at all
    │   ├── StaleVersionError    the caller's expected version is not the current one
    │   └── ConcurrentWriteError another command was recorded at the same moment
    └── InvalidError             well-formed but invalid data (dates out of order, bad reference)

Each error carries a human sentence (`str(error)`, English) safe to show to the caller, made
of a constant template (its message id) and named parameters kept apart (`template`,
`params`), so another language can say it (`domain/messages.py`).
"""

from typing import Any

from domain.messages import Message, english, msg


class DomainError(Exception):
    """Base class of every error the domain raises on purpose."""

    def __init__(self, template: str | Message = "", /, **params: Any) -> None:
        if isinstance(template, Message):  # a sentence declared beforehand (a fact's refusal)
            params = {**template.params, **params}
            template = template.template
        super().__init__(english(template, params))
        self.template: str = template
        self.params = params


class NotFoundError(DomainError):
    """The named aggregate or directory entry does not exist."""


class ForbiddenError(DomainError):
    """The actor is not permitted to perform this act."""


class ConflictError(DomainError):
    """The command is not allowed in the current state of the aggregate."""


class WrongStateError(ConflictError):
    """The aggregate's state does not allow this act, whatever the request says.

    Raised by the guards that run before a command looks at its body, so a probe
    (`ServiceBase.may`) can tell "not now" from "not with these values".
    """


class StaleVersionError(ConflictError):
    """The caller expected another version than the current one."""

    def __init__(self, expected: int, actual: int) -> None:
        super().__init__(
            msg(
                "expected version {expected}, but the current version is {actual};"
                " reload and retry"
            ),
            expected=expected,
            actual=actual,
        )
        self.expected = expected
        self.actual = actual


class InvalidError(DomainError):
    """Well-formed data that breaks a rule (dates out of order, unknown references…)."""

    def __init__(self, template: str | Message, field: str | None = None, **params: Any) -> None:
        # the field is a parameter too: "{field} must not be empty"
        super().__init__(template, **({"field": field} if field else {}), **params)
        self.field = field


class ConcurrentWriteError(ConflictError):
    """Another command was recorded on the same aggregate at the same moment."""
