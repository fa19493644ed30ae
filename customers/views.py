"""Domain objects to the pydantic views the use cases return."""

from __future__ import annotations

from customers.carts import Cart, PageView
from customers.model import Customer
from customers.schemas import (
    AddressModel,
    AddressView,
    CartLineView,
    CartView,
    CompanyView,
    ContactView,
    CustomerNoteView,
    CustomerSummary,
    CustomerView,
    PageViewView,
    PaymentMethodView,
    PreferencesModel,
)


def customer_view(customer: Customer) -> CustomerView:
    company = customer.company
    return CustomerView(
        id=customer.id,
        kind=customer.kind,
        name=customer.display_name,
        first_name=customer.first_name,
        last_name=customer.last_name,
        email=customer.email,
        phone=customer.phone,
        company=None
        if company is None
        else CompanyView(
            name=company.name,
            tax_id=company.tax_id,
            industry=company.industry,
            tax_exempt=company.tax_exempt,
            exemption_certificate=company.exemption_certificate,
            payment_terms=company.payment_terms,
        ),
        contacts=[
            ContactView(
                id=c.id,
                name=c.name,
                email=c.email,
                phone=c.phone,
                role=c.role,
                is_primary=c.is_primary,
            )
            for c in customer.contacts
        ],
        addresses=[
            AddressView(
                id=a.id,
                label=a.label,
                address=AddressModel.of(a.address),
                default_shipping=a.default_shipping,
                default_billing=a.default_billing,
            )
            for a in customer.addresses
        ],
        payment_methods=[
            PaymentMethodView(
                id=m.id,
                kind=m.kind,
                brand=m.brand,
                last4=m.last4,
                exp_month=m.exp_month,
                exp_year=m.exp_year,
                holder_name=m.holder_name,
                is_default=m.is_default,
                label=m.label(),
            )
            for m in customer.payment_methods
        ],
        preferences=PreferencesModel(
            order_confirmation_email=customer.preferences.order_confirmation_email,
            shipping_updates_email=customer.preferences.shipping_updates_email,
            marketing_email=customer.preferences.marketing_email,
            sms_updates=customer.preferences.sms_updates,
            preferred_channel=customer.preferences.preferred_channel,
            language=customer.preferences.language,
        ),
        notes=[
            CustomerNoteView(
                id=n.id,
                text=n.text,
                author_id=n.author_id,
                author_name=n.author_name,
                created_at=n.created_at,
            )
            for n in sorted(customer.notes, key=lambda n: n.created_at, reverse=True)
        ],
        tax_exempt=customer.tax_exempt,
        created_at=customer.created_at,
        updated_at=customer.updated_at,
        version=customer.version,
    )


def customer_summary(customer: Customer) -> CustomerSummary:
    return CustomerSummary(
        id=customer.id,
        kind=customer.kind,
        name=customer.display_name,
        email=customer.email,
        phone=customer.phone,
        company=customer.company.name if customer.company else None,
    )


def cart_view(cart: Cart) -> CartView:
    return CartView(
        id=cart.id,
        status=cart.status.value,
        visitor_id=cart.visitor_id,
        customer_id=cart.customer_id,
        currency=cart.currency,
        lines=[
            CartLineView(
                id=line.id,
                variant_id=line.variant_id,
                product_id=line.product_id,
                sku=line.sku,
                name=line.name,
                variant_label=line.variant_label,
                quantity=line.quantity,
                unit_price=line.unit_price,
                total=line.total,
            )
            for line in cart.lines
        ],
        item_count=cart.item_count,
        subtotal=cart.subtotal,
        locked_by_order=cart.locked_by_order,
        created_at=cart.created_at,
        updated_at=cart.updated_at,
        version=cart.version,
    )


def page_view_view(view: PageView) -> PageViewView:
    return PageViewView(url=view.url, title=view.title, viewed_at=view.viewed_at)
