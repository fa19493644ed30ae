"""The aiohttp side of ``orders.http.client.HttpCommerce`` (``orders`` imports no HTTP library)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import aiohttp

from customers.kernel import Actor
from orders.http.client import HttpCommerce


class AiohttpTransport:
    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def request(
        self, method: str, url: str, *, headers: Mapping[str, str], body: bytes | None
    ) -> tuple[int, bytes]:
        async with self.session.request(method, url, headers=dict(headers), data=body) as resp:
            return resp.status, await resp.read()


def http_commerce(
    base_url: str,
    session: aiohttp.ClientSession,
    *,
    token: str | None = None,
    api_key: str | None = None,
    token_for: Callable[[Actor], str | None] | None = None,
) -> HttpCommerce:
    """The seam over HTTP on an aiohttp session (see ``HttpCommerce`` for the credentials)."""
    return HttpCommerce(
        base_url, AiohttpTransport(session), token=token, api_key=api_key, token_for=token_for
    )
