"""The order aggregate to its views (what the use cases return and snapshots store)."""

from __future__ import annotations

from customers.schemas import AddressModel
from orders.domain.actions import allowed_line_actions
from orders.domain.documents import Invoice
from orders.domain.limits import LEAD_HOLDS
from orders.domain.model import Hold, Order, OrderLine
from orders.schemas.views import (
    ChargeView,
    DiscountView,
    GiftView,
    HoldView,
    InvoiceAdjustmentView,
    InvoiceItemView,
    InvoiceLineView,
    InvoiceView,
    LineView,
    NoteView,
    OrderView,
    PaymentView,
    ReturnLineView,
    ReturnView,
    ShipmentEventView,
    ShipmentLineView,
    ShipmentView,
    TotalsView,
    TransactionView,
)


def line_view(order: Order, line: OrderLine) -> LineView:
    return LineView(
        id=line.id,
        line_no=line.line_no,
        product_id=line.product_id,
        variant_id=line.variant_id,
        sku=line.sku,
        name=line.name,
        size=line.size,
        colour=line.colour,
        variant_label=line.variant_label,
        configuration=dict(line.configuration),
        quantity=line.quantity,
        open_quantity=line.open_quantity,
        cancelled_quantity=line.cancelled_quantity,
        returned_quantity=line.returned_quantity,
        exchanged_quantity=line.exchanged_quantity,
        unit_price=line.unit_price,
        list_price=line.list_price,
        discount=line.discount,
        net=line.net,
        order_discount_share=line.order_discount_share,
        tax=line.tax,
        total=line.total,
        status=line.status,
        fulfilment=line.fulfilment,
        pickup_store_id=line.pickup_store_id,
        pickup_date=line.pickup_date,
        appointment_date=line.appointment_date,
        appointment_window=line.appointment_window,
        bulky=line.bulky,
        gift_wrap=line.gift_wrap,
        gift_message=line.gift_message,
        on_hold=order.line_on_hold(line.id),
        exchange_of_line_id=line.exchange_of_line_id,
        cancel_reason=line.cancel_reason,
        allowed_actions=allowed_line_actions(order, line),
    )


def hold_view(hold: Hold) -> HoldView:
    return HoldView(
        id=hold.id,
        type=hold.type,
        reason=hold.reason,
        line_id=hold.line_id,
        status=hold.status,
        needs_lead=hold.type in LEAD_HOLDS,
        created_by=hold.created_by,
        created_at=hold.created_at,
        resolved_by=hold.resolved_by,
        resolved_at=hold.resolved_at,
        resolution=hold.resolution,
    )


def invoice_view(order: Order, invoice: Invoice) -> InvoiceView:
    shipment = order.shipment(invoice.shipment_id)
    return InvoiceView(
        id=invoice.id,
        number=invoice.number,
        order_number=order.number,
        shipment_id=invoice.shipment_id,
        shipment_number=shipment.number,
        created_at=invoice.created_at,
        currency=order.currency,
        merchandise=invoice.merchandise,
        discounts=invoice.discounts,
        charges=invoice.charges,
        tax=invoice.tax,
        total=invoice.total,
        adjusted_total=invoice.adjusted_total,
        bill_to=AddressModel.of(order.bill_to) if order.bill_to else None,
        lines=[
            InvoiceLineView(
                line_id=il.line_id,
                sku=il.sku,
                description=il.description,
                quantity=il.quantity,
                unit_price=il.unit_price,
                discount=il.discount,
                tax=il.tax,
                total=il.total,
            )
            for il in invoice.lines
        ],
        items=[
            InvoiceItemView(kind=i.kind, code=i.code, description=i.description, amount=i.amount)
            for i in invoice.items
        ],
        adjustments=[
            InvoiceAdjustmentView(
                id=a.id, amount=a.amount, reason=a.reason, action=a.action, created_at=a.created_at
            )
            for a in invoice.adjustments
        ],
    )


