// The demo storefront. It is an ordinary shop page that embeds the widget with one script tag
// (the server puts it in the page, with the signed identity of the demo customer chosen here).
// Navigation uses the history API, so the widget reports in-page page views as well as loads.

import "./shop.css";
import { ICONS, h, icon, replaceChildren } from "../common/dom";

interface Variant {
  id: string;
  sku: string;
  size?: string | null;
  colour?: string | null;
  price: string;
  active?: boolean;
  in_stock?: boolean | number | null;
}

interface Product {
  id: string;
  name: string;
  description?: string | null;
  image_url?: string | null;
  // The catalog API gives the price per variant; a product's price is its lowest.
  price?: string;
  variants: Variant[];
}

function productPrice(p: Product): string {
  if (p.price) return p.price;
  const prices = p.variants.filter((v) => v.active !== false).map((v) => Number(v.price));
  return prices.length ? String(Math.min(...prices)) : "";
}

// The cart as the order desk's REST API gives it; some fields have two spellings across
// versions (line_total/total, total/subtotal, size+colour/variant_label), and both are read.
interface CartLine {
  id: string;
  variant_id: string;
  name: string;
  size?: string | null;
  colour?: string | null;
  variant_label?: string | null;
  quantity: number;
  unit_price: string;
  line_total?: string;
  total?: string;
}

interface Cart {
  id: string;
  status: string;
  lines: CartLine[];
  total?: string;
  subtotal?: string;
  currency?: string;
  locked_by_order?: string | null;
}

function lineTotal(l: CartLine): string | undefined {
  return l.line_total ?? l.total;
}

function lineVariant(l: CartLine): string {
  return l.variant_label || [l.size, l.colour].filter(Boolean).join(" · ");
}

interface DemoCustomer {
  id: string;
  name: string;
  email?: string | null;
  kind?: string | null;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
  ) {
    super(message);
  }
}

// The widget's script tag, which carries the storefront's signed identity of the shopper.
function widgetScript(): HTMLScriptElement | null {
  const all = Array.from(document.querySelectorAll<HTMLScriptElement>("script[src]"));
  return all.find((s) => /\/widget\.js(\?|#|$)/.test(s.src)) ?? null;
}

/** Proof that the cart is the shopper's own (docs/rest.md): the storefront's signed identity of
 * a signed-in customer (the widget tag's data-identity) and the visitor token the widget hands
 * over with its session. */
function cartProof(): Record<string, string> {
  const headers: Record<string, string> = {};
  const identity = widgetScript()?.dataset.identity?.trim();
  if (identity) headers["X-Storefront-Identity"] = identity;
  const token = window.Careline?.session?.visitor_token;
  if (token) headers["X-Visitor-Token"] = token;
  return headers;
}

async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, {
    ...init,
    headers: { Accept: "application/json", ...(init?.body ? { "Content-Type": "application/json" } : {}), ...(init?.headers ?? {}) },
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { code?: string; message?: string; error?: { code?: string; message?: string } } | null;
    const code = body?.code ?? body?.error?.code ?? null;
    const message = body?.message ?? body?.error?.message ?? `${res.status} ${res.statusText}`;
    throw new HttpError(res.status, code, message);
  }
  return (await res.json()) as T;
}

let currency = "USD";

function money(value: string | number | null | undefined): string {
  const n = Number(value);
  if (value === null || value === undefined || Number.isNaN(n)) return String(value ?? "");
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(n);
  } catch {
    return `${n.toFixed(2)} ${currency}`;
  }
}

function tint(id: string): string {
  let hash = 2166136261;
  for (const ch of id) hash = Math.imul(hash ^ ch.charCodeAt(0), 16777619) >>> 0;
  hash = Math.imul(hash ^ (hash >>> 15), 2246822507) >>> 0;
  return `hsl(${(hash % 12) * 30} 40% 86%)`;
}

