"""The vocabularies of the order desk."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    """Where the order is as a document: being written, parked as a quote, or placed."""

    DRAFT = "draft"
    QUOTE = "quote"
    PLACED = "placed"
    DISCARDED = "discarded"


class LineStatus(StrEnum):
    CREATED = "created"
    BACKORDERED = "backordered"
    SCHEDULED = "scheduled"
    RELEASED = "released"
    INCLUDED_IN_SHIPMENT = "included_in_shipment"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    RETURNED = "returned"


class OrderStatus(StrEnum):
    """The order's status as people search for it: its stage, or where its lines stand."""

    DRAFT = "draft"
    QUOTE = "quote"
    DISCARDED = "discarded"
    CREATED = "created"
    BACKORDERED = "backordered"
    SCHEDULED = "scheduled"
    RELEASED = "released"
    INCLUDED_IN_SHIPMENT = "included_in_shipment"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    RETURNED = "returned"
    CANCELLED = "cancelled"


class Channel(StrEnum):
    PHONE = "phone"
    CHAT = "chat"
    WEB = "web"
    EMAIL = "email"
    STORE = "store"


class Fulfilment(StrEnum):
    SHIP = "ship"
    PICKUP = "pickup"


class HoldType(StrEnum):
    FRAUD_REVIEW = "fraud_review"
    ADDRESS_VERIFICATION = "address_verification"
    PAYMENT = "payment"
    MANUAL = "manual"


class HoldStatus(StrEnum):
    ACTIVE = "active"
    RESOLVED = "resolved"


class ChargeKind(StrEnum):
    SHIPPING = "shipping"
    HANDLING = "handling"
    GIFT_WRAP = "gift_wrap"


class DiscountKind(StrEnum):
    APPEASEMENT = "appeasement"
    PRICE_MATCH = "price_match"
    COUPON = "coupon"


class AppeasementReason(StrEnum):
    LATE_DELIVERY = "late_delivery"
    DAMAGED_ITEM = "damaged_item"
    MISSING_ITEM = "missing_item"
    SERVICE_ISSUE = "service_issue"
    PRICE_ADJUSTMENT = "price_adjustment"
    GOODWILL = "goodwill"
    OTHER = "other"


class TxKind(StrEnum):
    AUTHORIZATION = "authorization"
    # Gives back (part of) an open authorization.
    VOID = "void"
    CHARGE = "charge"
    REFUND = "refund"


class ShipmentStatus(StrEnum):
    PACKING = "packing"
    SHIPPED = "shipped"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELAYED = "delayed"
    EXCEPTION = "exception"
    DELIVERED = "delivered"
    # Delivery stopped before the parcel left.
    STOPPED = "stopped"


class ReturnStatus(StrEnum):
    AUTHORIZED = "authorized"
    RECEIVED = "received"


class ReturnReason(StrEnum):
    DOES_NOT_FIT = "does_not_fit"
    DAMAGED = "damaged"
    WRONG_ITEM = "wrong_item"
    NOT_AS_DESCRIBED = "not_as_described"
    CHANGED_MIND = "changed_mind"
    OTHER = "other"