def order_view(order: Order, warnings: list[str] | None = None) -> OrderView:
    t = order.totals
    return OrderView(
        id=order.id,
        number=order.number,
        version=order.version,
        stage=order.stage,
        status=order.status,
        channel=order.channel,
        currency=order.currency,
        customer_id=order.customer_id,
        customer_name=order.customer_name,
        email=order.email,
        phone=order.phone,
        ship_to=AddressModel.of(order.ship_to) if order.ship_to else None,
        bill_to=AddressModel.of(order.bill_to) if order.bill_to else None,
        lines=[line_view(order, line) for line in order.lines],
        charges=[
            ChargeView(
                kind=c.kind,
                amount=c.amount,
                rule_amount=c.rule_amount,
                overridden=c.overridden,
                override_reason=c.override_reason,
            )
            for c in order.charges
        ],
        discounts=[
            DiscountView(
                id=d.id,
                kind=d.kind,
                line_id=d.line_id,
                applied=d.applied,
                amount=d.amount,
                per_unit=d.per_unit,
                percent=d.percent,
                free_shipping=d.free_shipping,
                reason=d.reason,
                code=d.code,
                reference=d.reference,
                created_by=d.created_by,
                created_at=d.created_at,
            )
            for d in order.discounts
        ],
        totals=TotalsView(
            merchandise=t.merchandise,
            line_discounts=t.line_discounts,
            order_discounts=t.order_discounts,
            charges=t.charges,
            charge_discounts=t.charge_discounts,
            charges_tax=t.charges_tax,
            tax=t.tax,
            grand_total=t.grand_total,
            authorized=t.authorized,
            charged=t.charged,
            refunded=t.refunded,
            paid=t.paid,
            balance_due=t.balance_due,
        ),
        payments=[
            PaymentView(
                id=p.id,
                seq=p.seq,
                kind=p.kind,
                brand=p.brand,
                last4=p.last4,
                label=p.label(),
                payment_method_id=p.payment_method_id,
                max_amount=p.max_amount,
                active=p.active,
            )
            for p in order.payments
        ],
        transactions=[
            TransactionView(
                id=tx.id,
                instruction_id=tx.instruction_id,
                kind=tx.kind,
                amount=tx.amount,
                created_at=tx.created_at,
                reference=tx.reference,
                note=tx.note,
            )
            for tx in order.transactions
        ],
        on_hold=order.on_hold,
        holds=[hold_view(h) for h in order.holds],
        notes=[
            NoteView(
                id=n.id,
                text=n.text,
                author_id=n.author_id,
                author_name=n.author_name,
                created_at=n.created_at,
                emailed=n.emailed,
            )
            for n in order.notes
        ],
        shipments=[
            ShipmentView(
                id=s.id,
                number=s.number,
                status=s.status,
                carrier=s.carrier,
                service=s.service,
                tracking_number=s.tracking_number,
                ship_to=AddressModel.of(s.ship_to) if s.ship_to else None,
                pickup_store_id=s.pickup_store_id,
                expected_delivery=s.expected_delivery,
                shipped_at=s.shipped_at,
                delivered_at=s.delivered_at,
                exception=s.exception,
                is_reship=s.is_reship,
                reason=s.reason,
                created_at=s.created_at,
                lines=[
                    ShipmentLineView(line_id=sl.line_id, quantity=sl.quantity) for sl in s.lines
                ],
                events=[
                    ShipmentEventView(
                        at=e.at, status=e.status, description=e.description, location=e.location
                    )
                    for e in s.events
                ],
            )
            for s in order.shipments
        ],
        invoices=[invoice_view(order, inv) for inv in order.invoices],
        returns=[
            ReturnView(
                id=r.id,
                number=r.number,
                status=r.status,
                created_at=r.created_at,
                created_by=r.created_by,
                received_at=r.received_at,
                refund_amount=r.refund_amount,
                note=r.note,
                lines=[
                    ReturnLineView(
                        line_id=rl.line_id,
                        quantity=rl.quantity,
                        reason=rl.reason,
                        exchange_variant_id=rl.exchange_variant_id,
                        exchange_line_id=rl.exchange_line_id,
                    )
                    for rl in r.lines
                ],
            )
            for r in order.returns
        ],
        gift=GiftView(
            is_gift=order.gift.is_gift, message=order.gift.message, recipient=order.gift.recipient
        ),
        ship_together=order.ship_together,
        confirmation_email=order.confirmation_email,
        tax_exempt=order.tax_exempt,
        tax_exemption_id=order.tax_exemption_id,
        source_cart_id=order.source_cart_id,
        copied_from=order.copied_from,
        created_by=order.created_by,
        created_at=order.created_at,
        updated_at=order.updated_at,
        confirmed_at=order.confirmed_at,
        quote_expires_at=order.quote_expires_at,
        warnings=warnings or [],
    )
