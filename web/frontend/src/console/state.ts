// The console's data: what the server has told this CSR and what they have open. Plain data and
// pure helpers only; the modules that change it receive it through the Desk (desk.ts).

import type { AgentConversation, AgentInfo, Message, PresenceAgent, QueueInfo, WaitingRequest } from "../common/protocol";

/** Which thread of a conversation the composer writes to. */
export type Mode = "public" | "private";

/** A message this CSR sent that the server has not confirmed yet. */
export interface Pending {
  client_id: string;
  text: string;
  thread: Mode | "direct";
  state: "sending" | "failed";
  error?: string;
  created_at: string;
}

export interface ConvState {
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

/** The direct-message thread with one colleague. */
export interface DirectState {
  agentId: string;
  threadId: string | null;
  messages: Map<number, Message>;
  unread: number;
  loaded: boolean;
  draft: string;
  pending: Pending[];
}

export type Selection = { kind: "conv"; id: string } | { kind: "direct"; agentId: string } | null;

export interface DeskState {
  connected: boolean;
  me: AgentInfo | null;
  queues: QueueInfo[];
  watched: string[];
  requests: Map<string, WaitingRequest[]>;
  /** Every request ever seen waiting, so that only new ones ring. */
  knownRequests: Set<string>;
  convs: Map<string, ConvState>;
  /** Conversation ids, newest first, as the sidebar lists them. */
  order: string[];
  colleagues: Map<string, PresenceAgent>;
  directs: Map<string, DirectState>;
  selected: Selection;
  /** Requests whose accept is on its way: their button shows it and a second click does nothing. */
  accepting: Set<string>;
  /** The read mark last sent per thread id, so that each mark is sent once. */
  readSent: Map<string, number>;
}

export function createDeskState(): DeskState {
  return {
    connected: false,
    me: null,
    queues: [],
    watched: [],
    requests: new Map(),
    knownRequests: new Set(),
    convs: new Map(),
    order: [],
    colleagues: new Map(),
    directs: new Map(),
    selected: null,
    accepting: new Set(),
    readSent: new Map(),
  };
}

/** Forget the conversations, requests and threads of a session that ended. */
export function clearDeskState(state: DeskState): void {
  state.convs.clear();
  state.order = [];
  state.requests.clear();
  state.knownRequests.clear();
  state.directs.clear();
  state.colleagues.clear();
  state.readSent.clear();
  state.selected = null;
}

/** The highest seq up to which no message is missing: where a sync picks up. */
export function maxContiguous(map: Map<number, Message>): number {
  let seq = 0;
  while (map.has(seq + 1)) seq += 1;
  return seq;
}

export function customerName(c: { name?: string | null; customer?: Record<string, unknown> | null; email?: string | null }): string {
  const fromProfile = c.customer && typeof c.customer.name === "string" ? c.customer.name : null;
  return c.name || fromProfile || c.email || "Guest shopper";
}

export function queueTitle(state: DeskState, name: string): string {
  return state.queues.find((q) => q.name === name)?.title ?? name;
}

export function isAssignee(state: DeskState, conv: AgentConversation): boolean {
  return !!state.me && conv.assignee?.id === state.me.id;
}

/** The direct thread with a colleague, created empty the first time it is asked for. */
export function directWith(state: DeskState, agentId: string): DirectState {
  let d = state.directs.get(agentId);
  if (!d) {
    d = { agentId, threadId: null, messages: new Map(), unread: 0, loaded: false, draft: "", pending: [] };
    state.directs.set(agentId, d);
  }
  return d;
}

/** The latest customer-visible message, for the sidebar's one-line preview. */
export function lastMessage(s: ConvState): Message | null {
  let last: Message | null = null;
  for (const m of s.public.values()) if (!last || m.seq > last.seq) last = m;
  return last;
}

export function waitingCount(state: DeskState): number {
  let n = 0;
  for (const list of state.requests.values()) n += list.length;
  return n;
}

export function unreadCount(state: DeskState): number {
  let n = 0;
  for (const s of state.convs.values()) n += s.unread;
  for (const d of state.directs.values()) n += d.unread;
  return n;
}
