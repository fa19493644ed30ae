// The chat view: the message log (kept across renders with its scroll position), the shopper's
// unsent messages, the queue position while waiting, the agent's typing, and the end of a chat.

import { ICONS, h, icon, replaceChildren } from "../../common/dom";
import type { Message } from "../../common/protocol";
import { formatEta, formatTime } from "../../common/util";
import type { ChatContext } from "../context";
import { type OutboxItem, discard, retry } from "../outbox";
import { newChat } from "../prechat";
import type { QueuePosition } from "../state";
import { renderComposer } from "./composer";

export function renderChat(ctx: ChatContext): void {
  const { state, shell, pane } = ctx;
  const conv = state.conversation!;
  // The message log keeps its element (and scroll position) across renders.
  if (!pane.log || !shell.body.contains(pane.log)) {
    pane.log = h("div", {
      class: "log",
      attrs: { role: "log", "aria-label": "Conversation", "aria-live": "off", tabindex: "0" },
    });
    replaceChildren(shell.body, pane.log);
  }
  const log = pane.log;
  const fresh = log.childElementCount === 0;
  const atBottom = fresh || log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  const pending = ctx.outbox.forConversation(conv.id);
  const sentSomething = pending.length > pane.lastPendingCount;
  pane.lastPendingCount = pending.length;
  const items: Node[] = [];
  if (conv.topic) items.push(h("div", { class: "topic-chip" }, conv.topic));
  const sorted = [...state.messages.values()].sort((a, b) => a.seq - b.seq);
  // Like most chat apps: the author's name once per run of messages, the delivery state on the
  // shopper's latest message only.
  const lastMine = sorted.filter((m) => m.author.kind === "customer").pop()?.seq;
  let previousAuthor = "";
  for (const m of sorted) {
    const author = `${m.author.kind}:${m.author.id ?? m.author.name ?? ""}`;
    items.push(renderMessage(m, author !== previousAuthor, m.seq === lastMine));
    previousAuthor = author;
  }
  for (const item of pending) items.push(renderPending(ctx, item));
  if (conv.status === "waiting") items.push(renderWaiting(state.position));
  if (state.typingName && conv.status === "active") {
    items.push(
      h(
        "div",
        { class: "typing", attrs: { "aria-label": `${state.typingName} is typing` } },
        h("span", { class: "dots", attrs: { "aria-hidden": "true" } }, h("i"), h("i"), h("i")),
        `${state.typingName} is typing…`,
      ),
    );
  }
  if (conv.status === "closed") {
    items.push(
      h(
        "div",
        { class: "ended" },
        h("p", null, "This chat has ended. The transcript stays here for you to read."),
        h("button", { class: "primary", text: "Start a new chat", attrs: { type: "button" }, on: { click: () => newChat(ctx) } }),
      ),
    );
  }
  replaceChildren(log, ...items);
  // Follow new messages unless the shopper scrolled up to read; always show what they send.
  if (atBottom || sentSomething) log.scrollTop = log.scrollHeight;
  renderComposer(ctx, conv);
}

function renderWaiting(p: QueuePosition | null): HTMLElement {
  const lines: string[] = [];
  if (p && p.position > 0) {
    lines.push(p.position === 1 ? "You're next in line." : `You're number ${p.position} in line.`);
    if (p.eta != null) lines.push(`Estimated wait: ${formatEta(p.eta)}.`);
  } else {
    lines.push("You're in the queue.");
  }
  return h(
    "div",
    { class: "waiting", attrs: { role: "status" } },
    h("span", { class: "pulse", attrs: { "aria-hidden": "true" } }),
    h("div", null, h("strong", null, lines[0]), lines[1] ? h("div", null, lines[1]) : null, h("div", { class: "muted" }, "Keep browsing: we'll answer here, and this chat follows you from page to page.")),
  );
}

function renderMessage(m: Message, showAuthor: boolean, showState: boolean): HTMLElement {
  const time = formatTime(m.created_at);
  if (m.author.kind === "system") {
    return h("div", { class: "system", attrs: { "data-seq": m.seq } }, h("span", { class: "text" }, m.text), time ? h("time", { attrs: { datetime: m.created_at } }, time) : null);
  }
  const mine = m.author.kind === "customer";
  return h(
    "div",
    { class: `msg ${mine ? "mine" : "theirs"}`, attrs: { "data-seq": m.seq, "data-id": m.id } },
    mine || !showAuthor ? null : h("div", { class: "author" }, m.author.name || (m.author.kind === "bot" ? "Assistant" : "Customer care")),
    h("div", { class: "bubble" }, h("span", { class: "text" }, m.text)),
    h(
      "div",
      { class: "meta" },
      h("time", { attrs: { datetime: m.created_at } }, time),
      mine && showState ? h("span", { class: "state sent" }, icon(ICONS.check, 12), "Sent") : null,
    ),
  );
}

function renderPending(ctx: ChatContext, item: OutboxItem): HTMLElement {
  const failed = item.state === "failed";
  const label = failed ? "Not sent" : ctx.state.connected ? "Sending…" : "Waiting for connection";
  return h(
    "div",
    { class: `msg mine pending ${failed ? "failed" : ""}`, attrs: { "data-client-id": item.client_id } },
    h("div", { class: "bubble" }, h("span", { class: "text" }, item.text)),
    h(
      "div",
      { class: "meta" },
      h("span", { class: "state", attrs: { role: failed ? "alert" : null } }, icon(failed ? ICONS.alert : ICONS.clock, 12), failed && item.error ? `${label}: ${item.error}` : label),
      failed
        ? h("button", { class: "link", text: "Retry", attrs: { type: "button", "aria-label": "Retry sending this message" }, on: { click: () => retry(ctx, item) } })
        : null,
      failed
        ? h("button", { class: "link", text: "Delete", attrs: { type: "button", "aria-label": "Delete this unsent message" }, on: { click: () => discard(ctx, item) } })
        : null,
    ),
  );
}
