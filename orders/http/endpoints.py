"""The endpoint table: one declaration per method of ``orders.desk.Commerce``.

Served by ``web.rest`` (which also derives ``GET /api/openapi.json`` from it) and called by
``orders.http.client.HttpCommerce``. Paths are under ``/api/``; changes to an order are
``POST /api/orders/{number}/<what>`` with the command model as the JSON body.
"""

from __future__ import annotations

from pydantic import BaseModel

from customers.schemas import (
    AddCartItem,
    AddressIn,
    CartOwnerIn,
    CartView,
    ChangeCartItem,
    ContactIn,
    CustomerNoteIn,
    CustomerQuery,
    CustomerSummary,
    CustomerView,
    PageViewView,
    PaymentMethodIn,
    PreferencesModel,
    RegisterCustomer,
    UpdateCustomer,
)
from orders.catalog.schemas import (
    AvailabilityQuery,
    AvailabilityView,
    ProductQuery,
    ProductView,
    StoreView,
)
from orders.http.routes import (
    Auth,
    Endpoint,
    Owner,
    PageQuery,
    PageViewIn,
    PanelQuery,
    TrailQuery,
)
from orders.schemas import commands as c
from orders.schemas.views import (
    ApprovalQuery,
    ApprovalView,
    ChangeView,
    CustomerPanelView,
    HeldOrderView,
    InvoiceView,
    OrderQuery,
    OrderSummaryView,
    OrderView,
    PriceMatchQuery,
    PriceMatchView,
    PurchaseHistoryView,
)

ORDER = "/api/orders/{number}"
FEED = "/api/fulfilment/orders/{number}"


def _order(
    name: str, suffix: str, body: type[BaseModel], *, status: int = 200, summary: str = ""
) -> Endpoint:
    """A CSR's change to an order: ``POST /api/orders/{number}<suffix>``, answering the order."""
    return Endpoint(
        name=name,
        method="POST",
        path=ORDER + suffix,
        auth=Auth.CSR,
        tag="orders",
        response=OrderView,
        body=body,
        status=status,
        summary=summary,
        description=(body.__doc__ or "").strip(),
    )


def _feed(name: str, suffix: str, body: type[BaseModel], summary: str) -> Endpoint:
    """What the warehouse or a carrier reports about an order."""
    return Endpoint(
        name=name,
        method="POST",
        path=FEED + suffix,
        auth=Auth.FEED,
        tag="fulfilment",
        response=OrderView,
        body=body,
        summary=summary,
        description=(body.__doc__ or "").strip(),
    )


CUSTOMER = "/api/customers/{customer_id}"

STOREFRONT: tuple[Endpoint, ...] = (
    Endpoint(
        "list_products", "GET", "/api/catalog/products", Auth.PUBLIC, "catalog",
        ProductView, many=True, query=ProductQuery, summary="Search the catalog.",
    ),
    Endpoint(
        "get_product", "GET", "/api/catalog/products/{product_id}", Auth.PUBLIC, "catalog",
        ProductView, summary="A product with its variants.",
    ),
    Endpoint(
        "list_stores", "GET", "/api/catalog/stores", Auth.PUBLIC, "catalog",
        StoreView, many=True, summary="The stores and warehouses.",
    ),
    Endpoint(
        "find_open_cart", "GET", "/api/carts/active", Auth.SHOPPER, "carts",
        CartView, query=CartOwnerIn, owner=Owner.OWNER, none_when_missing=True,
        summary="The open cart of a visitor or customer (404 when there is none).",
    ),
    Endpoint(
        "get_or_create_cart", "POST", "/api/carts", Auth.SHOPPER, "carts",
        CartView, body=CartOwnerIn, owner=Owner.OWNER,
        summary="The owner's open cart, created when there is none.",
    ),
    Endpoint(
        "get_cart", "GET", "/api/carts/{cart_id}", Auth.SHOPPER, "carts",
        CartView, owner=Owner.CART, summary="A cart.",
    ),
    Endpoint(
        "add_cart_item", "POST", "/api/carts/{cart_id}/lines", Auth.SHOPPER, "carts",
        CartView, body=AddCartItem, owner=Owner.CART,
        summary="Add a variant to a cart (409 cart_locked while care drafts an order from it).",
    ),
    Endpoint(
        "change_cart_item", "PATCH", "/api/carts/{cart_id}/lines/{line_id}", Auth.SHOPPER,
        "carts", CartView, body=ChangeCartItem, owner=Owner.CART,
        summary="Change a cart line's quantity (0 removes it).",
    ),
    Endpoint(
        "remove_cart_item", "DELETE", "/api/carts/{cart_id}/lines/{line_id}", Auth.SHOPPER,
        "carts", CartView, owner=Owner.CART, summary="Remove a cart line.",
    ),
    Endpoint(
        "record_page_view", "POST", "/api/visitors/{visitor_id}/page-views", Auth.SHOPPER,
        "customers", None, body=PageViewIn, owner=Owner.VISITOR, status=204,
        summary="Record a page the visitor is on (for the CSR's view of the trail).",
    ),
)  # fmt: skip

