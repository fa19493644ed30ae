"""REST adapter: mounts the framework-free endpoint tables of the commerce side on aiohttp.

Filled in by the order desk work; until then it mounts nothing.
"""

from __future__ import annotations

from aiohttp import web

from web.bootstrap import Services


def mount_rest(app: web.Application, services: Services) -> None:
    del app, services
