"""The single wiring point: settings in, every service out. Nothing connects at import time.

``bootstrap`` builds objects only; ``Services.start`` (called when the app starts serving)
opens connections and starts background tasks, and ``Services.aclose`` stops them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import socketio
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bots.commands import Registry
from chat.bus import ControlBus, MemoryBus, RedisBus
from chat.dispatch import SocketDispatcher
from chat.namespaces.agent import AgentNamespace
from chat.namespaces.base import ChatDeps, ChatLimits
from chat.namespaces.customer import CustomerNamespace
from chat.ports import CustomerDirectory, NoCustomerDirectory
from chat.writer import MessageWriter
from queues.clock import Clock, SystemClock
from queues.presence import MemoryPresence, Presence, RedisPresence
from queues.runner import CareRunner
from queues.sweeper import AbandonSweeper
from web.auth import PasswordHasher, Tokens
from web.db import create_engine, create_sessionmaker
from web.settings import Settings
from web.sockets import create_socket_server

if TYPE_CHECKING:
    from customers.bus import EventBus
    from customers.kernel import DomainEvent
    from orders.webhooks.worker import WebhookWorker

logger = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    clock: Clock
    tokens: Tokens
    hasher: PasswordHasher
    redis: Redis | None
    presence: Presence
    bus: ControlBus
    runner: CareRunner
    commands: Registry
    directory: CustomerDirectory = field(default_factory=NoCustomerDirectory)
    sio: socketio.AsyncServer | None = None
    sweeper: AbandonSweeper | None = None
    # The commerce side (order desk, customers, carts): set by ``wire_commerce``.
    commerce: Any = None
    extras: dict[str, Any] = field(default_factory=dict)
    # Outgoing webhooks: set by ``wire_commerce`` when WEBHOOK_URLS are configured.
    webhooks: WebhookWorker | None = None
    # Stores chat:send of the sockets (group commit in its own process on SQLite): set by
    # ``wire_sockets``.
    messages: MessageWriter | None = None

    async def start(self) -> None:
        await self.presence.start()
        await self.bus.start()
        if self.sweeper is not None:
            self.sweeper.start()
        if self.webhooks is not None:
            self.webhooks.start()
        if self.messages is not None:
            # On SQLite: the message store's process is up before the first chat message.
            await self.messages.start()

    async def aclose(self) -> None:
        if self.webhooks is not None:
            await self.webhooks.stop()
        if self.sweeper is not None:
            await self.sweeper.stop()
        await self.bus.stop()
        if self.messages is not None:
            # Answers whoever still waits for a batch before the engine goes away.
            await self.messages.aclose()
        await self.presence.stop()
        if isinstance(self.runner.dispatcher, SocketDispatcher):
            await self.runner.dispatcher.aclose()
        if self.redis is not None:
            await self.redis.aclose()
        await self.engine.dispose()


def connect_redis(url: str) -> Redis:
    """A Redis client that retries a command once its pooled connection turns out to be stale
    (after a Redis restart) instead of failing it."""
    return Redis.from_url(
        url,
        retry=Retry(ExponentialBackoff(cap=1.0, base=0.05), 3),
        retry_on_error=[RedisConnectionError, RedisTimeoutError],
        socket_connect_timeout=2,
        health_check_interval=10,
    )


def bootstrap(settings: Settings, *, clock: Clock | None = None, sockets: bool = True) -> Services:
    """Build every service. ``sockets=False`` gives the command line what it needs (database,
    accounts) without a Socket.IO server."""
    engine = create_engine(settings.database_url)
    redis = connect_redis(settings.redis_url) if settings.redis_url else None
    prefix = settings.redis_prefix
    presence: Presence = (
        RedisPresence(redis, prefix=f"{prefix}:presence") if redis is not None else MemoryPresence()
    )
    bus: ControlBus = RedisBus(redis, f"{prefix}:control") if redis is not None else MemoryBus()
    services = Services(
        settings=settings,
        engine=engine,
        sessionmaker=create_sessionmaker(engine),
        clock=clock or SystemClock(),
        tokens=Tokens(settings.secret),
        hasher=PasswordHasher(),
        redis=redis,
        presence=presence,
        bus=bus,
        runner=CareRunner(engine),
        commands=Registry(),
    )
    wire_commerce(services)
    if sockets:
        wire_sockets(services)
    return services


def wire_sockets(services: Services) -> None:
    settings = services.settings
    sio = create_socket_server(settings)
    dispatcher = SocketDispatcher(
        sio, services.engine, services.presence, services.directory, services.bus
    )
    services.runner.dispatcher = dispatcher
    deps = ChatDeps(
        runner=services.runner,
        tokens=services.tokens,
        dispatcher=dispatcher,
        clock=services.clock,
        presence=services.presence,
        directory=services.directory,
        bus=services.bus,
        limits=ChatLimits(
            max_message_chars=settings.max_message_chars,
            rate_per_second=settings.rate_per_second,
            rate_burst=settings.rate_burst,
            agent_token_ttl_seconds=settings.agent_token_ttl_seconds,
            visitor_token_ttl_seconds=settings.visitor_token_ttl_seconds,
            storefront_secret=settings.storefront_secret,
        ),
    )
    sio.register_namespace(CustomerNamespace(deps))
    sio.register_namespace(AgentNamespace(deps, services.commands))
    services.sio = sio
    services.messages = deps.messages
    services.sweeper = AbandonSweeper(
        services.runner, services.presence, services.clock, settings.agent_grace_seconds
    )


def wire_commerce(services: Services) -> None:
    """Build the order desk and customer services on the shared engine (commerce side)."""
    from customers.bus import EventBus
    from orders.directory import CommerceDirectory
    from orders.local import LocalCommerce
    from orders.persistence.uow import SqlUnitOfWork

    engine, clock = services.engine, services.clock
    # In-process listeners to commerce events (told after commit); the outbox keeps them too.
    bus = EventBus()
    commerce = LocalCommerce(lambda: SqlUnitOfWork(engine, bus, clock.now))
    services.commerce = commerce
    services.directory = CommerceDirectory(commerce)
    services.extras["commerce_bus"] = bus

    async def seed_demo() -> str:
        from web.seed_commerce import seed_commerce

        return await seed_commerce(services)

    # ``careline demo`` awaits it after the care side is seeded; it answers things to try.
    services.extras["seed_demo"] = seed_demo
    wire_webhooks(services, bus)


def wire_webhooks(services: Services, bus: EventBus) -> None:
    """The webhook worker, when endpoints are configured; woken by each committed event."""
    from web.webhooks import webhook_worker

    worker = webhook_worker(services.engine, services.settings, services.clock.now)
    if worker is None:
        return

    async def wake(event: DomainEvent) -> None:
        worker.wake()

    bus.subscribe(wake)
    services.webhooks = worker
