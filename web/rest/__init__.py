"""The order API over aiohttp: mounts the framework-free endpoint table of the commerce side
(``orders.http.endpoints``) and serves its OpenAPI document at ``GET /api/openapi.json``.

Which module does what: ``auth`` (who may call), ``handlers`` (one generic handler per
endpoint), ``openapi`` (the document), ``transport`` (the aiohttp side of ``HttpCommerce``).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from orders.http.endpoints import ENDPOINTS
from web.bootstrap import Services
from web.rest.handlers import make_handler
from web.rest.openapi import openapi_document

OPENAPI = web.AppKey("careline_openapi", dict)
OPENAPI_PATH = "/api/openapi.json"


async def openapi_json(request: web.Request) -> web.Response:
    document: dict[str, Any] = request.app[OPENAPI]
    return web.json_response(document, headers={"Cache-Control": "no-cache"})


def mount_rest(app: web.Application, services: Services) -> None:
    del services  # handlers find the services on the request's app
    app[OPENAPI] = openapi_document(ENDPOINTS)
    app.router.add_get(OPENAPI_PATH, openapi_json)
    # Fixed paths first: /api/carts/active before /api/carts/{cart_id}.
    for endpoint in sorted(ENDPOINTS, key=lambda e: len(e.path_params)):
        app.router.add_route(endpoint.method, endpoint.path, make_handler(endpoint))
