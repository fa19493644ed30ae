"""Card data rules: Careline keeps payment tokens, never a primary account number (PAN).

A PAN is 13 to 19 digits, possibly grouped with spaces or dashes, passing the Luhn check. Any
free text that reaches storage through a CSR (payment fields, customer and order notes) is
checked, because a card number read out on the phone and typed into a note is the classic way
card data leaks into a system that was never meant to hold it.
"""

from __future__ import annotations

import re
from datetime import date

from customers.errors import CardNumberNotAllowed, InvalidInput

# Runs of digits, optionally separated by single spaces or dashes.
_DIGIT_RUN = re.compile(r"\d(?:[ -]?\d){12,18}")

BRANDS = frozenset({"visa", "mastercard", "amex", "discover", "paypal", "gift_card", "other"})


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def looks_like_pan(text: str) -> bool:
    for match in _DIGIT_RUN.finditer(text):
        groups = re.split(r"[ -]", match.group())
        # The whole run, or (when grouped, "4242 4242 4242 4242 12 28") the leading groups up
        # to a group boundary. Arbitrary windows inside a digit string would flag one random
        # number in three, so they are not tried.
        for end in range(len(groups), 0, -1):
            digits = "".join(groups[:end])
            if 13 <= len(digits) <= 19 and luhn_valid(digits):
                return True
    return False


def refuse_pan(field: str, text: str | None) -> None:
    if text and looks_like_pan(text):
        raise CardNumberNotAllowed(field)


def check_card_fields(
    *, token: str, brand: str, last4: str, exp_month: int | None, exp_year: int | None, today: date
) -> None:
    """Validate the parts of a tokenised payment method, refusing anything that is a PAN."""
    refuse_pan("token", token)
    if not token.strip():
        raise InvalidInput("A payment method needs the provider's token.", code="invalid_payment")
    if brand not in BRANDS:
        raise InvalidInput(
            f"Unknown card brand {brand!r}.",
            code="invalid_payment",
            details={"brand": brand, "allowed": sorted(BRANDS)},
        )
    if not (len(last4) == 4 and last4.isdigit()):
        raise InvalidInput(
            "last4 must be exactly the last four digits of the card.",
            code="invalid_payment",
            details={"field": "last4"},
        )
    if exp_month is None or exp_year is None:
        return
    if not 1 <= exp_month <= 12:
        raise InvalidInput(
            "Expiry month must be 1 to 12.", code="invalid_payment", details={"field": "exp_month"}
        )
    # A card is good through the last day of its expiry month.
    if (exp_year, exp_month) < (today.year, today.month):
        raise InvalidInput(
            f"The card expired at the end of {exp_month:02d}/{exp_year}.",
            code="payment_method_expired",
            details={"exp_month": exp_month, "exp_year": exp_year},
        )
