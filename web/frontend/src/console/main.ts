// The Careline agent console: sign-in, watched queues, open conversations, the private thread,
// colleagues and direct messages. Every piece of text from the wire is set as text.

import { io, type Socket } from "socket.io-client";
import "./console.css";
import { renderCard } from "./cards";
import { ICONS, h, icon, replaceChildren } from "../common/dom";
import type {
  Ack,
  AgentConversation,
  AgentInfo,
  AgentSession,
  AgentStatus,
  Message,
  PresenceAgent,
  QueueInfo,
  TypingEvent,
  WaitingRequest,
} from "../common/protocol";
import { formatDateTime, formatElapsed, formatTime, initials, refusalText, storageGet, storageSet, uid } from "../common/util";

const TOKEN_KEY = "careline.console.token";
const ACK_TIMEOUT_MS = 12000;
const TYPING_SEND_EVERY_MS = 2500;
const TYPING_IDLE_MS = 3000;
const TYPING_SHOW_MS = 7000;

type Mode = "public" | "private";

interface Pending {
  client_id: string;
  text: string;
  thread: Mode | "direct";
  state: "sending" | "failed";
  error?: string;
  created_at: string;
}

interface ConvState {
  conv: AgentConversation;
  public: Map<number, Message>;
  private: Map<number, Message>;
  unread: number;
  typing: { name: string; thread: Mode; timer: number } | null;
  drafts: Record<Mode, string>;
  mode: Mode;
  pending: Pending[];
  removed: string | null; // why it left this CSR's hands (requeued, transferred...)
}

interface DirectState {
  agentId: string;
  threadId: string | null;
  messages: Map<number, Message>;
  unread: number;
  loaded: boolean;
  draft: string;
  pending: Pending[];
}

type Selection = { kind: "conv"; id: string } | { kind: "direct"; agentId: string } | null;

interface PageConfig {
  demo?: boolean;
  demo_logins?: { username: string; password: string; name: string; role: string; queues: string[] }[];
}

function pageConfig(): PageConfig {
  const el = document.getElementById("careline-config");
  try {
    return el?.textContent ? (JSON.parse(el.textContent) as PageConfig) : {};
  } catch {
    return {};
  }
}

function maxContiguous(map: Map<number, Message>): number {
  let seq = 0;
  while (map.has(seq + 1)) seq += 1;
  return seq;
}

function customerName(c: { name?: string | null; customer?: Record<string, unknown> | null; email?: string | null }): string {
  const fromProfile = c.customer && typeof c.customer.name === "string" ? c.customer.name : null;
  return c.name || fromProfile || c.email || "Guest shopper";
}

class Console {
  private readonly app: HTMLElement;
  private readonly config = pageConfig();
  private token: string | null = storageGet<string | null>(localStorage, TOKEN_KEY, null);
  private socket: Socket | null = null;
  private connected = false;
  private me: AgentInfo | null = null;
  private queues: QueueInfo[] = [];
  private watched: string[] = [];
  private requests = new Map<string, WaitingRequest[]>();
  private knownRequests = new Set<string>();
  private convs = new Map<string, ConvState>();
  private order: string[] = [];
  private colleagues = new Map<string, PresenceAgent>();
  private directs = new Map<string, DirectState>();
  private selected: Selection = null;
  private accepting = new Set<string>();
  private readSent = new Map<string, number>();
  private sound = storageGet<boolean>(localStorage, "careline.console.sound", true);
  private audio: AudioContext | null = null;
  private lastTypingSent = 0;
  private typingIdle = 0;
  private signInError: string | null = null;

  // persistent regions of the signed-in layout
  private topbar!: HTMLElement;
  private sidebar!: HTMLElement;
  private main!: HTMLElement;
  private details!: HTMLElement;
  private toasts!: HTMLElement;
  private live!: HTMLElement;
  private stream: HTMLElement | null = null;
  private composerBox: HTMLElement | null = null;
  private composer: HTMLTextAreaElement | null = null;
  private renderedSelection = "";
  private renderQueued = false;

