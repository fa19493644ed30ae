// What the CSR does to their own status and to a conversation from its header (besides the
// requeue, transfer and consult dialogs of dialogs.ts).

import type { AgentStatus } from "../common/protocol";
import { dismiss } from "./conversations";
import type { Desk } from "./desk";
import { confirmDialog } from "./dialogs";
import { type ConvState, customerName } from "./state";

export async function setStatus(desk: Desk, status: AgentStatus): Promise<void> {
  // Only "available" and "away" can be chosen; "offline" is for the server to say.
  if (status === "offline") return;
  const ack = await desk.link.call("agent:status", { status });
  if (ack.ok && desk.state.me) desk.state.me.status = status;
  else if (!ack.ok) desk.notify.toast(ack.error.message, "error");
  desk.render();
}

export async function closeConversation(desk: Desk, cs: ConvState): Promise<void> {
  const ok = await confirmDialog(
    desk.pane,
    "Close this conversation?",
    `The chat with ${customerName(cs.conv)} ends for the customer too. The transcript stays readable.`,
    "Close conversation",
  );
  if (!ok) return;
  const ack = await desk.link.call("chat:close", { conversation_id: cs.conv.id });
  if (!ack.ok) desk.notify.toast(ack.error.message, "error");
  else {
    cs.conv.status = "closed";
    desk.notify.toast(`Conversation with ${customerName(cs.conv)} closed.`);
  }
  desk.render();
}

export async function leaveConsult(desk: Desk, cs: ConvState): Promise<void> {
  const ack = await desk.link.call("consult:leave", { conversation_id: cs.conv.id });
  if (!ack.ok) desk.notify.toast(ack.error.message, "error");
  else dismiss(desk, cs.conv.id, `You left the consult on ${customerName(cs.conv)}.`);
}
