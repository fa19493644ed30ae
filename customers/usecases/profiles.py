"""Customer profiles: register, look up, list and maintain consumers and business accounts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from customers.errors import NotFound, Refused, VersionConflict
from customers.kernel import Actor, DomainEvent, business_date, new_id
from customers.model import (
    Company,
    Customer,
    CustomerKind,
    PaymentMethod,
    Preferences,
)
from customers.ports import CustomersUnitOfWork
from customers.schemas import (
    AddressIn,
    CompanyIn,
    ContactIn,
    CustomerNoteIn,
    CustomerQuery,
    CustomerSummary,
    CustomerView,
    PaymentMethodIn,
    PreferencesModel,
    RegisterCustomer,
    UpdateCustomer,
)
from customers.views import customer_summary, customer_view


def _company(data: CompanyIn) -> Company:
    return Company(**data.model_dump())


def _payment_method(data: PaymentMethodIn) -> PaymentMethod:
    return PaymentMethod(id=new_id("pm"), **data.model_dump())


def _event(customer: Customer, kind: str, action: str) -> DomainEvent:
    return DomainEvent(
        type=f"customer.{kind}",
        aggregate="customer",
        aggregate_id=customer.id,
        occurred_at=customer.updated_at,
        data={"customer_id": customer.id, "name": customer.display_name, "action": action},
        version=customer.version,
    )


async def register_customer(uow: CustomersUnitOfWork, cmd: RegisterCustomer) -> CustomerView:
    """Register a consumer, or a business with its contacts, addresses and payment methods."""
    async with uow:
        email = cmd.email.strip().lower()
        if await uow.customers.get_by_email(email) is not None:
            raise Refused(
                f"A customer with the e-mail {email} is already registered.",
                code="customer_exists",
                details={"email": email},
            )
        now = uow.now()
        customer = Customer(
            id=new_id("cus"),
            kind=cmd.kind,
            first_name=cmd.first_name.strip(),
            last_name=cmd.last_name.strip(),
            email=email,
            phone=cmd.phone,
            company=_company(cmd.company) if cmd.company else None,
            preferences=Preferences(**cmd.preferences.model_dump()),
            created_at=now,
            updated_at=now,
        )
        for contact in cmd.contacts:
            customer.add_contact(
                contact.name,
                email=contact.email or "",
                phone=contact.phone,
                role=contact.role,
                is_primary=contact.is_primary,
            )
        for entry in cmd.addresses:
            customer.add_address(
                entry.address.to_domain(),
                label=entry.label,
                default_shipping=entry.default_shipping,
                default_billing=entry.default_billing,
            )
        for method in cmd.payment_methods:
            customer.add_payment_method(_payment_method(method), today=business_date(now))
        customer.check_valid()
        try:
            await uow.customers.add(customer)
        except VersionConflict:
            # Registered by someone else at the same moment: the e-mail is unique in storage.
            raise Refused(
                f"A customer with the e-mail {email} is already registered.",
                code="customer_exists",
                details={"email": email},
            ) from None
        uow.emit(_event(customer, "registered", "register"))
        await uow.commit()
    return customer_view(customer)


async def get_customer(uow: CustomersUnitOfWork, customer_id: str) -> CustomerView:
    async with uow:
        return customer_view(await _load(uow, customer_id))


async def list_customers(uow: CustomersUnitOfWork, query: CustomerQuery) -> list[CustomerSummary]:
    async with uow:
        found = await uow.customers.search(
            query=query.q, kind=query.kind, limit=query.limit, offset=query.offset
        )
    return [customer_summary(c) for c in found]


async def _load(uow: CustomersUnitOfWork, customer_id: str) -> Customer:
    customer = await uow.customers.get(customer_id)
    if customer is None:
        raise NotFound("customer", customer_id)
    return customer


Apply = Callable[[CustomersUnitOfWork, Customer], Awaitable[None]]


async def _change(
    uow: CustomersUnitOfWork,
    customer_id: str,
    action: str,
    apply: Apply,
    *,
    expected_version: int | None = None,
) -> CustomerView:
    async with uow:
        customer = await _load(uow, customer_id)
        if expected_version is not None and expected_version != customer.version:
            raise VersionConflict("customer", customer_id, expected_version, customer.version)
        await apply(uow, customer)
        customer.check_valid()
        customer.version += 1
        customer.updated_at = uow.now()
        await uow.customers.save(customer)
        uow.emit(_event(customer, "changed", action))
        await uow.commit()
    return customer_view(customer)


async def update_customer(
    uow: CustomersUnitOfWork, customer_id: str, cmd: UpdateCustomer
) -> CustomerView:
    async def apply(uow: CustomersUnitOfWork, customer: Customer) -> None:
        if cmd.email is not None:
            email = cmd.email.strip().lower()
            other = await uow.customers.get_by_email(email)
            if other is not None and other.id != customer.id:
                raise Refused(
                    f"Another customer already uses {email}.",
                    code="customer_exists",
                    details={"email": email},
                )
            customer.email = email
        if cmd.first_name is not None:
            customer.first_name = cmd.first_name.strip()
        if cmd.last_name is not None:
            customer.last_name = cmd.last_name.strip()
        if cmd.phone is not None:
            customer.phone = cmd.phone
        if cmd.company is not None:
            if customer.kind is not CustomerKind.BUSINESS:
                raise Refused(
                    "Company details belong to business customers.", code="not_a_business"
                )
            customer.company = _company(cmd.company)

    return await _change(uow, customer_id, "update", apply, expected_version=cmd.expected_version)


async def add_customer_address(
    uow: CustomersUnitOfWork, customer_id: str, cmd: AddressIn
) -> CustomerView:
    async def apply(uow: CustomersUnitOfWork, customer: Customer) -> None:
        customer.add_address(
            cmd.address.to_domain(),
            label=cmd.label,
            default_shipping=cmd.default_shipping,
            default_billing=cmd.default_billing,
        )

    return await _change(uow, customer_id, "add_address", apply)


async def remove_customer_address(
    uow: CustomersUnitOfWork, customer_id: str, address_id: str
) -> CustomerView:
    async def apply(uow: CustomersUnitOfWork, customer: Customer) -> None:
        customer.remove_address(address_id)

    return await _change(uow, customer_id, "remove_address", apply)


async def add_contact(uow: CustomersUnitOfWork, customer_id: str, cmd: ContactIn) -> CustomerView:
    async def apply(uow: CustomersUnitOfWork, customer: Customer) -> None:
        if customer.kind is not CustomerKind.BUSINESS:
            raise Refused(
                "Contacts with roles belong to business customers.", code="not_a_business"
            )
        customer.add_contact(
            cmd.name,
            email=cmd.email or "",
            phone=cmd.phone,
            role=cmd.role,
            is_primary=cmd.is_primary,
        )

    return await _change(uow, customer_id, "add_contact", apply)


async def add_payment_method(
    uow: CustomersUnitOfWork, customer_id: str, cmd: PaymentMethodIn
) -> CustomerView:
    async def apply(uow: CustomersUnitOfWork, customer: Customer) -> None:
        customer.add_payment_method(_payment_method(cmd), today=business_date(uow.now()))

    return await _change(uow, customer_id, "add_payment_method", apply)


async def remove_payment_method(
    uow: CustomersUnitOfWork, customer_id: str, method_id: str
) -> CustomerView:
    async def apply(uow: CustomersUnitOfWork, customer: Customer) -> None:
        customer.remove_payment_method(method_id)

    return await _change(uow, customer_id, "remove_payment_method", apply)


async def update_preferences(
    uow: CustomersUnitOfWork, customer_id: str, cmd: PreferencesModel
) -> CustomerView:
    async def apply(uow: CustomersUnitOfWork, customer: Customer) -> None:
        customer.preferences = replace(customer.preferences, **cmd.model_dump())

    return await _change(uow, customer_id, "update_preferences", apply)


async def add_customer_note(
    uow: CustomersUnitOfWork, actor: Actor, customer_id: str, cmd: CustomerNoteIn
) -> CustomerView:
    async def apply(uow: CustomersUnitOfWork, customer: Customer) -> None:
        customer.add_note(cmd.text, author_id=actor.id, author_name=actor.name, at=uow.now())

    return await _change(uow, customer_id, "add_note", apply)
