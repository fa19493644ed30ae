"""The aiohttp application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from aiohttp import web

from web.bootstrap import Services, bootstrap
from web.http_api import SERVICES, care_errors, mount_care_api
from web.pages import mount_pages
from web.rest import mount_rest
from web.settings import Settings
from web.sockets import attach

logger = logging.getLogger(__name__)


def create_app(settings: Settings, services: Services | None = None) -> web.Application:
    services = services or bootstrap(settings)
    app = web.Application(middlewares=[care_errors], client_max_size=1024 * 1024)
    app[SERVICES] = services
    assert services.sio is not None
    attach(services.sio, app)
    mount_care_api(app)
    mount_rest(app, services)
    mount_pages(app, services)

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        await services.start()
        yield
        await services.aclose()

    app.cleanup_ctx.append(lifecycle)
    return app
