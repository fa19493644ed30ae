"""The order system's REST API as data: what an endpoint is, and how a seam method binds to it.

Framework-free on purpose: ``web.rest`` mounts these declarations on aiohttp and generates the
OpenAPI document from them; ``orders.http.client.HttpCommerce`` calls them. The table itself is
in ``orders.http.endpoints``, one ``Endpoint`` per method of ``orders.desk.Commerce``.

How a method's arguments travel: ``actor`` never does (the server builds it from the caller's
credentials); an argument named like a ``{placeholder}`` of the path goes in the path; the
argument that is the ``body`` (or ``query``) model goes as the JSON body (or the query string);
plain arguments that are fields of the body (or query) model go inside it.
"""

from __future__ import annotations

import inspect
import re
import typing
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any

from pydantic import BaseModel, Field, TypeAdapter, create_model

from customers.schemas import Model
from orders.desk import Commerce


class Auth(StrEnum):
    """Who may call an endpoint (``docs/rest.md`` says how each is proven)."""

    # Anyone: catalog reads.
    PUBLIC = "public"
    # The owner of the cart (or visitor) named: their visitor token or the storefront's signed
    # identity; a CSR token is accepted too.
    SHOPPER = "shopper"
    # A CSR's bearer token; the acting ``Actor`` is that CSR.
    CSR = "csr"
    # The warehouse and carrier feed: the order API key (acting as the system), or the token of
    # an admin.
    FEED = "feed"


class Owner(StrEnum):
    """Where a shopper endpoint names the owner whose proof it needs."""

    NONE = "none"
    # A ``CartOwnerIn`` (body or query): its visitor_id / customer_id.
    OWNER = "owner"
    # The ``{cart_id}`` in the path: the cart's visitor_id / customer_id.
    CART = "cart"
    # The ``{visitor_id}`` in the path.
    VISITOR = "visitor"


# --- the few inputs the seam takes as plain arguments, as models for the wire ---------------


class PageViewIn(Model):
    url: Annotated[str, Field(min_length=1, max_length=2000)]
    title: Annotated[str, Field(max_length=500)] = ""


class PageQuery(Model):
    limit: Annotated[int, Field(ge=1, le=200)] = 50
    offset: Annotated[int, Field(ge=0, le=1_000_000)] = 0


class TrailQuery(Model):
    limit: Annotated[int, Field(ge=1, le=200)] = 20


class PanelQuery(Model):
    customer_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    visitor_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None


PathId = Annotated[str, Field(min_length=1, max_length=64)]
PathVersion = Annotated[int, Field(ge=1, le=1_000_000)]
PATH_TYPES: dict[str, Any] = {"version": PathVersion}
_PLACEHOLDER = re.compile(r"{(\w+)}")


@dataclass(frozen=True)
class Binding:
    """How the seam method's parameters map onto the request."""

    takes_actor: bool
    path: tuple[str, ...]
    # The parameter that *is* the body/query model, if one is.
    body_arg: str | None
    query_arg: str | None
    # Plain parameters carried as fields of the body/query model.
    body_fields: tuple[str, ...]
    query_fields: tuple[str, ...]


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    auth: Auth
    tag: str
    # The model answered (one, or ``many`` as ``{"items": [...]}``); None: 204 No Content.
    response: type[BaseModel] | None
    many: bool = False
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    status: int = 200
    owner: Owner = Owner.NONE
    # ``find_open_cart``: the seam's ``None`` is a 404 ``not_found`` on the wire.
    none_when_missing: bool = False
    summary: str = ""
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def path_params(self) -> tuple[str, ...]:
        return tuple(_PLACEHOLDER.findall(self.path))

    @property
    def title(self) -> str:
        return self.summary or self.name.replace("_", " ").capitalize() + "."

    @cached_property
    def path_model(self) -> type[BaseModel]:
        fields: dict[str, Any] = {
            name: (PATH_TYPES.get(name, PathId), ...) for name in self.path_params
        }
        model: type[BaseModel] = create_model(f"{self.name}_path", __base__=Model, **fields)
        return model

    @cached_property
    def adapter(self) -> TypeAdapter[Any]:
        """Reads and writes the response (the list itself when ``many``)."""
        target: Any = list.__class_getitem__(self.response) if self.many else self.response
        return TypeAdapter(target)

    @cached_property
    def binding(self) -> Binding:
        return bind(self)


def _hints(name: str) -> dict[str, Any]:
    return typing.get_type_hints(getattr(Commerce, name))


def bind(endpoint: Endpoint) -> Binding:
    """Map the seam method's signature onto the endpoint; refuse a declaration that does not fit."""
    method = getattr(Commerce, endpoint.name, None)
    if method is None:
        raise ValueError(f"{endpoint.name} is not a method of the seam")
    hints = _hints(endpoint.name)
    params = [p for p in inspect.signature(method).parameters.values() if p.name != "self"]
    takes_actor = bool(params) and params[0].name == "actor"
    rest = [p.name for p in params if p.name != "actor"]
    path = endpoint.path_params
    missing = [p for p in path if p not in rest]
    if missing:
        raise ValueError(f"{endpoint.name}: path names {missing} that the method does not take")
    body_arg = query_arg = None
    body_fields: list[str] = []
    query_fields: list[str] = []
    for name in rest:
        if name in path:
            continue
        hint = hints.get(name)
        if endpoint.body is not None and hint is endpoint.body:
            body_arg = name
        elif endpoint.query is not None and hint is endpoint.query:
            query_arg = name
        elif endpoint.body is not None and name in endpoint.body.model_fields:
            body_fields.append(name)
        elif endpoint.query is not None and name in endpoint.query.model_fields:
            query_fields.append(name)
        else:
            raise ValueError(f"{endpoint.name}: parameter {name!r} has no place in the request")
    return Binding(
        takes_actor=takes_actor,
        path=path,
        body_arg=body_arg,
        query_arg=query_arg,
        body_fields=tuple(body_fields),
        query_fields=tuple(query_fields),
    )


def seam_methods() -> set[str]:
    """Every method of ``Commerce`` (Storefront, OrderDesk and FulfilmentFeed)."""
    names: set[str] = set()
    for klass in Commerce.__mro__:
        if klass.__module__ == "orders.desk":
            names.update(
                name
                for name, value in vars(klass).items()
                if inspect.iscoroutinefunction(value) and not name.startswith("_")
            )
    return names
