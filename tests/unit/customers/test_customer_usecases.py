"""Registering and keeping customers, through the use cases on fakes."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from customers.errors import DomainError
from customers.kernel import Actor, Role
from customers.model import ContactRole, CustomerKind
from customers.schemas import (
    AddressIn,
    AddressModel,
    CompanyIn,
    ContactIn,
    CustomerNoteIn,
    CustomerQuery,
    PaymentMethodIn,
    PreferencesModel,
    RegisterCustomer,
    UpdateCustomer,
)
from customers.usecases import profiles
from tests.unit.customers.fakes import CustomerState, FakeCustomersUnitOfWork

AGENT = Actor("a1", "Alex", Role.AGENT)
ADDRESS = AddressModel(
    name="Priya Nair", line1="1 Harbor Way", city="Boston", region="MA", postal_code="02210"
)


def business(**changes: object) -> RegisterCustomer:
    fields: dict[str, object] = {
        "kind": CustomerKind.BUSINESS,
        "first_name": "Priya",
        "last_name": "Nair",
        "email": "Purchasing@Acme.example",
        "company": CompanyIn(name="Acme Corp", tax_id="04-1234567"),
        "contacts": [
            ContactIn(name="Priya Nair", role=ContactRole.PURCHASE_MANAGER, is_primary=True),
            ContactIn(name="Tom Reyes", email="ap@acme.example", role=ContactRole.ACCOUNTS_PAYABLE),
        ],
        "addresses": [AddressIn(address=ADDRESS, label="HQ")],
        "payment_methods": [
            PaymentMethodIn(
                token="tok_amex_acme", brand="amex", last4="0005", exp_month=9, exp_year=2029
            )
        ],
    }
    fields.update(changes)
    return RegisterCustomer(**fields)


async def test_register_a_business_with_contacts_and_payment(
    uow: FakeCustomersUnitOfWork,
) -> None:
    view = await profiles.register_customer(uow, business())
    assert view.name == "Acme Corp"
    assert view.email == "purchasing@acme.example"
    assert [(c.name, c.role, c.is_primary) for c in view.contacts] == [
        ("Priya Nair", ContactRole.PURCHASE_MANAGER, True),
        ("Tom Reyes", ContactRole.ACCOUNTS_PAYABLE, False),
    ]
    assert view.payment_methods[0].label == "amex ending 0005 exp 09/2029"
    assert view.addresses[0].default_shipping and view.addresses[0].default_billing
    assert [e.type for e in uow.published] == ["customer.registered"]
    again = await profiles.get_customer(uow, view.id)
    assert again == view


async def test_the_same_email_cannot_register_twice(
    uow: FakeCustomersUnitOfWork, customer_state: CustomerState
) -> None:
    await profiles.register_customer(uow, business())
    with pytest.raises(DomainError) as refused:
        await profiles.register_customer(uow, business(email="purchasing@acme.EXAMPLE"))
    assert refused.value.code == "customer_exists"
    assert len(customer_state.customers) == 1


async def test_a_card_number_given_as_token_registers_nothing(
    uow: FakeCustomersUnitOfWork, customer_state: CustomerState
) -> None:
    bad = PaymentMethodIn(token="4111 1111 1111 1111", brand="visa", last4="1111")
    with pytest.raises(DomainError) as refused:
        await profiles.register_customer(uow, business(payment_methods=[bad]))
    assert refused.value.code == "card_number_not_allowed"
    assert customer_state.customers == {}
    assert uow.published == []


async def test_a_business_without_contacts_is_refused(uow: FakeCustomersUnitOfWork) -> None:
    with pytest.raises(DomainError) as refused:
        await profiles.register_customer(uow, business(contacts=[]))
    assert refused.value.code == "contact_required"


def test_bad_input_never_reaches_the_use_case() -> None:
    with pytest.raises(ValidationError):
        RegisterCustomer(first_name="A", email="not-an-email")
    with pytest.raises(ValidationError):
        PaymentMethodIn(token="t", last4="12345")


async def test_list_and_search_customers(uow: FakeCustomersUnitOfWork) -> None:
    await profiles.register_customer(uow, business())
    await profiles.register_customer(
        uow, RegisterCustomer(first_name="Dana", last_name="Whitfield", email="dana@example.com")
    )
    everyone = await profiles.list_customers(uow, CustomerQuery())
    assert [c.name for c in everyone] == ["Acme Corp", "Dana Whitfield"]
    found = await profiles.list_customers(uow, CustomerQuery(q="whit"))
    assert [c.email for c in found] == ["dana@example.com"]
    companies = await profiles.list_customers(uow, CustomerQuery(kind=CustomerKind.BUSINESS))
    assert [c.company for c in companies] == ["Acme Corp"]


async def test_a_stale_update_is_a_conflict_and_changes_nothing(
    uow: FakeCustomersUnitOfWork,
) -> None:
    view = await profiles.register_customer(uow, business())
    updated = await profiles.update_customer(
        uow, view.id, UpdateCustomer(phone="617-555-0199", expected_version=view.version)
    )
    assert updated.version == view.version + 1
    with pytest.raises(DomainError) as refused:
        await profiles.update_customer(
            uow, view.id, UpdateCustomer(phone="000", expected_version=view.version)
        )
    assert refused.value.code == "version_conflict"
    assert (await profiles.get_customer(uow, view.id)).phone == "617-555-0199"


async def test_an_email_taken_by_another_customer_is_refused(
    uow: FakeCustomersUnitOfWork,
) -> None:
    acme = await profiles.register_customer(uow, business())
    await profiles.register_customer(
        uow, RegisterCustomer(first_name="Dana", email="dana@example.com")
    )
    with pytest.raises(DomainError) as refused:
        await profiles.update_customer(uow, acme.id, UpdateCustomer(email="dana@example.com"))
    assert refused.value.code == "customer_exists"


async def test_csr_notes_preferences_addresses_and_payment_methods(
    uow: FakeCustomersUnitOfWork,
) -> None:
    view = await profiles.register_customer(uow, business())
    view = await profiles.add_customer_note(
        uow, AGENT, view.id, CustomerNoteIn(text="Prefers morning deliveries")
    )
    assert view.notes[0].author_name == "Alex"
    view = await profiles.update_preferences(
        uow, view.id, PreferencesModel(order_confirmation_email=False, preferred_channel="phone")
    )
    assert not view.preferences.order_confirmation_email
    second = AddressModel(
        name="Dock 4", line1="4 Pier Rd", city="Boston", region="MA", postal_code="02127"
    )
    view = await profiles.add_customer_address(
        uow, view.id, AddressIn(address=second, default_shipping=True)
    )
    assert [a.default_shipping for a in view.addresses] == [False, True]
    view = await profiles.add_payment_method(
        uow, view.id, PaymentMethodIn(kind="on_account", token="acct_1", last4="0000")
    )
    view = await profiles.remove_payment_method(uow, view.id, view.payment_methods[0].id)
    assert [m.kind.value for m in view.payment_methods] == ["on_account"]
    assert view.payment_methods[0].is_default


async def test_an_expired_card_is_refused(uow: FakeCustomersUnitOfWork) -> None:
    view = await profiles.register_customer(
        uow, RegisterCustomer(first_name="Dana", email="dana@example.com")
    )
    with pytest.raises(DomainError) as refused:
        await profiles.add_payment_method(
            uow,
            view.id,
            PaymentMethodIn(token="tok", brand="visa", last4="4242", exp_month=1, exp_year=2026),
        )
    assert refused.value.code == "payment_method_expired"
    assert (await profiles.get_customer(uow, view.id)).payment_methods == []


async def test_contacts_are_for_businesses(uow: FakeCustomersUnitOfWork) -> None:
    view = await profiles.register_customer(
        uow, RegisterCustomer(first_name="Dana", email="dana@example.com")
    )
    with pytest.raises(DomainError) as refused:
        await profiles.add_contact(uow, view.id, ContactIn(name="X"))
    assert refused.value.code == "not_a_business"


async def test_unknown_customer(uow: FakeCustomersUnitOfWork) -> None:
    with pytest.raises(DomainError) as refused:
        await profiles.get_customer(uow, "cus_nobody")
    assert refused.value.code == "not_found"


async def test_company_details_are_for_businesses(uow: FakeCustomersUnitOfWork) -> None:
    view = await profiles.register_customer(
        uow, RegisterCustomer(first_name="Dana", email="dana@example.com")
    )
    with pytest.raises(DomainError) as refused:
        await profiles.update_customer(uow, view.id, UpdateCustomer(company=CompanyIn(name="X")))
    assert refused.value.code == "not_a_business"
