"""Outgoing webhooks as the app runs them: the aiohttp client, and the worker built from the
settings (``WEBHOOK_URLS``, ``WEBHOOK_SECRET``, ``WEBHOOK_TIMEOUT``, ``WEBHOOK_MAX_ATTEMPTS``).
The worker itself, with its policy and storage, is ``orders.webhooks``; see docs/webhooks.md."""

from __future__ import annotations

from collections.abc import Mapping

import aiohttp
from sqlalchemy.ext.asyncio import AsyncEngine

from orders.persistence.uow import Clock
from orders.webhooks.delivery import RetryPolicy
from orders.webhooks.transport import REPLY_CHARS, Reply
from orders.webhooks.worker import WebhookConfig, WebhookWorker
from web.settings import Settings


class AiohttpTransport:
    """One client session for every delivery of the process, opened on first use."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None

    async def post(
        self, url: str, body: bytes, headers: Mapping[str, str], timeout_seconds: float
    ) -> Reply:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        async with self._session.post(
            url,
            data=body,
            headers=dict(headers),
            # An endpoint that moved is reconfigured, not guessed at.
            allow_redirects=False,
            timeout=aiohttp.ClientTimeout(total=timeout_seconds),
        ) as response:
            text = (await response.content.read(REPLY_CHARS)).decode(errors="replace")
            return Reply(response.status, text)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def webhook_worker(engine: AsyncEngine, settings: Settings, clock: Clock) -> WebhookWorker | None:
    """The worker for the configured endpoints (each once), or None without any."""
    if not settings.webhook_urls or not settings.webhook_secret:
        return None
    config = WebhookConfig(
        endpoints=tuple(dict.fromkeys(settings.webhook_urls)),
        secret=settings.webhook_secret,
        policy=RetryPolicy(max_attempts=settings.webhook_max_attempts),
        timeout_seconds=settings.webhook_timeout_seconds,
    )
    return WebhookWorker(engine, config, AiohttpTransport(), clock=clock)