function productImage(p: Product, big = false): HTMLElement {
  if (p.image_url) {
    return h("img", { class: big ? "product-img big" : "product-img", attrs: { src: p.image_url, alt: p.name, loading: "lazy" } });
  }
  return h("div", { class: big ? "product-img big placeholder" : "product-img placeholder", style: { background: tint(p.id) }, attrs: { role: "img", "aria-label": p.name } }, p.name.split(/\s+/).slice(0, 2).map((w) => w[0]).join("").toUpperCase());
}

function inStock(v: Variant): boolean {
  if (v.active === false) return false;
  return v.in_stock === undefined || v.in_stock === null ? true : Boolean(v.in_stock);
}

const CONTENT: Record<string, { title: string; body: string[] }> = {
  shipping: {
    title: "Shipping",
    body: [
      "Standard delivery takes 3–5 working days and is free on orders over $75. Express delivery (1–2 working days) is $12.",
      "You can also collect from any of our stores: choose store pickup at checkout and we'll email you when your order is ready, usually the same day.",
      "Orders placed before 2 pm ship the same working day. You'll get a tracking link by email as soon as your parcel leaves us.",
    ],
  },
  returns: {
    title: "Returns & exchanges",
    body: [
      "Changed your mind? Return anything unworn within 30 days for a full refund. Exchanges for another size or colour are free.",
      "Start a return from your order page or ask us in the chat: we'll send a prepaid label. Refunds reach your card within 5 working days of the parcel arriving.",
      "Sale items can be exchanged but not refunded. Gift cards cannot be returned.",
    ],
  },
  about: {
    title: "About Fernhill",
    body: [
      "Fernhill Supply Co. makes durable everyday clothing and outdoor gear, designed to be repaired rather than replaced.",
      "This is a demo storefront for Careline: browse, fill a cart, and open the chat in the corner to talk to a customer care agent.",
    ],
  },
};

class Shop {
  private readonly content: HTMLElement;
  private readonly cartCount: HTMLElement;
  private readonly accountBox: HTMLElement;
  private visitorId: string | null = null;
  private customerId: string | null = null;
  private currentCustomer: DemoCustomer | null = null;
  private cart: Cart | null = null;
  private products: Product[] | null = null;
  private catalogError: string | null = null;
  private sessionWaiters: (() => void)[] = [];

  constructor(root: HTMLElement) {
    this.cartCount = h("span", { class: "cart-count", attrs: { "aria-hidden": "true" } }, "0");
    this.accountBox = h("div", { class: "account" });
    this.content = h("main", { class: "content", attrs: { id: "content", tabindex: "-1" } });
    const nav = (href: string, label: string) => h("a", { attrs: { href }, on: { click: (e) => this.follow(e, href) } }, label);
    replaceChildren(
      root,
      h("a", { class: "skip", attrs: { href: "#content" } }, "Skip to content"),
      h("div", { class: "promo" }, "Free delivery over $75 · 30-day returns · Questions? Chat with us, bottom right"),
      h(
        "header",
        { class: "site-header" },
        h("a", { class: "logo", attrs: { href: "/shop" }, on: { click: (e) => this.follow(e, "/shop") } }, h("span", { class: "mark", attrs: { "aria-hidden": "true" } }), "Fernhill Supply Co."),
        h("nav", { attrs: { "aria-label": "Main" } }, nav("/shop", "Shop"), nav("/shop/shipping", "Shipping"), nav("/shop/returns", "Returns"), nav("/shop/about", "About")),
        this.accountBox,
        h(
          "a",
          { class: "cart-link", attrs: { href: "/shop/cart", "aria-label": "Cart" }, on: { click: (e) => this.follow(e, "/shop/cart") } },
          icon(ICONS.cart, 22),
          this.cartCount,
        ),
      ),
      this.content,
      h(
        "footer",
        { class: "site-footer" },
        h("div", null, h("strong", null, "Fernhill Supply Co."), h("p", null, "A demo storefront. Nothing here is for sale.")),
        h("div", null, nav("/shop/shipping", "Shipping"), " · ", nav("/shop/returns", "Returns"), " · ", nav("/shop/about", "About")),
      ),
    );
    window.addEventListener("popstate", () => void this.route());
    window.addEventListener("careline:session", (e) => {
      const detail = (e as CustomEvent<{ visitor_id: string; customer: Record<string, unknown> | null }>).detail;
      this.visitorId = detail.visitor_id;
      const waiters = this.sessionWaiters;
      this.sessionWaiters = [];
      for (const w of waiters) w();
      void this.loadCart();
    });
    const early = window.Careline?.session;
    if (early) this.visitorId = early.visitor_id;
    void this.loadAccount();
    void this.route();
  }

