"""Careline never keeps a card number: anything that looks like one is refused."""

from __future__ import annotations

from datetime import date

import pytest

from customers.cards import check_card_fields, looks_like_pan, luhn_valid
from customers.errors import DomainError

TODAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    "text",
    [
        "4242424242424242",
        "4242 4242 4242 4242",
        "4242-4242-4242-4242",
        "card is 378282246310005 exp 09/28",  # amex, 15 digits
        "call back on 5555555555554444 please",
    ],
)
def test_card_numbers_are_recognised_however_written(text: str) -> None:
    assert looks_like_pan(text)


@pytest.mark.parametrize(
    "text",
    [
        "tok_visa_4242",
        "order CL100042 for 2 jackets",
        "4242424242424241",  # fails the Luhn check
        "phone 617-555-0101",
        "1234",
    ],
)
def test_ordinary_text_and_tokens_pass(text: str) -> None:
    assert not looks_like_pan(text)


def test_luhn() -> None:
    assert luhn_valid("79927398713")
    assert not luhn_valid("79927398710")


def test_a_card_number_as_token_is_refused_naming_the_field() -> None:
    with pytest.raises(DomainError) as refused:
        check_card_fields(
            token="4111111111111111",
            brand="visa",
            last4="1111",
            exp_month=1,
            exp_year=2030,
            today=TODAY,
        )
    assert refused.value.code == "card_number_not_allowed"
    assert refused.value.details == {"field": "token"}


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"last4": "42"}, "invalid_payment"),
        ({"last4": "abcd"}, "invalid_payment"),
        ({"brand": "diners-club-x"}, "invalid_payment"),
        ({"exp_month": 13}, "invalid_payment"),
        ({"exp_month": 2, "exp_year": 2026}, "payment_method_expired"),
        ({"token": "  "}, "invalid_payment"),
    ],
)
def test_bad_card_details_are_refused(changes: dict[str, object], code: str) -> None:
    fields: dict[str, object] = {
        "token": "tok_1",
        "brand": "visa",
        "last4": "4242",
        "exp_month": 12,
        "exp_year": 2030,
    }
    fields.update(changes)
    with pytest.raises(DomainError) as refused:
        check_card_fields(today=TODAY, **fields)  # type: ignore[arg-type]
    assert refused.value.code == code


def test_a_card_is_good_through_its_expiry_month() -> None:
    check_card_fields(
        token="tok_1", brand="visa", last4="4242", exp_month=3, exp_year=2026, today=TODAY
    )


def test_a_grouped_card_number_followed_by_its_expiry_is_still_found() -> None:
    assert looks_like_pan("4242 4242 4242 4242 12 28")
