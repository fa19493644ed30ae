"""The order API on the wire: sign-in, who may call what, carts and their proofs, errors."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from openapi_spec_validator import validate

from customers.errors import NotFound
from orders.http.endpoints import ENDPOINTS
from queues import accounts
from queues.domain import Role
from tests.e2e.conftest import STOREFRONT_SECRET
from tests.e2e.rest.conftest import Api
from tests.integration.orders.http_desk import API_KEY
from tests.unit.orders.builders import ADMIN, AGENT, LEAD
from web.identity import sign_identity
from web.rest.openapi import openapi_document


async def call(
    api: Api,
    method: str,
    path: str,
    *,
    token: str | None = None,
    headers: dict[str, str] | None = None,
    json: Any = None,
    data: bytes | None = None,
) -> tuple[int, Any]:
    sent = dict(headers or {})
    if token:
        sent["Authorization"] = f"Bearer {token}"
    async with api.http.session.request(
        method, api.url + path, headers=sent, json=json, data=data
    ) as resp:
        body = await resp.json() if resp.content_type == "application/json" else None
        return resp.status, body


def visitor_token(api: Api, visitor_id: str) -> dict[str, str]:
    expires = datetime.now(UTC) + timedelta(hours=1)
    return {"X-Visitor-Token": api.http.services.tokens.visitor_token(visitor_id, expires)}


def code(body: Any) -> str:
    return str(body["error"]["code"])


async def test_a_csr_signs_in_and_searches_orders(api: Api) -> None:
    services = api.http.services
    password_hash = await asyncio.to_thread(services.hasher.hash, "casey-pass-123")
    await services.runner.run(
        accounts.create_agent,
        services.clock,
        accounts.NewAgent(
            username="casey", name="Casey", password="casey-pass-123", role=Role.AGENT
        ),
        password_hash,
    )
    status, body = await call(
        api, "POST", "/api/auth/login", json={"username": "casey", "password": "casey-pass-123"}
    )
    assert status == 200
    token = body["token"]
    await api.world.placed()
    status, body = await call(api, "GET", "/api/orders?customer_id=" + api.world.dana, token=token)
    assert status == 200 and len(body["items"]) == 1
    status, body = await call(api, "GET", "/api/orders?status=bogus", token=token)
    assert status == 422 and code(body) == "invalid_payload"
    assert body["error"]["details"]["errors"][0]["field"] == "query.status"


async def test_who_may_call_what(api: Api) -> None:
    agent, lead = api.http.tokens[AGENT.id], api.http.tokens[LEAD.id]
    order = await api.world.placed()
    schedule = f"/api/fulfilment/orders/{order.number}/schedule"
    status, body = await call(api, "GET", "/api/orders")
    assert (status, code(body)) == (401, "unauthorized")
    status, body = await call(api, "GET", "/api/orders", token="not-a-token")
    assert (status, code(body)) == (401, "unauthorized")
    status, body = await call(api, "POST", schedule, token=agent, json={})
    assert (status, code(body)) == (403, "forbidden")
    status, body = await call(api, "POST", schedule, headers={"X-Api-Key": "wrong"}, json={})
    assert (status, code(body)) == (401, "unauthorized")
    status, body = await call(api, "POST", schedule, headers={"X-Api-Key": API_KEY}, json={})
    assert status == 200 and body["number"] == order.number
    release = f"/api/fulfilment/orders/{order.number}/release"
    status, body = await call(api, "POST", release, token=lead, json={})
    assert (status, code(body)) == (403, "forbidden")
    status, body = await call(api, "POST", release, token=api.http.tokens[ADMIN.id], json={})
    assert status == 200
    status, body = await call(api, "GET", "/api/catalog/products")
    assert status == 200 and {p["name"] for p in body["items"]} >= {"Trail Boots"}
    status, body = await call(api, "GET", "/api/catalog/products/nope")
    assert (status, code(body)) == (404, "not_found")


async def test_bad_input_is_refused_with_the_fields_and_changes_nothing(api: Api) -> None:
    token = api.http.tokens[AGENT.id]
    order = await api.world.placed()
    base = f"/api/orders/{order.number}"
    status, body = await call(api, "POST", base + "/cancel", token=token, data=b"{not json")
    assert (status, code(body)) == (422, "invalid_payload")
    status, body = await call(
        api, "POST", base + "/appeasements", token=token, json={"amount": "-3", "reason": 7}
    )
    assert (status, code(body)) == (422, "invalid_payload")
    fields = {e["field"] for e in body["error"]["details"]["errors"]}
    assert {"amount", "reason", "idempotency_key"} <= fields
    status, body = await call(api, "POST", base + "/cancel", token=token, json={"bogus": 1})
    assert (status, code(body)) == (422, "invalid_payload")
    status, body = await call(api, "GET", base + "/versions/abc", token=token)
    assert (status, code(body)) == (422, "invalid_payload")
    assert body["error"]["details"]["field"] == "path.version"
    status, body = await call(api, "GET", "/api/orders?limit=0", token=token)
    assert (status, code(body)) == (422, "invalid_payload")
    status, body = await call(api, "GET", "/api/orders/NO-SUCH", token=token)
    assert (status, code(body)) == (404, "not_found")
    status, body = await call(api, "GET", base, token=token)
    assert body["version"] == order.version and body["status"] == order.status.value
    with pytest.raises(NotFound):
        await api.http.client().get_order("NO-SUCH")


async def test_a_cart_is_only_reached_with_its_owners_proof(api: Api) -> None:
    mine, theirs = visitor_token(api, "vis-1"), visitor_token(api, "vis-2")
    status, body = await call(api, "POST", "/api/carts", json={"visitor_id": "vis-1"})
    assert (status, code(body)) == (401, "unauthorized")
    status, body = await call(
        api, "POST", "/api/carts", headers=theirs, json={"visitor_id": "vis-1"}
    )
    assert (status, code(body)) == (403, "forbidden")
    status, cart = await call(api, "POST", "/api/carts", headers=mine, json={"visitor_id": "vis-1"})
    assert status == 200 and cart["visitor_id"] == "vis-1"
    lines = f"/api/carts/{cart['id']}/lines"
    item = {"variant_id": api.world.boots, "quantity": 2}
    status, body = await call(api, "POST", lines, headers=theirs, json=item)
    assert (status, code(body)) == (403, "forbidden")
    status, cart = await call(api, "POST", lines, headers=mine, json=item)
    assert status == 200 and cart["item_count"] == 2
    line = f"{lines}/{cart['lines'][0]['id']}"
    status, cart = await call(api, "PATCH", line, headers=mine, json={"quantity": 3})
    assert status == 200 and cart["lines"][0]["quantity"] == 3
    status, cart = await call(api, "GET", "/api/carts/active?visitor_id=vis-1", headers=mine)
    assert status == 200 and cart["item_count"] == 3
    status, body = await call(api, "GET", "/api/carts/active?visitor_id=vis-2", headers=theirs)
    assert (status, code(body)) == (404, "not_found")
    # A signed-in shopper proves who they are with the storefront's signed identity.
    dana = {"X-Storefront-Identity": sign_identity(STOREFRONT_SECRET, api.world.dana)}
    forged = {"X-Storefront-Identity": sign_identity("not-the-secret", api.world.dana)}
    owner = {"customer_id": api.world.dana}
    status, body = await call(api, "POST", "/api/carts", headers=forged, json=owner)
    assert (status, code(body)) == (401, "unauthorized")
    status, body = await call(api, "POST", "/api/carts", headers=mine, json=owner)
    assert (status, code(body)) == (403, "forbidden")
    status, body = await call(api, "POST", "/api/carts", headers=dana, json=owner)
    assert status == 200 and body["customer_id"] == api.world.dana
    # Care drafts an order from the visitor's cart: the shopper meets a locked cart.
    status, draft = await call(
        api,
        "POST",
        "/api/orders/from-cart",
        token=api.http.tokens[AGENT.id],
        json={"visitor_id": "vis-1"},
    )
    assert status == 201
    status, body = await call(api, "DELETE", line, headers=mine)
    assert (status, code(body)) == (409, "cart_locked")
    assert body["error"]["details"]["order_number"] == draft["number"]


async def test_page_views_and_the_trail(api: Api) -> None:
    mine = visitor_token(api, "vis-9")
    view = {"url": "https://shop.example.com/p/1", "title": "Boots"}
    status, _ = await call(api, "POST", "/api/visitors/vis-8/page-views", headers=mine, json=view)
    assert status == 403
    status, _ = await call(api, "POST", "/api/visitors/vis-9/page-views", headers=mine, json=view)
    assert status == 204
    token = api.http.tokens[AGENT.id]
    status, body = await call(api, "GET", "/api/visitors/vis-9/trail?limit=5", token=token)
    assert status == 200 and [v["title"] for v in body["items"]] == ["Boots"]


async def test_the_openapi_document_is_served(api: Api) -> None:
    status, document = await call(api, "GET", "/api/openapi.json")
    assert status == 200
    validate(document)
    assert document == openapi_document(ENDPOINTS)
