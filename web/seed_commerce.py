"""Demo data for the commerce side (``orders.demo``), with the demo CSRs of ``web/seed.py`` as
the people in its history. Registered by ``wire_commerce`` as ``services.extras["seed_demo"]``,
which ``careline demo`` awaits after the care side is seeded."""

from __future__ import annotations

from dataclasses import replace

from customers.kernel import Actor, Role
from orders.demo import DemoStaff, demo_hint, seed_demo
from queues.uow import CareUnitOfWork
from web.bootstrap import Services


async def demo_staff(services: Services) -> DemoStaff:
    """The demo CSR accounts as actors, with their real ids (the defaults when missing)."""
    staff = DemoStaff()
    found: dict[str, Actor] = {}
    async with CareUnitOfWork(services.engine) as uow:
        for username in ("alex", "sam", "jo", "lee", "admin"):
            account = await uow.agents.by_username(username)
            if account is not None:
                agent, _ = account
                found[username] = Actor(agent.id, agent.name, Role(agent.role.value))
    return replace(staff, **found)


async def seed_commerce(services: Services) -> str:
    """Seed the order desk's demo data; answers a line of things to try."""
    await seed_demo(
        services.engine,
        bus=services.extras.get("commerce_bus"),
        staff=await demo_staff(services),
        now=services.clock.now,
    )
    return await demo_hint(services.commerce)
