"""The browsing trail: which pages a visitor has looked at, newest first.

``record_page_view`` runs on every page the widget sees, so it is one insert and nothing else:
no read, no event, no outbox row.
"""

from __future__ import annotations

from customers.carts import PageView
from customers.ports import CustomersUnitOfWork
from customers.schemas import PageViewView
from customers.views import page_view_view

MAX_URL = 2000
MAX_TITLE = 500
MAX_TRAIL = 100


async def record_page_view(uow: CustomersUnitOfWork, visitor_id: str, url: str, title: str) -> None:
    async with uow:
        await uow.page_views.record(
            PageView(
                visitor_id=visitor_id[:64],
                url=url[:MAX_URL],
                title=(title or "")[:MAX_TITLE],
                viewed_at=uow.now(),
            )
        )
        await uow.commit()


async def browsing_trail(
    uow: CustomersUnitOfWork, visitor_id: str, limit: int = 20
) -> list[PageViewView]:
    async with uow:
        views = await uow.page_views.recent(visitor_id, max(1, min(limit, MAX_TRAIL)))
    return [page_view_view(v) for v in views]