LOOKUPS: tuple[Endpoint, ...] = (
    Endpoint(
        "search_orders", "GET", "/api/orders", Auth.CSR, "orders",
        OrderSummaryView, many=True, query=OrderQuery, summary="Search orders.",
    ),
    Endpoint(
        "get_order", "GET", ORDER, Auth.CSR, "orders", OrderView,
        summary="An order with everything on it.",
    ),
    Endpoint(
        "order_history", "GET", ORDER + "/history", Auth.CSR, "orders",
        ChangeView, many=True, summary="Every change to the order, oldest first.",
    ),
    Endpoint(
        "order_version", "GET", ORDER + "/versions/{version}", Auth.CSR, "orders",
        OrderView, summary="The order as it was at a version.",
    ),
    Endpoint(
        "find_invoice", "GET", "/api/invoices/{invoice_number}", Auth.CSR, "orders",
        InvoiceView, summary="An invoice with its adjustments.",
    ),
    Endpoint(
        "search_price_matches", "GET", "/api/price-matches", Auth.CSR, "orders",
        PriceMatchView, many=True, query=PriceMatchQuery, summary="Price matches given.",
    ),
    Endpoint(
        "orders_on_hold", "GET", "/api/holds", Auth.CSR, "orders",
        HeldOrderView, many=True, query=PageQuery, summary="Orders with an active hold.",
    ),
    Endpoint(
        "availability_near", "GET", "/api/catalog/availability", Auth.CSR, "catalog",
        AvailabilityView, query=AvailabilityQuery,
        summary="Stock of a variant in the stores near a place.",
    ),
    Endpoint(
        "list_approvals", "GET", "/api/approvals", Auth.CSR, "approvals",
        ApprovalView, many=True, query=ApprovalQuery, summary="Approval requests.",
    ),
)  # fmt: skip

CUSTOMERS: tuple[Endpoint, ...] = (
    Endpoint(
        "register_customer", "POST", "/api/customers", Auth.CSR, "customers",
        CustomerView, body=RegisterCustomer, status=201, summary="Register a customer.",
    ),
    Endpoint(
        "list_customers", "GET", "/api/customers", Auth.CSR, "customers",
        CustomerSummary, many=True, query=CustomerQuery, summary="Search customers.",
    ),
    Endpoint(
        "get_customer", "GET", CUSTOMER, Auth.CSR, "customers", CustomerView,
        summary="A customer's profile.",
    ),
    Endpoint(
        "update_customer", "PATCH", CUSTOMER, Auth.CSR, "customers", CustomerView,
        body=UpdateCustomer, summary="Change a customer's name, e-mail, phone or company.",
    ),
    Endpoint(
        "add_customer_address", "POST", CUSTOMER + "/addresses", Auth.CSR, "customers",
        CustomerView, body=AddressIn, summary="Add an address to the address book.",
    ),
    Endpoint(
        "add_contact", "POST", CUSTOMER + "/contacts", Auth.CSR, "customers",
        CustomerView, body=ContactIn, summary="Add a contact to a business customer.",
    ),
    Endpoint(
        "add_payment_method", "POST", CUSTOMER + "/payment-methods", Auth.CSR, "customers",
        CustomerView, body=PaymentMethodIn, summary="Save a tokenised payment method.",
    ),
    Endpoint(
        "remove_payment_method", "DELETE", CUSTOMER + "/payment-methods/{method_id}",
        Auth.CSR, "customers", CustomerView, summary="Remove a saved payment method.",
    ),
    Endpoint(
        "update_preferences", "PUT", CUSTOMER + "/preferences", Auth.CSR, "customers",
        CustomerView, body=PreferencesModel, summary="Set the contact preferences.",
    ),
    Endpoint(
        "add_customer_note", "POST", CUSTOMER + "/notes", Auth.CSR, "customers",
        CustomerView, body=CustomerNoteIn, summary="Note something on the customer.",
    ),
    Endpoint(
        "purchase_history", "GET", CUSTOMER + "/purchase-history", Auth.CSR, "customers",
        PurchaseHistoryView, summary="The customer's orders and totals.",
    ),
    Endpoint(
        "customer_panel", "GET", "/api/customer-panel", Auth.CSR, "customers",
        CustomerPanelView, query=PanelQuery,
        summary="What the CSR's side panel shows about a customer or visitor.",
    ),
    Endpoint(
        "browsing_trail", "GET", "/api/visitors/{visitor_id}/trail", Auth.CSR, "customers",
        PageViewView, many=True, query=TrailQuery, summary="The visitor's latest page views.",
    ),
)  # fmt: skip

