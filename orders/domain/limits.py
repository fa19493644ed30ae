"""What each CSR role may give away without asking: the appeasement ceiling, the price-override
floor and the charge-waiver ceiling. Above a limit the action is refused with the limit named;
a lead (or admin) may approve it, and then the approver's limits apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from customers.errors import DomainError
from customers.kernel import Actor, Role, money
from orders.domain.enums import HoldType


@dataclass(frozen=True, slots=True)
class RoleLimits:
    # None: no limit.
    appeasement_amount: Decimal | None
    appeasement_percent: Decimal | None
    # The lowest price, as a share of the current price, the role may set (price match).
    price_floor: Decimal | None
    charge_reduction: Decimal | None


LIMITS: dict[Role, RoleLimits] = {
    Role.AGENT: RoleLimits(Decimal("25.00"), Decimal("15"), Decimal("0.85"), Decimal("15.00")),
    Role.LEAD: RoleLimits(Decimal("200.00"), Decimal("50"), Decimal("0.50"), Decimal("100.00")),
    Role.ADMIN: RoleLimits(None, None, None, None),
    Role.SYSTEM: RoleLimits(None, None, None, None),
}

# Resolving these takes a lead: a fraud or payment decision is not the front line's call.
LEAD_HOLDS = frozenset({HoldType.FRAUD_REVIEW, HoldType.PAYMENT})
LEADS = frozenset({Role.LEAD, Role.ADMIN, Role.SYSTEM})


class LimitExceeded(DomainError):
    code = "limit_exceeded"


class LeadRequired(DomainError):
    code = "lead_required"


def acting_role(actor: Actor, approver: Actor | None) -> Actor:
    return approver if approver is not None else actor


def _exceeded(
    who: Actor, limit: str, allowed: Decimal, requested: Decimal, what: str
) -> LimitExceeded:
    approver = "an admin" if who.role is Role.LEAD else "a lead"
    return LimitExceeded(
        f"{what} of {requested} is above the {who.role.value} limit of {allowed} "
        f"({limit.replace('_', ' ')}); {approver} can approve it.",
        details={
            "limit": limit,
            "role": who.role.value,
            "allowed": str(allowed),
            "requested": str(requested),
            "approver_role": "admin" if who.role is Role.LEAD else "lead",
        },
    )


def check_appeasement(who: Actor, amount: Decimal, base: Decimal) -> None:
    limits = LIMITS[who.role]
    if limits.appeasement_amount is not None and amount > limits.appeasement_amount:
        raise _exceeded(
            who, "appeasement_amount", limits.appeasement_amount, amount, "An appeasement"
        )
    if limits.appeasement_percent is not None and base > 0:
        percent = money(amount * 100 / base)
        if percent > limits.appeasement_percent:
            raise _exceeded(
                who,
                "appeasement_percent",
                limits.appeasement_percent,
                percent,
                "An appeasement (in percent of what it applies to)",
            )


def check_price_floor(who: Actor, new_price: Decimal, current_price: Decimal) -> None:
    floor = LIMITS[who.role].price_floor
    if floor is None:
        return
    lowest = money(current_price * floor)
    if new_price < lowest:
        error = _exceeded(who, "price_override_floor", lowest, new_price, "A price")
        error.message = (
            f"A price of {new_price} is below the {who.role.value} floor of {lowest} "
            f"({floor * 100:.0f}% of {current_price}); "
            f"{'an admin' if who.role is Role.LEAD else 'a lead'} can approve it."
        )
        raise error


def check_charge_reduction(who: Actor, reduction: Decimal) -> None:
    ceiling = LIMITS[who.role].charge_reduction
    if ceiling is not None and reduction > ceiling:
        raise _exceeded(who, "charge_override", ceiling, reduction, "A charge reduction")


def check_can_resolve(who: Actor, hold_type: HoldType) -> None:
    if hold_type in LEAD_HOLDS and who.role not in LEADS:
        raise LeadRequired(
            f"A {hold_type.value.replace('_', ' ')} hold can only be resolved by a lead.",
            details={"hold_type": hold_type.value, "role": who.role.value},
        )


FEEDS = frozenset({Role.SYSTEM, Role.ADMIN})


def check_is_feed(who: Actor, action: str) -> None:
    """Warehouse and carrier reports come from those systems, not from a CSR's keyboard."""
    if who.role not in FEEDS:
        raise DomainError(
            f"Only the warehouse or carrier feed can {action}.",
            code="forbidden",
            details={"role": who.role.value, "action": action},
        )


def check_can_approve(who: Actor) -> None:
    if who.role not in LEADS:
        raise LeadRequired("Only a lead can approve this.", details={"role": who.role.value})
