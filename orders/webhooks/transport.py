"""What the webhook worker needs from HTTP: POST a body with headers, within a time limit, and
say what came back. The aiohttp client is in ``web/webhooks.py`` (``orders/`` imports no web
framework); tests may give the worker anything with this shape."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

# How much of an endpoint's answer is kept with a failed delivery.
REPLY_CHARS = 300


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    text: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class Transport(Protocol):
    async def post(
        self, url: str, body: bytes, headers: Mapping[str, str], timeout_seconds: float
    ) -> Reply:
        """POST ``body``; answer the status (redirects are not followed) or raise when there
        is no answer (refused, reset, timed out)."""

    async def aclose(self) -> None: ...
