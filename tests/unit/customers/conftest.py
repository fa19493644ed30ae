from __future__ import annotations

from decimal import Decimal

import pytest

from customers.carts import CatalogItem
from tests.unit.customers.fakes import CustomerState, FakeClock, FakeCustomersUnitOfWork


@pytest.fixture
def customer_state() -> CustomerState:
    state = CustomerState()
    state.items["v-jacket"] = CatalogItem(
        "v-jacket", "p-jacket", "JKT-M", "Rain Jacket", "M / navy", Decimal("80.00"), "USD"
    )
    state.items["v-old"] = CatalogItem(
        "v-old", "p-old", "OLD", "Old Scarf", "", Decimal("25.00"), "USD", active=False
    )
    return state


@pytest.fixture
def uow(customer_state: CustomerState) -> FakeCustomersUnitOfWork:
    return FakeCustomersUnitOfWork(customer_state, FakeClock())
