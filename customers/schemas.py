"""Pydantic models in and out of the customer use cases (and, later, of the REST API).

Money is a ``Decimal`` (a decimal string in JSON), times are ISO 8601 UTC, ids are strings.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from customers.kernel import Address
from customers.model import ContactRole, CustomerKind, PaymentKind

Amount = Annotated[Decimal, Field(max_digits=12, decimal_places=2, ge=0)]
Text200 = Annotated[str, Field(max_length=200)]
# A plausible address; whether it receives mail is only known by writing to it.
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=320)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AddressModel(Model):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    line1: Annotated[str, Field(min_length=1, max_length=200)]
    line2: Text200 = ""
    city: Annotated[str, Field(min_length=1, max_length=100)]
    region: Annotated[str, Field(max_length=64)] = ""
    postal_code: Annotated[str, Field(min_length=3, max_length=16)]
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = "US"
    phone: Annotated[str, Field(max_length=40)] = ""
    company: Text200 = ""

    def to_domain(self) -> Address:
        return Address(**self.model_dump())

    @classmethod
    def of(cls, address: Address) -> AddressModel:
        return cls.model_construct(
            name=address.name,
            line1=address.line1,
            line2=address.line2,
            city=address.city,
            region=address.region,
            postal_code=address.postal_code,
            country=address.country,
            phone=address.phone,
            company=address.company,
        )


# --- in ---------------------------------------------------------------------------------


class CompanyIn(Model):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    tax_id: Annotated[str, Field(max_length=64)] = ""
    industry: Annotated[str, Field(max_length=100)] = ""
    tax_exempt: bool = False
    exemption_certificate: Annotated[str, Field(max_length=64)] = ""
    payment_terms: Annotated[str, Field(max_length=32)] = ""


class ContactIn(Model):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    email: Email | None = None
    phone: Annotated[str, Field(max_length=40)] = ""
    role: ContactRole = ContactRole.OTHER
    is_primary: bool = False


class AddressIn(Model):
    address: AddressModel
    label: Annotated[str, Field(max_length=64)] = ""
    default_shipping: bool = False
    default_billing: bool = False


class PaymentMethodIn(Model):
    """A tokenised payment method. ``token`` is the payment provider's reference, never a card
    number (one that looks like a card number is refused)."""

    kind: PaymentKind = PaymentKind.CARD
    token: Annotated[str, Field(min_length=1, max_length=128)]
    brand: Annotated[str, Field(max_length=32)] = "other"
    last4: Annotated[str, Field(pattern=r"^\d{4}$")]
    exp_month: Annotated[int, Field(ge=1, le=12)] | None = None
    exp_year: Annotated[int, Field(ge=2000, le=2100)] | None = None
    holder_name: Text200 = ""
    is_default: bool = False


class PreferencesModel(Model):
    order_confirmation_email: bool = True
    shipping_updates_email: bool = True
    marketing_email: bool = False
    sms_updates: bool = False
    preferred_channel: Annotated[str, Field(pattern=r"^(email|phone|sms)$")] = "email"
    language: Annotated[str, Field(min_length=2, max_length=8)] = "en"


class RegisterCustomer(Model):
    kind: CustomerKind = CustomerKind.CONSUMER
    first_name: Annotated[str, Field(min_length=1, max_length=100)]
    last_name: Annotated[str, Field(max_length=100)] = ""
    email: Email
    phone: Annotated[str, Field(max_length=40)] = ""
    company: CompanyIn | None = None
    contacts: Annotated[list[ContactIn], Field(max_length=20)] = []
    addresses: Annotated[list[AddressIn], Field(max_length=20)] = []
    payment_methods: Annotated[list[PaymentMethodIn], Field(max_length=10)] = []
    preferences: PreferencesModel = PreferencesModel()


class UpdateCustomer(Model):
    first_name: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    last_name: Annotated[str, Field(max_length=100)] | None = None
    email: Email | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None
    company: CompanyIn | None = None
    expected_version: int | None = None


class CustomerNoteIn(Model):
    text: Annotated[str, Field(min_length=1, max_length=4000)]


class CustomerQuery(Model):
    q: Annotated[str, Field(max_length=200)] | None = None
    kind: CustomerKind | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50
    offset: Annotated[int, Field(ge=0, le=1_000_000)] = 0


class CartOwnerIn(Model):
    visitor_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    customer_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None


class AddCartItem(Model):
    variant_id: Annotated[str, Field(min_length=1, max_length=64)]
    quantity: Annotated[int, Field(ge=1, le=99)] = 1


class ChangeCartItem(Model):
    """A quantity of 0 removes the line."""

    quantity: Annotated[int, Field(ge=0, le=99)]


# --- out --------------------------------------------------------------------------------


class CompanyView(Model):
    name: str
    tax_id: str
    industry: str
    tax_exempt: bool
    exemption_certificate: str
    payment_terms: str


class ContactView(Model):
    id: str
    name: str
    email: str
    phone: str
    role: ContactRole
    is_primary: bool


class AddressView(Model):
    id: str
    label: str
    address: AddressModel
    default_shipping: bool
    default_billing: bool


class PaymentMethodView(Model):
    id: str
    kind: PaymentKind
    brand: str
    last4: str
    exp_month: int | None
    exp_year: int | None
    holder_name: str
    is_default: bool
    label: str


class CustomerNoteView(Model):
    id: str
    text: str
    author_id: str
    author_name: str
    created_at: datetime


class CustomerView(Model):
    id: str
    kind: CustomerKind
    name: str
    first_name: str
    last_name: str
    email: str
    phone: str
    company: CompanyView | None
    contacts: list[ContactView]
    addresses: list[AddressView]
    payment_methods: list[PaymentMethodView]
    preferences: PreferencesModel
    notes: list[CustomerNoteView]
    tax_exempt: bool
    created_at: datetime
    updated_at: datetime
    version: int


class CustomerSummary(Model):
    id: str
    kind: CustomerKind
    name: str
    email: str
    phone: str
    company: str | None


class CartLineView(Model):
    id: str
    variant_id: str
    product_id: str
    sku: str
    name: str
    variant_label: str
    quantity: int
    unit_price: Decimal
    total: Decimal


class CartView(Model):
    id: str
    status: str
    visitor_id: str | None
    customer_id: str | None
    currency: str
    lines: list[CartLineView]
    item_count: int
    subtotal: Decimal
    locked_by_order: str | None
    created_at: datetime
    updated_at: datetime
    version: int


class PageViewView(Model):
    url: str
    title: str
    viewed_at: datetime
