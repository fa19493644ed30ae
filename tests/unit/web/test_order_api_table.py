"""The order API's endpoint table covers the seam, and its OpenAPI document is valid."""

from __future__ import annotations

import inspect
import json
from collections.abc import Mapping
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from customers.errors import DomainError, NotFound, VersionConflict
from customers.kernel import SYSTEM
from customers.schemas import CartOwnerIn
from orders.desk import Commerce
from orders.http.client import CommerceUnavailable, HttpCommerce, domain_error
from orders.http.endpoints import BY_NAME, ENDPOINTS
from orders.http.routes import Auth, bind, seam_methods
from orders.schemas.commands import ScheduleOrder
from web.rest.openapi import openapi_document


def test_every_method_of_the_seam_has_exactly_one_endpoint() -> None:
    names = [e.name for e in ENDPOINTS]
    assert len(names) == len(set(names))
    assert set(names) == seam_methods()
    # Storefront, OrderDesk and FulfilmentFeed all in: spot-check one of each.
    assert {"add_cart_item", "cancel_line", "dispatch_shipment"} <= set(names)


def test_routes_are_unique_and_bind_to_the_method_signatures() -> None:
    routes = [(e.method, e.path) for e in ENDPOINTS]
    assert len(routes) == len(set(routes))
    for endpoint in ENDPOINTS:
        binding = bind(endpoint)
        params = [
            p for p in inspect.signature(getattr(Commerce, endpoint.name)).parameters
            if p != "self"
        ]  # fmt: skip
        placed = set(binding.path) | set(binding.body_fields) | set(binding.query_fields)
        placed |= {a for a in (binding.body_arg, binding.query_arg) if a}
        placed |= {"actor"} if binding.takes_actor else set()
        assert placed == set(params), endpoint.name
        assert endpoint.path.startswith("/api/")


def test_auth_rules_follow_the_seam() -> None:
    feed = {"schedule_order", "release_order", "create_shipment", "dispatch_shipment"}
    assert all(BY_NAME[n].auth is Auth.FEED for n in feed | {"record_tracking_event"})
    assert BY_NAME["list_products"].auth is Auth.PUBLIC
    assert BY_NAME["add_cart_item"].auth is Auth.SHOPPER
    assert BY_NAME["appease"].auth is Auth.CSR
    # Every method that takes an actor is proven by a CSR token or the feed's key.
    for endpoint in ENDPOINTS:
        if endpoint.binding.takes_actor:
            assert endpoint.auth in (Auth.CSR, Auth.FEED), endpoint.name


def test_the_openapi_document_is_valid_and_complete() -> None:
    document = openapi_document(ENDPOINTS)
    validate(document)  # OpenAPI 3.1
    operations = {
        op["operationId"]: op for item in document["paths"].values() for op in item.values()
    }
    assert set(operations) == seam_methods()
    schemas = document["components"]["schemas"]
    assert {"OrderView", "CancelLine", "CartView", "ErrorResponse"} <= set(schemas)
    assert {"csrToken", "orderApiKey", "visitorToken", "storefrontIdentity"} <= set(
        document["components"]["securitySchemes"]
    )
    cancel = operations["cancel_line"]
    assert cancel["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CancelLine"
    }
    assert cancel["security"] == [{"csrToken": []}]
    assert {"401", "403", "404", "409", "422"} <= set(cancel["responses"])
    search = operations["search_orders"]
    assert {p["name"] for p in search["parameters"]} >= {"status", "customer_id", "email"}
    assert operations["list_products"]["security"] == []


def test_error_responses_come_back_as_the_same_errors() -> None:
    found = domain_error(404, {"error": {"code": "not_found", "message": "No order X."}})
    assert isinstance(found, NotFound) and found.message == "No order X."
    details = {"entity": "order", "id": "X", "expected": 1, "actual": 2}
    body = {"code": "version_conflict", "message": "m", "details": details}
    stale = domain_error(409, {"error": body})
    assert isinstance(stale, VersionConflict)
    assert stale.details == details
    odd = domain_error(400, {"error": {"code": "something_new", "message": "m"}})
    assert type(odd) is DomainError and odd.code == "something_new"
    assert isinstance(domain_error(502, None), CommerceUnavailable)


def test_the_client_implements_every_method() -> None:
    for name in seam_methods():
        assert name in vars(HttpCommerce), name


class Recording:
    """A transport that answers from a script and keeps what was sent."""

    def __init__(self, *answers: tuple[int, bytes]) -> None:
        self.answers = list(answers)
        self.sent: list[tuple[str, str, dict[str, str], bytes | None]] = []

    async def request(
        self, method: str, url: str, *, headers: Mapping[str, str], body: bytes | None
    ) -> tuple[int, bytes]:
        self.sent.append((method, url, dict(headers), body))
        return self.answers.pop(0)


async def test_plain_arguments_travel_in_the_path_query_and_body() -> None:
    missing = json.dumps({"error": {"code": "not_found", "message": "none"}}).encode()
    transport = Recording((204, b""), (200, b'{"items": []}'), (404, missing), (404, missing))
    client = HttpCommerce("http://desk.test/", transport, token="t0k", api_key="k3y")
    assert await client.record_page_view("v 1", "https://shop/p", "P") is None
    assert await client.orders_on_hold(limit=5) == []
    assert await client.find_open_cart(CartOwnerIn(visitor_id="v1")) is None
    with pytest.raises(NotFound):
        await client.get_order("SO/1")
    (m1, u1, h1, b1), (m2, u2, h2, _), (_, u3, h3, _), (_, u4, _, _) = transport.sent
    assert (m1, u1) == ("POST", "http://desk.test/api/visitors/v%201/page-views")
    assert json.loads(b1 or b"") == {"url": "https://shop/p", "title": "P"}
    assert (m2, u2) == ("GET", "http://desk.test/api/holds?limit=5&offset=0")
    assert h1["Authorization"] == h2["Authorization"] == h3["Authorization"] == "Bearer t0k"
    assert u3 == "http://desk.test/api/carts/active?visitor_id=v1"
    assert u4 == "http://desk.test/api/orders/SO%2F1"


async def test_the_feed_sends_the_api_key_for_the_system() -> None:
    transport = Recording((409, b'{"error": {"code": "order_on_hold", "message": "held"}}'))
    client = HttpCommerce("http://desk.test", transport, token="t0k", api_key="k3y")
    with pytest.raises(DomainError) as refused:
        await client.schedule_order(SYSTEM, "SO-1", ScheduleOrder())
    assert refused.value.code == "order_on_hold"
    _, url, headers, body = transport.sent[0]
    assert url == "http://desk.test/api/fulfilment/orders/SO-1/schedule"
    assert headers["X-Api-Key"] == "k3y" and "Authorization" not in headers
    assert json.loads(body or b"") == {"expected_version": None}


def test_docs_list_every_endpoint() -> None:
    docs = (Path(__file__).resolve().parents[3] / "docs" / "rest.md").read_text()
    missing = [
        e.name for e in ENDPOINTS if f"| `{e.method} {e.path}` | `{e.name}` | {e.auth}" not in docs
    ]
    assert missing == [], "docs/rest.md's endpoint table is behind orders/http/endpoints.py"
