// The Careline chat widget. A storefront embeds it with one tag:
//
//   <script src="https://care.example.com/widget.js" data-identity="SIGNED-ID" async></script>
//
// The server's URL is taken from the script's own src. Everything renders inside a shadow root so
// the host page's CSS and the widget's cannot reach each other. Chat text is only ever set as
// text (textContent), never parsed as HTML.

import { io, type Socket } from "socket.io-client";
import css from "./widget.css?inline";
import { ICONS, h, icon, replaceChildren } from "../common/dom";
import type {
  Ack,
  CustomerConversation,
  CustomerSession,
  Message,
  TypingEvent,
} from "../common/protocol";
import { formatEta, formatTime, initials, refusalText, storageGet, storageSet, uid } from "../common/util";

interface OutboxItem {
  client_id: string;
  conversation_id: string;
  text: string;
  created_at: string;
  state: "queued" | "sending" | "failed";
  error?: string;
}

interface Topic {
  queue: string;
  topic: string;
  label: string;
  hint: string;
}

const TOPICS: Topic[] = [
  { queue: "general", topic: "General question", label: "A question", hint: "Products, sizes, delivery, anything" },
  { queue: "orders", topic: "Order question", label: "An order I placed", hint: "Where it is, changes, cancelling" },
  { queue: "returns", topic: "Return or exchange", label: "A return or exchange", hint: "Send something back or swap it" },
  { queue: "business", topic: "Business account", label: "A business account", hint: "Trade orders, invoices, terms" },
];

const TYPING_SEND_EVERY_MS = 2500;
const TYPING_IDLE_MS = 3000;
const TYPING_SHOW_MS = 7000;
const ACK_TIMEOUT_MS = 12000;

declare global {
  interface Window {
    __carelineWidget?: unknown;
    Careline?: {
      open(): void;
      close(): void;
      toggle(): void;
      session?: { visitor_id: string; customer: Record<string, unknown> | null };
    };
  }
}

function findScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.src) return current;
  const all = Array.from(document.querySelectorAll<HTMLScriptElement>("script[src]"));
  return all.reverse().find((s) => /\/widget\.js(\?|#|$)/.test(s.src)) ?? null;
}

class Widget {
  private readonly serverOrigin: string;
  private readonly socketPath: string;
  private readonly identity: string | null;
  private readonly subject: string;
  private socket!: Socket;

  // state
  private connected = false;
  private refused: string | null = null;
  private customer: Record<string, unknown> | null = null;
  private visitorId: string | null = null;
  private conversation: CustomerConversation | null = null;
  private messages = new Map<number, Message>();
  private outbox: OutboxItem[] = [];
  private position: { position: number; eta: number | null } | null = null;
  private positions = new Map<string, { position: number; eta: number | null }>();
  private typingName: string | null = null;
  private typingTimer = 0;
  private open = false;
  private unread = 0;
  private view: "home" | "prechat" | "chat" = "home";
  private confirmClose = false;
  private flushing = false;
  private syncing = false;
  private lastTypingSent = 0;
  private typingIdleTimer = 0;
  private startError: string | null = null;
  private starting = false;
  private lastPageSent = "";

  // elements
  private readonly host: HTMLElement;
  private readonly root: ShadowRoot;
  private readonly launcher: HTMLButtonElement;
  private readonly badge: HTMLSpanElement;
  private readonly panel: HTMLDivElement;
  private readonly headerTitle: HTMLDivElement;
  private readonly headerAvatar: HTMLDivElement;
  private readonly headerSub: HTMLDivElement;
  private readonly headerActions: HTMLDivElement;
  private readonly banner: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private readonly footer: HTMLDivElement;
  private readonly live: HTMLDivElement;
  private composer: HTMLTextAreaElement | null = null;
  private log: HTMLDivElement | null = null;
  private renderQueued = false;
  private lastPendingCount = 0;

  constructor(script: HTMLScriptElement | null) {
    const src = new URL(script?.src || "/widget.js", location.href);
    this.serverOrigin = src.origin;
    const basePath = src.pathname.replace(/\/widget\.js$/, "");
    this.socketPath = `${basePath}/socket.io`;
    this.identity = script?.dataset.identity?.trim() || null;
    // The customer id is the first part of a storefront identity (customer_id.expiry.signature).
    this.subject = this.identity ? `c:${this.identity.split(".")[0]}` : "guest";

    this.host = document.createElement("careline-widget");
    this.setHostStyle();
    this.root = this.host.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = css;
    this.root.appendChild(style);

    this.badge = h("span", { class: "badge", attrs: { "aria-hidden": "true", hidden: true } });
    this.launcher = h(
      "button",
      {
        class: "launcher",
        attrs: { type: "button", "aria-label": "Open chat with customer care", "aria-expanded": "false", "aria-controls": "careline-panel" },
        on: { click: () => this.toggle() },
      },
      icon(ICONS.chat, 26),
      this.badge,
    );
    this.headerTitle = h("div", { class: "title", attrs: { id: "careline-title" } }, "Customer care");
    this.headerAvatar = h("div", { class: "avatar-group", attrs: { "aria-hidden": "true" } }, icon(ICONS.chat, 18));
    this.headerSub = h("div", { class: "subtitle" });
    this.headerActions = h("div", { class: "header-actions" });
    this.banner = h("div", { class: "banner", attrs: { role: "status", hidden: true } });
    this.body = h("div", { class: "body" });
    this.footer = h("div", { class: "footer" });
    this.live = h("div", { class: "sr-only", attrs: { "aria-live": "polite", "aria-atomic": "true" } });
    this.panel = h(
      "div",
      {
        class: "panel",
        attrs: { id: "careline-panel", role: "dialog", "aria-labelledby": "careline-title", hidden: true },
        on: { keydown: (e) => this.onPanelKey(e) },
      },
      h(
        "div",
        { class: "header" },
        this.headerAvatar,
        h("div", { class: "header-text" }, this.headerTitle, this.headerSub),
        this.headerActions,
      ),
      this.banner,
      this.body,
      this.footer,
      this.live,
    );
    const wrapper = h("div", { class: "careline" }, this.panel, this.launcher);
    this.root.appendChild(wrapper);
    (document.body || document.documentElement).appendChild(this.host);

    this.outbox = storageGet<OutboxItem[]>(localStorage, this.key("outbox"), []).map((item) =>
      item.state === "sending" ? { ...item, state: "queued" } : item,
    );
    this.open = storageGet<boolean>(sessionStorage, this.key("open"), false);
    window.addEventListener("storage", (e) => this.onStorage(e));
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden && this.open && this.unread) {
        this.unread = 0;
        this.render();
      }
    });
    this.watchNavigation();
    this.connect();
    this.render();
    if (this.open) this.setOpen(true, false);
  }

  // --- host element: fixed, on top, immune to the page's CSS ------------------------------------

  private setHostStyle(): void {
    const s = this.host.style;
    const set = (name: string, value: string) => s.setProperty(name, value, "important");
    set("all", "initial");
    set("display", "block");
    set("position", "fixed");
    set("right", "0");
    set("bottom", "0");
    set("width", "0");
    set("height", "0");
    set("overflow", "visible");
    set("z-index", "2147483000");
    set("visibility", "visible");
    set("opacity", "1");
    set("transform", "none");
    set("filter", "none");
    set("pointer-events", "auto");
  }

  private key(name: string): string {
    return `careline:${this.serverOrigin}:${this.subject}:${name}`;
  }

  // --- connection ------------------------------------------------------------------------------

  private connect(): void {
    this.socket = io(`${this.serverOrigin}/customer`, {
      path: this.socketPath,
      transports: ["websocket", "polling"],
      tryAllTransports: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
      auth: (cb) => {
        const auth: Record<string, string> = {};
        // A signed-in shopper with no visitor of their own yet takes over the guest one, so a
        // chat started before signing in goes on after it.
        const token =
          storageGet<string | null>(localStorage, this.key("visitor_token"), null) ??
          (this.subject !== "guest"
            ? storageGet<string | null>(localStorage, `careline:${this.serverOrigin}:guest:visitor_token`, null)
            : null);
        if (token) auth.visitor_token = token;
        if (this.identity) auth.identity = this.identity;
        cb(auth);
      },
    });
    this.socket.on("connect", () => {
      this.connected = true;
      this.refused = null;
      this.render();
    });
    this.socket.on("disconnect", () => {
      this.connected = false;
      for (const item of this.outbox) if (item.state === "sending") item.state = "queued";
      this.render();
    });
    this.socket.on("connect_error", (err: Error & { data?: unknown }) => {
      this.connected = false;
      if (!this.socket.active) {
        // Refused by the server (a bad identity, say): retrying would be refused again.
        this.refused = refusalText(err).message || "The chat service refused the connection.";
      }
      this.render();
    });
    this.socket.on("session", (data: CustomerSession) => this.onSession(data));
    // The server lost its fan-out for a moment: ask for whatever may have been missed.
    this.socket.on("resync", () => void this.sync().then(() => this.flush()));
    this.socket.on("chat:message", (m: Message) => this.onMessage(m));
    this.socket.on("chat:status", (s: { conversation_id: string; status: CustomerConversation["status"]; agent: { name: string } | null }) =>
      this.onStatus(s),
    );
    this.socket.on("queue:position", (p: { conversation_id: string; position: number; eta_seconds: number }) => {
      // It may come before the answer to chat:start: keep it for when the conversation is known.
      this.positions.set(p.conversation_id, { position: p.position, eta: p.eta_seconds });
      if (this.conversation?.id !== p.conversation_id) return;
      this.position = { position: p.position, eta: p.eta_seconds };
      this.conversation.position = p.position;
      this.render();
    });
    this.socket.on("chat:typing", (t: TypingEvent) => {
      if (this.conversation?.id !== t.conversation_id) return;
      window.clearTimeout(this.typingTimer);
      this.typingName = t.typing ? t.name || this.conversation.agent?.name || "Your agent" : null;
      if (t.typing) this.typingTimer = window.setTimeout(() => ((this.typingName = null), this.render()), TYPING_SHOW_MS);
      this.render();
    });
  }

  private async call<T>(event: string, payload: unknown, timeout = ACK_TIMEOUT_MS): Promise<Ack<T>> {
    try {
      return (await this.socket.timeout(timeout).emitWithAck(event, payload)) as Ack<T>;
    } catch {
      return { ok: false, error: { code: "timeout", message: "No answer from the chat service." } };
    }
  }

  private onSession(data: CustomerSession): void {
    storageSet(localStorage, this.key("visitor_token"), data.visitor_token);
    this.visitorId = data.visitor_id;
    this.customer = data.customer;
    if (window.Careline) window.Careline.session = { visitor_id: data.visitor_id, customer: data.customer };
    window.dispatchEvent(
      new CustomEvent("careline:session", { detail: { visitor_id: data.visitor_id, customer: data.customer } }),
    );
    const previous = this.conversation;
    if (data.conversation) {
      if (previous?.id !== data.conversation.id) {
        this.messages.clear();
        this.position = null;
      }
      this.conversation = data.conversation;
      if (data.conversation.position != null) {
        const known = this.positions.get(data.conversation.id);
        this.position = { position: data.conversation.position, eta: known?.eta ?? this.position?.eta ?? null };
      }
      this.view = "chat";
      storageSet(localStorage, this.key("last_conversation"), data.conversation.id);
    } else if (previous && previous.status !== "closed") {
      // It was closed while we were away: keep the transcript, show it ended.
      previous.status = "closed";
    } else if (!previous) {
      const last = storageGet<string | null>(localStorage, this.key("last_conversation"), null);
      if (last) this.conversation = { id: last, status: "closed", queue: "", topic: null, position: null, agent: null };
      this.view = this.view === "prechat" ? "prechat" : "home";
    }
    this.sendPageView(true);
    void this.sync().then(() => this.flush());
    this.render();
  }

  private maxSeq(): number {
    let seq = 0;
    while (this.messages.has(seq + 1)) seq += 1;
    return seq;
  }

  /** Fetch everything after the last message seen, in pages, then show it once, in order. */
  private async sync(): Promise<void> {
    if (!this.conversation || this.syncing || !this.connected) return;
    this.syncing = true;
    try {
      for (let page = 0; page < 50; page += 1) {
        const conv = this.conversation;
        if (!conv) break;
        const ack = await this.call<{ messages: Message[]; has_more?: boolean }>("chat:sync", {
          conversation_id: conv.id,
          after_seq: this.maxSeq(),
        });
        if (!ack.ok) {
          if (ack.error.code === "not_found" && conv.status === "closed" && this.messages.size === 0) {
            // The last conversation is gone (another browser profile, say): forget it.
            storageSet(localStorage, this.key("last_conversation"), null);
            this.conversation = null;
          }
          break;
        }
        for (const m of ack.messages) this.addMessage(m, false);
        if (!ack.has_more || ack.messages.length === 0) break;
      }
    } finally {
      this.syncing = false;
      this.render();
    }
  }

  private addMessage(m: Message, fromEvent: boolean): void {
    if (!this.conversation || m.conversation_id !== this.conversation.id || m.thread !== "public") return;
    const isNew = !this.messages.has(m.seq);
    this.messages.set(m.seq, m);
    if (m.author.kind === "customer") this.dropOutbox(m.client_id);
    if (isNew && fromEvent && m.author.kind !== "customer") {
      if (m.author.kind === "agent") this.typingName = null;
      if (!this.open || document.hidden) this.unread += 1;
      this.announce(`${m.author.name || "Customer care"}: ${m.text}`);
    }
  }

  private onMessage(m: Message): void {
    if (this.starting) return; // the sync after chat:start brings it
    if (!this.conversation || m.conversation_id !== this.conversation.id) {
      if (m.thread === "public" && (!this.conversation || this.conversation.status === "closed")) {
        // Another tab started a conversation: reconnect to pick it up with its session.
        this.socket.disconnect().connect();
      }
      return;
    }
    const gap = m.seq > this.maxSeq() + 1;
    this.addMessage(m, true);
    if (gap) void this.sync();
    this.render();
  }

  private onStatus(s: { conversation_id: string; status: CustomerConversation["status"]; agent: { name: string } | null }): void {
    if (this.starting) return;
    if (!this.conversation || this.conversation.id !== s.conversation_id) {
      if (s.status !== "closed") this.socket.disconnect().connect();
      return;
    }
    const was = this.conversation.status;
    this.conversation.status = s.status;
    this.conversation.agent = s.agent;
    if (s.status !== "waiting") this.position = null;
    if (s.status === "closed") {
      this.typingName = null;
      this.confirmClose = false;
    }
    if (was === "waiting" && s.status === "active" && s.agent) this.announce(`${s.agent.name} joined the chat`);
    void this.sync();
    this.render();
  }

  // --- outbox: every message goes out in order, survives reloads and dropped networks ----------

  private saveOutbox(): void {
    storageSet(localStorage, this.key("outbox"), this.outbox.length ? this.outbox : null);
  }

  private dropOutbox(clientId: string): void {
    const before = this.outbox.length;
    this.outbox = this.outbox.filter((item) => item.client_id !== clientId);
    if (this.outbox.length !== before) this.saveOutbox();
  }

  private onStorage(e: StorageEvent): void {
    if (e.key === this.key("outbox")) {
      // Another tab queued or sent something: show the same pending messages here.
      this.outbox = storageGet<OutboxItem[]>(localStorage, this.key("outbox"), []);
      this.render();
    }
  }

  private sendMessage(text: string): void {
    const conv = this.conversation;
    if (!conv || conv.status === "closed") return;
    this.outbox.push({
      client_id: uid("w"),
      conversation_id: conv.id,
      text,
      created_at: new Date().toISOString(),
      state: "queued",
    });
    this.saveOutbox();
    this.stopTyping();
    this.render(true);
    void this.flush();
  }

  private async flush(): Promise<void> {
    if (this.flushing || !this.connected || !this.conversation) return;
    this.flushing = true;
    try {
      for (;;) {
        const item = this.outbox.find((i) => i.state === "queued" && i.conversation_id === this.conversation?.id);
        if (!item || !this.connected) break;
        item.state = "sending";
        this.render();
        const ack = await this.call<{ message: Message }>("chat:send", {
          conversation_id: item.conversation_id,
          client_id: item.client_id,
          text: item.text,
        });
        if (ack.ok) {
          this.addMessage(ack.message, false);
          this.dropOutbox(item.client_id);
        } else if (ack.error.code === "timeout" && !this.connected) {
          item.state = "queued"; // goes out on reconnect
          break;
        } else {
          item.state = "failed";
          item.error = ack.error.message;
        }
        this.saveOutbox();
        this.render();
      }
    } finally {
      this.flushing = false;
      this.render();
    }
  }

  private retry(item: OutboxItem): void {
    item.state = "queued";
    item.error = undefined;
    this.saveOutbox();
    this.render();
    void this.flush();
  }

  private discard(item: OutboxItem): void {
    this.dropOutbox(item.client_id);
    this.render();
  }

  // --- typing ---------------------------------------------------------------------------------

  private onComposerInput(): void {
    const conv = this.conversation;
    if (!conv || conv.status === "closed" || !this.connected) return;
    const now = Date.now();
    if (this.composer?.value.trim()) {
      if (now - this.lastTypingSent > TYPING_SEND_EVERY_MS) {
        this.lastTypingSent = now;
        this.socket.emit("chat:typing", { conversation_id: conv.id, typing: true }, () => undefined);
      }
      window.clearTimeout(this.typingIdleTimer);
      this.typingIdleTimer = window.setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
    } else {
      this.stopTyping();
    }
  }

  private stopTyping(): void {
    window.clearTimeout(this.typingIdleTimer);
    if (!this.lastTypingSent || !this.conversation || !this.connected) return;
    this.lastTypingSent = 0;
    this.socket.emit("chat:typing", { conversation_id: this.conversation.id, typing: false }, () => undefined);
  }

  // --- page views -----------------------------------------------------------------------------

  private watchNavigation(): void {
    const notify = () => window.setTimeout(() => this.sendPageView(false), 0);
    for (const name of ["pushState", "replaceState"] as const) {
      const original = history[name];
      history[name] = function (this: History, ...args: Parameters<History["pushState"]>) {
        const result = original.apply(this, args);
        notify();
        return result;
      };
    }
    window.addEventListener("popstate", notify);
    window.addEventListener("hashchange", notify);
    // A single-page shop often sets the title after the URL: report a title change too.
    const titleEl = document.querySelector("title");
    if (titleEl) new MutationObserver(notify).observe(titleEl, { childList: true, characterData: true, subtree: true });
  }

  private sendPageView(force: boolean): void {
    if (!this.connected) return;
    const url = location.href;
    const title = document.title || url;
    const signature = `${url}\n${title}`;
    if (!force && signature === this.lastPageSent) return;
    this.lastPageSent = signature;
    this.socket.emit("page:view", { url: url.slice(0, 2048), title: title.slice(0, 500) }, () => undefined);
  }

  // --- actions --------------------------------------------------------------------------------

  private toggle(): void {
    this.setOpen(!this.open, true);
  }

  private setOpen(open: boolean, focus: boolean): void {
    this.open = open;
    storageSet(sessionStorage, this.key("open"), open);
    if (open) this.unread = 0;
    this.render(true);
    if (focus) {
      if (open) {
        window.setTimeout(() => {
          const target =
            this.composer && !this.composer.disabled
              ? this.composer
              : this.body.querySelector<HTMLElement>("input, textarea, button") ?? this.panel;
          target.focus();
        }, 0);
      } else {
        this.launcher.focus();
      }
    }
  }

  private onPanelKey(e: KeyboardEvent): void {
    if (e.key === "Escape") {
      e.stopPropagation();
      if (this.confirmClose) {
        this.confirmClose = false;
        this.render();
      } else {
        this.setOpen(false, true);
      }
    }
  }

  private async startChat(form: HTMLFormElement): Promise<void> {
    if (this.starting) return;
    const data = new FormData(form);
    const topic = TOPICS.find((t) => t.queue === data.get("topic")) ?? TOPICS[0];
    const text = String(data.get("text") || "").trim();
    const name = String(data.get("name") || "").trim();
    const email = String(data.get("email") || "").trim();
    if (!text) {
      this.startError = "Please tell us what you need help with.";
      this.render();
      return;
    }
    const payload: Record<string, string> = { queue: topic.queue, topic: topic.topic, text, client_id: uid("w") };
    if (!this.customer) {
      if (name) payload.name = name;
      if (email) payload.email = email;
    }
    this.starting = true;
    this.startError = null;
    this.render();
    const ack = await this.call<{ conversation: CustomerConversation }>("chat:start", payload);
    this.starting = false;
    if (!ack.ok) {
      this.startError =
        ack.error.code === "invalid_payload" && /email/i.test(ack.error.message)
          ? "That email address doesn't look right."
          : ack.error.message;
      this.render();
      return;
    }
    this.messages.clear();
    // Whatever was left unsent in an earlier, ended conversation can no longer be sent.
    this.outbox = this.outbox.filter((i) => i.conversation_id === ack.conversation.id);
    this.saveOutbox();
    this.conversation = ack.conversation;
    const known = this.positions.get(ack.conversation.id);
    this.position =
      ack.conversation.position != null
        ? { position: known?.position ?? ack.conversation.position, eta: known?.eta ?? null }
        : null;
    storageSet(localStorage, this.key("last_conversation"), ack.conversation.id);
    this.view = "chat";
    form.reset();
    await this.sync();
    this.render(true);
    this.composer?.focus();
  }

  private async closeChat(): Promise<void> {
    const conv = this.conversation;
    if (!conv) return;
    this.confirmClose = false;
    const ack = await this.call("chat:close", { conversation_id: conv.id });
    if (ack.ok || ack.error.code === "invalid_state") conv.status = "closed";
    this.stopTyping();
    this.render();
  }

  private announce(text: string): void {
    this.live.textContent = text;
  }

  // --- rendering ------------------------------------------------------------------------------

  private render(immediate = false): void {
    if (immediate) {
      this.renderNow();
      return;
    }
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.renderNow();
    });
  }

  private renderNow(): void {
    this.panel.hidden = !this.open;
    this.launcher.setAttribute("aria-expanded", String(this.open));
    this.launcher.setAttribute("aria-label", this.open ? "Close chat" : "Open chat with customer care");
    replaceChildren(this.launcher, icon(this.open ? ICONS.minimize : ICONS.chat, 26), this.badge);
    this.badge.hidden = this.unread === 0 || this.open;
    this.badge.textContent = this.unread > 9 ? "9+" : String(this.unread);
    this.launcher.classList.toggle("has-unread", this.unread > 0 && !this.open);
    this.launcher.classList.toggle("open", this.open);
    if (this.unread > 0 && !this.open) {
      this.launcher.setAttribute("aria-label", `Open chat with customer care, ${this.unread} new message${this.unread > 1 ? "s" : ""}`);
    }
    if (!this.open) return;
    this.renderHeader();
    this.renderBanner();
    if (this.view === "chat" && this.conversation) this.renderChat();
    else if (this.view === "prechat") this.renderPrechat();
    else this.renderHome();
  }

  private renderHeader(): void {
    const conv = this.view === "chat" ? this.conversation : null;
    let sub = "We usually reply in a few minutes";
    if (conv?.status === "waiting") sub = "Waiting for an agent";
    else if (conv?.status === "active") sub = conv.agent ? `You're chatting with ${conv.agent.name}` : "You're chatting with us";
    else if (conv?.status === "closed") sub = "This chat has ended";
    this.headerSub.textContent = sub;
    // Once someone has taken the chat, their initials stand where the generic icon was.
    const agentName = conv?.status === "active" ? conv.agent?.name : null;
    if (agentName) replaceChildren(this.headerAvatar, initials(agentName));
    else replaceChildren(this.headerAvatar, icon(ICONS.chat, 18));
    this.headerAvatar.classList.toggle("agent", !!agentName);
    const actions: HTMLElement[] = [];
    if (conv && conv.status !== "closed") {
      actions.push(
        h("button", {
          class: "text-btn",
          text: "End chat",
          attrs: { type: "button", "aria-label": "End this chat" },
          on: { click: () => ((this.confirmClose = true), this.render(true), this.root.querySelector<HTMLElement>(".confirm .danger")?.focus()) },
        }),
      );
    }
    if (conv && conv.status === "closed") {
      actions.push(
        h("button", {
          class: "text-btn",
          text: "New chat",
          attrs: { type: "button" },
          on: { click: () => this.newChat() },
        }),
      );
    }
    actions.push(
      h(
        "button",
        {
          class: "icon-btn",
          attrs: { type: "button", "aria-label": "Minimize chat", title: "Minimize" },
          on: { click: () => this.setOpen(false, true) },
        },
        icon(ICONS.minimize, 20),
      ),
    );
    replaceChildren(this.headerActions, ...actions);
  }

  private renderBanner(): void {
    let text = "";
    let kind = "warn";
    if (this.refused) {
      text = `Chat is unavailable: ${this.refused}`;
      kind = "error";
    } else if (!this.connected) {
      const queued = this.outbox.filter((i) => i.state !== "failed").length;
      text = queued
        ? `You're offline. ${queued} message${queued > 1 ? "s" : ""} will be sent when the connection is back.`
        : this.visitorId
          ? "Reconnecting…"
          : "Connecting…";
    }
    this.banner.hidden = !text;
    this.banner.className = `banner ${kind}`;
    this.banner.textContent = text;
  }

  private newChat(): void {
    this.conversation = null;
    this.messages.clear();
    this.position = null;
    storageSet(localStorage, this.key("last_conversation"), null);
    this.view = "prechat";
    this.render(true);
    this.body.querySelector<HTMLElement>("input[name=topic]")?.focus();
  }

  private renderHome(): void {
    const greeting = this.customer && typeof this.customer.name === "string" ? `Hi ${String(this.customer.name).split(" ")[0]}` : "Hi there";
    const last = this.conversation;
    replaceChildren(
      this.body,
      h(
        "div",
        { class: "home" },
        h("h2", { class: "greeting" }, greeting),
        h("p", { class: "lead" }, "Questions about a product, an order or a return? Our team is here to help."),
        this.refused
          ? h("p", { class: "lead" }, "Chat can't start on this page right now. Please try again later, or reload the page.")
          : h(
              "button",
              { class: "primary wide", attrs: { type: "button" }, on: { click: () => this.newChat() } },
              icon(ICONS.send, 18),
              "Start a conversation",
            ),
        last
          ? h(
              "button",
              {
                class: "secondary wide",
                attrs: { type: "button" },
                on: { click: () => ((this.view = "chat"), void this.sync(), this.render(true)) },
              },
              "See your last conversation",
            )
          : null,
      ),
    );
    replaceChildren(this.footer);
    this.composer = null;
    this.log = null;
  }

  private renderPrechat(): void {
    // Keep what the shopper typed when the panel re-renders for another reason.
    const existing = this.body.querySelector<HTMLFormElement>("form.prechat");
    if (existing) {
      const button = existing.querySelector<HTMLButtonElement>("button[type=submit]");
      if (button) {
        button.disabled = this.starting || !this.connected;
        button.textContent = this.starting ? "Starting…" : this.connected ? "Start chat" : "Connecting…";
      }
      const err = existing.querySelector<HTMLElement>(".form-error");
      if (err) {
        err.hidden = !this.startError;
        err.textContent = this.startError ?? "";
      }
      return;
    }
    const guest = !this.customer;
    const form = h(
      "form",
      {
        class: "prechat",
        attrs: { "aria-label": "Start a chat", novalidate: true },
        on: {
          submit: (e) => {
            e.preventDefault();
            const f = e.currentTarget as HTMLFormElement;
            if (!f.reportValidity()) return;
            void this.startChat(f);
          },
        },
      },
      h(
        "fieldset",
        null,
        h("legend", null, "What can we help you with?"),
        ...TOPICS.map((t, i) =>
          h(
            "label",
            { class: "topic" },
            h("input", { attrs: { type: "radio", name: "topic", value: t.queue, checked: i === 0, required: true } }),
            h("span", { class: "topic-text" }, h("strong", null, t.label), h("small", null, t.hint)),
          ),
        ),
      ),
      guest
        ? h(
            "div",
            { class: "row" },
            h("label", { class: "field" }, h("span", null, "Your name"), h("input", { attrs: { name: "name", autocomplete: "name", required: true, maxlength: 200 } })),
            h(
              "label",
              { class: "field" },
              h("span", null, "Email"),
              h("input", { attrs: { name: "email", type: "email", autocomplete: "email", required: true, maxlength: 320 } }),
            ),
          )
        : h("p", { class: "signed-in" }, icon(ICONS.user, 16), `Signed in as ${String(this.customer?.name ?? this.customer?.email ?? "a customer")}`),
      h(
        "label",
        { class: "field" },
        h("span", null, "Your message"),
        h("textarea", {
          attrs: { name: "text", rows: 3, required: true, maxlength: 4000, placeholder: "Tell us a little about it…" },
          on: {
            keydown: (e) => {
              if (e.key === "Enter" && !e.shiftKey) {
                e.preventDefault();
                form.requestSubmit();
              }
            },
          },
        }),
      ),
      h("p", { class: "form-error", attrs: { role: "alert", hidden: !this.startError } }, this.startError ?? ""),
      h(
        "div",
        { class: "form-actions" },
        this.conversation || this.messages.size
          ? null
          : h("button", { class: "secondary", text: "Back", attrs: { type: "button" }, on: { click: () => ((this.view = "home"), this.render(true)) } }),
        h("button", {
          class: "primary",
          text: this.connected ? "Start chat" : "Connecting…",
          attrs: { type: "submit", disabled: this.starting || !this.connected },
        }),
      ),
    );
    replaceChildren(this.body, form);
    replaceChildren(this.footer);
    this.composer = null;
    this.log = null;
  }

  private renderChat(): void {
    const conv = this.conversation!;
    // The message log keeps its element (and scroll position) across renders.
    if (!this.log || !this.body.contains(this.log)) {
      this.log = h("div", {
        class: "log",
        attrs: { role: "log", "aria-label": "Conversation", "aria-live": "off", tabindex: "0" },
      });
      replaceChildren(this.body, this.log);
    }
    const log = this.log;
    const fresh = log.childElementCount === 0;
    const atBottom = fresh || log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    const pendingCount = this.outbox.filter((i) => i.conversation_id === conv.id).length;
    const sentSomething = pendingCount > this.lastPendingCount;
    this.lastPendingCount = pendingCount;
    const items: Node[] = [];
    if (conv.topic) items.push(h("div", { class: "topic-chip" }, conv.topic));
    const sorted = [...this.messages.values()].sort((a, b) => a.seq - b.seq);
    // Like most chat apps: the author's name once per run of messages, the delivery state on the
    // shopper's latest message only.
    const lastMine = sorted.filter((m) => m.author.kind === "customer").pop()?.seq;
    let previousAuthor = "";
    for (const m of sorted) {
      const author = `${m.author.kind}:${m.author.id ?? m.author.name ?? ""}`;
      items.push(this.renderMessage(m, author !== previousAuthor, m.seq === lastMine));
      previousAuthor = author;
    }
    for (const item of this.outbox.filter((i) => i.conversation_id === conv.id)) items.push(this.renderPending(item));
    if (conv.status === "waiting") items.push(this.renderWaiting());
    if (this.typingName && conv.status === "active") {
      items.push(
        h(
          "div",
          { class: "typing", attrs: { "aria-label": `${this.typingName} is typing` } },
          h("span", { class: "dots", attrs: { "aria-hidden": "true" } }, h("i"), h("i"), h("i")),
          `${this.typingName} is typing…`,
        ),
      );
    }
    if (conv.status === "closed") {
      items.push(
        h(
          "div",
          { class: "ended" },
          h("p", null, "This chat has ended. The transcript stays here for you to read."),
          h("button", { class: "primary", text: "Start a new chat", attrs: { type: "button" }, on: { click: () => this.newChat() } }),
        ),
      );
    }
    replaceChildren(log, ...items);
    // Follow new messages unless the shopper scrolled up to read; always show what they send.
    if (atBottom || sentSomething) log.scrollTop = log.scrollHeight;
    this.renderComposer(conv);
  }

  private renderWaiting(): HTMLElement {
    const p = this.position;
    const lines: string[] = [];
    if (p && p.position > 0) {
      lines.push(p.position === 1 ? "You're next in line." : `You're number ${p.position} in line.`);
      if (p.eta != null) lines.push(`Estimated wait: ${formatEta(p.eta)}.`);
    } else {
      lines.push("You're in the queue.");
    }
    return h(
      "div",
      { class: "waiting", attrs: { role: "status" } },
      h("span", { class: "pulse", attrs: { "aria-hidden": "true" } }),
      h("div", null, h("strong", null, lines[0]), lines[1] ? h("div", null, lines[1]) : null, h("div", { class: "muted" }, "Keep browsing: we'll answer here, and this chat follows you from page to page.")),
    );
  }

  private renderMessage(m: Message, showAuthor: boolean, showState: boolean): HTMLElement {
    const time = formatTime(m.created_at);
    if (m.author.kind === "system") {
      return h("div", { class: "system", attrs: { "data-seq": m.seq } }, h("span", { class: "text" }, m.text), time ? h("time", { attrs: { datetime: m.created_at } }, time) : null);
    }
    const mine = m.author.kind === "customer";
    return h(
      "div",
      { class: `msg ${mine ? "mine" : "theirs"}`, attrs: { "data-seq": m.seq, "data-id": m.id } },
      mine || !showAuthor ? null : h("div", { class: "author" }, m.author.name || (m.author.kind === "bot" ? "Assistant" : "Customer care")),
      h("div", { class: "bubble" }, h("span", { class: "text" }, m.text)),
      h(
        "div",
        { class: "meta" },
        h("time", { attrs: { datetime: m.created_at } }, time),
        mine && showState ? h("span", { class: "state sent" }, icon(ICONS.check, 12), "Sent") : null,
      ),
    );
  }

  private renderPending(item: OutboxItem): HTMLElement {
    const failed = item.state === "failed";
    const label = failed ? "Not sent" : this.connected ? "Sending…" : "Waiting for connection";
    return h(
      "div",
      { class: `msg mine pending ${failed ? "failed" : ""}`, attrs: { "data-client-id": item.client_id } },
      h("div", { class: "bubble" }, h("span", { class: "text" }, item.text)),
      h(
        "div",
        { class: "meta" },
        h("span", { class: "state", attrs: { role: failed ? "alert" : null } }, icon(failed ? ICONS.alert : ICONS.clock, 12), failed && item.error ? `${label}: ${item.error}` : label),
        failed
          ? h("button", { class: "link", text: "Retry", attrs: { type: "button", "aria-label": "Retry sending this message" }, on: { click: () => this.retry(item) } })
          : null,
        failed
          ? h("button", { class: "link", text: "Delete", attrs: { type: "button", "aria-label": "Delete this unsent message" }, on: { click: () => this.discard(item) } })
          : null,
      ),
    );
  }

  private renderComposer(conv: CustomerConversation): void {
    if (conv.status === "closed") {
      replaceChildren(this.footer);
      this.composer = null;
      return;
    }
    if (this.confirmClose) {
      replaceChildren(
        this.footer,
        h(
          "div",
          { class: "confirm", attrs: { role: "alertdialog", "aria-label": "End this chat?" } },
          h("span", null, "End this chat?"),
          h("button", { class: "secondary", text: "Cancel", attrs: { type: "button" }, on: { click: () => ((this.confirmClose = false), this.render(true), this.composer?.focus()) } }),
          h("button", { class: "danger", text: "End chat", attrs: { type: "button" }, on: { click: () => void this.closeChat() } }),
        ),
      );
      this.composer = null;
      return;
    }
    if (this.composer && this.footer.contains(this.composer)) return;
    const textarea = h("textarea", {
      attrs: { rows: 1, "aria-label": "Type your message", placeholder: "Type your message…", maxlength: 4000 },
      on: {
        input: () => {
          this.onComposerInput();
          textarea.style.height = "auto";
          textarea.style.height = `${Math.min(textarea.scrollHeight, 120)}px`;
        },
        keydown: (e) => {
          if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            submit();
          }
        },
      },
    });
    const submit = () => {
      const text = textarea.value.trim();
      if (!text) return;
      textarea.value = "";
      textarea.style.height = "auto";
      this.sendMessage(text);
      textarea.focus();
    };
    this.composer = textarea;
    replaceChildren(
      this.footer,
      h(
        "form",
        {
          class: "composer",
          on: {
            submit: (e) => {
              e.preventDefault();
              submit();
            },
          },
        },
        textarea,
        h("button", { class: "send", attrs: { type: "submit", "aria-label": "Send message", title: "Send (Enter)" } }, icon(ICONS.send, 18)),
      ),
    );
  }
}

function boot(): void {
  if (window.__carelineWidget) return;
  const script = findScript();
  const start = () => {
    if (window.__carelineWidget) return;
    const widget = new Widget(script);
    window.__carelineWidget = widget;
    const api = widget as unknown as { setOpen(open: boolean, focus: boolean): void; toggle(): void };
    window.Careline = {
      open: () => api.setOpen(true, true),
      close: () => api.setOpen(false, false),
      toggle: () => api.toggle(),
    };
  };
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start, { once: true });
}

boot();
