"""Socket.IO namespaces and room names, in one place."""

from __future__ import annotations

CUSTOMER_NS = "/customer"
AGENT_NS = "/agent"
# Every CSR socket, for presence.
AGENTS_ROOM = "agents"


def visitor_room(visitor_id: str) -> str:
    """All sockets (tabs) of one shopper."""
    return f"visitor:{visitor_id}"


def agent_room(agent_id: str) -> str:
    """All sockets of one CSR, on whatever process they are connected."""
    return f"agent:{agent_id}"


def queue_room(queue: str) -> str:
    """CSR sockets watching a queue."""
    return f"queue:{queue}"
