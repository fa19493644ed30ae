// Bookkeeping of the conversations this CSR has open: who holds them, their two threads (public
// and private) in seq order, unread counts, and the customer's typing.

import type { AgentConversation, Message, TypingEvent } from "../common/protocol";
import type { Desk } from "./desk";
import { type ConvState, type DeskState, customerName, isAssignee, maxContiguous, queueTitle } from "./state";
import { markRead } from "./unread";

const TYPING_SHOW_MS = 7000;

export function upsertConversation(state: DeskState, conv: AgentConversation, fresh: boolean): ConvState {
  let cs = state.convs.get(conv.id);
  if (!cs) {
    cs = {
      conv,
      public: new Map(),
      private: new Map(),
      unread: 0,
      typing: null,
      drafts: { public: "", private: "" },
      mode: isAssignee(state, conv) ? "public" : "private",
      pending: [],
      removed: null,
    };
    state.convs.set(conv.id, cs);
    state.order.unshift(conv.id);
    if (fresh) cs.unread = 0;
  } else {
    cs.conv = conv;
    cs.removed = null;
  }
  // Only the assignee may write to the customer; a consultant writes internal notes.
  if (!isAssignee(state, conv)) cs.mode = "private";
  return cs;
}

/** Store a message in its thread; true when it was not there yet. */
export function addMessage(cs: ConvState, m: Message): boolean {
  if (m.thread !== "public" && m.thread !== "private") return false;
  const map = cs[m.thread];
  const isNew = !map.has(m.seq);
  map.set(m.seq, m);
  cs.pending = cs.pending.filter((p) => p.client_id !== m.client_id);
  return isNew;
}

export async function onConversationUpdate(desk: Desk, conv: AgentConversation): Promise<void> {
  const { state, notify } = desk;
  if (!state.me) return;
  const me = state.me;
  const mine = isAssignee(state, conv) || conv.consultants.some((c) => c.id === me.id);
  const existing = state.convs.get(conv.id);
  if (!mine) {
    if (existing) {
      existing.conv = conv;
      if (conv.status === "closed") {
        desk.render();
        return;
      }
      const why =
        conv.status === "waiting"
          ? `Requeued to ${queueTitle(state, conv.queue)}`
          : conv.assignee
            ? `Now with ${conv.assignee.name}`
            : "No longer yours";
      existing.removed = why;
      dismiss(desk, conv.id, `${customerName(conv)}: ${why.toLowerCase()}.`);
    }
    return;
  }
  const isNew = !existing || !!existing.removed;
  const cs = upsertConversation(state, conv, isNew);
  // A conversation this CSR is accepting arrives here too; the accept itself says so.
  if (isNew && !state.accepting.has(conv.id)) {
    const role = isAssignee(state, conv) ? "assigned to you" : "you were invited to consult";
    notify.toast(`${customerName(conv)}: ${role}.`);
    notify.beep(740);
    cs.unread = Math.max(cs.unread, 1);
    await syncConversation(desk, conv.id);
  }
  desk.render();
}

/** Fetch what is missing after the last contiguous seq of both threads, in pages. */
export async function syncConversation(desk: Desk, id: string): Promise<void> {
  for (const thread of ["public", "private"] as const) {
    for (let page = 0; page < 50; page += 1) {
      const cs = desk.state.convs.get(id);
      if (!cs) return;
      const ack = await desk.link.call<{ messages: Message[]; has_more?: boolean }>("chat:sync", {
        conversation_id: id,
        thread,
        after_seq: maxContiguous(cs[thread]),
      });
      if (!ack.ok) break;
      for (const m of ack.messages) addMessage(cs, m);
      if (!ack.has_more || ack.messages.length === 0) break;
    }
  }
  desk.render();
}

export function onMessage(desk: Desk, m: Message): void {
  const { state, notify } = desk;
  if (!m.conversation_id) return;
  const cs = state.convs.get(m.conversation_id);
  if (!cs) return;
  const map = m.thread === "private" ? cs.private : cs.public;
  // A seq beyond the next one means events were missed: fetch the gap.
  const gap = m.seq > maxContiguous(map) + 1;
  const isNew = addMessage(cs, m);
  if (gap) void syncConversation(desk, cs.conv.id);
  const viewingConv = state.selected?.kind === "conv" && state.selected.id === cs.conv.id && !document.hidden;
  if (isNew && viewingConv) markRead(desk, cs);
  if (isNew && m.author.id !== state.me?.id && m.author.kind !== "system") {
    notify.announce(`${m.thread === "private" ? "Internal, " : ""}${m.author.name ?? "Customer"}: ${m.text}`);
    if (cs.typing && (m.author.kind === "customer" || m.author.name === cs.typing.name)) cs.typing = null;
    if (!viewingConv) {
      cs.unread += 1;
      notify.beep(880);
    }
  }
  desk.render();
}

export function onTyping(desk: Desk, t: TypingEvent): void {
  const cs = desk.state.convs.get(t.conversation_id);
  if (!cs) return;
  if (cs.typing) window.clearTimeout(cs.typing.timer);
  // The server sends no "stopped" when a tab closes: the indicator goes by itself.
  cs.typing = t.typing
    ? {
        name: t.name || customerName(cs.conv),
        thread: t.thread === "private" ? "private" : "public",
        timer: window.setTimeout(() => {
          cs.typing = null;
          desk.render();
        }, TYPING_SHOW_MS),
      }
    : null;
  desk.render();
}

export function onStatus(desk: Desk, conversationId: string, status: AgentConversation["status"]): void {
  const cs = desk.state.convs.get(conversationId);
  if (cs) {
    cs.conv.status = status;
    desk.render();
  }
}

export function onVisitorPage(desk: Desk, p: { conversation_id: string; url: string; title: string }): void {
  const cs = desk.state.convs.get(p.conversation_id);
  if (!cs) return;
  cs.conv.visitor.current_url = p.url;
  cs.conv.visitor.current_title = p.title;
  desk.render();
}

/** Take a conversation off this CSR's list, selecting the next one if it was open. */
export function dismiss(desk: Desk, id: string, message?: string): void {
  const { state } = desk;
  const wasSelected = state.selected?.kind === "conv" && state.selected.id === id;
  state.convs.delete(id);
  state.order = state.order.filter((x) => x !== id);
  if (message) desk.notify.toast(message);
  if (wasSelected) {
    state.selected = state.order.length ? { kind: "conv", id: state.order[0] } : null;
    desk.pane.renderedSelection = "";
  }
  desk.render();
}