  private follow(e: MouseEvent, href: string): void {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    this.navigate(href);
  }

  private navigate(href: string): void {
    if (href !== location.pathname + location.search) history.pushState({}, "", href);
    void this.route();
    window.scrollTo(0, 0);
    this.content.focus({ preventScroll: true });
  }

  private setTitle(title: string): void {
    document.title = title ? `${title} · Fernhill Supply Co.` : "Fernhill Supply Co.";
  }

  // --- account switcher (demo only) ----------------------------------------------------------

  private async loadAccount(): Promise<void> {
    try {
      const data = await api<{ items: DemoCustomer[]; current: DemoCustomer | null }>("/shop/demo/customers");
      this.currentCustomer = data.current;
      this.customerId = data.current?.id ?? null;
      const select = h(
        "select",
        {
          attrs: { id: "account-select", "aria-label": "Shop as" },
          on: {
            change: async (e) => {
              const value = (e.target as HTMLSelectElement).value;
              await api("/shop/demo/sign-in", { method: "POST", body: JSON.stringify({ customer_id: value || null }) });
              location.reload();
            },
          },
        },
        h("option", { attrs: { value: "" } }, "Guest (not signed in)"),
        ...data.items.map((c) => h("option", { attrs: { value: c.id, selected: c.id === this.customerId } }, `${c.name}${c.kind === "business" ? " (business)" : ""}`)),
      );
      replaceChildren(
        this.accountBox,
        icon(ICONS.user, 18),
        h("label", { class: "account-label", attrs: { for: "account-select" } }, this.currentCustomer ? "Signed in as" : "Browsing as"),
        select,
      );
      if (this.customerId) void this.loadCart();
    } catch {
      replaceChildren(this.accountBox);
    }
  }

  // --- cart ------------------------------------------------------------------------------------

  private cartQuery(): string | null {
    if (this.customerId) return `customer_id=${encodeURIComponent(this.customerId)}`;
    if (this.visitorId) return `visitor_id=${encodeURIComponent(this.visitorId)}`;
    return null;
  }

  private waitForSession(): Promise<void> {
    if (this.visitorId || this.customerId) return Promise.resolve();
    return new Promise((resolve) => {
      this.sessionWaiters.push(resolve);
      window.setTimeout(resolve, 5000);
    });
  }

  private async loadCart(): Promise<Cart | null> {
    const query = this.cartQuery();
    if (!query) return null;
    try {
      this.cart = await api<Cart>(`/api/carts/active?${query}`, { headers: cartProof() });
      if (this.cart.currency) currency = this.cart.currency;
    } catch {
      this.cart = null;
    }
    this.renderCartCount();
    if (location.pathname.replace(/\/$/, "") === "/shop/cart") this.renderCart();
    return this.cart;
  }

  /** A first cart for a shopper who has none yet. */
  private async createCart(): Promise<Cart | null> {
    const owner = this.customerId ? { customer_id: this.customerId } : this.visitorId ? { visitor_id: this.visitorId } : null;
    if (!owner) return null;
    try {
      this.cart = await api<Cart>("/api/carts", { method: "POST", body: JSON.stringify(owner), headers: cartProof() });
    } catch {
      this.cart = null;
    }
    return this.cart;
  }

  private renderCartCount(): void {
    const n = this.cart?.lines.reduce((sum, l) => sum + l.quantity, 0) ?? 0;
    this.cartCount.textContent = String(n);
    this.cartCount.hidden = n === 0;
    this.cartCount.parentElement?.setAttribute("aria-label", `Cart, ${n} item${n === 1 ? "" : "s"}`);
  }

