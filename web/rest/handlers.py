"""One aiohttp handler per endpoint of the table, all made the same way: check who calls,
validate the path, the query and the body with the endpoint's pydantic models, call the seam
method, and answer its result (or the refusal, through ``web.errors``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, cast

from aiohttp import web
from pydantic import BaseModel

from customers.errors import DomainError, NotFound
from customers.schemas import CartOwnerIn
from orders.desk import Commerce
from orders.http.routes import Endpoint, Owner
from queues.errors import CareError, InvalidInput
from web.http_api import SERVICES, error_response, read_json, validate
from web.rest.auth import Caller, authenticate, check_cart, check_owner, check_visitor

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def commerce_of(request: web.Request) -> Commerce:
    return cast(Commerce, request.app[SERVICES].commerce)


def refuse_nul(value: Any, where: str) -> None:
    """No text with a NUL character gets in (PostgreSQL cannot store one): 422, not a 500."""
    if isinstance(value, str):
        if "\x00" in value:
            raise InvalidInput(
                f"Invalid field {where!r}: text may not contain NUL characters.",
                details={"field": where},
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_nul(key, where)
            refuse_nul(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            refuse_nul(item, f"{where}.{index}")


async def arguments(request: web.Request, endpoint: Endpoint, caller: Caller) -> dict[str, Any]:
    """The seam method's keyword arguments, from a request that has passed validation."""
    binding = endpoint.binding
    refuse_nul(dict(request.match_info), "path")
    refuse_nul(dict(request.query), "query")
    path = validate(endpoint.path_model, dict(request.match_info), part="path")
    named: dict[str, Any] = {name: getattr(path, name) for name in binding.path}
    if endpoint.query is not None:
        query: BaseModel = validate(endpoint.query, dict(request.query), part="query")
        if binding.query_arg is not None:
            named[binding.query_arg] = query
        named.update({name: getattr(query, name) for name in binding.query_fields})
    if endpoint.body is not None:
        data = await read_json(request)
        refuse_nul(data, "body")
        body: BaseModel = validate(endpoint.body, data)
        if binding.body_arg is not None:
            named[binding.body_arg] = body
        named.update({name: getattr(body, name) for name in binding.body_fields})
    if binding.takes_actor:
        named["actor"] = caller.actor
    return named


async def guard(
    endpoint: Endpoint, caller: Caller, commerce: Commerce, named: dict[str, Any]
) -> None:
    """A shopper endpoint acts only for the owner the caller has proven to be."""
    if endpoint.owner is Owner.OWNER:
        arg = endpoint.binding.body_arg or endpoint.binding.query_arg
        assert arg is not None
        owner: CartOwnerIn = named[arg]
        check_owner(caller, owner)
    elif endpoint.owner is Owner.CART:
        check_cart(caller, await commerce.get_cart(named["cart_id"]))
    elif endpoint.owner is Owner.VISITOR:
        check_visitor(caller, named["visitor_id"])


def respond(endpoint: Endpoint, result: Any, named: dict[str, Any]) -> web.Response:
    if endpoint.response is None:
        return web.Response(status=204)
    if result is None and endpoint.none_when_missing:
        arg = endpoint.binding.query_arg or endpoint.binding.body_arg
        owner = named.get(arg) if arg else None
        key = owner.model_dump_json(exclude_none=True) if isinstance(owner, BaseModel) else ""
        raise NotFound("open cart for", key)
    payload = endpoint.adapter.dump_python(result, mode="json")
    return web.json_response(
        {"items": payload} if endpoint.many else payload, status=endpoint.status
    )


def make_handler(endpoint: Endpoint) -> Handler:
    async def handle(request: web.Request) -> web.StreamResponse:
        try:
            caller = await authenticate(request, endpoint.auth)
            named = await arguments(request, endpoint, caller)
            commerce = commerce_of(request)
            await guard(endpoint, caller, commerce, named)
            result = await getattr(commerce, endpoint.name)(**named)
            return respond(endpoint, result, named)
        except (DomainError, CareError) as exc:
            return error_response(exc)

    handle.__name__ = endpoint.name
    return handle
