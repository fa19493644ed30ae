// One message in the workspace stream: a customer's, a CSR's (public, internal or direct), a bot's
// command result, a system line, or one of this CSR's still pending.

import { ICONS, h, icon } from "../../common/dom";
import type { AgentInfo, Message } from "../../common/protocol";
import { formatTime } from "../../common/util";
import { renderCard } from "../cards";
import type { Pending } from "../state";

export function renderMessage(me: AgentInfo | null, m: Message): HTMLElement {
  const time = h("time", { attrs: { datetime: m.created_at, title: new Date(m.created_at).toLocaleString() } }, formatTime(m.created_at));
  if (m.author.kind === "system") {
    return h("div", { class: `sys ${m.thread}`, attrs: { "data-seq": m.seq, "data-thread": m.thread } }, m.thread === "private" ? icon(ICONS.lock, 12) : null, h("span", { class: "text" }, m.text), time);
  }
  const mine = !!me && m.author.id === me.id && m.author.kind === "agent";
  const isPrivate = m.thread === "private";
  const author = m.author.kind === "bot" ? (m.author.name || "Careline bot") : m.author.name || (m.author.kind === "customer" ? "Customer" : "CSR");
  const body = m.card ? renderCard(m.card, m.text) : h("div", { class: "text" }, m.text);
  return h(
    "div",
    {
      class: `msg ${m.author.kind} ${isPrivate ? "private" : m.thread === "direct" ? "direct" : "public"} ${mine ? "mine" : ""}`,
      attrs: { "data-seq": m.seq, "data-thread": m.thread, "data-id": m.id },
    },
    h(
      "div",
      { class: "msg-head" },
      isPrivate ? h("span", { class: "private-label" }, icon(ICONS.lock, 12), m.author.kind === "bot" ? "Command result" : "Internal") : null,
      h("span", { class: "msg-author" }, mine ? "You" : author),
      time,
    ),
    h("div", { class: "bubble" }, body),
  );
}

export function renderPending(p: Pending, retry: (p: Pending) => void): HTMLElement {
  const failed = p.state === "failed";
  return h(
    "div",
    { class: `msg agent mine pending ${p.thread === "private" ? "private" : "public"} ${failed ? "failed" : ""}`, attrs: { "data-client-id": p.client_id } },
    h(
      "div",
      { class: "msg-head" },
      p.thread === "private" ? h("span", { class: "private-label" }, icon(ICONS.lock, 12), "Internal") : null,
      h("span", { class: "msg-author" }, "You"),
      h("span", { class: "state", attrs: { role: failed ? "alert" : null } }, failed ? `Not sent: ${p.error ?? "error"}` : "Sending…"),
      failed ? h("button", { class: "link", text: "Retry", attrs: { type: "button" }, on: { click: () => retry(p) } }) : null,
    ),
    h("div", { class: "bubble" }, h("div", { class: "text" }, p.text)),
  );
}

/** Keep following the stream's end unless the CSR scrolled up to read. */
export function isNearBottom(stream: HTMLElement): boolean {
  return stream.scrollHeight - stream.scrollTop - stream.clientHeight < 60;
}
