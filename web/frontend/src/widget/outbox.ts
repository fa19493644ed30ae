// The outbox: every message the shopper sends goes out in order, and survives a reload or a
// dropped network, because it waits in localStorage until the server has it. Other tabs of the
// same shop show the same pending messages.

import type { Message } from "../common/protocol";
import { storageGet, storageSet, uid } from "../common/util";
import type { ChatContext } from "./context";
import { addMessage } from "./conversation";

export interface OutboxItem {
  client_id: string;
  conversation_id: string;
  text: string;
  created_at: string;
  state: "queued" | "sending" | "failed";
  error?: string;
}

export class Outbox {
  items: OutboxItem[];
  /** A flush is under way: one at a time keeps the messages in order. */
  flushing = false;

  constructor(private readonly storageKey: string) {
    // A message that was on its way when the page went away is sent again (the server drops a
    // repeated client id).
    this.items = storageGet<OutboxItem[]>(localStorage, storageKey, []).map((item) =>
      item.state === "sending" ? { ...item, state: "queued" } : item,
    );
  }

  save(): void {
    storageSet(localStorage, this.storageKey, this.items.length ? this.items : null);
  }

  drop(clientId: string): void {
    const before = this.items.length;
    this.items = this.items.filter((item) => item.client_id !== clientId);
    if (this.items.length !== before) this.save();
  }

  /** Another tab queued or sent something: true when the items were reloaded. */
  onStorage(e: StorageEvent): boolean {
    if (e.key !== this.storageKey) return false;
    this.items = storageGet<OutboxItem[]>(localStorage, this.storageKey, []);
    return true;
  }

  /** The link dropped: whatever was on its way goes out again on reconnect. */
  requeueSending(): void {
    for (const item of this.items) if (item.state === "sending") item.state = "queued";
  }

  /** Forget what belongs to other (ended) conversations: it can no longer be sent. */
  keepOnly(conversationId: string): void {
    this.items = this.items.filter((i) => i.conversation_id === conversationId);
    this.save();
  }

  forConversation(conversationId: string): OutboxItem[] {
    return this.items.filter((i) => i.conversation_id === conversationId);
  }
}

export function sendMessage(ctx: ChatContext, text: string): void {
  const conv = ctx.state.conversation;
  if (!conv || conv.status === "closed") return;
  ctx.outbox.items.push({
    client_id: uid("w"),
    conversation_id: conv.id,
    text,
    created_at: new Date().toISOString(),
    state: "queued",
  });
  ctx.outbox.save();
  ctx.typing.stop();
  ctx.render(true);
  void flush(ctx);
}

/** Send the queued messages of the current conversation, one by one, while connected. */
export async function flush(ctx: ChatContext): Promise<void> {
  const { state, outbox } = ctx;
  if (outbox.flushing || !state.connected || !state.conversation) return;
  outbox.flushing = true;
  try {
    for (;;) {
      const item = outbox.items.find((i) => i.state === "queued" && i.conversation_id === state.conversation?.id);
      if (!item || !state.connected) break;
      item.state = "sending";
      ctx.render();
      const ack = await ctx.link.call<{ message: Message }>("chat:send", {
        conversation_id: item.conversation_id,
        client_id: item.client_id,
        text: item.text,
      });
      if (ack.ok) {
        addMessage(ctx, ack.message, false);
        outbox.drop(item.client_id);
      } else if (ack.error.code === "timeout" && !state.connected) {
        item.state = "queued"; // goes out on reconnect
        break;
      } else {
        item.state = "failed";
        item.error = ack.error.message;
      }
      outbox.save();
      ctx.render();
    }
  } finally {
    outbox.flushing = false;
    ctx.render();
  }
}

export function retry(ctx: ChatContext, item: OutboxItem): void {
  item.state = "queued";
  item.error = undefined;
  ctx.outbox.save();
  ctx.render();
  void flush(ctx);
}

export function discard(ctx: ChatContext, item: OutboxItem): void {
  ctx.outbox.drop(item.client_id);
  ctx.render();
}
