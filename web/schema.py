"""Every table Careline stores, gathered for migrations and for tests that inspect the schema.

Each bounded context owns its own ``MetaData``: the care side (visitors, conversations, messages,
CSR accounts, queues) and the commerce side (catalog, customers, carts, orders). No foreign key
crosses from one to the other; they refer to each other by id, so either can move to its own
database (the order desk may well be another system altogether).
"""

from __future__ import annotations

from sqlalchemy import MetaData


def all_metadata() -> list[MetaData]:
    # Imported here, not at module level, so that importing web.schema stays cheap.
    import chat.tables
    import queues.tables  # noqa: F401  (registers its tables on the care metadata)

    found: list[MetaData] = [chat.tables.metadata]
    try:
        import orders.tables
    except ImportError:  # the commerce side not built yet in this checkout
        return found
    found.append(orders.tables.metadata)
    return found