  private async addToCart(variant: Variant, quantity: number, status: HTMLElement): Promise<void> {
    status.className = "status";
    status.textContent = "Adding…";
    await this.waitForSession();
    try {
      const cart = this.cart ?? (await this.loadCart()) ?? (await this.createCart());
      if (!cart) throw new HttpError(0, null, "Your cart isn't available right now.");
      this.cart = await api<Cart>(`/api/carts/${encodeURIComponent(cart.id)}/lines`, {
        method: "POST",
        body: JSON.stringify({ variant_id: variant.id, quantity }),
        headers: cartProof(),
      });
      this.renderCartCount();
      status.className = "status ok";
      replaceChildren(status, "Added to your cart. ", h("a", { attrs: { href: "/shop/cart" }, on: { click: (e) => this.follow(e, "/shop/cart") } }, "View cart"));
    } catch (err) {
      status.className = "status error";
      status.textContent = this.cartError(err);
    }
  }

  private cartError(err: unknown): string {
    if (err instanceof HttpError && err.code === "cart_locked") {
      return "A customer care agent is preparing an order from your cart right now, so it can't be changed for the moment.";
    }
    return err instanceof Error ? err.message : "Something went wrong.";
  }

  private async changeLine(line: CartLine, quantity: number): Promise<void> {
    if (!this.cart) return;
    const base = `/api/carts/${encodeURIComponent(this.cart.id)}/lines/${encodeURIComponent(line.id)}`;
    try {
      this.cart =
        quantity <= 0
          ? await api<Cart>(base, { method: "DELETE", headers: cartProof() })
          : await api<Cart>(base, { method: "PATCH", body: JSON.stringify({ quantity }), headers: cartProof() });
      this.renderCartCount();
      this.renderCart();
    } catch (err) {
      this.renderCart(this.cartError(err));
    }
  }

  // --- pages -----------------------------------------------------------------------------------

