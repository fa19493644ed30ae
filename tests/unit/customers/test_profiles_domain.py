"""Customer profiles: the rules of the aggregate itself."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from customers.errors import DomainError
from customers.kernel import Address
from customers.model import (
    Company,
    ContactRole,
    Customer,
    CustomerKind,
    PaymentKind,
    PaymentMethod,
)

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)
HOME = Address("Dana", "12 Elm St", "Cambridge", "02139", region="MA")
WORK = Address("Dana", "1 Main St", "Boston", "02110", region="MA")


def consumer() -> Customer:
    return Customer(
        id="c1",
        kind=CustomerKind.CONSUMER,
        first_name="Dana",
        last_name="W",
        email="d@example.com",
        created_at=NOW,
        updated_at=NOW,
    )


def card(**changes: object) -> PaymentMethod:
    fields: dict[str, object] = {
        "id": "pm1",
        "kind": PaymentKind.CARD,
        "token": "tok_1",
        "brand": "visa",
        "last4": "4242",
        "exp_month": 1,
        "exp_year": 2030,
    }
    fields.update(changes)
    return PaymentMethod(**fields)  # type: ignore[arg-type]


def test_a_business_needs_a_company_and_a_contact() -> None:
    business = consumer()
    business.kind = CustomerKind.BUSINESS
    with pytest.raises(DomainError) as refused:
        business.check_valid()
    assert refused.value.code == "company_required"
    business.company = Company(name="Acme")
    with pytest.raises(DomainError) as refused:
        business.check_valid()
    assert refused.value.code == "contact_required"
    business.add_contact(
        "Priya", email="p@a", phone="", role=ContactRole.PURCHASE_MANAGER, is_primary=False
    )
    business.check_valid()
    assert business.display_name == "Acme"
    assert business.contacts[0].is_primary  # the first contact is the primary one


def test_tax_exemption_needs_its_certificate() -> None:
    business = consumer()
    business.kind = CustomerKind.BUSINESS
    business.company = Company(name="Acme", tax_exempt=True)
    business.add_contact("Priya", email="", phone="", role=ContactRole.OWNER, is_primary=True)
    with pytest.raises(DomainError) as refused:
        business.check_valid()
    assert refused.value.code == "exemption_certificate_required"


def test_first_address_is_the_default_and_defaults_move_on_removal() -> None:
    c = consumer()
    home = c.add_address(HOME)
    work = c.add_address(WORK, default_shipping=True)
    assert not c.address(home.id).default_shipping
    assert c.default_shipping_address() == WORK
    assert c.default_billing_address() == HOME
    c.remove_address(work.id)
    assert c.default_shipping_address() == HOME


def test_default_payment_method_moves_when_removed() -> None:
    c = consumer()
    c.add_payment_method(card(id="a"), today=date(2026, 3, 2))
    c.add_payment_method(card(id="b", is_default=True), today=date(2026, 3, 2))
    assert [m.is_default for m in c.payment_methods] == [False, True]
    c.remove_payment_method("b")
    assert c.payment_methods[0].is_default


def test_only_businesses_buy_on_account() -> None:
    c = consumer()
    with pytest.raises(DomainError) as refused:
        c.add_payment_method(
            card(kind=PaymentKind.ON_ACCOUNT, brand="other", last4="0000"), today=date(2026, 3, 2)
        )
    assert refused.value.code == "invalid_payment"
    assert c.payment_methods == []


def test_a_card_number_in_a_note_or_holder_name_is_refused() -> None:
    c = consumer()
    with pytest.raises(DomainError) as refused:
        c.add_note("her card is 4242 4242 4242 4242", author_id="a", author_name="A", at=NOW)
    assert refused.value.code == "card_number_not_allowed"
    with pytest.raises(DomainError):
        c.add_payment_method(card(holder_name="4242424242424242"), today=date(2026, 3, 2))
    assert c.notes == [] and c.payment_methods == []
