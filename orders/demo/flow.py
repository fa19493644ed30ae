"""Taking one demo order through its life with the seam's calls, a little later each time:
draft, place, schedule, release, pack, dispatch, carrier scans, delivery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from customers.kernel import Actor
from customers.schemas import AddressModel
from orders.demo.base import Seeding
from orders.demo.catalog import variant_id
from orders.domain.enums import Channel, HoldType, ShipmentStatus
from orders.schemas.commands import (
    ApplyCoupon,
    ApplyHold,
    ConfirmOrder,
    CreateDraft,
    CreateShipment,
    DispatchShipment,
    GuestIn,
    NewLineIn,
    ReleaseOrder,
    ScheduleOrder,
    TrackingEvent,
)
from orders.schemas.views import OrderView

Lines = tuple[tuple[str, int], ...]


@dataclass
class Flow:
    """One order being seeded: ``key`` names it in idempotency keys and tracking numbers."""

    seeding: Seeding
    key: str
    view: OrderView | None = None

    @property
    def order(self) -> OrderView:
        assert self.view is not None, "draft the order first"
        return self.view

    @property
    def number(self) -> str:
        return self.order.number

    def line(self, sku: str) -> str:
        return next(line.id for line in self.order.lines if line.sku == sku)

    async def draft(
        self,
        actor: Actor,
        lines: Lines,
        *,
        customer: str | None = None,
        guest: GuestIn | None = None,
        channel: Channel = Channel.WEB,
        ship_to: AddressModel | None = None,
    ) -> Flow:
        self.view = await self.seeding.shop.create_draft(
            actor,
            CreateDraft(
                channel=channel,
                customer_id=self.seeding.customer(customer) if customer else None,
                guest=guest,
                ship_to=ship_to,
                lines=[NewLineIn(variant_id=variant_id(sku), quantity=q) for sku, q in lines],
            ),
        )
        return self

    async def coupon(self, actor: Actor, code: str) -> Flow:
        self.view = await self.seeding.shop.apply_coupon(
            actor, self.number, ApplyCoupon(code=code, idempotency_key=self.idem("coupon", code))
        )
        return self

    async def place(self, actor: Actor) -> Flow:
        self.view = await self.seeding.shop.confirm_order(
            actor, self.number, ConfirmOrder(idempotency_key=self.idem("confirm"))
        )
        return self

    async def hold(self, actor: Actor, kind: HoldType, reason: str) -> Flow:
        self.view = await self.seeding.shop.apply_hold(
            actor, self.number, ApplyHold(type=kind, reason=reason)
        )
        return self

    async def schedule(self) -> Flow:
        self.seeding.clock.later(hours=2)
        self.view = await self.seeding.shop.schedule_order(
            self.seeding.staff.warehouse, self.number, ScheduleOrder()
        )
        return self

    async def release(self) -> Flow:
        self.seeding.clock.later(hours=5)
        self.view = await self.seeding.shop.release_order(
            self.seeding.staff.warehouse, self.number, ReleaseOrder()
        )
        return self

    async def pack(self, skus: tuple[str, ...] = ()) -> Flow:
        self.seeding.clock.later(hours=14)
        ids = [self.line(sku) for sku in skus] or [
            line.id for line in self.order.lines if line.status == "released"
        ]
        self.view = await self.seeding.shop.create_shipment(
            self.seeding.staff.warehouse, self.number, CreateShipment(line_ids=ids)
        )
        return self

    async def dispatch(self, carrier: str = "UPS", eta_days: int = 3) -> Flow:
        self.seeding.clock.later(hours=3)
        shipment = self.order.shipments[-1]
        tracking = f"{'1Z' if carrier == 'UPS' else '7'}{self.key.upper().replace('-', '')}"
        self.view = await self.seeding.shop.dispatch_shipment(
            self.seeding.staff.warehouse,
            self.number,
            DispatchShipment(
                shipment_id=shipment.id,
                carrier=carrier,
                tracking_number=f"{tracking}{len(self.order.shipments)}",
                service="freight" if any(line.bulky for line in self.order.lines) else "ground",
                expected_delivery=self.seeding.clock.today().date() + timedelta(days=eta_days),
                idempotency_key=self.idem("dispatch", shipment.number),
            ),
        )
        return self

    async def scan(
        self,
        status: ShipmentStatus,
        description: str,
        location: str = "",
        *,
        hours: float = 18,
        eta_days: int | None = None,
    ) -> Flow:
        self.seeding.clock.later(hours=hours)
        eta = self.seeding.clock.today().date() + timedelta(days=eta_days) if eta_days else None
        self.view = await self.seeding.shop.record_tracking_event(
            self.seeding.staff.carrier,
            self.number,
            TrackingEvent(
                shipment_id=self.order.shipments[-1].id,
                status=status,
                description=description,
                location=location,
                expected_delivery=eta,
            ),
        )
        return self

    async def ship(self, carrier: str = "UPS", where: str = "Woburn, MA") -> Flow:
        """Schedule, release, pack everything, hand it over, first scan."""
        await self.schedule()
        await self.release()
        await self.pack()
        await self.dispatch(carrier)
        return await self.scan(ShipmentStatus.IN_TRANSIT, "Departed facility", where)

    async def deliver(self, description: str = "Delivered, front door") -> Flow:
        await self.scan(ShipmentStatus.OUT_FOR_DELIVERY, "Out for delivery", hours=30)
        return await self.scan(ShipmentStatus.DELIVERED, description, hours=6)

    def idem(self, *parts: str) -> str:
        return self.seeding.key(self.key, *parts)
