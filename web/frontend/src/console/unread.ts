// Read marks: what is on screen in a visible tab counts as read, the server is told how far each
// thread is read (so another tab or a reload shows the same counts), and the tab title follows.

import type { Desk } from "./desk";
import { updateTitle } from "./notify";
import { type ConvState, type DirectState, maxContiguous } from "./state";

export function markRead(desk: Desk, cs: ConvState): void {
  cs.unread = 0;
  for (const thread of ["public", "private"] as const) {
    const seq = maxContiguous(cs[thread]);
    sendRead(desk, `${cs.conv.id}:${thread}`, seq);
  }
}

/** Tell the server how far a thread is read, once per new mark. */
export function sendRead(desk: Desk, threadId: string, seq: number): void {
  const { readSent } = desk.state;
  if (seq <= 0 || (readSent.get(threadId) ?? 0) >= seq) return;
  readSent.set(threadId, seq);
  desk.link.emit("chat:read", { thread_id: threadId, seq });
}

export function markDirectRead(desk: Desk, d: DirectState): void {
  d.unread = 0;
  const seq = maxContiguous(d.messages);
  const me = desk.state.me;
  // The id of a direct thread names the pair of CSRs, lower id first.
  d.threadId ??= me ? `d:${[me.id, d.agentId].sort().join(":")}` : null;
  if (d.threadId) sendRead(desk, d.threadId, seq);
}

export function markSelectedRead(desk: Desk): void {
  const { state } = desk;
  if (document.hidden) return;
  if (state.selected?.kind === "conv") {
    const cs = state.convs.get(state.selected.id);
    if (cs && cs.unread) markRead(desk, cs);
  } else if (state.selected?.kind === "direct") {
    const d = state.directs.get(state.selected.agentId);
    if (d && d.unread) markDirectRead(desk, d);
  }
  updateTitle(state);
}
