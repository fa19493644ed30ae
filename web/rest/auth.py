"""Who may call the order API, in one place (the rules are in ``docs/rest.md``).

- ``public``: anyone.
- ``csr``: ``Authorization: Bearer <token>`` from ``POST /api/auth/login``; the seam's ``Actor``
  is that CSR (agent, lead or admin).
- ``feed``: ``X-Api-Key: <ORDER_API_KEY>`` (acting as the system), or an admin's token (the
  domain lets only the system and admins report fulfilment: ``orders.domain.limits.FEEDS``).
- ``shopper``: proof of owning the cart or visitor named: ``X-Visitor-Token`` (the visitor token
  the widget holds) for a visitor, ``X-Storefront-Identity`` (the storefront's signed identity)
  for a customer; a CSR token may act on any cart.

Missing or bad credentials are 401 ``unauthorized``; good ones that do not reach are 403.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from aiohttp import web

from customers.kernel import SYSTEM, Actor, Role
from customers.schemas import CartOwnerIn, CartView
from orders.domain.limits import FEEDS
from orders.http.client import API_KEY_HEADER
from orders.http.routes import Auth
from queues.domain import Agent
from queues.errors import Forbidden, Unauthorized
from web.http_api import SERVICES, current_agent
from web.identity import IdentityError, verify_identity

VISITOR_HEADER = "X-Visitor-Token"
IDENTITY_HEADER = "X-Storefront-Identity"


def actor_of(agent: Agent) -> Actor:
    return Actor(id=agent.id, name=agent.name, role=Role(agent.role.value))


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is calling, as proven by the request's credentials."""

    actor: Actor | None = None
    # Shopper proofs: the visitor of a valid visitor token, the customer of a valid identity.
    visitor_id: str | None = None
    customer_id: str | None = None

    @property
    def is_csr(self) -> bool:
        return self.actor is not None and self.actor.role is not Role.SYSTEM

    def may_own(self, *, visitor_id: str | None, customer_id: str | None) -> bool:
        """May act for an owner with these ids: a CSR always; a shopper when a proof matches."""
        if self.is_csr:
            return True
        return bool(
            (visitor_id is not None and visitor_id == self.visitor_id)
            or (customer_id is not None and customer_id == self.customer_id)
        )


def _api_key_matches(request: web.Request) -> bool | None:
    """None: no key sent; else whether it is the configured one (constant-time)."""
    sent = request.headers.get(API_KEY_HEADER)
    if sent is None:
        return None
    expected = request.app[SERVICES].settings.order_api_key
    if not expected:
        return False
    return hmac.compare_digest(sent.encode(), expected.encode())


async def _csr(request: web.Request) -> Actor:
    agent, _ = await current_agent(request)
    return actor_of(agent)


async def _shopper(request: web.Request) -> Caller:
    services = request.app[SERVICES]
    if request.headers.get("Authorization"):
        return Caller(actor=await _csr(request))
    visitor_token = request.headers.get(VISITOR_HEADER)
    identity = request.headers.get(IDENTITY_HEADER)
    if not visitor_token and not identity:
        raise Unauthorized(
            f"Prove whose cart this is: send {VISITOR_HEADER} (the widget's visitor token) or "
            f"{IDENTITY_HEADER} (the storefront's signed identity)."
        )
    visitor_id = services.tokens.read_visitor_token(visitor_token) if visitor_token else None
    customer_id = None
    if identity:
        try:
            customer_id = verify_identity(services.settings.storefront_secret, identity).customer_id
        except IdentityError as exc:
            raise Unauthorized(f"The storefront identity is refused: {exc.message}.") from None
    return Caller(visitor_id=visitor_id, customer_id=customer_id)


async def authenticate(request: web.Request, auth: Auth) -> Caller:
    """The caller of an endpoint with this rule, or 401/403."""
    if auth is Auth.PUBLIC:
        return Caller()
    if auth is Auth.CSR:
        return Caller(actor=await _csr(request))
    if auth is Auth.FEED:
        key = _api_key_matches(request)
        if key is True:
            return Caller(actor=SYSTEM)
        if key is False:
            raise Unauthorized(f"The {API_KEY_HEADER} is not valid.")
        actor = await _csr(request)
        if actor.role not in FEEDS:
            raise Forbidden("Only the fulfilment feed or an admin reports fulfilment.")
        return Caller(actor=actor)
    return await _shopper(request)


def check_owner(caller: Caller, owner: CartOwnerIn) -> None:
    if owner.visitor_id is None and owner.customer_id is None:
        return  # the use case refuses it (invalid_cart_owner)
    # Every id named must be proven: a visitor token does not vouch for a customer id.
    proven = (
        owner.visitor_id is None or caller.may_own(visitor_id=owner.visitor_id, customer_id=None)
    ) and (
        owner.customer_id is None or caller.may_own(visitor_id=None, customer_id=owner.customer_id)
    )
    if not proven:
        raise Forbidden("This cart belongs to someone else.")


def check_cart(caller: Caller, cart: CartView) -> None:
    if not caller.may_own(visitor_id=cart.visitor_id, customer_id=cart.customer_id):
        raise Forbidden("This cart belongs to someone else.")


def check_visitor(caller: Caller, visitor_id: str) -> None:
    if not caller.may_own(visitor_id=visitor_id, customer_id=None):
        raise Forbidden("Only that visitor may record their page views.")
