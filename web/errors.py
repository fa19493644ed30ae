"""The one place where a domain error becomes an ack error or an HTTP status.

Every context raises its own exceptions; what they share is a stable snake_case ``code`` and a
``message`` for a person (and, optionally, ``details``). Anything without a code is a bug and is
answered as ``internal_error`` without leaking its text.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol, runtime_checkable

logger = logging.getLogger(__name__)


@runtime_checkable
class CodedError(Protocol):
    code: str
    message: str


# The order desk's codes (orders, customers, carts): a refusal that depends on the current
# state is 409, a request that can never succeed is 422, a limit or a lead-only decision 403.
# fmt: off
_ORDER_DESK_CONFLICTS = (
    "cart_locked", "cart_closed", "cart_full", "customer_exists", "already_exists",
    "not_a_business", "variant_unavailable", "insufficient_stock", "no_change", "order_discarded",
    "order_cancelled", "order_already_placed", "order_not_placed", "order_closed", "order_on_hold",
    "order_not_cancellable", "quote_expired", "line_cancelled", "line_not_changeable",
    "line_not_cancellable", "already_cancelled", "stop_delivery_required", "return_required",
    "already_shipped", "not_in_shipment", "nothing_to_redirect", "already_invoiced",
    "already_shipping", "no_email", "store_not_pickup", "no_delivery_appointment",
    "nothing_to_schedule", "nothing_to_release", "line_not_released", "ship_together",
    "mixed_fulfilment", "shipment_not_packing", "shipment_not_dispatched", "shipment_delivered",
    "not_shipped", "reship_in_progress", "not_returnable", "return_already_received",
    "already_on_hold", "nothing_to_hold", "hold_not_active", "line_not_adjustable",
    "already_price_matched", "coupon_invalid", "coupon_expired", "coupon_not_applicable",
    "coupon_already_applied", "coupon_not_applied", "nothing_to_charge", "payment_required",
    "payment_insufficient", "approval_not_pending", "approval_not_needed", "self_approval",
)
_ORDER_DESK_INVALID = (
    "invalid_input", "card_number_not_allowed", "invalid_payment", "payment_method_expired",
    "invalid_payment_split", "invalid_quantity", "currency_mismatch", "invalid_configuration",
    "variant_of_other_product", "invalid_location", "unknown_location", "invalid_pickup_date",
    "invalid_appointment", "invalid_amount", "appeasement_exceeds_value", "price_match_not_lower",
    "idempotency_key_reused", "invalid_lines", "invalid_tracking_status", "empty_order",
    "cart_empty", "customer_required", "ship_to_required", "bill_to_required", "company_required",
    "contact_required", "exemption_certificate_required", "invalid_contact", "invalid_note",
    "invalid_cart_owner",
)
# fmt: on

# HTTP status for each code; a code not listed here is a 400 (the request was refused).
STATUS_BY_CODE: dict[str, int] = {
    "invalid_payload": 422,
    "unauthorized": 401,
    "bad_credentials": 401,
    "token_expired": 401,
    "forbidden": 403,
    "not_found": 404,
    "conflict": 409,
    "version_conflict": 409,
    "already_taken": 409,
    "rate_limited": 429,
    "internal_error": 500,
    "unavailable": 503,
    "limit_exceeded": 403,
    "lead_required": 403,
    # A rule refused the request in the current state (the generic form of the conflicts below).
    "refused": 409,
    **dict.fromkeys(_ORDER_DESK_CONFLICTS, 409),
    **dict.fromkeys(_ORDER_DESK_INVALID, 422),
}


def http_status(code: str) -> int:
    return STATUS_BY_CODE.get(code, 400)


def error_body(exc: BaseException) -> dict[str, Any]:
    """``{"code", "message", "details"?}`` for any exception; unknown ones are logged, not shown."""
    if isinstance(exc, CodedError):
        body: dict[str, Any] = {"code": exc.code, "message": exc.message}
        details = getattr(exc, "details", None)
        if details:
            body["details"] = details
        return body
    logger.exception("unexpected error", exc_info=exc)
    return {"code": "internal_error", "message": "Something went wrong on our side."}


def ack_error(exc: BaseException) -> dict[str, Any]:
    """The Socket.IO acknowledgement for a refused event."""
    return {"ok": False, "error": error_body(exc)}
