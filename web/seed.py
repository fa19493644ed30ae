"""Demo data for the care side: CSR accounts on the seeded queues."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from queues import accounts
from queues.domain import Role
from queues.uow import CareUnitOfWork
from web.bootstrap import Services


@dataclass(frozen=True, slots=True)
class DemoLogin:
    username: str
    password: str
    name: str
    role: Role
    queues: tuple[str, ...]


DEMO_AGENTS = (
    DemoLogin("alex", "alex-demo-pass", "Alex Rivera", Role.AGENT, ("general", "orders")),
    DemoLogin("sam", "sam-demo-pass", "Sam Okafor", Role.AGENT, ("general", "returns", "orders")),
    DemoLogin("jo", "jo-demo-pass", "Jo Lindqvist", Role.AGENT, ("returns", "business")),
    DemoLogin(
        "lee", "lee-demo-pass", "Lee Park", Role.LEAD, ("general", "orders", "returns", "business")
    ),
    DemoLogin("admin", "admin-demo-pass", "Careline Admin", Role.ADMIN, ()),
)


async def seed_care(services: Services) -> list[DemoLogin]:
    """Create the demo CSRs that do not exist yet; returns every demo login."""
    for login in DEMO_AGENTS:
        async with CareUnitOfWork(services.engine) as uow:
            exists = await uow.agents.by_username(login.username)
        if exists is not None:
            continue
        password_hash = await asyncio.to_thread(services.hasher.hash, login.password)
        await services.runner.run(
            accounts.create_agent,
            services.clock,
            accounts.NewAgent(
                username=login.username,
                name=login.name,
                password=login.password,
                role=login.role,
                max_chats=4 if login.role is Role.LEAD else 3,
                queues=login.queues,
            ),
            password_hash,
        )
    return list(DEMO_AGENTS)
