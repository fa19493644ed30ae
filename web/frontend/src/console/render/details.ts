// The details panel on the right: who the customer is, the page they are on, and the
// conversation's facts.

import { h, replaceChildren } from "../../common/dom";
import type { AgentConversation } from "../../common/protocol";
import { formatDateTime, initials } from "../../common/util";
import { type DeskState, customerName, queueTitle } from "../state";

export function renderDetails(state: DeskState, details: HTMLElement): void {
  const sel = state.selected;
  const cs = sel?.kind === "conv" ? state.convs.get(sel.id) : undefined;
  if (!cs) {
    replaceChildren(details, h("p", { class: "empty" }, sel?.kind === "direct" ? "Direct messages are between you and your colleague only." : "Customer details show here when a conversation is open."));
    return;
  }
  const conv = cs.conv;
  const profile = conv.customer ?? null;
  // Whatever else the storefront's profile holds, as plain values (name, email and id are shown apart).
  const extra = profile
    ? Object.entries(profile).filter(([k, v]) => !["id", "name", "email"].includes(k) && v !== null && v !== undefined && typeof v !== "object")
    : [];
  replaceChildren(
    details,
    h(
      "section",
      { class: "panel-card" },
      h("h2", null, "Customer"),
      h(
        "div",
        { class: "who" },
        h("span", { class: "avatar big", attrs: { "aria-hidden": "true" } }, initials(customerName(conv))),
        h("div", null, h("div", { class: "who-name" }, customerName(conv)), h("div", { class: "who-sub" }, profile ? "Signed-in customer" : "Guest (not signed in)")),
      ),
      h(
        "dl",
        null,
        row("Email", conv.email || (profile && typeof profile.email === "string" ? profile.email : null)),
        row("Customer id", profile && typeof profile.id === "string" ? profile.id : null),
        ...extra.map(([k, v]) => row(k.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase()), typeof v === "boolean" ? (v ? "Yes" : "No") : String(v))),
      ),
    ),
    h("section", { class: "panel-card" }, h("h2", null, "Now viewing"), currentPage(conv) ?? h("p", { class: "empty" }, "No page reported yet.")),
    h(
      "section",
      { class: "panel-card" },
      h("h2", null, "Conversation"),
      h(
        "dl",
        null,
        row("Topic", conv.topic),
        row("Queue", queueTitle(state, conv.queue)),
        row("Waiting since", formatDateTime(conv.waiting_since)),
        row("Accepted", conv.accepted_at ? formatDateTime(conv.accepted_at) : null),
        row("Assigned to", conv.assignee ? (conv.assignee.id === state.me?.id ? "You" : conv.assignee.name) : "Nobody"),
        row("Consulting", conv.consultants.length ? conv.consultants.map((c) => (c.id === state.me?.id ? "You" : c.name)).join(", ") : null),
        row("Requeued from", conv.requeued_from ? queueTitle(state, conv.requeued_from) : null),
        row("Requeue note", conv.note),
      ),
    ),
  );
}

/** A term and its value, or nothing when there is no value. */
function row(label: string, value: Node | string | null): HTMLElement | null {
  return value ? h("div", { class: "kv" }, h("dt", null, label), h("dd", null, value)) : null;
}

/** The page the shopper is on. The URL comes from their browser: only http(s) becomes a link. */
function currentPage(conv: AgentConversation): HTMLElement | null {
  const url = conv.visitor.current_url;
  if (!url) return null;
  let safe = "#";
  try {
    const parsed = new URL(url);
    if (parsed.protocol === "http:" || parsed.protocol === "https:") safe = parsed.href;
  } catch {
    /* not a URL: shown as text only */
  }
  return h(
    "div",
    { class: "current-page" },
    h("div", { class: "page-title" }, conv.visitor.current_title || url),
    safe !== "#" ? h("a", { attrs: { href: safe, target: "_blank", rel: "noopener noreferrer" } }, url) : h("span", null, url),
  );
}
