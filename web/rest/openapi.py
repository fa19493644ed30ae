"""The OpenAPI 3.1 document of the order API, derived from the endpoint table and the pydantic
models (nothing here is written per endpoint). Served at ``GET /api/openapi.json``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, Field
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from orders.http.client import API_KEY_HEADER
from orders.http.routes import Auth, Endpoint
from web.errors import STATUS_BY_CODE
from web.rest.auth import IDENTITY_HEADER, VISITOR_HEADER

REF_TEMPLATE = "#/components/schemas/{model}"


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable snake_case code (see docs/rest.md).")
    message: str = Field(description="For a person.")
    details: dict[str, Any] = Field(
        default_factory=dict, description="The facts behind the refusal (which limit, field...)."
    )


class ErrorResponse(BaseModel):
    """Every refusal of the API: ``{"error": {"code", "message", "details"?}}``."""

    error: ErrorDetail


SECURITY_SCHEMES: dict[str, Any] = {
    "csrToken": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "The token from POST /api/auth/login (a CSR, lead or admin; only "
        "an admin's reaches the fulfilment feed).",
    },
    "orderApiKey": {
        "type": "apiKey",
        "in": "header",
        "name": API_KEY_HEADER,
        "description": "ORDER_API_KEY: the warehouse and carrier feed, acting as the system.",
    },
    "visitorToken": {
        "type": "apiKey",
        "in": "header",
        "name": VISITOR_HEADER,
        "description": "The visitor token the chat widget holds (a guest's cart).",
    },
    "storefrontIdentity": {
        "type": "apiKey",
        "in": "header",
        "name": IDENTITY_HEADER,
        "description": "The storefront's signed identity of a customer (customer_id.expiry.mac).",
    },
}

SECURITY: dict[Auth, list[dict[str, list[str]]]] = {
    Auth.PUBLIC: [],
    Auth.CSR: [{"csrToken": []}],
    Auth.FEED: [{"orderApiKey": []}, {"csrToken": []}],
    Auth.SHOPPER: [{"visitorToken": []}, {"storefrontIdentity": []}, {"csrToken": []}],
}

ERRORS: dict[int, str] = {
    400: "Refused (a code without a more precise status).",
    401: "No credentials, or bad ones (unauthorized, token_expired).",
    403: "The caller may not do this (forbidden, limit_exceeded, lead_required).",
    404: "No such order, customer, cart... (not_found).",
    409: "Refused in the current state (version_conflict, cart_locked, return_required...).",
    422: "The request can never succeed (invalid_payload with the field errors, invalid_...).",
}


def _codes_for(status: int) -> list[str]:
    return sorted(code for code, s in STATUS_BY_CODE.items() if s == status)


class _Schemas:
    """Every model of the table in one JSON Schema run, so references are shared."""

    def __init__(self, endpoints: Iterable[Endpoint]) -> None:
        inputs: set[type[BaseModel]] = set()
        outputs: set[type[BaseModel]] = {ErrorResponse}
        for e in endpoints:
            inputs.update(m for m in (e.body, e.query) if m is not None)
            if e.response is not None:
                outputs.add(e.response)
        pairs: list[tuple[type[BaseModel], JsonSchemaMode]] = [
            (m, "validation") for m in sorted(inputs, key=lambda m: m.__name__)
        ] + [(m, "serialization") for m in sorted(outputs, key=lambda m: m.__name__)]
        keys, top = models_json_schema(pairs, ref_template=REF_TEMPLATE)
        self.keys = keys
        self.components: dict[str, Any] = top.get("$defs", {})

    def ref(self, model: type[BaseModel], mode: JsonSchemaMode) -> dict[str, Any]:
        return dict(self.keys[(model, mode)])

    def resolved(self, model: type[BaseModel], mode: JsonSchemaMode) -> dict[str, Any]:
        name = self.ref(model, mode)["$ref"].rsplit("/", 1)[-1]
        schema: dict[str, Any] = self.components[name]
        return schema


def _parameters(endpoint: Endpoint, schemas: _Schemas) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = []
    path_schema = endpoint.path_model.model_json_schema(ref_template=REF_TEMPLATE)
    for name in endpoint.path_params:
        schema = dict(path_schema["properties"][name])
        schema.pop("title", None)
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    if endpoint.query is not None:
        query = schemas.resolved(endpoint.query, "validation")
        required = set(query.get("required", []))
        for name, prop in query.get("properties", {}).items():
            schema = dict(prop)
            description = schema.pop("description", None)
            schema.pop("title", None)
            param: dict[str, Any] = {
                "name": name,
                "in": "query",
                "required": name in required,
                "schema": schema,
            }
            if description:
                param["description"] = description
            params.append(param)
    return params


def _success(endpoint: Endpoint, schemas: _Schemas) -> dict[str, Any]:
    if endpoint.response is None:
        return {"description": "Done; nothing to answer."}
    schema = schemas.ref(endpoint.response, "serialization")
    if endpoint.many:
        schema = {
            "type": "object",
            "properties": {"items": {"type": "array", "items": schema}},
            "required": ["items"],
            "additionalProperties": False,
        }
    return {
        "description": endpoint.response.__name__,
        "content": {"application/json": {"schema": schema}},
    }


def _operation(endpoint: Endpoint, schemas: _Schemas) -> dict[str, Any]:
    error_ref = schemas.ref(ErrorResponse, "serialization")
    statuses = [s for s in ERRORS if endpoint.auth is not Auth.PUBLIC or s not in (401, 403)]
    responses: dict[str, Any] = {str(endpoint.status): _success(endpoint, schemas)}
    for status in statuses:
        codes = _codes_for(status)
        description = ERRORS[status]
        if codes and status not in (409, 422):
            description += " Codes: " + ", ".join(codes) + "."
        responses[str(status)] = {
            "description": description,
            "content": {"application/json": {"schema": error_ref}},
        }
    operation: dict[str, Any] = {
        "operationId": endpoint.name,
        "summary": endpoint.title,
        "tags": [endpoint.tag],
        "parameters": _parameters(endpoint, schemas),
        "responses": responses,
        "security": SECURITY[endpoint.auth],
        "x-careline-auth": endpoint.auth.value,
    }
    if endpoint.description:
        operation["description"] = endpoint.description
    if endpoint.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": schemas.ref(endpoint.body, "validation")}},
        }
    return operation


def openapi_document(endpoints: Iterable[Endpoint], *, version: str = "0.1.0") -> dict[str, Any]:
    table = list(endpoints)
    schemas = _Schemas(table)
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in table:
        paths.setdefault(endpoint.path, {})[endpoint.method.lower()] = _operation(endpoint, schemas)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Careline order API",
            "version": version,
            "description": (
                "The order desk, customers, carts, catalog and fulfilment feed of Careline: one "
                "endpoint per method of the seam orders.desk.Commerce. Sign in with POST "
                "/api/auth/login for a CSR token. Conventions and auth rules: docs/rest.md."
            ),
        },
        "tags": [
            {"name": name}
            for name in ("catalog", "carts", "customers", "orders", "approvals", "fulfilment")
        ],
        "paths": paths,
        "components": {"schemas": schemas.components, "securitySchemes": SECURITY_SCHEMES},
    }
