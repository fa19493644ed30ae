"""What both namespaces share: payload validation, rate limiting, error acks, the deps.

A handler is a method decorated with ``@event("name", Model)``. The base class validates the
payload with the model, charges the connection's token bucket, calls the handler and turns any
domain error into ``{"ok": false, "error": {...}}``: a bad event never drops the connection and
never goes unanswered.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import socketio
from pydantic import BaseModel, ValidationError

from chat.bus import ControlBus, MemoryBus
from chat.dispatch import SocketDispatcher
from chat.ports import CustomerDirectory, NoCustomerDirectory
from chat.ratelimit import TokenBucket
from chat.writer import MessageWriter
from queues.clock import Clock, SystemClock
from queues.errors import CareError
from queues.presence import MemoryPresence, Presence
from queues.runner import CareRunner
from web.auth import Tokens
from web.errors import ack_error

logger = logging.getLogger(__name__)

Ack = dict[str, Any]
Handler = Callable[[Any, str, dict[str, Any], Any], Awaitable[Ack | None]]
F = TypeVar("F", bound=Callable[..., Awaitable[Ack | None]])


class UnknownEvent(CareError):
    code = "unknown_event"


class RateLimited(CareError):
    code = "rate_limited"


class InvalidPayload(CareError):
    code = "invalid_payload"


@dataclass
class ChatLimits:
    max_message_chars: int = 4000
    rate_per_second: float = 20.0
    rate_burst: int = 40
    agent_token_ttl_seconds: int = 12 * 3600
    visitor_token_ttl_seconds: int = 30 * 24 * 3600
    storefront_secret: str = "demo-storefront-secret"  # noqa: S105 (demo default)


@dataclass
class ChatDeps:
    """Everything the namespaces need, with in-memory defaults (tests pass their own)."""

    runner: CareRunner
    tokens: Tokens
    dispatcher: SocketDispatcher
    clock: Clock = field(default_factory=SystemClock)
    presence: Presence = field(default_factory=MemoryPresence)
    directory: CustomerDirectory = field(default_factory=NoCustomerDirectory)
    bus: ControlBus = field(default_factory=MemoryBus)
    limits: ChatLimits = field(default_factory=ChatLimits)
    # chat:send of both namespaces (group commit on SQLite).
    messages: MessageWriter = field(init=False)

    def __post_init__(self) -> None:
        self.messages = MessageWriter(self.runner, self.clock)


def event(name: str, model: type[BaseModel] | None = None) -> Callable[[F], F]:
    """Mark a namespace method as the handler of client event ``name``."""

    def mark(fn: F) -> F:
        fn._careline_event = (name, model)  # type: ignore[attr-defined]
        return fn

    return mark


def describe_validation_error(error: ValidationError) -> InvalidPayload:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "payload"
    return InvalidPayload(
        f"Invalid field {where!r}: {first['msg']}.",
        details={"field": where},
    )


class CareNamespace(socketio.AsyncNamespace):  # type: ignore[misc]
    def __init__(self, namespace: str, deps: ChatDeps) -> None:
        super().__init__(namespace)
        self.deps = deps
        self._handlers: dict[str, tuple[type[BaseModel] | None, Callable[..., Awaitable[Any]]]] = {}
        # Strong references to fire-and-forget tasks, which asyncio would otherwise drop.
        self._tasks: set[asyncio.Task[None]] = set()
        for attr in dir(type(self)):
            marked = getattr(getattr(type(self), attr), "_careline_event", None)
            if marked is not None:
                name, model = marked
                self._handlers[name] = (model, getattr(self, attr))

    def new_bucket(self) -> TokenBucket:
        return TokenBucket(self.deps.limits.rate_per_second, self.deps.limits.rate_burst)

    async def trigger_event(self, event_name: str, *args: Any) -> Any:
        if event_name in ("connect", "disconnect"):
            return await super().trigger_event(event_name, *args)
        sid: str = args[0]
        data = args[1] if len(args) > 1 else None
        try:
            return await self._handle(event_name, sid, data)
        except CareError as exc:
            return ack_error(exc)
        except Exception as exc:  # a bug: answered, logged, and the connection stays up
            return ack_error(exc)

    async def _handle(self, event_name: str, sid: str, data: Any) -> Any:
        entry = self._handlers.get(event_name)
        if entry is None:
            raise UnknownEvent(f"There is no event called {event_name!r}.")
        session: dict[str, Any] = await self.get_session(sid)
        bucket: TokenBucket = session["bucket"]
        if not bucket.take():
            raise RateLimited("Too many events; slow down and try again in a moment.")
        model, handler = entry
        payload: Any = None
        if model is not None:
            if not isinstance(data, dict):
                raise InvalidPayload(
                    "The payload must be a JSON object.", details={"field": "payload"}
                )
            try:
                payload = model.model_validate(data)
            except ValidationError as exc:
                raise describe_validation_error(exc) from None
        return await handler(sid, session, payload)

    def after_connect(self, sid: str, send: Callable[[], Awaitable[None]]) -> None:
        """Run ``send`` once the client has been told it is connected (an event emitted from
        inside the connect handler would reach the client before its connection is confirmed)."""

        async def wait_then_send() -> None:
            for _ in range(200):
                if self.server.manager.is_connected(sid, self.namespace):
                    break
                await asyncio.sleep(0.005)
            else:
                return
            try:
                await send()
            except Exception:
                logger.exception("could not send the session to %s", sid)

        task = asyncio.get_running_loop().create_task(wait_then_send())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
