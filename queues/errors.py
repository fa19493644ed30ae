"""Errors of the care side (queues and chat). Each carries a stable ``code`` for the wire."""

from __future__ import annotations

from typing import Any


class CareError(Exception):
    code: str = "bad_request"

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}

    def __reduce__(self) -> tuple[Any, ...]:
        # Whole, details included, when it comes back from the message store's process.
        return (_rebuild, (type(self), self.message, self.details))


def _rebuild(cls: type[CareError], message: str, details: dict[str, Any]) -> CareError:
    return cls(message, details=details)


class NotFound(CareError):
    code = "not_found"


class Forbidden(CareError):
    code = "forbidden"


class AlreadyTaken(CareError):
    code = "already_taken"


class AtCapacity(CareError):
    code = "at_capacity"


class InvalidState(CareError):
    """The action does not fit where the conversation is (e.g. requeue a closed chat)."""

    code = "invalid_state"


class UnknownQueue(CareError):
    code = "unknown_queue"


class Unauthorized(CareError):
    code = "unauthorized"


class BadCredentials(CareError):
    code = "bad_credentials"


class AccountExists(CareError):
    code = "account_exists"


class AccountDisabled(CareError):
    code = "account_disabled"


class InvalidInput(CareError):
    code = "invalid_payload"
