"""The browser front-end: the widget script, the agent console and the demo storefront.

The pages are built by ``scripts/build-frontend`` (Vite) into ``web/static/dist`` (or
``CARELINE_STATIC_DIR``); this module serves that output. Routes:

- ``GET /widget.js``: the widget a storefront embeds with one tag,
  ``<script src="https://care.example.com/widget.js" data-identity="..." async></script>``.
- ``GET /console``: the agent console.
- ``GET /static/dist/{path}``: the built assets of both pages.
- Demo mode only (``CARELINE_DEMO``): ``GET /`` redirects to ``/shop``; ``GET /shop`` and every
  page under it serve the demo storefront with the widget tag in it; ``/shop/demo/*`` lets the
  shop switch between a guest and a few demo customers, signing the chosen customer's identity
  the way a real storefront's back end would.

When the build output is missing every page answers 503 saying how to build it.
"""

from __future__ import annotations

import html
import json
import logging
from pathlib import Path
from typing import Any

from aiohttp import web
from sqlalchemy import text

from web.bootstrap import Services
from web.identity import sign_identity

logger = logging.getLogger(__name__)

DEFAULT_DIST = Path(__file__).resolve().parent / "static" / "dist"
DEMO_CUSTOMER_COOKIE = "careline_demo_customer"
DEMO_CUSTOMER_LIMIT = 6
BUILD_HINT = "scripts/build-frontend"


class Pages:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.settings = services.settings
        configured = self.settings.static_dir
        self.dist = Path(configured).resolve() if configured else DEFAULT_DIST

    # --- the build output ----------------------------------------------------------------------

    def built(self, name: str) -> Path | None:
        path = self.dist / name
        return path if path.is_file() else None

    def not_built(self, what: str) -> web.Response:
        body = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Careline: front-end not built</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;
