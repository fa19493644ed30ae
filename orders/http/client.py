"""``HttpCommerce``: the seam (``orders.desk.Commerce``) over the order system's REST API.

Every method is generated from the endpoint table (``orders.http.endpoints``): the method's
name picks the endpoint, its arguments fill the path, the query string and the JSON body, and
the answer is read back into the same view models. A refusal comes back as the same
``DomainError`` subclass (when this process knows it) with the same ``code``, ``message`` and
``details``, so a caller cannot tell the in-process implementation from this one.

``orders`` never imports an HTTP library: the bytes travel through a ``Transport`` (the aiohttp
one is ``web.rest.transport.AiohttpTransport``; ``web.rest.transport.http_commerce`` builds the
whole thing from an ``aiohttp.ClientSession``).

Credentials: CSR endpoints send ``Authorization: Bearer <token>``, the token being
``token_for(actor)`` when given (one per CSR acting through this client) or ``token``; the
fulfilment feed sends ``X-Api-Key: <api_key>`` when the actor is the system; shopper endpoints
send the CSR token (a CSR may act on any cart).
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Coroutine, Mapping
from typing import Any, Concatenate, Generic, ParamSpec, Protocol, TypeVar
from urllib.parse import quote, urlencode

from pydantic import BaseModel, ValidationError

from customers.errors import DomainError
from customers.kernel import Actor, Role
from orders.desk import Commerce, FulfilmentFeed, OrderDesk, Storefront
from orders.http.endpoints import BY_NAME
from orders.http.routes import Auth, Endpoint

P = ParamSpec("P")
R = TypeVar("R")

API_KEY_HEADER = "X-Api-Key"


class Transport(Protocol):
    async def request(
        self, method: str, url: str, *, headers: Mapping[str, str], body: bytes | None
    ) -> tuple[int, bytes]:
        """Send one request; answer the status and the body."""
        ...


class CommerceUnavailable(DomainError):
    """The order system answered something that is not an answer (a 5xx, not JSON...)."""

    code = "unavailable"


def _error_classes() -> dict[str, type[DomainError]]:
    """The ``DomainError`` subclass for each code, among those this process has imported."""
    found: dict[str, type[DomainError]] = {}
    seen: set[type[DomainError]] = set()
    pending: list[type[DomainError]] = [DomainError]
    while pending:
        klass = pending.pop()
        for sub in klass.__subclasses__():
            if sub in seen:
                continue
            seen.add(sub)
            pending.append(sub)
            code = vars(sub).get("code")
            if isinstance(code, str):
                # Two classes with one code: the plainer (earlier found) one stays.
                found.setdefault(code, sub)
    return found


def domain_error(status: int, payload: object) -> DomainError:
    """The exception an error response stands for."""
    error = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(error, dict) or not isinstance(error.get("code"), str):
        return CommerceUnavailable(
            f"The order system answered {status} without an error body.",
            details={"status": status},
        )
    code: str = error["code"]
    message = str(error.get("message") or code)
    details = error.get("details") if isinstance(error.get("details"), dict) else {}
    klass = _error_classes().get(code, DomainError)
    # Rebuilt without the subclass's own constructor (whose arguments made the message).
    exc = klass.__new__(klass)
    DomainError.__init__(exc, message, code=code, details=details)
    return exc


class _Remote(Generic[P, R]):
    """A method of the seam, carried out by calling its endpoint."""

    def __init__(self, method: Callable[Concatenate[Any, P], Coroutine[Any, Any, R]]) -> None:
        self.name = method.__name__
        self.signature = inspect.signature(method)

    def __get__(
        self, client: HttpCommerce | None, owner: type | None = None
    ) -> Callable[P, Coroutine[Any, Any, R]]:
        if client is None:
            raise AttributeError(self.name)
        endpoint = BY_NAME[self.name]
        signature = self.signature

        async def call(*args: P.args, **kwargs: P.kwargs) -> R:
            bound = signature.bind(client, *args, **kwargs)
            bound.apply_defaults()
            named = dict(bound.arguments)
            named.pop("self", None)
            result: R = await client.call(endpoint, named)
            return result

        call.__name__ = self.name
        return call


def remote(method: Callable[Concatenate[Any, P], Coroutine[Any, Any, R]]) -> _Remote[P, R]:
    return _Remote(method)


class HttpCommerce:
    """The whole seam over HTTP (see the module's docstring for the credentials)."""

    def __init__(
        self,
        base_url: str,
        transport: Transport,
        *,
        token: str | None = None,
        api_key: str | None = None,
        token_for: Callable[[Actor], str | None] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.transport = transport
        self.token = token
        self.api_key = api_key
        self.token_for = token_for

    # --- the wire ------------------------------------------------------------------------------

    def _headers(self, endpoint: Endpoint, actor: Actor | None) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if endpoint.auth is Auth.PUBLIC:
            return headers
        if (
            endpoint.auth is Auth.FEED
            and self.api_key
            and (actor is None or actor.role is Role.SYSTEM)
        ):
            headers[API_KEY_HEADER] = self.api_key
            return headers
        token = self.token_for(actor) if actor is not None and self.token_for else None
        token = token or self.token
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return headers

    def _url(self, endpoint: Endpoint, named: dict[str, Any]) -> str:
        binding = endpoint.binding
        path = endpoint.path
        for name in binding.path:
            path = path.replace("{" + name + "}", quote(str(named[name]), safe=""))
        query: dict[str, Any] = {}
        if binding.query_arg is not None:
            model: BaseModel = named[binding.query_arg]
            query = model.model_dump(mode="json", exclude_none=True)
        elif binding.query_fields:
            query = {n: named[n] for n in binding.query_fields if named[n] is not None}
        items = {
            k: ("true" if v is True else "false" if v is False else v) for k, v in query.items()
        }
        return self.base_url + path + (f"?{urlencode(items)}" if items else "")

    @staticmethod
    def _body(endpoint: Endpoint, named: dict[str, Any]) -> bytes | None:
        binding = endpoint.binding
        if binding.body_arg is not None:
            model: BaseModel = named[binding.body_arg]
            return model.model_dump_json(exclude_unset=False).encode()
        if binding.body_fields:
            assert endpoint.body is not None
            body = endpoint.body(**{n: named[n] for n in binding.body_fields})
            return body.model_dump_json().encode()
        return b"{}" if endpoint.body is not None else None

    async def call(self, endpoint: Endpoint, named: dict[str, Any]) -> Any:
        actor = named.get("actor") if endpoint.binding.takes_actor else None
        headers = self._headers(endpoint, actor)
        body = self._body(endpoint, named)
        if body is not None:
            headers["Content-Type"] = "application/json"
        status, raw = await self.transport.request(
            endpoint.method, self._url(endpoint, named), headers=headers, body=body
        )
        if status == 204:
            return None
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = None
        if status >= 400:
            exc = domain_error(status, payload)
            if endpoint.none_when_missing and status == 404 and exc.code == "not_found":
                return None
            raise exc
        if endpoint.many:
            payload = payload.get("items") if isinstance(payload, dict) else None
        try:
            return endpoint.adapter.validate_python(payload)
        except ValidationError as err:
            raise CommerceUnavailable(
                f"The order system's answer to {endpoint.name} does not fit its schema.",
                details={"endpoint": endpoint.name, "errors": err.error_count()},
            ) from None

    # --- the seam, method by method (each one's endpoint is in the table) ----------------------

    # Storefront
    list_products = remote(Storefront.list_products)
    get_product = remote(Storefront.get_product)
    list_stores = remote(Storefront.list_stores)
    get_or_create_cart = remote(Storefront.get_or_create_cart)
    get_cart = remote(Storefront.get_cart)
    add_cart_item = remote(Storefront.add_cart_item)
    change_cart_item = remote(Storefront.change_cart_item)
    remove_cart_item = remote(Storefront.remove_cart_item)
    record_page_view = remote(Storefront.record_page_view)
    # OrderDesk: looking up
    get_order = remote(OrderDesk.get_order)
    search_orders = remote(OrderDesk.search_orders)
    order_history = remote(OrderDesk.order_history)
    order_version = remote(OrderDesk.order_version)
    find_invoice = remote(OrderDesk.find_invoice)
    search_price_matches = remote(OrderDesk.search_price_matches)
    orders_on_hold = remote(OrderDesk.orders_on_hold)
    availability_near = remote(OrderDesk.availability_near)
    # customers
    register_customer = remote(OrderDesk.register_customer)
    get_customer = remote(OrderDesk.get_customer)
    list_customers = remote(OrderDesk.list_customers)
    update_customer = remote(OrderDesk.update_customer)
    add_customer_address = remote(OrderDesk.add_customer_address)
    add_contact = remote(OrderDesk.add_contact)
    add_payment_method = remote(OrderDesk.add_payment_method)
    remove_payment_method = remote(OrderDesk.remove_payment_method)
    update_preferences = remote(OrderDesk.update_preferences)
    add_customer_note = remote(OrderDesk.add_customer_note)
    purchase_history = remote(OrderDesk.purchase_history)
    customer_panel = remote(OrderDesk.customer_panel)
    find_open_cart = remote(OrderDesk.find_open_cart)
    browsing_trail = remote(OrderDesk.browsing_trail)
    # writing an order
    create_draft = remote(OrderDesk.create_draft)
    draft_from_cart = remote(OrderDesk.draft_from_cart)
    copy_order = remote(OrderDesk.copy_order)
    set_customer = remote(OrderDesk.set_customer)
    confirm_order = remote(OrderDesk.confirm_order)
    save_quote = remote(OrderDesk.save_quote)
    discard_draft = remote(OrderDesk.discard_draft)
    # changing it
    add_line = remote(OrderDesk.add_line)
    remove_line = remote(OrderDesk.remove_line)
    change_quantity = remote(OrderDesk.change_quantity)
    change_variant = remote(OrderDesk.change_variant)
    change_configuration = remote(OrderDesk.change_configuration)
    change_to_pickup = remote(OrderDesk.change_to_pickup)
    reschedule_delivery = remote(OrderDesk.reschedule_delivery)
    change_ship_to = remote(OrderDesk.change_ship_to)
    change_bill_to = remote(OrderDesk.change_bill_to)
    change_gift_options = remote(OrderDesk.change_gift_options)
    change_payment = remote(OrderDesk.change_payment)
    set_confirmation_email = remote(OrderDesk.set_confirmation_email)
    set_ship_together = remote(OrderDesk.set_ship_together)
    set_tax_exemption = remote(OrderDesk.set_tax_exemption)
    add_note = remote(OrderDesk.add_note)
    # cancelling, holds
    cancel_order = remote(OrderDesk.cancel_order)
    cancel_line = remote(OrderDesk.cancel_line)
    stop_delivery = remote(OrderDesk.stop_delivery)
    apply_hold = remote(OrderDesk.apply_hold)
    resolve_hold = remote(OrderDesk.resolve_hold)
    # money
    appease = remote(OrderDesk.appease)
    price_match = remote(OrderDesk.price_match)
    apply_coupon = remote(OrderDesk.apply_coupon)
    remove_coupon = remote(OrderDesk.remove_coupon)
    override_charge = remote(OrderDesk.override_charge)
    request_approval = remote(OrderDesk.request_approval)
    list_approvals = remote(OrderDesk.list_approvals)
    approve = remote(OrderDesk.approve)
    reject = remote(OrderDesk.reject)
    # after the sale
    reship_line = remote(OrderDesk.reship_line)
    create_return = remote(OrderDesk.create_return)
    receive_return = remote(OrderDesk.receive_return)
    # FulfilmentFeed
    schedule_order = remote(FulfilmentFeed.schedule_order)
    release_order = remote(FulfilmentFeed.release_order)
    create_shipment = remote(FulfilmentFeed.create_shipment)
    dispatch_shipment = remote(FulfilmentFeed.dispatch_shipment)
    record_tracking_event = remote(FulfilmentFeed.record_tracking_event)


def _conforms(client: HttpCommerce) -> Commerce:
    """Checked by the type checker: the HTTP implementation is the whole seam."""
    return client