ORDER_CHANGES: tuple[Endpoint, ...] = (
    Endpoint(
        "create_draft", "POST", "/api/orders", Auth.CSR, "orders", OrderView,
        body=c.CreateDraft, status=201, summary="Start a draft order.",
    ),
    Endpoint(
        "draft_from_cart", "POST", "/api/orders/from-cart", Auth.CSR, "orders", OrderView,
        body=c.DraftFromCart, status=201,
        summary="Draft an order from a shopper's cart (the cart is locked meanwhile).",
    ),
    _order("copy_order", "/copy", c.CopyOrder, status=201, summary="A new draft like this order."),
    _order("set_customer", "/customer", c.SetCustomer, summary="Set the customer or guest."),
    _order("confirm_order", "/confirm", c.ConfirmOrder, summary="Place the order."),
    _order("save_quote", "/quote", c.SaveQuote, summary="Save the draft as a quote."),
    _order("discard_draft", "/discard", c.DiscardDraft, summary="Discard a draft or quote."),
    _order("add_line", "/lines", c.AddLine, summary="Add a line."),
    _order("remove_line", "/lines/remove", c.RemoveLine, summary="Remove a line from a draft."),
    _order("change_quantity", "/lines/quantity", c.ChangeQuantity, summary="Change a quantity."),
    _order("change_variant", "/lines/variant", c.ChangeVariant, summary="Swap size or colour."),
    _order(
        "change_configuration", "/lines/configuration", c.ChangeConfiguration,
        summary="Change a line's configuration (monogram...).",
    ),
    _order("change_to_pickup", "/lines/pickup", c.ChangeToPickup, summary="Pick up in store."),
    _order(
        "reschedule_delivery", "/lines/delivery", c.RescheduleDelivery,
        summary="Move a delivery appointment.",
    ),
    _order("change_ship_to", "/ship-to", c.ChangeAddress, summary="Change the ship-to address."),
    _order("change_bill_to", "/bill-to", c.ChangeAddress, summary="Change the bill-to address."),
    _order("change_gift_options", "/gift-options", c.ChangeGiftOptions, summary="Gift options."),
    _order("change_payment", "/payment", c.ChangePayment, summary="Change how the order is paid."),
    _order(
        "set_confirmation_email", "/confirmation-email", c.SetConfirmationEmail,
        summary="Send (or not) the confirmation e-mail for this order.",
    ),
    _order("set_ship_together", "/ship-together", c.SetShipTogether, summary="Ship together."),
    _order("set_tax_exemption", "/tax-exemption", c.SetTaxExemption, summary="Tax exemption."),
    _order("add_note", "/notes", c.AddNote, summary="Add a note (and e-mail it)."),
    _order("cancel_order", "/cancel", c.CancelOrder, summary="Cancel the whole order."),
    _order("cancel_line", "/lines/cancel", c.CancelLine, summary="Cancel (part of) a line."),
    _order(
        "stop_delivery", "/lines/stop-delivery", c.StopDelivery,
        summary="Pull a line out of a shipment being packed.",
    ),
    _order("apply_hold", "/holds", c.ApplyHold, summary="Put the order or a line on hold."),
    _order("resolve_hold", "/holds/resolve", c.ResolveHold, summary="Resolve a hold."),
    _order("appease", "/appeasements", c.Appease, summary="Give a goodwill credit."),
    _order("price_match", "/price-matches", c.PriceMatch, summary="Match a competitor's price."),
    _order("apply_coupon", "/coupons", c.ApplyCoupon, summary="Apply a coupon."),
    _order("remove_coupon", "/coupons/remove", c.RemoveCoupon, summary="Remove a coupon."),
    _order(
        "override_charge", "/charges/override", c.OverrideCharge,
        summary="Override a shipping, gift-wrap or other charge.",
    ),
    Endpoint(
        "request_approval", "POST", ORDER + "/approvals", Auth.CSR, "approvals", ApprovalView,
        body=c.RequestApproval, status=201, summary="Ask a lead to approve a money action.",
    ),
    Endpoint(
        "approve", "POST", "/api/approvals/{approval_id}/approve", Auth.CSR, "approvals",
        ApprovalView, body=c.DecideApproval, summary="Approve (and carry out) a request.",
    ),
    Endpoint(
        "reject", "POST", "/api/approvals/{approval_id}/reject", Auth.CSR, "approvals",
        ApprovalView, body=c.DecideApproval, summary="Reject a request.",
    ),
    _order("reship_line", "/lines/reship", c.Reship, summary="Send a line again."),
    _order("create_return", "/returns", c.CreateReturn, summary="Open a return or exchange."),
    _order("receive_return", "/returns/receive", c.ReceiveReturn, summary="Receive a return."),
)  # fmt: skip

FULFILMENT: tuple[Endpoint, ...] = (
    _feed("schedule_order", "/schedule", c.ScheduleOrder, "Schedule the order's lines."),
    _feed("release_order", "/release", c.ReleaseOrder, "Release scheduled lines to the floor."),
    _feed("create_shipment", "/shipments", c.CreateShipment, "Pack lines into a shipment."),
    _feed(
        "dispatch_shipment", "/shipments/dispatch", c.DispatchShipment,
        "A shipment leaves (it is invoiced and charged).",
    ),
    _feed(
        "record_tracking_event", "/tracking-events", c.TrackingEvent,
        "A carrier's tracking event.",
    ),
)  # fmt: skip

ENDPOINTS: tuple[Endpoint, ...] = (
    *STOREFRONT, *LOOKUPS, *CUSTOMERS, *ORDER_CHANGES, *FULFILMENT,
)  # fmt: skip
BY_NAME: dict[str, Endpoint] = {e.name: e for e in ENDPOINTS}
