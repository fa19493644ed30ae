// The console's Socket.IO link to the /agent namespace: opening it, calls that wait for the
// server's answer (with a time limit, so a dropped network never leaves a button spinning), and
// the server's events handed to the console by name.

import { io, type Socket } from "socket.io-client";
import type { Ack, AgentConversation, AgentSession, Message, PresenceAgent, TypingEvent, WaitingRequest } from "../common/protocol";
import { refusalText } from "../common/util";

const ACK_TIMEOUT_MS = 12000;

export interface AgentEvents {
  connected(): void;
  /** The link dropped (or a reconnection attempt failed); Socket.IO keeps retrying. */
  disconnected(): void;
  /** The server refused the token: retrying would be refused again. */
  refused(reason: { code: string | null; message: string }): void;
  session(s: AgentSession): void;
  sessionEnded(reason: string | undefined): void;
  resync(): void;
  queueUpdate(queue: string, waiting: WaitingRequest[]): void;
  conversationUpdate(conv: AgentConversation): void;
  message(m: Message): void;
  direct(m: Message): void;
  status(conversationId: string, status: AgentConversation["status"]): void;
  typing(t: TypingEvent): void;
  visitorPage(p: { conversation_id: string; url: string; title: string }): void;
  presence(agents: PresenceAgent[]): void;
}

export class AgentLink {
  private socket: Socket | null = null;

  /** Connect; the token is read again on every reconnection attempt. */
  open(token: () => string | null, events: AgentEvents): void {
    const socket = io("/agent", {
      transports: ["websocket", "polling"],
      tryAllTransports: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
      auth: (cb) => cb({ token: token() }),
    });
    this.socket = socket;
    socket.on("connect", () => events.connected());
    socket.on("disconnect", () => events.disconnected());
    socket.on("connect_error", (err: Error & { data?: unknown }) => {
      // An inactive socket after an error means refused (the token is missing, bad, expired or
      // revoked), not a network problem.
      if (!socket.active) events.refused(refusalText(err));
      else events.disconnected();
    });
    socket.on("session", (s: AgentSession) => events.session(s));
    socket.on("session:ended", (e: { reason?: string }) => events.sessionEnded(e.reason));
    socket.on("resync", () => events.resync());
    socket.on("queue:update", (u: { queue: string; waiting: WaitingRequest[] }) => events.queueUpdate(u.queue, u.waiting));
    socket.on("conversation:update", (u: { conversation: AgentConversation }) => events.conversationUpdate(u.conversation));
    socket.on("chat:message", (m: Message) => events.message(m));
    socket.on("direct:message", (m: Message) => events.direct(m));
    socket.on("chat:status", (s: { conversation_id: string; status: AgentConversation["status"] }) => events.status(s.conversation_id, s.status));
    socket.on("chat:typing", (t: TypingEvent) => events.typing(t));
    socket.on("visitor:page", (p: { conversation_id: string; url: string; title: string }) => events.visitorPage(p));
    socket.on("agents:presence", (p: { agents: PresenceAgent[] }) => events.presence(p.agents));
  }

  close(): void {
    this.socket?.close();
    this.socket = null;
  }

  /** Emit and wait for the server's ack; never throws, a failure is an Ack with ok: false. */
  async call<T>(event: string, payload?: unknown): Promise<Ack<T>> {
    if (!this.socket) return { ok: false, error: { code: "offline", message: "Not connected." } };
    try {
      const args = payload === undefined ? [event] : [event, payload];
      return (await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(...(args as [string, unknown]))) as Ack<T>;
    } catch {
      return { ok: false, error: { code: "timeout", message: "No answer from the server. Check your connection." } };
    }
  }

  /** Emit without waiting: for signals (typing, read marks) whose answer changes nothing. */
  emit(event: string, payload: unknown): void {
    this.socket?.emit(event, payload, () => undefined);
  }
}