  constructor(app: HTMLElement) {
    this.app = app;
    window.setInterval(() => this.tick(), 1000);
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden) this.markSelectedRead();
      this.updateTitle();
    });
    if (this.token) this.start();
    else this.showSignIn();
  }

  // --- sign-in ----------------------------------------------------------------------------------

  private showSignIn(message: string | null = this.signInError): void {
    this.socket?.close();
    this.socket = null;
    this.me = null;
    document.title = "Sign in · Careline console";
    const error = h("p", { class: "form-error", attrs: { role: "alert", hidden: !message } }, message ?? "");
    const username = h("input", { attrs: { id: "username", name: "username", autocomplete: "username", required: true } });
    const password = h("input", { attrs: { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true } });
    const submit = h("button", { class: "btn primary wide", text: "Sign in", attrs: { type: "submit" } });
    const form = h(
      "form",
      {
        class: "signin-card",
        attrs: { "aria-labelledby": "signin-title" },
        on: {
          submit: async (e) => {
            e.preventDefault();
            submit.disabled = true;
            submit.textContent = "Signing in…";
            const result = await this.login(username.value.trim(), password.value);
            submit.disabled = false;
            submit.textContent = "Sign in";
            if (result) {
              error.hidden = false;
              error.textContent = result;
              password.select();
            }
          },
        },
      },
      h("div", { class: "brand big" }, h("span", { class: "logo", attrs: { "aria-hidden": "true" } }, icon(ICONS.chat, 22)), "Careline"),
      h("h1", { attrs: { id: "signin-title" } }, "Sign in to the agent console"),
      h("label", { class: "field", attrs: { for: "username" } }, "Username"),
      username,
      h("label", { class: "field", attrs: { for: "password" } }, "Password"),
      password,
      error,
      submit,
    );
    const demo = this.config.demo_logins?.length
      ? h(
          "div",
          { class: "demo-logins" },
          h("h2", null, "Demo accounts"),
          h("p", null, "Pick one to fill the form. Open a second browser window to be two CSRs at once."),
          h(
            "ul",
            null,
            ...this.config.demo_logins.map((l) =>
              h(
                "li",
                null,
                h(
                  "button",
                  {
                    class: "demo-login",
                    attrs: { type: "button" },
                    on: {
                      click: () => {
                        username.value = l.username;
                        password.value = l.password;
                        submit.focus();
                      },
                    },
                  },
                  h("strong", null, l.name),
                  h("span", null, `${l.username} · ${l.role}`),
                  h("small", null, l.queues.length ? l.queues.join(", ") : "all queues"),
                ),
              ),
            ),
          ),
        )
      : null;
    replaceChildren(this.app, h("main", { class: "signin" }, form, demo));
    this.app.className = "";
    username.focus();
    this.signInError = null;
  }

  private async login(username: string, password: string): Promise<string | null> {
    try {
      const res = await fetch("/api/auth/login", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ username, password }),
      });
      if (res.status === 401) return "That username and password don't match an account.";
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: { message?: string }; message?: string } | null;
        return body?.error?.message || body?.message || `Sign-in failed (${res.status}).`;
      }
      const body = (await res.json()) as { token: string };
      this.token = body.token;
      storageSet(localStorage, TOKEN_KEY, this.token);
      this.start();
      return null;
    } catch {
      return "The server could not be reached. Check your connection and try again.";
    }
  }

  private async signOut(): Promise<void> {
    const token = this.token;
    this.token = null;
    storageSet(localStorage, TOKEN_KEY, null);
    if (token) {
      await fetch("/api/auth/logout", { method: "POST", headers: { Authorization: `Bearer ${token}` } }).catch(() => undefined);
    }
    this.reset();
    this.showSignIn("You have signed out.");
  }

  private reset(): void {
    this.socket?.close();
    this.socket = null;
    this.convs.clear();
    this.order = [];
    this.requests.clear();
    this.knownRequests.clear();
    this.directs.clear();
    this.colleagues.clear();
    this.readSent.clear();
    this.selected = null;
    this.renderedSelection = "";
  }

  // --- connection -------------------------------------------------------------------------------

  private start(): void {
    this.buildLayout();
    const socket = io("/agent", {
      transports: ["websocket", "polling"],
      tryAllTransports: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
      auth: (cb) => cb({ token: this.token }),
    });
    this.socket = socket;
    socket.on("connect", () => {
      this.connected = true;
      this.render();
    });
    socket.on("disconnect", () => {
      this.connected = false;
      this.render();
    });
    socket.on("connect_error", (err: Error & { data?: unknown }) => {
      this.connected = false;
      if (!socket.active) {
        // Refused: the token is missing, bad, expired or revoked. Back to sign-in.
        const reason = refusalText(err);
        this.token = null;
        storageSet(localStorage, TOKEN_KEY, null);
        this.reset();
        this.showSignIn(reason.code === "token_expired" ? "Your session has expired. Please sign in again." : `Please sign in again (${reason.message || "session not valid"}).`);
        return;
      }
      this.render();
    });
    socket.on("session", (s: AgentSession) => void this.onSession(s));
    socket.on("session:ended", (e: { reason?: string }) => {
      this.token = null;
      storageSet(localStorage, TOKEN_KEY, null);
      this.reset();
      this.showSignIn(e.reason === "account_disabled" ? "Your account has been disabled." : "You were signed out.");
    });
    socket.on("resync", () => void this.resync());
    socket.on("queue:update", (u: { queue: string; waiting: WaitingRequest[] }) => this.onQueueUpdate(u.queue, u.waiting));
    socket.on("conversation:update", (u: { conversation: AgentConversation }) => void this.onConversationUpdate(u.conversation));
    socket.on("chat:message", (m: Message) => this.onMessage(m));
    socket.on("direct:message", (m: Message) => this.onDirect(m));
    socket.on("chat:status", (s: { conversation_id: string; status: AgentConversation["status"] }) => {
      const state = this.convs.get(s.conversation_id);
      if (state) {
        state.conv.status = s.status;
        this.render();
      }
    });
    socket.on("chat:typing", (t: TypingEvent) => this.onTyping(t));
    socket.on("visitor:page", (p: { conversation_id: string; url: string; title: string }) => {
      const state = this.convs.get(p.conversation_id);
      if (!state) return;
      state.conv.visitor.current_url = p.url;
      state.conv.visitor.current_title = p.title;
      this.render();
    });
    socket.on("agents:presence", (p: { agents: PresenceAgent[] }) => this.onPresence(p.agents));
  }

  private async call<T>(event: string, payload?: unknown): Promise<Ack<T>> {
    if (!this.socket) return { ok: false, error: { code: "offline", message: "Not connected." } };
    try {
      const args = payload === undefined ? [event] : [event, payload];
      return (await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(...(args as [string, unknown]))) as Ack<T>;
    } catch {
      return { ok: false, error: { code: "timeout", message: "No answer from the server. Check your connection." } };
    }
  }

  private async onSession(s: AgentSession): Promise<void> {
    this.me = s.agent;
    this.queues = s.queues;
    const saved = storageGet<string[] | null>(localStorage, `careline.console.watch.${s.agent.id}`, null);
    const names = new Set(s.queues.map((q) => q.name));
    this.watched = (saved ?? s.queues.filter((q) => q.member).map((q) => q.name)).filter((n) => names.has(n));
    const seen = new Set<string>();
    for (const conv of s.conversations) {
      seen.add(conv.id);
      this.upsertConversation(conv, false);
      const state = this.convs.get(conv.id)!;
      const read = conv.read_seq ?? { public: 0, private: 0 };
      if (state.public.size === 0 && state.private.size === 0) {
        state.unread = Math.max(0, conv.last_seq.public - read.public) + Math.max(0, conv.last_seq.private - read.private);
      }
    }
    // Anything we showed as open that the server no longer lists for us has left our hands.
    for (const [id, state] of this.convs) {
      if (!seen.has(id) && state.conv.status !== "closed" && !state.removed) state.removed = "This conversation is no longer assigned to you.";
    }
    for (const d of s.direct ?? []) {
      const direct = this.direct(d.agent_id);
      direct.threadId = d.thread_id;
      if (!direct.loaded) direct.unread = Math.max(0, d.last_seq - d.read_seq);
    }
    if (!this.selected && this.order.length) this.selected = { kind: "conv", id: this.order[0] };
    this.render();
    await this.watch(this.watched);
    const presence = await this.call<{ agents: PresenceAgent[] }>("agents:list");
    if (presence.ok) this.onPresence(presence.agents);
    await Promise.all([...seen].map((id) => this.syncConversation(id)));
    if (this.selected?.kind === "direct") await this.syncDirect(this.selected.agentId);
    this.markSelectedRead();
    this.render();
  }

  /** The server may have dropped events for a moment: catch up on every thread and queue. */
  private async resync(): Promise<void> {
    await this.watch(this.watched);
    const presence = await this.call<{ agents: PresenceAgent[] }>("agents:list");
    if (presence.ok) this.onPresence(presence.agents);
    await Promise.all([...this.convs.keys()].map((id) => this.syncConversation(id)));
    await Promise.all([...this.directs.values()].filter((d) => d.loaded).map((d) => this.syncDirect(d.agentId)));
  }

  private async watch(names: string[]): Promise<void> {
    const ack = await this.call<{ waiting: WaitingRequest[] }>("queue:watch", { queues: names });
    if (!ack.ok) {
      this.toast(ack.error.message, "error");
      return;
    }
    this.watched = names;
    if (this.me) storageSet(localStorage, `careline.console.watch.${this.me.id}`, names);
    this.requests.clear();
    for (const name of names) this.requests.set(name, []);
    for (const r of ack.waiting) {
      this.requests.get(r.queue)?.push(r);
      this.knownRequests.add(r.conversation_id);
    }
    this.render();
  }

  private onQueueUpdate(queue: string, waiting: WaitingRequest[]): void {
    if (!this.watched.includes(queue)) return;
    const fresh = waiting.filter((r) => !this.knownRequests.has(r.conversation_id));
    for (const r of waiting) this.knownRequests.add(r.conversation_id);
    this.requests.set(queue, waiting);
    if (fresh.length) {
      this.beep(660);
      const who = customerName(fresh[0]);
      this.toast(fresh.length === 1 ? `New request from ${who} in ${this.queueTitle(queue)}` : `${fresh.length} new requests in ${this.queueTitle(queue)}`);
    }
    this.render();
  }

  private upsertConversation(conv: AgentConversation, fresh: boolean): ConvState {
    let state = this.convs.get(conv.id);
    if (!state) {
      state = {
        conv,
        public: new Map(),
        private: new Map(),
        unread: 0,
        typing: null,
        drafts: { public: "", private: "" },
        mode: this.isAssignee(conv) ? "public" : "private",
        pending: [],
        removed: null,
      };
      this.convs.set(conv.id, state);
      this.order.unshift(conv.id);
      if (fresh) state.unread = 0;
    } else {
      state.conv = conv;
      state.removed = null;
    }
    if (!this.isAssignee(conv)) state.mode = "private";
    return state;
  }

  private isAssignee(conv: AgentConversation): boolean {
    return !!this.me && conv.assignee?.id === this.me.id;
  }

  private async onConversationUpdate(conv: AgentConversation): Promise<void> {
    if (!this.me) return;
    const mine = this.isAssignee(conv) || conv.consultants.some((c) => c.id === this.me!.id);
    const existing = this.convs.get(conv.id);
    if (!mine) {
      if (existing) {
        existing.conv = conv;
        if (conv.status === "closed") {
          this.render();
          return;
        }
        const why =
          conv.status === "waiting"
            ? `Requeued to ${this.queueTitle(conv.queue)}`
            : conv.assignee
              ? `Now with ${conv.assignee.name}`
              : "No longer yours";
        existing.removed = why;
        this.dismiss(conv.id, `${customerName(conv)}: ${why.toLowerCase()}.`);
      }
      return;
    }
    const isNew = !existing || !!existing.removed;
    const state = this.upsertConversation(conv, isNew);
    if (isNew && !this.accepting.has(conv.id)) {
      const role = this.isAssignee(conv) ? "assigned to you" : "you were invited to consult";
      this.toast(`${customerName(conv)}: ${role}.`);
      this.beep(740);
      state.unread = Math.max(state.unread, 1);
      await this.syncConversation(conv.id);
    }
    this.render();
  }

  private async syncConversation(id: string): Promise<void> {
    for (const thread of ["public", "private"] as const) {
      for (let page = 0; page < 50; page += 1) {
        const state = this.convs.get(id);
        if (!state) return;
        const ack = await this.call<{ messages: Message[]; has_more?: boolean }>("chat:sync", {
          conversation_id: id,
          thread,
          after_seq: maxContiguous(state[thread]),
        });
        if (!ack.ok) break;
        for (const m of ack.messages) this.addMessage(state, m);
        if (!ack.has_more || ack.messages.length === 0) break;
      }
    }
    this.render();
  }

  private addMessage(state: ConvState, m: Message): boolean {
    if (m.thread !== "public" && m.thread !== "private") return false;
    const map = state[m.thread];
    const isNew = !map.has(m.seq);
    map.set(m.seq, m);
    state.pending = state.pending.filter((p) => p.client_id !== m.client_id);
    return isNew;
  }

  private onMessage(m: Message): void {
    if (!m.conversation_id) return;
    const state = this.convs.get(m.conversation_id);
    if (!state) return;
    const map = m.thread === "private" ? state.private : state.public;
    const gap = m.seq > maxContiguous(map) + 1;
    const isNew = this.addMessage(state, m);
    if (gap) void this.syncConversation(state.conv.id);
    const viewingConv = this.selected?.kind === "conv" && this.selected.id === state.conv.id && !document.hidden;
    if (isNew && viewingConv) this.markRead(state);
    if (isNew && m.author.id !== this.me?.id && m.author.kind !== "system") {
      if (this.live) this.live.textContent = `${m.thread === "private" ? "Internal, " : ""}${m.author.name ?? "Customer"}: ${m.text}`;
      if (state.typing && (m.author.kind === "customer" || m.author.name === state.typing.name)) state.typing = null;
      if (!viewingConv) {
        state.unread += 1;
        this.beep(880);
      }
    }
    this.render();
  }

  private onTyping(t: TypingEvent): void {
    const state = this.convs.get(t.conversation_id);
    if (!state) return;
    if (state.typing) window.clearTimeout(state.typing.timer);
    state.typing = t.typing
      ? {
          name: t.name || customerName(state.conv),
          thread: t.thread === "private" ? "private" : "public",
          timer: window.setTimeout(() => {
            state.typing = null;
            this.render();
          }, TYPING_SHOW_MS),
        }
      : null;
    this.render();
  }

  private onPresence(agents: PresenceAgent[]): void {
    this.colleagues.clear();
    for (const a of agents) this.colleagues.set(a.id, a);
    const mine = this.me ? this.colleagues.get(this.me.id) : undefined;
    if (this.me && mine && mine.status !== "offline") this.me.status = mine.status;
    this.render();
  }

  private direct(agentId: string): DirectState {
    let d = this.directs.get(agentId);
    if (!d) {
      d = { agentId, threadId: null, messages: new Map(), unread: 0, loaded: false, draft: "", pending: [] };
      this.directs.set(agentId, d);
    }
    return d;
  }

  private onDirect(m: Message): void {
    if (!this.me) return;
    const other = m.author.id === this.me.id ? m.to_agent_id : m.author.id;
    if (!other) return;
    const d = this.direct(other);
    const isNew = !d.messages.has(m.seq);
    const gap = d.loaded && m.seq > maxContiguous(d.messages) + 1;
    d.messages.set(m.seq, m);
    d.pending = d.pending.filter((p) => p.client_id !== m.client_id);
    if (gap) void this.syncDirect(other);
    const viewing = this.selected?.kind === "direct" && this.selected.agentId === other && !document.hidden;
    // What one writes oneself counts as read too, or it would show as unread after a reload.
    if (isNew && viewing) this.markDirectRead(d);
    if (isNew && m.author.id !== this.me.id) {
      if (!viewing) {
        d.unread += 1;
        this.beep(880);
        this.toast(`${m.author.name ?? "A colleague"}: ${m.text.slice(0, 80)}`);
      }
    }
    this.render();
  }

  private async syncDirect(agentId: string): Promise<void> {
    const d = this.direct(agentId);
    for (let page = 0; page < 50; page += 1) {
      const ack = await this.call<{ messages: Message[]; has_more?: boolean }>("direct:sync", {
        agent_id: agentId,
        after_seq: maxContiguous(d.messages),
      });
      if (!ack.ok) break;
      for (const m of ack.messages) d.messages.set(m.seq, m);
      if (!ack.has_more || ack.messages.length === 0) break;
    }
    d.loaded = true;
    this.render();
  }

  private markRead(state: ConvState): void {
    state.unread = 0;
    for (const thread of ["public", "private"] as const) {
      const seq = maxContiguous(state[thread]);
      this.sendRead(`${state.conv.id}:${thread}`, seq);
    }
  }

  /** Tell the server how far a thread is read, once per new mark. */
  private sendRead(threadId: string, seq: number): void {
    if (seq <= 0 || (this.readSent.get(threadId) ?? 0) >= seq) return;
    this.readSent.set(threadId, seq);
    this.socket?.emit("chat:read", { thread_id: threadId, seq }, () => undefined);
  }

  private markDirectRead(d: DirectState): void {
    d.unread = 0;
    const seq = maxContiguous(d.messages);
    // The id of a direct thread names the pair of CSRs, lower id first.
    d.threadId ??= this.me ? `d:${[this.me.id, d.agentId].sort().join(":")}` : null;
    if (d.threadId) this.sendRead(d.threadId, seq);
  }

  private markSelectedRead(): void {
    if (document.hidden) return;
    if (this.selected?.kind === "conv") {
      const state = this.convs.get(this.selected.id);
      if (state && state.unread) this.markRead(state);
    } else if (this.selected?.kind === "direct") {
      const d = this.directs.get(this.selected.agentId);
      if (d && d.unread) this.markDirectRead(d);
    }
    this.updateTitle();
  }

  // --- actions ----------------------------------------------------------------------------------

  private async accept(r: WaitingRequest): Promise<void> {
    if (this.accepting.has(r.conversation_id)) return;
    this.accepting.add(r.conversation_id);
    this.render();
    const ack = await this.call<{ conversation: AgentConversation; messages: Message[]; private_messages?: Message[] }>("request:accept", {
      conversation_id: r.conversation_id,
    });
    this.accepting.delete(r.conversation_id);
    if (!ack.ok) {
      const who = customerName(r);
      const text =
        ack.error.code === "already_taken"
          ? `Too late: a colleague has already taken the chat with ${who}.`
          : ack.error.code === "at_capacity"
            ? `You are at your limit of ${this.me?.max_chats ?? ""} open chats. Close one to take another.`
            : ack.error.message;
      this.toast(text, "error");
      if (ack.error.code === "already_taken" || ack.error.code === "not_found") {
        // It is not waiting any more, whatever the list last said.
        for (const [queue, list] of this.requests) {
          this.requests.set(queue, list.filter((x) => x.conversation_id !== r.conversation_id));
        }
      }
      this.render();
      return;
    }
    const state = this.upsertConversation(ack.conversation, true);
    for (const m of ack.messages) this.addMessage(state, m);
    for (const m of ack.private_messages ?? []) this.addMessage(state, m);
    state.mode = "public";
    this.select({ kind: "conv", id: ack.conversation.id });
    void this.syncConversation(ack.conversation.id);
  }

  private select(sel: Selection): void {
    this.saveDraft();
    this.selected = sel;
    if (sel?.kind === "direct") {
      const d = this.direct(sel.agentId);
      if (!d.loaded) void this.syncDirect(sel.agentId).then(() => this.markSelectedRead());
    }
    this.markSelectedRead();
    this.render();
    window.setTimeout(() => this.composer?.focus(), 0);
  }

  private saveDraft(): void {
    if (!this.composer) return;
    const sel = this.selected;
    if (sel?.kind === "conv") {
      const state = this.convs.get(sel.id);
      if (state) state.drafts[state.mode] = this.composer.value;
    } else if (sel?.kind === "direct") {
      this.direct(sel.agentId).draft = this.composer.value;
    }
  }

  private dismiss(id: string, message?: string): void {
    const wasSelected = this.selected?.kind === "conv" && this.selected.id === id;
    this.convs.delete(id);
    this.order = this.order.filter((x) => x !== id);
    if (message) this.toast(message);
    if (wasSelected) {
      this.selected = this.order.length ? { kind: "conv", id: this.order[0] } : null;
      this.renderedSelection = "";
    }
    this.render();
  }

  private async send(): Promise<void> {
    const sel = this.selected;
    const textarea = this.composer;
    if (!sel || !textarea) return;
    const text = textarea.value.trim();
    if (!text) return;
    const clientId = uid("a");
    textarea.value = "";
    textarea.style.height = "";
    if (sel.kind === "direct") {
      const d = this.direct(sel.agentId);
      d.draft = "";
      const pending: Pending = { client_id: clientId, text, thread: "direct", state: "sending", created_at: new Date().toISOString() };
      d.pending.push(pending);
      this.render();
      const ack = await this.call<{ message: Message }>("direct:send", { to_agent_id: sel.agentId, client_id: clientId, text });
      if (ack.ok) {
        d.pending = d.pending.filter((p) => p !== pending);
        d.messages.set(ack.message.seq, ack.message);
        this.markDirectRead(d);
      } else {
        pending.state = "failed";
        pending.error = ack.error.message;
      }
      this.render();
      return;
    }
    const state = this.convs.get(sel.id);
    if (!state) return;
    const thread: Mode = state.mode;
    state.drafts[thread] = "";
    this.stopTyping(state);
    const pending: Pending = { client_id: clientId, text, thread, state: "sending", created_at: new Date().toISOString() };
    state.pending.push(pending);
    this.render();
    await this.deliver(state, pending);
  }

  private async deliver(state: ConvState, pending: Pending): Promise<void> {
    pending.state = "sending";
    pending.error = undefined;
    this.render();
    const ack = await this.call<{ message: Message; result?: Message | null }>("chat:send", {
      conversation_id: state.conv.id,
      client_id: pending.client_id,
      text: pending.text,
      thread: pending.thread,
    });
    if (ack.ok) {
      state.pending = state.pending.filter((p) => p !== pending);
      this.addMessage(state, ack.message);
      if (ack.result) this.addMessage(state, ack.result);
      if (this.selected?.kind === "conv" && this.selected.id === state.conv.id) this.markRead(state);
    } else {
      pending.state = "failed";
      pending.error = ack.error.code === "bad_command" ? ack.error.message : ack.error.message;
    }
    this.render();
  }

  private async retry(pending: Pending): Promise<void> {
    const sel = this.selected;
    if (sel?.kind === "conv") {
      const state = this.convs.get(sel.id);
      if (state) await this.deliver(state, pending);
    } else if (sel?.kind === "direct") {
      pending.state = "sending";
      this.render();
      const ack = await this.call<{ message: Message }>("direct:send", { to_agent_id: sel.agentId, client_id: pending.client_id, text: pending.text });
      const d = this.direct(sel.agentId);
      if (ack.ok) {
        d.pending = d.pending.filter((p) => p !== pending);
        d.messages.set(ack.message.seq, ack.message);
      } else {
        pending.state = "failed";
        pending.error = ack.error.message;
      }
      this.render();
    }
  }

  private onComposerInput(): void {
    const sel = this.selected;
    if (sel?.kind !== "conv" || !this.composer) return;
    const state = this.convs.get(sel.id);
    if (!state || state.conv.status === "closed") return;
    const text = this.composer.value;
    // Typing in the private thread is shown to colleagues only; the shopper sees public typing.
    if (text.trim() && !text.trimStart().startsWith("/") && state.mode === "public") {
      const now = Date.now();
      if (now - this.lastTypingSent > TYPING_SEND_EVERY_MS) {
        this.lastTypingSent = now;
        this.socket?.emit("chat:typing", { conversation_id: state.conv.id, typing: true }, () => undefined);
      }
      window.clearTimeout(this.typingIdle);
      this.typingIdle = window.setTimeout(() => this.stopTyping(state), TYPING_IDLE_MS);
    } else {
      this.stopTyping(state);
    }
    this.updateComposerHint();
  }

  private stopTyping(state: ConvState): void {
    window.clearTimeout(this.typingIdle);
    if (!this.lastTypingSent) return;
    this.lastTypingSent = 0;
    this.socket?.emit("chat:typing", { conversation_id: state.conv.id, typing: false }, () => undefined);
  }

  private async setStatus(status: AgentStatus): Promise<void> {
    if (status === "offline") return;
    const ack = await this.call("agent:status", { status });
    if (ack.ok && this.me) this.me.status = status;
    else if (!ack.ok) this.toast(ack.error.message, "error");
    this.render();
  }

  private async closeConversation(state: ConvState): Promise<void> {
    const ok = await this.confirmDialog(
      "Close this conversation?",
      `The chat with ${customerName(state.conv)} ends for the customer too. The transcript stays readable.`,
      "Close conversation",
    );
    if (!ok) return;
    const ack = await this.call("chat:close", { conversation_id: state.conv.id });
    if (!ack.ok) this.toast(ack.error.message, "error");
    else {
      state.conv.status = "closed";
      this.toast(`Conversation with ${customerName(state.conv)} closed.`);
    }
    this.render();
  }

  private async leaveConsult(state: ConvState): Promise<void> {
    const ack = await this.call("consult:leave", { conversation_id: state.conv.id });
    if (!ack.ok) this.toast(ack.error.message, "error");
    else this.dismiss(state.conv.id, `You left the consult on ${customerName(state.conv)}.`);
  }

  // --- dialogs ----------------------------------------------------------------------------------

  private openDialog(title: string, build: (body: HTMLElement) => void, submitLabel: string, onSubmit: (form: HTMLFormElement) => Promise<string | null>): void {
    const dialog = h("dialog", { class: "dialog", attrs: { "aria-labelledby": "dialog-title" } });
    const error = h("p", { class: "form-error", attrs: { role: "alert", hidden: true } });
    const body = h("div", { class: "dialog-body" });
    build(body);
    const submit = h("button", { class: "btn primary", text: submitLabel, attrs: { type: "submit" } });
    const form = h(
      "form",
      {
        attrs: { method: "dialog" },
        on: {
          submit: async (e) => {
            e.preventDefault();
            submit.disabled = true;
            const problem = await onSubmit(form);
            submit.disabled = false;
            if (problem) {
              error.hidden = false;
              error.textContent = problem;
            } else {
              dialog.close();
            }
          },
        },
      },
      h("h2", { attrs: { id: "dialog-title" } }, title),
      body,
      error,
      h(
        "div",
        { class: "dialog-actions" },
        h("button", { class: "btn", text: "Cancel", attrs: { type: "button" }, on: { click: () => dialog.close() } }),
        submit,
      ),
    );
    dialog.appendChild(form);
    dialog.addEventListener("close", () => {
      dialog.remove();
      this.composer?.focus();
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    (form.querySelector<HTMLElement>("select, textarea, input") ?? submit).focus();
  }

  private confirmDialog(title: string, text: string, label: string): Promise<boolean> {
    return new Promise((resolve) => {
      let answered = false;
      this.openDialog(
        title,
        (body) => body.appendChild(h("p", null, text)),
        label,
        async () => {
          answered = true;
          resolve(true);
          return null;
        },
      );
      const dialog = document.body.lastElementChild as HTMLDialogElement;
      dialog.addEventListener("close", () => {
        if (!answered) resolve(false);
      });
    });
  }

  private colleagueOptions(exclude: string[]): HTMLOptionElement[] {
    const list = [...this.colleagues.values()].filter((a) => a.id !== this.me?.id && !exclude.includes(a.id));
    list.sort((a, b) => Number(a.status === "offline") - Number(b.status === "offline") || a.name.localeCompare(b.name));
    return list.map((a) =>
      h(
        "option",
        { attrs: { value: a.id, disabled: a.status === "offline" } },
        `${a.name} — ${a.status === "offline" ? "offline" : `${a.status}, ${a.load}/${a.max_chats ?? "?"} chats`}`,
      ),
    );
  }

  private requeueDialog(state: ConvState): void {
    this.openDialog(
      "Requeue conversation",
      (body) => {
        const options = this.queues.map((q) => h("option", { attrs: { value: q.name, selected: q.name !== state.conv.queue && false } }, q.name === state.conv.queue ? `${q.title} (current)` : q.title));
        const select = h("select", { attrs: { id: "requeue-queue", name: "queue", required: true } }, ...options);
        const firstOther = this.queues.find((q) => q.name !== state.conv.queue);
        if (firstOther) select.value = firstOther.name;
        body.append(
          h("p", { class: "muted" }, `${customerName(state.conv)} goes back to waiting, keeping their place by original waiting time. The note is private to CSRs.`),
          h("label", { class: "field", attrs: { for: "requeue-queue" } }, "Queue"),
          select,
          h("label", { class: "field", attrs: { for: "requeue-note" } }, "Note for the next CSR"),
          h("textarea", { attrs: { id: "requeue-note", name: "note", rows: 3, maxlength: 2000, placeholder: "What has been done, what is needed" } }),
        );
      },
      "Requeue",
      async (form) => {
        const data = new FormData(form);
        const queue = String(data.get("queue"));
        const note = String(data.get("note") || "").trim();
        const ack = await this.call("request:requeue", { conversation_id: state.conv.id, queue, note: note || null });
        if (!ack.ok) return ack.error.message;
        this.dismiss(state.conv.id, `${customerName(state.conv)} requeued to ${this.queueTitle(queue)}.`);
        return null;
      },
    );
  }

  private transferDialog(state: ConvState): void {
    this.openDialog(
      "Transfer to a colleague",
      (body) => {
        const options = this.colleagueOptions([]);
        body.append(
          h("p", { class: "muted" }, "The colleague takes over the conversation. The note is private to CSRs."),
          h("label", { class: "field", attrs: { for: "transfer-agent" } }, "Colleague"),
          options.length
            ? h("select", { attrs: { id: "transfer-agent", name: "agent_id", required: true } }, ...options)
            : h("p", { class: "muted" }, "No colleague is online."),
          h("label", { class: "field", attrs: { for: "transfer-note" } }, "Note"),
          h("textarea", { attrs: { id: "transfer-note", name: "note", rows: 3, maxlength: 2000 } }),
        );
        const select = body.querySelector("select");
        const online = options.find((o) => !o.disabled);
        if (select && online) select.value = online.value;
      },
      "Transfer",
      async (form) => {
        const data = new FormData(form);
        const agentId = String(data.get("agent_id") || "");
        if (!agentId) return "Choose a colleague who is online.";
        const note = String(data.get("note") || "").trim();
        const ack = await this.call("request:transfer", { conversation_id: state.conv.id, agent_id: agentId, note: note || null });
        if (!ack.ok) return ack.error.message;
        this.dismiss(state.conv.id, `${customerName(state.conv)} transferred to ${this.colleagues.get(agentId)?.name ?? "a colleague"}.`);
        return null;
      },
    );
  }

  private consultDialog(state: ConvState): void {
    this.openDialog(
      "Invite a colleague to consult",
      (body) => {
        const options = this.colleagueOptions([...state.conv.consultants.map((c) => c.id), state.conv.assignee?.id ?? ""]);
        body.append(
          h("p", { class: "muted" }, "They join the internal thread and can read the chat; the customer is not told and you keep the conversation."),
          h("label", { class: "field", attrs: { for: "consult-agent" } }, "Colleague"),
          options.length
            ? h("select", { attrs: { id: "consult-agent", name: "agent_id", required: true } }, ...options)
            : h("p", { class: "muted" }, "No colleague is online."),
          h("label", { class: "field", attrs: { for: "consult-note" } }, "What do you need?"),
          h("textarea", { attrs: { id: "consult-note", name: "note", rows: 3, maxlength: 2000 } }),
        );
        const select = body.querySelector("select");
        const online = options.find((o) => !o.disabled);
        if (select && online) select.value = online.value;
      },
      "Invite",
      async (form) => {
        const data = new FormData(form);
        const agentId = String(data.get("agent_id") || "");
        if (!agentId) return "Choose a colleague who is online.";
        const note = String(data.get("note") || "").trim();
        const ack = await this.call("consult:invite", { conversation_id: state.conv.id, agent_id: agentId, note: note || null });
        if (!ack.ok) return ack.error.message;
        this.toast(`${this.colleagues.get(agentId)?.name ?? "Your colleague"} was invited to consult.`);
        state.mode = "private";
        this.renderedSelection = "";
        this.render();
        return null;
      },
    );
  }

  // --- notifications ----------------------------------------------------------------------------

  private beep(freq: number): void {
    if (!this.sound) return;
    try {
      this.audio ??= new AudioContext();
      const ctx = this.audio;
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, ctx.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.12, ctx.currentTime + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 0.25);
      osc.connect(gain).connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.3);
    } catch {
      /* no audio here */
    }
  }

  private toast(text: string, kind: "info" | "error" = "info"): void {
    if (!this.toasts) return;
    const el = h(
      "div",
      { class: `toast ${kind}`, attrs: { role: kind === "error" ? "alert" : "status" } },
      h("span", null, text),
      h("button", { class: "icon", attrs: { type: "button", "aria-label": "Dismiss" }, on: { click: () => el.remove() } }, icon(ICONS.close, 14)),
    );
    this.toasts.appendChild(el);
    window.setTimeout(() => el.remove(), kind === "error" ? 9000 : 6000);
  }

  private waitingCount(): number {
    let n = 0;
    for (const list of this.requests.values()) n += list.length;
    return n;
  }

  private unreadCount(): number {
    let n = 0;
    for (const s of this.convs.values()) n += s.unread;
    for (const d of this.directs.values()) n += d.unread;
    return n;
  }

  private updateTitle(): void {
    if (!this.me) return;
    const n = this.waitingCount() + this.unreadCount();
    document.title = `${n ? `(${n}) ` : ""}Careline console`;
  }

  private queueTitle(name: string): string {
    return this.queues.find((q) => q.name === name)?.title ?? name;
  }

  private tick(): void {
    for (const el of Array.from(document.querySelectorAll<HTMLElement>("[data-since]"))) {
      el.textContent = formatElapsed(el.dataset.since!);
    }
  }

  // --- layout -----------------------------------------------------------------------------------

  private buildLayout(): void {
    this.topbar = h("header", { class: "topbar" });
    this.sidebar = h("nav", { class: "sidebar", attrs: { "aria-label": "Queues, conversations and colleagues" } });
    this.main = h("main", { class: "workspace" });
    this.details = h("aside", { class: "details", attrs: { "aria-label": "Customer details" } });
    this.toasts = h("div", { class: "toasts", attrs: { "aria-live": "polite" } });
    this.live = h("div", { class: "sr-only", attrs: { "aria-live": "polite", "aria-atomic": "true" } });
    this.stream = null;
    this.composer = null;
    this.renderedSelection = "";
    replaceChildren(this.app, this.topbar, this.sidebar, this.main, this.details, this.toasts, this.live);
    this.app.className = "console";
    this.render();
  }

  private render(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      if (!this.token || !this.topbar) return;
      this.renderTopbar();
      this.renderSidebar();
      this.renderMain();
      this.renderDetails();
      this.updateTitle();
    });
  }

  private renderTopbar(): void {
    const me = this.me;
    const status = me?.status ?? "available";
    const statusSelect = h(
      "select",
      {
        class: `status-select ${status}`,
        attrs: { "aria-label": "Your status", disabled: !me || !this.connected },
        on: { change: (e) => void this.setStatus((e.target as HTMLSelectElement).value as AgentStatus) },
      },
      h("option", { attrs: { value: "available", selected: status === "available" } }, "● Available"),
      h("option", { attrs: { value: "away", selected: status === "away" } }, "● Away"),
    );
    const load = me ? [...this.convs.values()].filter((s) => s.conv.status === "active" && s.conv.assignee?.id === me.id && !s.removed).length : 0;
    replaceChildren(
      this.topbar,
      h("div", { class: "brand" }, h("span", { class: "logo", attrs: { "aria-hidden": "true" } }, icon(ICONS.chat, 18)), "Careline"),
      this.connected ? null : h("span", { class: "conn warn", attrs: { role: "status" } }, me ? "Reconnecting…" : "Connecting…"),
      h("div", { class: "spacer" }),
      me ? h("span", { class: "load", attrs: { title: "Open chats / your limit" } }, `${load}/${me.max_chats} chats`) : null,
      statusSelect,
      h(
        "button",
        {
          class: `icon-toggle ${this.sound ? "on" : ""}`,
          attrs: { type: "button", "aria-pressed": String(this.sound), "aria-label": "Sound for new requests and messages", title: this.sound ? "Sound on" : "Sound off" },
          on: {
            click: () => {
              this.sound = !this.sound;
              storageSet(localStorage, "careline.console.sound", this.sound);
              if (this.sound) this.beep(660);
              this.render();
            },
          },
        },
        icon(ICONS.bell, 18),
      ),
      me ? h("span", { class: "me" }, h("span", { class: "avatar small", attrs: { "aria-hidden": "true" } }, initials(me.name)), h("span", null, me.name), h("small", null, me.role)) : null,
      h("button", { class: "btn ghost", text: "Sign out", attrs: { type: "button" }, on: { click: () => void this.signOut() } }),
    );
  }

  private renderSidebar(): void {
    const scroll = this.sidebar.scrollTop;
    const requests = [...this.requests.values()].flat().sort((a, b) => a.waiting_since.localeCompare(b.waiting_since));
    const queueFilter = h(
      "div",
      { class: "queue-filter", attrs: { role: "group", "aria-label": "Queues you watch" } },
      ...this.queues
        .filter((q) => q.member || this.me?.role !== "agent")
        .map((q) => {
          const on = this.watched.includes(q.name);
          const count = this.requests.get(q.name)?.length ?? 0;
          return h(
            "button",
            {
              class: `chip ${on ? "on" : ""}`,
              attrs: { type: "button", "aria-pressed": String(on), title: on ? `Stop watching ${q.title}` : `Watch ${q.title}` },
              on: { click: () => void this.watch(on ? this.watched.filter((n) => n !== q.name) : [...this.watched, q.name]) },
            },
            q.title,
            on && count ? h("span", { class: "count" }, String(count)) : null,
          );
        }),
    );
    const requestList = requests.length
      ? h("ul", { class: "requests" }, ...requests.map((r) => this.renderRequest(r)))
      : h("p", { class: "empty" }, this.watched.length ? "No one is waiting. New requests appear here." : "Choose the queues you want to watch.");

    const convItems = this.order.map((id) => this.convs.get(id)!).filter(Boolean);
    const convList = convItems.length
      ? h(
          "ul",
          { class: "convs" },
          ...convItems.map((s) => {
            const active = this.selected?.kind === "conv" && this.selected.id === s.conv.id;
            const last = this.lastMessage(s);
            const consulting = !this.isAssignee(s.conv) && s.conv.status !== "closed";
            return h(
              "li",
              null,
              h(
                "button",
                {
                  class: `conv-item ${active ? "selected" : ""} status-${s.conv.status}`,
                  attrs: { type: "button", "aria-current": active ? "true" : null, "aria-label": `${customerName(s.conv)}${s.unread ? `, ${s.unread} unread` : ""}` },
                  on: { click: () => this.select({ kind: "conv", id: s.conv.id }) },
                },
                h("span", { class: "avatar", attrs: { "aria-hidden": "true" } }, initials(customerName(s.conv))),
                h(
                  "span",
                  { class: "conv-text" },
                  h("span", { class: "conv-name" }, customerName(s.conv)),
                  s.typing && s.typing.thread === "public"
                    ? h("span", { class: "conv-last typing" }, "typing…")
                    : h("span", { class: "conv-last" }, last ? `${last.author.kind === "customer" || last.author.kind === "system" ? "" : `${last.author.id === this.me?.id ? "You" : last.author.name ?? ""}: `}${last.text}` : s.conv.topic ?? ""),
                ),
                h(
                  "span",
                  { class: "conv-side" },
                  s.unread ? h("span", { class: "unread", attrs: { "aria-hidden": "true" } }, String(s.unread)) : null,
                  s.conv.status === "closed" ? h("span", { class: "tag closed" }, "Closed") : consulting ? h("span", { class: "tag consult" }, "Consult") : null,
                ),
              ),
            );
          }),
        )
      : h("p", { class: "empty" }, "No open conversations. Accept a request to start.");

    const team = [...this.colleagues.values()].filter((a) => a.id !== this.me?.id);
    team.sort((a, b) => ["available", "away", "offline"].indexOf(a.status) - ["available", "away", "offline"].indexOf(b.status) || a.name.localeCompare(b.name));
    const teamList = h(
      "ul",
      { class: "team" },
      ...team.map((a) => {
        const d = this.directs.get(a.id);
        const active = this.selected?.kind === "direct" && this.selected.agentId === a.id;
        return h(
          "li",
          null,
          h(
            "button",
            {
              class: `team-item ${active ? "selected" : ""}`,
              attrs: { type: "button", "aria-label": `Message ${a.name}, ${a.status}${d?.unread ? `, ${d.unread} unread` : ""}`, "aria-current": active ? "true" : null },
              on: { click: () => this.select({ kind: "direct", agentId: a.id }) },
            },
            h("span", { class: `dot ${a.status}`, attrs: { "aria-hidden": "true" } }),
            h("span", { class: "team-name" }, a.name),
            h("span", { class: "team-load", attrs: { title: "Open chats" } }, a.status === "offline" ? "offline" : `${a.status === "away" ? "away · " : ""}${a.load}/${a.max_chats ?? "?"}`),
            d?.unread ? h("span", { class: "unread" }, String(d.unread)) : null,
          ),
        );
      }),
    );

    replaceChildren(
      this.sidebar,
      h("section", { class: "side-section" }, h("h2", null, "Waiting", requests.length ? h("span", { class: "count big" }, String(requests.length)) : null), queueFilter, requestList),
      h("section", { class: "side-section" }, h("h2", null, "My conversations"), convList),
      h("section", { class: "side-section" }, h("h2", null, "Team"), team.length ? teamList : h("p", { class: "empty" }, "No colleagues yet.")),
    );
    this.sidebar.scrollTop = scroll;
  }

  private renderRequest(r: WaitingRequest): HTMLElement {
    const busy = this.accepting.has(r.conversation_id);
    const name = customerName(r);
    return h(
      "li",
      { class: "request", attrs: { "data-conversation": r.conversation_id } },
      h(
        "div",
        { class: "request-head" },
        h("span", { class: "request-name" }, name),
        r.customer ? h("span", { class: "tag known", attrs: { title: "Signed-in customer" } }, "Customer") : h("span", { class: "tag guest" }, "Guest"),
        h("span", { class: "waited", attrs: { "data-since": r.waiting_since, title: "Waiting time" } }, formatElapsed(r.waiting_since)),
      ),
      h("div", { class: "request-meta" }, h("span", { class: "tag queue" }, this.queueTitle(r.queue)), r.topic ? h("span", null, r.topic) : null),
      r.preview ? h("p", { class: "preview" }, r.preview) : null,
      r.requeued_from
        ? h("p", { class: "requeue-note" }, h("strong", null, `Requeued from ${this.queueTitle(r.requeued_from)}`), r.note ? `: ${r.note}` : "")
        : null,
      h(
        "button",
        {
          class: "btn primary small",
          text: busy ? "Accepting…" : "Accept",
          attrs: { type: "button", disabled: busy || !this.connected, "aria-label": `Accept chat with ${name}` },
          on: { click: () => void this.accept(r) },
        },
      ),
    );
  }

  private lastMessage(s: ConvState): Message | null {
    let last: Message | null = null;
    for (const m of s.public.values()) if (!last || m.seq > last.seq) last = m;
    return last;
  }

  private renderMain(): void {
    const sel = this.selected;
    const key = sel ? (sel.kind === "conv" ? `c:${sel.id}` : `d:${sel.agentId}`) : "";
    if (!sel || (sel.kind === "conv" && !this.convs.has(sel.id))) {
      this.renderedSelection = "";
      this.stream = null;
      this.composer = null;
      const waiting = this.waitingCount();
      replaceChildren(
        this.main,
        h(
          "div",
          { class: "placeholder" },
          icon(ICONS.chat, 40),
          h("h2", null, waiting ? `${waiting} ${waiting === 1 ? "customer is" : "customers are"} waiting` : "You're all caught up"),
          h("p", null, waiting ? "Accept a request on the left to start chatting." : "New requests in the queues you watch appear on the left."),
        ),
      );
      return;
    }
    const rebuild = key !== this.renderedSelection || !this.stream || !this.main.contains(this.stream);
    if (rebuild) {
      this.renderedSelection = key;
      this.stream = h("div", { class: "stream", attrs: { role: "log", "aria-label": "Messages", "aria-live": "off", tabindex: "0" } });
      this.composerBox = h("div", { class: "composer-box" });
      this.composer = null;
      replaceChildren(this.main, h("div", { class: "conv-header" }), this.stream, h("div", { class: "typing-line", attrs: { "aria-live": "polite" } }), this.composerBox);
    }
    if (sel.kind === "conv") this.renderConversation(this.convs.get(sel.id)!, rebuild);
    else this.renderDirect(sel.agentId, rebuild);
  }

  private renderConversation(state: ConvState, rebuild: boolean): void {
    const conv = state.conv;
    const header = this.main.querySelector(".conv-header")!;
    const assignee = this.isAssignee(conv);
    const open = conv.status !== "closed" && !state.removed;
    const actions: HTMLElement[] = [];
    if (open && assignee) {
      actions.push(
        h("button", { class: "btn", text: "Requeue", attrs: { type: "button" }, on: { click: () => this.requeueDialog(state) } }),
        h("button", { class: "btn", text: "Transfer", attrs: { type: "button" }, on: { click: () => this.transferDialog(state) } }),
        h("button", { class: "btn", text: "Consult", attrs: { type: "button" }, on: { click: () => this.consultDialog(state) } }),
        h("button", { class: "btn danger-outline", text: "Close", attrs: { type: "button" }, on: { click: () => void this.closeConversation(state) } }),
      );
    } else if (open) {
      actions.push(h("button", { class: "btn", text: "Leave consult", attrs: { type: "button" }, on: { click: () => void this.leaveConsult(state) } }));
    } else {
      actions.push(h("button", { class: "btn", text: "Dismiss", attrs: { type: "button", title: "Remove from your list" }, on: { click: () => this.dismiss(conv.id) } }));
    }
    const statusText = state.removed
      ? state.removed
      : conv.status === "closed"
        ? "Closed"
        : assignee
          ? "Active · you"
          : `Consulting · ${conv.assignee?.name ?? "unassigned"} has it`;
    replaceChildren(
      header,
      h("span", { class: "avatar", attrs: { "aria-hidden": "true" } }, initials(customerName(conv))),
      h(
        "div",
        { class: "conv-title" },
        h("h1", null, customerName(conv)),
        h(
          "div",
          { class: "conv-sub" },
          h("span", { class: "tag queue" }, this.queueTitle(conv.queue)),
          conv.topic ? h("span", null, conv.topic) : null,
          h("span", { class: `status-pill ${state.removed ? "gone" : conv.status}` }, statusText),
        ),
      ),
      h("div", { class: "conv-actions" }, ...actions),
    );

    // The stream: both threads by time, the private one unmistakably apart.
    const stream = this.stream!;
    const atBottom = rebuild || stream.scrollHeight - stream.scrollTop - stream.clientHeight < 60;
    const all = [...state.public.values(), ...state.private.values()].sort(
      (a, b) => a.created_at.localeCompare(b.created_at) || (a.thread === b.thread ? a.seq - b.seq : a.thread === "public" ? -1 : 1),
    );
    const nodes: Node[] = all.map((m) => this.renderMessage(m));
    for (const p of state.pending) nodes.push(this.renderPending(p));
    if (nodes.length === 0) nodes.push(h("p", { class: "empty" }, "No messages yet."));
    replaceChildren(stream, ...nodes);
    if (atBottom) stream.scrollTop = stream.scrollHeight;

    const typingLine = this.main.querySelector(".typing-line")!;
    replaceChildren(
      typingLine,
      state.typing
        ? h(
            "span",
            { class: state.typing.thread === "private" ? "private" : "" },
            h("span", { class: "dots", attrs: { "aria-hidden": "true" } }, h("i"), h("i"), h("i")),
            state.typing.thread === "private" ? `${state.typing.name} is writing an internal note…` : `${state.typing.name} is typing…`,
          )
        : null,
    );

    if (!open) {
      this.composer = null;
      replaceChildren(
        this.composerBox!,
        h("p", { class: "composer-closed" }, state.removed ? `${state.removed}. You can no longer reply here.` : "This conversation is closed. The transcript stays readable until you dismiss it."),
      );
      return;
    }
    if (rebuild || !this.composer || !this.composerBox!.contains(this.composer)) this.buildComposer(state);
    else this.syncComposerMode(state);
  }

  private buildComposer(state: ConvState): void {
    const assignee = this.isAssignee(state.conv);
    const tabs = h("div", { class: "mode-tabs", attrs: { role: "tablist", "aria-label": "Who sees what you write" } });
    const textarea = h("textarea", {
      attrs: { rows: 3, maxlength: 4000, id: "composer" },
      on: {
        input: () => {
          this.onComposerInput();
          textarea.style.height = "";
          textarea.style.height = `${Math.min(textarea.scrollHeight, 200)}px`;
        },
        keydown: (e) => {
          if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            void this.send();
          }
        },
      },
    });
    textarea.value = state.drafts[state.mode];
    const hint = h("div", { class: "composer-hint", attrs: { "aria-live": "polite" } });
    const sendBtn = h("button", { class: "btn primary send-btn", attrs: { type: "submit" } });
    const form = h(
      "form",
      {
        class: "composer",
        on: {
          submit: (e) => {
            e.preventDefault();
            void this.send();
          },
        },
      },
      tabs,
      hint,
      h("div", { class: "composer-row" }, textarea, sendBtn),
    );
    const makeTab = (mode: Mode, label: string) =>
      h(
        "button",
        {
          class: `mode-tab ${mode}`,
          attrs: { type: "button", role: "tab", "data-mode": mode, disabled: mode === "public" && !assignee },
          on: {
            click: () => {
              state.drafts[state.mode] = textarea.value;
              state.mode = mode;
              textarea.value = state.drafts[mode];
              this.stopTyping(state);
              this.syncComposerMode(state);
              textarea.focus();
            },
          },
        },
        mode === "private" ? icon(ICONS.lock, 14) : icon(ICONS.send, 14),
        label,
      );
    tabs.append(makeTab("public", "Reply to customer"), makeTab("private", "Internal note"));
    this.composer = textarea;
    replaceChildren(this.composerBox!, form);
    this.syncComposerMode(state);
  }

  private syncComposerMode(state: ConvState): void {
    const box = this.composerBox;
    if (!box || !this.composer) return;
    const form = box.querySelector("form")!;
    form.classList.toggle("private", state.mode === "private");
    for (const tab of Array.from(box.querySelectorAll<HTMLButtonElement>(".mode-tab"))) {
      const on = tab.dataset.mode === state.mode;
      tab.classList.toggle("on", on);
      tab.setAttribute("aria-selected", String(on));
    }
    this.composer.setAttribute(
      "aria-label",
      state.mode === "private" ? "Internal note, seen only by CSRs" : `Reply to ${customerName(state.conv)}`,
    );
    this.composer.placeholder =
      state.mode === "private"
        ? "Internal note: only your team sees this. Type / for commands."
        : `Reply to ${customerName(state.conv)}… (Enter to send, Shift+Enter for a new line, / for commands)`;
    this.updateComposerHint();
  }

  private updateComposerHint(): void {
    const sel = this.selected;
    const box = this.composerBox;
    if (!box || !this.composer) return;
    const hint = box.querySelector<HTMLElement>(".composer-hint");
    const sendBtn = box.querySelector<HTMLButtonElement>(".send-btn");
    if (!hint || !sendBtn) return;
    if (sel?.kind === "direct") {
      hint.textContent = "";
      hint.hidden = true;
      sendBtn.textContent = "Send";
      return;
    }
    const state = sel?.kind === "conv" ? this.convs.get(sel.id) : undefined;
    if (!state) return;
    const command = this.composer.value.trimStart().startsWith("/");
    hint.hidden = false;
    hint.className = `composer-hint ${command ? "command" : state.mode}`;
    if (command) {
      hint.replaceChildren(icon(ICONS.lock, 13), " Slash command: runs privately; the result appears in the internal thread. /help lists them.");
      sendBtn.textContent = "Run command";
    } else if (state.mode === "private") {
      hint.replaceChildren(icon(ICONS.lock, 13), " Internal note — the customer will not see this.");
      sendBtn.textContent = "Add note";
    } else {
      hint.replaceChildren(`Replying to ${customerName(state.conv)} — they will see this.`);
      sendBtn.textContent = "Send";
    }
  }

  private renderMessage(m: Message): HTMLElement {
    const time = h("time", { attrs: { datetime: m.created_at, title: new Date(m.created_at).toLocaleString() } }, formatTime(m.created_at));
    if (m.author.kind === "system") {
      return h("div", { class: `sys ${m.thread}`, attrs: { "data-seq": m.seq, "data-thread": m.thread } }, m.thread === "private" ? icon(ICONS.lock, 12) : null, h("span", { class: "text" }, m.text), time);
    }
    const mine = !!this.me && m.author.id === this.me.id && m.author.kind === "agent";
    const isPrivate = m.thread === "private";
    const author = m.author.kind === "bot" ? (m.author.name || "Careline bot") : m.author.name || (m.author.kind === "customer" ? "Customer" : "CSR");
    const body = m.card ? renderCard(m.card, m.text) : h("div", { class: "text" }, m.text);
    return h(
      "div",
      {
        class: `msg ${m.author.kind} ${isPrivate ? "private" : m.thread === "direct" ? "direct" : "public"} ${mine ? "mine" : ""}`,
        attrs: { "data-seq": m.seq, "data-thread": m.thread, "data-id": m.id },
      },
      h(
        "div",
        { class: "msg-head" },
        isPrivate ? h("span", { class: "private-label" }, icon(ICONS.lock, 12), m.author.kind === "bot" ? "Command result" : "Internal") : null,
        h("span", { class: "msg-author" }, mine ? "You" : author),
        time,
      ),
      h("div", { class: "bubble" }, body),
    );
  }

  private renderPending(p: Pending): HTMLElement {
    const failed = p.state === "failed";
    return h(
      "div",
      { class: `msg agent mine pending ${p.thread === "private" ? "private" : "public"} ${failed ? "failed" : ""}`, attrs: { "data-client-id": p.client_id } },
      h(
        "div",
        { class: "msg-head" },
        p.thread === "private" ? h("span", { class: "private-label" }, icon(ICONS.lock, 12), "Internal") : null,
        h("span", { class: "msg-author" }, "You"),
        h("span", { class: "state", attrs: { role: failed ? "alert" : null } }, failed ? `Not sent: ${p.error ?? "error"}` : "Sending…"),
        failed ? h("button", { class: "link", text: "Retry", attrs: { type: "button" }, on: { click: () => void this.retry(p) } }) : null,
      ),
      h("div", { class: "bubble" }, h("div", { class: "text" }, p.text)),
    );
  }

  private renderDirect(agentId: string, rebuild: boolean): void {
    const d = this.direct(agentId);
    const colleague = this.colleagues.get(agentId);
    const header = this.main.querySelector(".conv-header")!;
    replaceChildren(
      header,
      h("span", { class: "avatar colleague", attrs: { "aria-hidden": "true" } }, initials(colleague?.name)),
      h(
        "div",
        { class: "conv-title" },
        h("h1", null, colleague?.name ?? "Colleague"),
        h(
          "div",
          { class: "conv-sub" },
          h("span", { class: "tag direct" }, "Direct message"),
          colleague ? h("span", { class: `status-pill ${colleague.status}` }, colleague.status === "offline" ? "Offline" : `${colleague.status === "away" ? "Away" : "Available"} · ${colleague.load}/${colleague.max_chats ?? "?"} chats`) : null,
        ),
      ),
    );
    const stream = this.stream!;
    const atBottom = rebuild || stream.scrollHeight - stream.scrollTop - stream.clientHeight < 60;
    const nodes: Node[] = [...d.messages.values()].sort((a, b) => a.seq - b.seq).map((m) => this.renderMessage(m));
    for (const p of d.pending) nodes.push(this.renderPending(p));
    if (nodes.length === 0) nodes.push(h("p", { class: "empty" }, d.loaded ? `No messages with ${colleague?.name ?? "this colleague"} yet. Only the two of you see this chat.` : "Loading…"));
    replaceChildren(stream, ...nodes);
    if (atBottom) stream.scrollTop = stream.scrollHeight;
    replaceChildren(this.main.querySelector(".typing-line")!);
    if (rebuild || !this.composer || !this.composerBox!.contains(this.composer)) {
      const textarea = h("textarea", {
        attrs: { rows: 2, maxlength: 4000, "aria-label": `Message to ${colleague?.name ?? "colleague"}`, placeholder: `Message ${colleague?.name ?? "your colleague"}… (only the two of you see this)` },
        on: {
          keydown: (e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              void this.send();
            }
          },
        },
      });
      textarea.value = d.draft;
      this.composer = textarea;
      replaceChildren(
        this.composerBox!,
        h(
          "form",
          {
            class: "composer direct",
            on: {
              submit: (e) => {
                e.preventDefault();
                void this.send();
              },
            },
          },
          h("div", { class: "composer-row" }, textarea, h("button", { class: "btn primary send-btn", text: "Send", attrs: { type: "submit" } })),
        ),
      );
    }
  }

  private renderDetails(): void {
    const sel = this.selected;
    const state = sel?.kind === "conv" ? this.convs.get(sel.id) : undefined;
    if (!state) {
      replaceChildren(this.details, h("p", { class: "empty" }, sel?.kind === "direct" ? "Direct messages are between you and your colleague only." : "Customer details show here when a conversation is open."));
      return;
    }
    const conv = state.conv;
    const profile = conv.customer ?? null;
    const extra = profile
      ? Object.entries(profile).filter(([k, v]) => !["id", "name", "email"].includes(k) && v !== null && v !== undefined && typeof v !== "object")
      : [];
    const row = (label: string, value: Node | string | null) => (value ? h("div", { class: "kv" }, h("dt", null, label), h("dd", null, value)) : null);
    const url = conv.visitor.current_url;
    let pageLink: HTMLElement | null = null;
    if (url) {
      let safe = "#";
      try {
        const parsed = new URL(url);
        if (parsed.protocol === "http:" || parsed.protocol === "https:") safe = parsed.href;
      } catch {
        /* not a URL: shown as text only */
      }
      pageLink = h(
        "div",
        { class: "current-page" },
        h("div", { class: "page-title" }, conv.visitor.current_title || url),
        safe !== "#" ? h("a", { attrs: { href: safe, target: "_blank", rel: "noopener noreferrer" } }, url) : h("span", null, url),
      );
    }
    replaceChildren(
      this.details,
      h(
        "section",
        { class: "panel-card" },
        h("h2", null, "Customer"),
        h(
          "div",
          { class: "who" },
          h("span", { class: "avatar big", attrs: { "aria-hidden": "true" } }, initials(customerName(conv))),
          h("div", null, h("div", { class: "who-name" }, customerName(conv)), h("div", { class: "who-sub" }, profile ? "Signed-in customer" : "Guest (not signed in)")),
        ),
        h(
          "dl",
          null,
          row("Email", conv.email || (profile && typeof profile.email === "string" ? profile.email : null)),
          row("Customer id", profile && typeof profile.id === "string" ? profile.id : null),
          ...extra.map(([k, v]) => row(k.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase()), typeof v === "boolean" ? (v ? "Yes" : "No") : String(v))),
        ),
      ),
      h("section", { class: "panel-card" }, h("h2", null, "Now viewing"), pageLink ?? h("p", { class: "empty" }, "No page reported yet.")),
      h(
        "section",
        { class: "panel-card" },
        h("h2", null, "Conversation"),
        h(
          "dl",
          null,
          row("Topic", conv.topic),
          row("Queue", this.queueTitle(conv.queue)),
          row("Waiting since", formatDateTime(conv.waiting_since)),
          row("Accepted", conv.accepted_at ? formatDateTime(conv.accepted_at) : null),
          row("Assigned to", conv.assignee ? (conv.assignee.id === this.me?.id ? "You" : conv.assignee.name) : "Nobody"),
          row("Consulting", conv.consultants.length ? conv.consultants.map((c) => (c.id === this.me?.id ? "You" : c.name)).join(", ") : null),
          row("Requeued from", conv.requeued_from ? this.queueTitle(conv.requeued_from) : null),
          row("Requeue note", conv.note),
        ),
      ),
    );
  }
}

const root = document.getElementById("app");
if (root) new Console(root);
