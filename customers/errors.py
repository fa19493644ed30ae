"""Errors of the commerce side (customers, carts, catalog, orders).

Each carries a stable snake_case ``code`` (the transports map it to an ack error or an HTTP
status in ``web/errors.py``), a ``message`` for a person, and optional ``details`` with the
facts behind the refusal (which limit, which status, which line).
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    code: str = "refused"

    def __init__(
        self, message: str, *, code: str | None = None, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details: dict[str, Any] = details or {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.message!r})"


class NotFound(DomainError):
    code = "not_found"

    def __init__(self, entity: str, key: str) -> None:
        super().__init__(f"There is no {entity} {key!r}.", details={"entity": entity, "id": key})


class InvalidInput(DomainError):
    """The request itself is wrong (a bad quantity, an expired card): it will never succeed."""

    code = "invalid_input"


class Refused(DomainError):
    """The request is well formed but a rule forbids it in the current state."""

    code = "refused"


class VersionConflict(DomainError):
    code = "version_conflict"

    def __init__(self, entity: str, key: str, expected: int | None, actual: int | None) -> None:
        super().__init__(
            f"The {entity} {key} was changed by someone else (you had version {expected}, "
            f"it is now at {actual}). Reload it and try again.",
            details={"entity": entity, "id": key, "expected": expected, "actual": actual},
        )


class CartLocked(Refused):
    code = "cart_locked"

    def __init__(self, cart_id: str, order_number: str | None) -> None:
        super().__init__(
            "This cart is being turned into an order by customer care and cannot be changed "
            "until that order is confirmed or discarded.",
            details={"cart_id": cart_id, "order_number": order_number},
        )


class CardNumberNotAllowed(InvalidInput):
    code = "card_number_not_allowed"

    def __init__(self, field: str) -> None:
        super().__init__(
            f"{field} looks like a full card number. Careline never stores card numbers: "
            "give the payment provider's token with the brand, last four digits and expiry.",
            details={"field": field},
        )
