// The sidebar: waiting requests with the queue filter, this CSR's conversations, and the team.

import { h, replaceChildren } from "../../common/dom";
import type { PresenceAgent, WaitingRequest } from "../../common/protocol";
import { formatElapsed, initials } from "../../common/util";
import type { Desk } from "../desk";
import { accept, watch } from "../requests";
import { type ConvState, customerName, isAssignee, lastMessage, queueTitle } from "../state";

export function renderSidebar(desk: Desk, sidebar: HTMLElement): void {
  // Re-rendering replaces the sections: keep the CSR's scroll position.
  const scroll = sidebar.scrollTop;
  const { state } = desk;
  const requests = [...state.requests.values()].flat().sort((a, b) => a.waiting_since.localeCompare(b.waiting_since));
  const team = [...state.colleagues.values()].filter((a) => a.id !== state.me?.id);
  team.sort((a, b) => ["available", "away", "offline"].indexOf(a.status) - ["available", "away", "offline"].indexOf(b.status) || a.name.localeCompare(b.name));

  replaceChildren(
    sidebar,
    h(
      "section",
      { class: "side-section" },
      h("h2", null, "Waiting", requests.length ? h("span", { class: "count big" }, String(requests.length)) : null),
      renderQueueFilter(desk),
      requests.length
        ? h("ul", { class: "requests" }, ...requests.map((r) => renderRequest(desk, r)))
        : h("p", { class: "empty" }, state.watched.length ? "No one is waiting. New requests appear here." : "Choose the queues you want to watch."),
    ),
    h("section", { class: "side-section" }, h("h2", null, "My conversations"), renderConversationList(desk)),
    h("section", { class: "side-section" }, h("h2", null, "Team"), team.length ? renderTeam(desk, team) : h("p", { class: "empty" }, "No colleagues yet.")),
  );
  sidebar.scrollTop = scroll;
}

function renderQueueFilter(desk: Desk): HTMLElement {
  const { state } = desk;
  // An agent is offered only their own queues; leads and admins every queue.
  return h(
    "div",
    { class: "queue-filter", attrs: { role: "group", "aria-label": "Queues you watch" } },
    ...state.queues
      .filter((q) => q.member || state.me?.role !== "agent")
      .map((q) => {
        const on = state.watched.includes(q.name);
        const count = state.requests.get(q.name)?.length ?? 0;
        return h(
          "button",
          {
            class: `chip ${on ? "on" : ""}`,
            attrs: { type: "button", "aria-pressed": String(on), title: on ? `Stop watching ${q.title}` : `Watch ${q.title}` },
            on: { click: () => void watch(desk, on ? state.watched.filter((n) => n !== q.name) : [...state.watched, q.name]) },
          },
          q.title,
          on && count ? h("span", { class: "count" }, String(count)) : null,
        );
      }),
  );
}

function renderRequest(desk: Desk, r: WaitingRequest): HTMLElement {
  const { state } = desk;
  const busy = state.accepting.has(r.conversation_id);
  const name = customerName(r);
  return h(
    "li",
    { class: "request", attrs: { "data-conversation": r.conversation_id } },
    h(
      "div",
      { class: "request-head" },
      h("span", { class: "request-name" }, name),
      r.customer ? h("span", { class: "tag known", attrs: { title: "Signed-in customer" } }, "Customer") : h("span", { class: "tag guest" }, "Guest"),
      h("span", { class: "waited", attrs: { "data-since": r.waiting_since, title: "Waiting time" } }, formatElapsed(r.waiting_since)),
    ),
    h("div", { class: "request-meta" }, h("span", { class: "tag queue" }, queueTitle(state, r.queue)), r.topic ? h("span", null, r.topic) : null),
    r.preview ? h("p", { class: "preview" }, r.preview) : null,
    r.requeued_from
      ? h("p", { class: "requeue-note" }, h("strong", null, `Requeued from ${queueTitle(state, r.requeued_from)}`), r.note ? `: ${r.note}` : "")
      : null,
    h(
      "button",
      {
        class: "btn primary small",
        text: busy ? "Accepting…" : "Accept",
        attrs: { type: "button", disabled: busy || !state.connected, "aria-label": `Accept chat with ${name}` },
        on: { click: () => void accept(desk, r) },
      },
    ),
  );
}

function renderConversationList(desk: Desk): HTMLElement {
  const { state } = desk;
  const convItems = state.order.map((id) => state.convs.get(id)!).filter(Boolean);
  if (!convItems.length) return h("p", { class: "empty" }, "No open conversations. Accept a request to start.");
  return h("ul", { class: "convs" }, ...convItems.map((s) => renderConversationItem(desk, s)));
}

function renderConversationItem(desk: Desk, s: ConvState): HTMLElement {
  const { state } = desk;
  const active = state.selected?.kind === "conv" && state.selected.id === s.conv.id;
  const last = lastMessage(s);
  const consulting = !isAssignee(state, s.conv) && s.conv.status !== "closed";
  return h(
    "li",
    null,
    h(
      "button",
      {
        class: `conv-item ${active ? "selected" : ""} status-${s.conv.status}`,
        attrs: { type: "button", "aria-current": active ? "true" : null, "aria-label": `${customerName(s.conv)}${s.unread ? `, ${s.unread} unread` : ""}` },
        on: { click: () => desk.select({ kind: "conv", id: s.conv.id }) },
      },
      h("span", { class: "avatar", attrs: { "aria-hidden": "true" } }, initials(customerName(s.conv))),
      h(
        "span",
        { class: "conv-text" },
        h("span", { class: "conv-name" }, customerName(s.conv)),
        s.typing && s.typing.thread === "public"
          ? h("span", { class: "conv-last typing" }, "typing…")
          : h("span", { class: "conv-last" }, last ? `${last.author.kind === "customer" || last.author.kind === "system" ? "" : `${last.author.id === state.me?.id ? "You" : last.author.name ?? ""}: `}${last.text}` : s.conv.topic ?? ""),
      ),
      h(
        "span",
        { class: "conv-side" },
        s.unread ? h("span", { class: "unread", attrs: { "aria-hidden": "true" } }, String(s.unread)) : null,
        s.conv.status === "closed" ? h("span", { class: "tag closed" }, "Closed") : consulting ? h("span", { class: "tag consult" }, "Consult") : null,
      ),
    ),
  );
}

function renderTeam(desk: Desk, team: PresenceAgent[]): HTMLElement {
  const { state } = desk;
  return h(
    "ul",
    { class: "team" },
    ...team.map((a) => {
      const d = state.directs.get(a.id);
      const active = state.selected?.kind === "direct" && state.selected.agentId === a.id;
      return h(
        "li",
        null,
        h(
          "button",
          {
            class: `team-item ${active ? "selected" : ""}`,
            attrs: { type: "button", "aria-label": `Message ${a.name}, ${a.status}${d?.unread ? `, ${d.unread} unread` : ""}`, "aria-current": active ? "true" : null },
            on: { click: () => desk.select({ kind: "direct", agentId: a.id }) },
          },
          h("span", { class: `dot ${a.status}`, attrs: { "aria-hidden": "true" } }),
          h("span", { class: "team-name" }, a.name),
          h("span", { class: "team-load", attrs: { title: "Open chats" } }, a.status === "offline" ? "offline" : `${a.status === "away" ? "away · " : ""}${a.load}/${a.max_chats ?? "?"}`),
          d?.unread ? h("span", { class: "unread" }, String(d.unread)) : null,
        ),
      );
    }),
  );
}