  private async route(): Promise<void> {
    const path = location.pathname.replace(/\/+$/, "") || "/shop";
    const product = /^\/shop\/products\/([^/]+)$/.exec(path);
    if (path === "/shop") await this.renderHome();
    else if (product) await this.renderProduct(decodeURIComponent(product[1]));
    else if (path === "/shop/cart") {
      this.setTitle("Your cart");
      this.renderCart();
      await this.waitForSession();
      await this.loadCart();
    } else {
      const page = CONTENT[path.replace(/^\/shop\//, "")];
      if (page) this.renderContent(page.title, page.body);
      else this.renderContent("Page not found", ["We couldn't find that page.", "Try the shop's home page instead."]);
    }
  }

  private async loadProducts(): Promise<Product[]> {
    if (this.products) return this.products;
    try {
      const data = await api<{ items: Product[] }>("/api/catalog/products");
      this.products = data.items;
      this.catalogError = null;
    } catch (err) {
      this.catalogError = err instanceof HttpError && err.status === 404 ? "The catalog service is not available on this server." : "The catalog could not be loaded. Try again in a moment.";
    }
    return this.products ?? [];
  }

  private async renderHome(): Promise<void> {
    this.setTitle("");
    replaceChildren(this.content, h("p", { class: "loading" }, "Loading the collection…"));
    const products = await this.loadProducts();
    const grid = products.length
      ? h(
          "ul",
          { class: "grid" },
          ...products.map((p) => {
            const href = `/shop/products/${encodeURIComponent(p.id)}`;
            const colours = [...new Set(p.variants.map((v) => v.colour).filter(Boolean))];
            return h(
              "li",
              { class: "tile" },
              h(
                "a",
                { attrs: { href }, on: { click: (e) => this.follow(e, href) } },
                productImage(p),
                h("span", { class: "tile-name" }, p.name),
                h("span", { class: "tile-price" }, p.variants.some((v) => Number(v.price) !== Number(productPrice(p))) ? `From ${money(productPrice(p))}` : money(productPrice(p))),
                colours.length ? h("span", { class: "tile-colours" }, `${colours.length} colour${colours.length > 1 ? "s" : ""}`) : null,
              ),
            );
          }),
        )
      : h("p", { class: "notice" }, this.catalogError ?? "No products yet.");
    replaceChildren(
      this.content,
      h(
        "section",
        { class: "hero" },
        h("div", null, h("h1", null, "Built for the long way round."), h("p", null, "Jackets, knitwear and packs made to be worn for years. Need a hand choosing a size? Our team is in the chat.")),
      ),
      h("h2", { class: "section-title" }, "The collection"),
      grid,
    );
  }

  private async renderProduct(id: string): Promise<void> {
    replaceChildren(this.content, h("p", { class: "loading" }, "Loading…"));
    let product: Product;
    try {
      product = await api<Product>(`/api/catalog/products/${encodeURIComponent(id)}`);
    } catch (err) {
      this.renderContent("Product not found", [err instanceof HttpError && err.status === 404 ? "This product doesn't exist, or the catalog is not available." : "The product could not be loaded."]);
      return;
    }
    this.setTitle(product.name);
    const sizes = [...new Set(product.variants.map((v) => v.size).filter((s): s is string => !!s))];
    const colours = [...new Set(product.variants.map((v) => v.colour).filter((c): c is string => !!c))];
    const firstAvailable = product.variants.find(inStock) ?? product.variants[0];
    const choice = { size: firstAvailable?.size ?? null, colour: firstAvailable?.colour ?? null };
    const price = h("p", { class: "price", attrs: { "aria-live": "polite" } });
    const stock = h("p", { class: "stock" });
    const status = h("p", { class: "status", attrs: { role: "status" } });
    const qty = h("input", { attrs: { id: "qty", type: "number", min: 1, max: 20, value: 1, inputmode: "numeric" } });
    const add = h("button", { class: "btn primary", text: "Add to cart", attrs: { type: "button" } });
    const pickers = h("div", { class: "pickers" });
    const selected = (): Variant | undefined =>
      product.variants.find((v) => (v.size ?? null) === choice.size && (v.colour ?? null) === choice.colour);
    const picker = (label: string, key: "size" | "colour", values: string[]) =>
      h(
        "fieldset",
        { class: "picker" },
        h("legend", null, label, ": ", h("strong", null, choice[key] ?? "")),
        h(
          "div",
          { class: "options" },
          ...values.map((value) => {
            const exists = product.variants.some((v) => v[key] === value && (key === "size" ? (v.colour ?? null) === choice.colour : (v.size ?? null) === choice.size));
            return h(
              "button",
              {
                class: `option ${choice[key] === value ? "on" : ""} ${exists ? "" : "unavailable"}`,
                attrs: { type: "button", "aria-pressed": String(choice[key] === value), title: exists ? value : `${value}: not in this ${key === "size" ? "colour" : "size"}` },
                on: {
                  click: () => {
                    choice[key] = value;
                    update();
                  },
                },
              },
              key === "colour" ? h("span", { class: "swatch", style: { background: value.toLowerCase().replace(/\s+/g, "") }, attrs: { "aria-hidden": "true" } }) : null,
              value,
            );
          }),
        ),
      );
    const update = () => {
      replaceChildren(pickers, sizes.length ? picker("Size", "size", sizes) : null, colours.length ? picker("Colour", "colour", colours) : null);
      const v = selected();
      price.textContent = money(v?.price ?? productPrice(product));
      if (!v) {
        stock.textContent = "This combination isn't made. Pick another size or colour.";
        stock.className = "stock out";
        add.disabled = true;
      } else if (!inStock(v)) {
        stock.textContent = "Out of stock online. Ask us in the chat about store stock.";
        stock.className = "stock out";
        add.disabled = true;
      } else {
        stock.textContent = `In stock · SKU ${v.sku}`;
        stock.className = "stock in";
        add.disabled = false;
      }
      status.textContent = "";
    };
    add.addEventListener("click", () => {
      const v = selected();
      if (v) void this.addToCart(v, Math.max(1, Math.min(20, Number(qty.value) || 1)), status);
    });
    update();
    replaceChildren(
      this.content,
      h("nav", { class: "crumbs", attrs: { "aria-label": "Breadcrumb" } }, h("a", { attrs: { href: "/shop" }, on: { click: (e) => this.follow(e, "/shop") } }, "Shop"), " / ", product.name),
      h(
        "article",
        { class: "product" },
        productImage(product, true),
        h(
          "div",
          { class: "product-info" },
          h("h1", null, product.name),
          price,
          product.description ? h("p", { class: "description" }, product.description) : null,
          pickers,
          stock,
          h("div", { class: "buy" }, h("label", { attrs: { for: "qty" } }, "Quantity"), qty, add),
          status,
          h("p", { class: "help" }, "Not sure about the fit? Open the chat at the bottom right: our team can see which product you're looking at."),
        ),
      ),
    );
  }

  private renderCart(error: string | null = null): void {
    if (location.pathname.replace(/\/$/, "") !== "/shop/cart") return;
    const cart = this.cart;
    const lines = cart?.lines ?? [];
    const body = !cart
      ? h("p", { class: "notice" }, this.cartQuery() ? "Your cart could not be loaded." : "Loading your cart…")
      : lines.length === 0
        ? h("div", { class: "notice" }, h("p", null, "Your cart is empty."), h("a", { class: "btn primary", attrs: { href: "/shop" }, on: { click: (e) => this.follow(e, "/shop") } }, "Continue shopping"))
        : h(
            "div",
            { class: "cart" },
            h(
              "table",
              { class: "cart-table" },
              h("thead", null, h("tr", null, h("th", { attrs: { scope: "col" } }, "Item"), h("th", { attrs: { scope: "col" } }, "Price"), h("th", { attrs: { scope: "col" } }, "Quantity"), h("th", { attrs: { scope: "col" } }, "Total"), h("th", null, h("span", { class: "sr-only" }, "Remove")))),
              h(
                "tbody",
                null,
                ...lines.map((l) =>
                  h(
                    "tr",
                    null,
                    h("td", null, h("strong", null, l.name), h("div", { class: "muted" }, lineVariant(l))),
                    h("td", null, money(l.unit_price)),
                    h(
                      "td",
                      { class: "qty-cell" },
                      h("button", { class: "qty-btn", text: "−", attrs: { type: "button", "aria-label": `One less ${l.name}` }, on: { click: () => void this.changeLine(l, l.quantity - 1) } }),
                      h("span", { attrs: { "aria-label": `Quantity ${l.quantity}` } }, String(l.quantity)),
                      h("button", { class: "qty-btn", text: "+", attrs: { type: "button", "aria-label": `One more ${l.name}` }, on: { click: () => void this.changeLine(l, l.quantity + 1) } }),
                    ),
                    h("td", null, money(lineTotal(l))),
                    h("td", null, h("button", { class: "link", text: "Remove", attrs: { type: "button", "aria-label": `Remove ${l.name}` }, on: { click: () => void this.changeLine(l, 0) } })),
                  ),
                ),
              ),
            ),
            h(
              "div",
              { class: "summary" },
              h("div", { class: "total" }, h("span", null, "Total"), h("strong", null, money(cart.total ?? cart.subtotal))),
              h("button", { class: "btn primary wide", text: "Checkout", attrs: { type: "button", disabled: true, title: "This demo shop has no checkout" } }),
              h("p", { class: "muted" }, "This demo has no checkout. A customer care agent can place the order for you from the chat."),
            ),
          );
    replaceChildren(this.content, h("h1", null, "Your cart"), error ? h("p", { class: "status error", attrs: { role: "alert" } }, error) : null, body);
  }

  private renderContent(title: string, paragraphs: string[]): void {
    this.setTitle(title);
    replaceChildren(this.content, h("article", { class: "page" }, h("h1", null, title), ...paragraphs.map((p) => h("p", null, p))));
  }
}

const root = document.getElementById("shop");
if (root) new Shop(root);
