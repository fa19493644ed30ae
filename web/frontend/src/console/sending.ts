// Sending what the CSR wrote: to the customer, as an internal note, or to a colleague. A message
// shows as pending until the server confirms it, and as failed (with a retry) if it does not.

import type { Message } from "../common/protocol";
import { uid } from "../common/util";
import { addMessage } from "./conversations";
import type { Desk } from "./desk";
import { type ConvState, type Mode, type Pending, directWith } from "./state";
import { markDirectRead, markRead } from "./unread";

/** Send the composer's text to whatever is selected. */
export async function send(desk: Desk): Promise<void> {
  const { state } = desk;
  const sel = state.selected;
  const textarea = desk.pane.composer;
  if (!sel || !textarea) return;
  const text = textarea.value.trim();
  if (!text) return;
  const clientId = uid("a");
  textarea.value = "";
  textarea.style.height = "";
  if (sel.kind === "direct") {
    const d = directWith(state, sel.agentId);
    d.draft = "";
    const pending: Pending = { client_id: clientId, text, thread: "direct", state: "sending", created_at: new Date().toISOString() };
    d.pending.push(pending);
    desk.render();
    const ack = await desk.link.call<{ message: Message }>("direct:send", { to_agent_id: sel.agentId, client_id: clientId, text });
    if (ack.ok) {
      d.pending = d.pending.filter((p) => p !== pending);
      d.messages.set(ack.message.seq, ack.message);
      markDirectRead(desk, d);
    } else {
      pending.state = "failed";
      pending.error = ack.error.message;
    }
    desk.render();
    return;
  }
  const cs = state.convs.get(sel.id);
  if (!cs) return;
  const thread: Mode = cs.mode;
  cs.drafts[thread] = "";
  desk.typing.stop(cs);
  const pending: Pending = { client_id: clientId, text, thread, state: "sending", created_at: new Date().toISOString() };
  cs.pending.push(pending);
  desk.render();
  await deliver(desk, cs, pending);
}

async function deliver(desk: Desk, cs: ConvState, pending: Pending): Promise<void> {
  pending.state = "sending";
  pending.error = undefined;
  desk.render();
  const ack = await desk.link.call<{ message: Message; result?: Message | null }>("chat:send", {
    conversation_id: cs.conv.id,
    client_id: pending.client_id,
    text: pending.text,
    thread: pending.thread,
  });
  if (ack.ok) {
    cs.pending = cs.pending.filter((p) => p !== pending);
    addMessage(cs, ack.message);
    // A slash command's answer comes back with it, as a private bot message.
    if (ack.result) addMessage(cs, ack.result);
    if (desk.state.selected?.kind === "conv" && desk.state.selected.id === cs.conv.id) markRead(desk, cs);
  } else {
    pending.state = "failed";
    pending.error = ack.error.message;
  }
  desk.render();
}

/** Send a failed message again, with the same client id so the server never stores it twice. */
export async function retry(desk: Desk, pending: Pending): Promise<void> {
  const sel = desk.state.selected;
  if (sel?.kind === "conv") {
    const cs = desk.state.convs.get(sel.id);
    if (cs) await deliver(desk, cs, pending);
  } else if (sel?.kind === "direct") {
    pending.state = "sending";
    desk.render();
    const ack = await desk.link.call<{ message: Message }>("direct:send", { to_agent_id: sel.agentId, client_id: pending.client_id, text: pending.text });
    const d = directWith(desk.state, sel.agentId);
    if (ack.ok) {
      d.pending = d.pending.filter((p) => p !== pending);
      d.messages.set(ack.message.seq, ack.message);
    } else {
      pending.state = "failed";
      pending.error = ack.error.message;
    }
    desk.render();
  }
}
