// Colleagues: who is online and how loaded (presence), and the direct-message thread with each.

import type { Message, PresenceAgent } from "../common/protocol";
import type { Desk } from "./desk";
import { directWith, maxContiguous } from "./state";
import { markDirectRead } from "./unread";

export function onPresence(desk: Desk, agents: PresenceAgent[]): void {
  const { state } = desk;
  state.colleagues.clear();
  for (const a of agents) state.colleagues.set(a.id, a);
  // Another tab (or a lead) may have changed this CSR's own status.
  const mine = state.me ? state.colleagues.get(state.me.id) : undefined;
  if (state.me && mine && mine.status !== "offline") state.me.status = mine.status;
  desk.render();
}

export function onDirect(desk: Desk, m: Message): void {
  const { state, notify } = desk;
  if (!state.me) return;
  const other = m.author.id === state.me.id ? m.to_agent_id : m.author.id;
  if (!other) return;
  const d = directWith(state, other);
  const isNew = !d.messages.has(m.seq);
  const gap = d.loaded && m.seq > maxContiguous(d.messages) + 1;
  d.messages.set(m.seq, m);
  d.pending = d.pending.filter((p) => p.client_id !== m.client_id);
  if (gap) void syncDirect(desk, other);
  const viewing = state.selected?.kind === "direct" && state.selected.agentId === other && !document.hidden;
  // What one writes oneself counts as read too, or it would show as unread after a reload.
  if (isNew && viewing) markDirectRead(desk, d);
  if (isNew && m.author.id !== state.me.id) {
    if (!viewing) {
      d.unread += 1;
      notify.beep(880);
      notify.toast(`${m.author.name ?? "A colleague"}: ${m.text.slice(0, 80)}`);
    }
  }
  desk.render();
}

/** Fetch what is missing after the last contiguous seq, in pages; the thread is then loaded. */
export async function syncDirect(desk: Desk, agentId: string): Promise<void> {
  const d = directWith(desk.state, agentId);
  for (let page = 0; page < 50; page += 1) {
    const ack = await desk.link.call<{ messages: Message[]; has_more?: boolean }>("direct:sync", {
      agent_id: agentId,
      after_seq: maxContiguous(d.messages),
    });
    if (!ack.ok) break;
    for (const m of ack.messages) d.messages.set(m.seq, m);
    if (!ack.has_more || ack.messages.length === 0) break;
  }
  d.loaded = true;
  desk.render();
}
