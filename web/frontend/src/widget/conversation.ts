// The shopper's conversation: its public messages in seq order (fetched again after any gap),
// its status, the queue position while waiting, the agent's typing, and ending it.

import type { Message, TypingEvent } from "../common/protocol";
import { storageSet } from "../common/util";
import type { ChatContext } from "./context";
import type { PositionEvent, StatusEvent } from "./session";
import { maxSeq } from "./state";

const TYPING_SHOW_MS = 7000;

/** Fetch everything after the last message seen, in pages, then show it once, in order. */
export async function sync(ctx: ChatContext): Promise<void> {
  const { state } = ctx;
  if (!state.conversation || state.syncing || !state.connected) return;
  state.syncing = true;
  try {
    for (let page = 0; page < 50; page += 1) {
      const conv = state.conversation;
      if (!conv) break;
      const ack = await ctx.link.call<{ messages: Message[]; has_more?: boolean }>("chat:sync", {
        conversation_id: conv.id,
        after_seq: maxSeq(state.messages),
      });
      if (!ack.ok) {
        if (ack.error.code === "not_found" && conv.status === "closed" && state.messages.size === 0) {
          // The last conversation is gone (another browser profile, say): forget it.
          storageSet(localStorage, ctx.key("last_conversation"), null);
          state.conversation = null;
        }
        break;
      }
      for (const m of ack.messages) addMessage(ctx, m, false);
      if (!ack.has_more || ack.messages.length === 0) break;
    }
  } finally {
    state.syncing = false;
    ctx.render();
  }
}

/** Store a message of the current conversation; one from an event may also count as unread. */
export function addMessage(ctx: ChatContext, m: Message, fromEvent: boolean): void {
  const { state } = ctx;
  if (!state.conversation || m.conversation_id !== state.conversation.id || m.thread !== "public") return;
  const isNew = !state.messages.has(m.seq);
  state.messages.set(m.seq, m);
  if (m.author.kind === "customer") ctx.outbox.drop(m.client_id);
  if (isNew && fromEvent && m.author.kind !== "customer") {
    if (m.author.kind === "agent") state.typingName = null;
    if (!state.open || document.hidden) state.unread += 1;
    announce(ctx, `${m.author.name || "Customer care"}: ${m.text}`);
  }
}

export function onMessage(ctx: ChatContext, m: Message): void {
  const { state } = ctx;
  if (state.starting) return; // the sync after chat:start brings it
  if (!state.conversation || m.conversation_id !== state.conversation.id) {
    if (m.thread === "public" && (!state.conversation || state.conversation.status === "closed")) {
      // Another tab started a conversation: reconnect to pick it up with its session.
      ctx.link.reconnect();
    }
    return;
  }
  const gap = m.seq > maxSeq(state.messages) + 1;
  addMessage(ctx, m, true);
  if (gap) void sync(ctx);
  ctx.render();
}

export function onStatus(ctx: ChatContext, s: StatusEvent): void {
  const { state } = ctx;
  if (state.starting) return;
  if (!state.conversation || state.conversation.id !== s.conversation_id) {
    // Another tab's conversation: a fresh session brings it here too.
    if (s.status !== "closed") ctx.link.reconnect();
    return;
  }
  const was = state.conversation.status;
  state.conversation.status = s.status;
  state.conversation.agent = s.agent;
  if (s.status !== "waiting") state.position = null;
  if (s.status === "closed") {
    state.typingName = null;
    state.confirmClose = false;
  }
  if (was === "waiting" && s.status === "active" && s.agent) announce(ctx, `${s.agent.name} joined the chat`);
  void sync(ctx);
  ctx.render();
}

export function onPosition(ctx: ChatContext, p: PositionEvent): void {
  const { state } = ctx;
  // It may come before the answer to chat:start: keep it for when the conversation is known.
  state.positions.set(p.conversation_id, { position: p.position, eta: p.eta_seconds });
  if (state.conversation?.id !== p.conversation_id) return;
  state.position = { position: p.position, eta: p.eta_seconds };
  state.conversation.position = p.position;
  ctx.render();
}

export function onTyping(ctx: ChatContext, t: TypingEvent): void {
  const { state } = ctx;
  if (state.conversation?.id !== t.conversation_id) return;
  window.clearTimeout(state.typingTimer);
  state.typingName = t.typing ? t.name || state.conversation.agent?.name || "Your agent" : null;
  // No "stopped" comes when the agent's tab closes: the indicator goes by itself.
  if (t.typing) state.typingTimer = window.setTimeout(() => ((state.typingName = null), ctx.render()), TYPING_SHOW_MS);
  ctx.render();
}

export async function closeChat(ctx: ChatContext): Promise<void> {
  const conv = ctx.state.conversation;
  if (!conv) return;
  ctx.state.confirmClose = false;
  const ack = await ctx.link.call("chat:close", { conversation_id: conv.id });
  // invalid_state: it had already ended, which is what the shopper wanted.
  if (ack.ok || ack.error.code === "invalid_state") conv.status = "closed";
  ctx.typing.stop();
  ctx.render();
}

/** Read out by screen readers; the log itself is not live, or every re-render would speak. */
export function announce(ctx: ChatContext, text: string): void {
  ctx.shell.live.textContent = text;
}
