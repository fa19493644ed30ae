// The widget's Socket.IO link to the /customer namespace, and the session the server sends on
// every (re)connection: the visitor token to keep, and the conversation to resume.

import { io, type Socket } from "socket.io-client";
import type { Ack, CustomerConversation, CustomerSession, Message, TypingEvent } from "../common/protocol";
import { refusalText, storageGet, storageSet } from "../common/util";
import type { ChatContext } from "./context";
import { sync } from "./conversation";
import { type Embed, storageKey } from "./embed";
import { flush } from "./outbox";
import { publishSession } from "./page-api";

const ACK_TIMEOUT_MS = 12000;

export type StatusEvent = { conversation_id: string; status: CustomerConversation["status"]; agent: { name: string } | null };
export type PositionEvent = { conversation_id: string; position: number; eta_seconds: number };

export interface CustomerEvents {
  connected(): void;
  disconnected(): void;
  /** A failed (re)connection; `refusal` is set when the server refused it and retrying is pointless. */
  connectError(refusal: string | null): void;
  session(data: CustomerSession): void;
  resync(): void;
  message(m: Message): void;
  status(s: StatusEvent): void;
  position(p: PositionEvent): void;
  typing(t: TypingEvent): void;
}

export class CustomerLink {
  readonly socket: Socket;

  constructor(embed: Embed, events: CustomerEvents) {
    this.socket = io(`${embed.serverOrigin}/customer`, {
      path: embed.socketPath,
      transports: ["websocket", "polling"],
      tryAllTransports: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
      auth: (cb) => {
        const auth: Record<string, string> = {};
        // A signed-in shopper with no visitor of their own yet takes over the guest one, so a
        // chat started before signing in goes on after it.
        const token =
          storageGet<string | null>(localStorage, storageKey(embed, "visitor_token"), null) ??
          (embed.subject !== "guest" ? storageGet<string | null>(localStorage, storageKey(embed, "visitor_token", "guest"), null) : null);
        if (token) auth.visitor_token = token;
        if (embed.identity) auth.identity = embed.identity;
        cb(auth);
      },
    });
    const socket = this.socket;
    socket.on("connect", () => events.connected());
    socket.on("disconnect", () => events.disconnected());
    socket.on("connect_error", (err: Error & { data?: unknown }) => {
      // Refused by the server (a bad identity, say): retrying would be refused again.
      events.connectError(socket.active ? null : refusalText(err).message || "The chat service refused the connection.");
    });
    socket.on("session", (data: CustomerSession) => events.session(data));
    // The server lost its fan-out for a moment: ask for whatever may have been missed.
    socket.on("resync", () => events.resync());
    socket.on("chat:message", (m: Message) => events.message(m));
    socket.on("chat:status", (s: StatusEvent) => events.status(s));
    socket.on("queue:position", (p: PositionEvent) => events.position(p));
    socket.on("chat:typing", (t: TypingEvent) => events.typing(t));
  }

  /** Emit and wait for the server's ack; never throws, a failure is an Ack with ok: false. */
  async call<T>(event: string, payload: unknown): Promise<Ack<T>> {
    try {
      return (await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload)) as Ack<T>;
    } catch {
      return { ok: false, error: { code: "timeout", message: "No answer from the chat service." } };
    }
  }

  /** Emit without waiting: for signals (typing, page views) whose answer changes nothing. */
  emit(event: string, payload: unknown): void {
    this.socket.emit(event, payload, () => undefined);
  }

  /** Connect again, to be sent a fresh session (another tab started a conversation, say). */
  reconnect(): void {
    this.socket.disconnect().connect();
  }
}

export function onSession(ctx: ChatContext, data: CustomerSession): void {
  const { state } = ctx;
  storageSet(localStorage, ctx.key("visitor_token"), data.visitor_token);
  state.visitorId = data.visitor_id;
  state.customer = data.customer;
  publishSession(data.visitor_id, data.visitor_token, data.customer);
  const previous = state.conversation;
  if (data.conversation) {
    if (previous?.id !== data.conversation.id) {
      state.messages.clear();
      state.position = null;
    }
    state.conversation = data.conversation;
    if (data.conversation.position != null) {
      const known = state.positions.get(data.conversation.id);
      state.position = { position: data.conversation.position, eta: known?.eta ?? state.position?.eta ?? null };
    }
    state.view = "chat";
    storageSet(localStorage, ctx.key("last_conversation"), data.conversation.id);
  } else if (previous && previous.status !== "closed") {
    // It was closed while we were away: keep the transcript, show it ended.
    previous.status = "closed";
  } else if (!previous) {
    // After a reload, the last conversation (ended) can still be read.
    const last = storageGet<string | null>(localStorage, ctx.key("last_conversation"), null);
    if (last) state.conversation = { id: last, status: "closed", queue: "", topic: null, position: null, agent: null };
    state.view = state.view === "prechat" ? "prechat" : "home";
  }
  ctx.pageViews.send(true);
  void sync(ctx).then(() => flush(ctx));
  ctx.render();
}