padding:0 1rem;color:#1c2433}}
code{{background:#eef1f6;padding:.1rem .35rem;border-radius:4px}}</style></head>
<body><h1>The {html.escape(what)} is not built yet</h1>
<p>Careline's browser front-end (the chat widget, the agent console and the demo storefront) is
built from <code>web/frontend</code> at set-up time and was not found in
<code>{html.escape(str(self.dist))}</code>.</p>
<p>Run <code>{BUILD_HINT}</code> (the README's set-up command runs it for you), then reload this
page.</p></body></html>"""
        return web.Response(
            status=503,
            text=body,
            content_type="text/html",
            headers={"Cache-Control": "no-store", "Retry-After": "30"},
        )

    def page(self, name: str, what: str, inject: str = "") -> web.Response:
        path = self.built(name)
        if path is None:
            return self.not_built(what)
        document = path.read_text(encoding="utf-8")
        if inject:
            marker = "</body>"
            index = document.rfind(marker)
            document = (
                document[:index] + inject + document[index:] if index >= 0 else document + inject
            )
        return web.Response(
            text=document,
            content_type="text/html",
            headers={
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "same-origin",
            },
        )

    # --- handlers -------------------------------------------------------------------------------

    async def widget(self, request: web.Request) -> web.StreamResponse:
        path = self.built("widget.js")
        if path is None:
            message = f"Careline: the chat widget is not built on this server. Run {BUILD_HINT}."
            return web.Response(
                status=503,
                text=f"console.error({json.dumps(message)});\n",
                content_type="application/javascript",
                headers={"Cache-Control": "no-store"},
            )
        return web.FileResponse(
            path,
            headers={
                "Content-Type": "application/javascript; charset=utf-8",
                # Storefronts always get the current widget; unchanged ones revalidate cheaply.
                "Cache-Control": "no-cache",
                "X-Content-Type-Options": "nosniff",
            },
        )

    async def asset(self, request: web.Request) -> web.StreamResponse:
        if not self.dist.is_dir():
            return self.not_built("front-end")
        relative = request.match_info["path"]
        try:
            path = (self.dist / relative).resolve()
            path.relative_to(self.dist.resolve())
        except (ValueError, OSError):
            raise web.HTTPNotFound() from None
        if not path.is_file():
            raise web.HTTPNotFound()
        hashed = relative.startswith("assets/")
        return web.FileResponse(
            path,
            headers={
                "Cache-Control": "public, max-age=31536000, immutable" if hashed else "no-cache",
                "X-Content-Type-Options": "nosniff",
            },
        )

    async def console(self, request: web.Request) -> web.StreamResponse:
        config: dict[str, Any] = {"demo": self.settings.demo}
        if self.settings.demo:
            config["demo_logins"] = demo_logins()
        return self.page(
            "console.html", "agent console", inject=json_script("careline-config", config)
        )

    async def root(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound("/shop" if self.settings.demo else "/console")

    async def shop(self, request: web.Request) -> web.StreamResponse:
        customer_id = request.cookies.get(DEMO_CUSTOMER_COOKIE) or None
        if customer_id is not None and not await self.customer_exists(customer_id):
            customer_id = None
        attrs = [f'src="{html.escape(self.widget_url(request), quote=True)}"']
        if customer_id:
            identity = sign_identity(self.settings.storefront_secret, customer_id)
            attrs.append(f'data-identity="{html.escape(identity, quote=True)}"')
        tag = f"<script {' '.join(attrs)} async></script>\n"
        return self.page("shop.html", "demo storefront", inject=tag)

    def widget_url(self, request: web.Request) -> str:
        """Absolute, as a storefront on another origin would write it."""
        return f"{request.scheme}://{request.host}/widget.js"

    # --- the demo storefront's back end ------------------------------------------------------

    async def demo_customers(self, request: web.Request) -> web.Response:
        customers = await self.list_customers(DEMO_CUSTOMER_LIMIT)
        current_id = request.cookies.get(DEMO_CUSTOMER_COOKIE)
        current = next((c for c in customers if c["id"] == current_id), None)
        if current is None and current_id and await self.customer_exists(current_id):
            current = {"id": current_id, "name": current_id, "email": None, "kind": None}
            customers.append(current)
        return web.json_response({"items": customers, "current": current})

    async def demo_sign_in(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except (ValueError, UnicodeDecodeError):
            body = None
        customer_id = body.get("customer_id") if isinstance(body, dict) else None
        if customer_id is not None and not isinstance(customer_id, str):
            return web.json_response(
                {"code": "invalid_payload", "message": "customer_id must be a string or null."},
                status=422,
            )
        response = web.json_response({"customer_id": customer_id or None})
        if customer_id:
            if not await self.customer_exists(customer_id):
                return web.json_response(
                    {"code": "not_found", "message": "There is no such demo customer."}, status=404
                )
            response.set_cookie(
                DEMO_CUSTOMER_COOKIE, customer_id, path="/", httponly=True, samesite="Lax"
            )
        else:
            response.del_cookie(DEMO_CUSTOMER_COOKIE, path="/")
        return response

    async def demo_identity(self, request: web.Request) -> web.Response:
        customer_id = request.query.get("customer_id", "")
        if not customer_id or "." in customer_id:
            return web.json_response(
                {"code": "invalid_payload", "message": "Give a customer_id."}, status=422
            )
        if not await self.customer_exists(customer_id):
            return web.json_response(
                {"code": "not_found", "message": "There is no such demo customer."}, status=404
            )
        identity = sign_identity(self.settings.storefront_secret, customer_id)
        return web.json_response({"customer_id": customer_id, "identity": identity})

    async def list_customers(self, limit: int) -> list[dict[str, Any]]:
        """A few customers to be in the demo shop, from the commerce side when it is wired."""
        lister = getattr(self.services.commerce, "demo_customers", None)
        if callable(lister):
            try:
                found = await lister(limit)
                return [
                    {
                        "id": str(c["id"]),
                        "name": str(c.get("name") or c["id"]),
                        "email": c.get("email"),
                        "kind": c.get("kind"),
                    }
                    for c in found
                ]
            except Exception:
                logger.exception("could not list demo customers")
        return await self._customers_from_database(limit)

    async def _customers_from_database(self, limit: int) -> list[dict[str, Any]]:
        try:
            async with self.services.engine.connect() as conn:
                result = await conn.execute(
                    text("SELECT * FROM customers ORDER BY id LIMIT :limit"), {"limit": limit}
                )
                rows = [dict(row) for row in result.mappings()]
        except Exception:
            # No commerce tables in this database: the shop offers the guest only.
            return []
        customers = []
        for row in rows:
            name = (
                row.get("display_name")
                or row.get("name")
                or " ".join(
                    str(part) for part in (row.get("first_name"), row.get("last_name")) if part
                )
            )
            customers.append(
                {
                    "id": str(row["id"]),
                    "name": str(name or row.get("email") or row["id"]),
                    "email": row.get("email"),
                    "kind": row.get("kind") or row.get("type"),
                }
            )
        return customers

    async def customer_exists(self, customer_id: str) -> bool:
        if not customer_id or "." in customer_id or len(customer_id) > 64:
            return False
        getter = getattr(self.services.commerce, "get_customer", None)
        if callable(getter):
            try:
                await getter(customer_id)
            except Exception as exc:
                if getattr(exc, "code", None) == "not_found":
                    return False
                logger.exception("could not look up demo customer %s", customer_id)
                return False
            return True
        return any(c["id"] == customer_id for c in await self.list_customers(200))


PAGES = web.AppKey("careline_pages", Pages)


def demo_logins() -> list[dict[str, Any]]:
    from web.seed import DEMO_AGENTS

    return [
        {
            "username": login.username,
            "password": login.password,
            "name": login.name,
            "role": login.role.value,
            "queues": list(login.queues),
        }
        for login in DEMO_AGENTS
    ]


def json_script(element_id: str, data: Any) -> str:
    """Data for a page as a JSON script element, safe against ``</script>`` in any value."""
    payload = (
        json.dumps(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    )
    return f'<script id="{element_id}" type="application/json">{payload}</script>\n'


def mount_pages(app: web.Application, services: Services) -> None:
    pages = Pages(services)
    app[PAGES] = pages
    app.router.add_get("/widget.js", pages.widget)
    app.router.add_get("/console", pages.console)
    app.router.add_get("/console/", pages.console)
    app.router.add_get("/static/dist/{path:.+}", pages.asset)
    app.router.add_get("/", pages.root)
    if services.settings.demo:
        app.router.add_get("/shop/demo/customers", pages.demo_customers)
        app.router.add_post("/shop/demo/sign-in", pages.demo_sign_in)
        app.router.add_get("/shop/demo/identity", pages.demo_identity)
        app.router.add_get("/shop", pages.shop)
        app.router.add_get("/shop/{tail:.*}", pages.shop)
