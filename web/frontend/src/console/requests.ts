// Waiting requests: the queues this CSR watches (remembered per CSR in this browser), the list of
// who is waiting in them, and accepting one.

import type { AgentConversation, AgentSession, Message, WaitingRequest } from "../common/protocol";
import { storageGet, storageSet } from "../common/util";
import { addMessage, syncConversation, upsertConversation } from "./conversations";
import type { Desk } from "./desk";
import { customerName, queueTitle } from "./state";

const watchKey = (agentId: string) => `careline.console.watch.${agentId}`;

/** The queues to watch after sign-in: the last choice in this browser, else the CSR's own queues. */
export function initialWatch(s: AgentSession): string[] {
  const saved = storageGet<string[] | null>(localStorage, watchKey(s.agent.id), null);
  const names = new Set(s.queues.map((q) => q.name));
  return (saved ?? s.queues.filter((q) => q.member).map((q) => q.name)).filter((n) => names.has(n));
}

export async function watch(desk: Desk, names: string[]): Promise<void> {
  const { state } = desk;
  const ack = await desk.link.call<{ waiting: WaitingRequest[] }>("queue:watch", { queues: names });
  if (!ack.ok) {
    desk.notify.toast(ack.error.message, "error");
    return;
  }
  state.watched = names;
  if (state.me) storageSet(localStorage, watchKey(state.me.id), names);
  state.requests.clear();
  for (const name of names) state.requests.set(name, []);
  for (const r of ack.waiting) {
    state.requests.get(r.queue)?.push(r);
    state.knownRequests.add(r.conversation_id);
  }
  desk.render();
}

export function onQueueUpdate(desk: Desk, queue: string, waiting: WaitingRequest[]): void {
  const { state, notify } = desk;
  if (!state.watched.includes(queue)) return;
  const fresh = waiting.filter((r) => !state.knownRequests.has(r.conversation_id));
  for (const r of waiting) state.knownRequests.add(r.conversation_id);
  state.requests.set(queue, waiting);
  if (fresh.length) {
    notify.beep(660);
    const who = customerName(fresh[0]);
    notify.toast(fresh.length === 1 ? `New request from ${who} in ${queueTitle(state, queue)}` : `${fresh.length} new requests in ${queueTitle(state, queue)}`);
  }
  desk.render();
}

export async function accept(desk: Desk, r: WaitingRequest): Promise<void> {
  const { state } = desk;
  if (state.accepting.has(r.conversation_id)) return;
  state.accepting.add(r.conversation_id);
  desk.render();
  const ack = await desk.link.call<{ conversation: AgentConversation; messages: Message[]; private_messages?: Message[] }>("request:accept", {
    conversation_id: r.conversation_id,
  });
  state.accepting.delete(r.conversation_id);
  if (!ack.ok) {
    const who = customerName(r);
    const text =
      ack.error.code === "already_taken"
        ? `Too late: a colleague has already taken the chat with ${who}.`
        : ack.error.code === "at_capacity"
          ? `You are at your limit of ${state.me?.max_chats ?? ""} open chats. Close one to take another.`
          : ack.error.message;
    desk.notify.toast(text, "error");
    if (ack.error.code === "already_taken" || ack.error.code === "not_found") {
      // It is not waiting any more, whatever the list last said.
      for (const [queue, list] of state.requests) {
        state.requests.set(queue, list.filter((x) => x.conversation_id !== r.conversation_id));
      }
    }
    desk.render();
    return;
  }
  const cs = upsertConversation(state, ack.conversation, true);
  for (const m of ack.messages) addMessage(cs, m);
  for (const m of ack.private_messages ?? []) addMessage(cs, m);
  cs.mode = "public";
  desk.select({ kind: "conv", id: ack.conversation.id });
  void syncConversation(desk, ack.conversation.id);
}
