// A conversation in the workspace: its header with the actions this CSR may take, both threads
// in one stream, who is typing, and the composer.

import { h, replaceChildren } from "../../common/dom";
import { initials } from "../../common/util";
import { closeConversation, leaveConsult } from "../actions";
import { dismiss } from "../conversations";
import type { Desk } from "../desk";
import { consultDialog, requeueDialog, transferDialog } from "../dialogs";
import { retry } from "../sending";
import { type ConvState, customerName, isAssignee, queueTitle } from "../state";
import { renderConversationComposer } from "./composer";
import { isNearBottom, renderMessage, renderPending } from "./messages";

export function renderConversation(desk: Desk, main: HTMLElement, cs: ConvState, rebuild: boolean): void {
  const open = cs.conv.status !== "closed" && !cs.removed;
  renderHeader(desk, main.querySelector(".conv-header")!, cs, open);

  // The stream: both threads by time, the private one unmistakably apart.
  const stream = desk.pane.stream!;
  const atBottom = rebuild || isNearBottom(stream);
  const all = [...cs.public.values(), ...cs.private.values()].sort(
    (a, b) => a.created_at.localeCompare(b.created_at) || (a.thread === b.thread ? a.seq - b.seq : a.thread === "public" ? -1 : 1),
  );
  const nodes: Node[] = all.map((m) => renderMessage(desk.state.me, m));
  for (const p of cs.pending) nodes.push(renderPending(p, (p) => void retry(desk, p)));
  if (nodes.length === 0) nodes.push(h("p", { class: "empty" }, "No messages yet."));
  replaceChildren(stream, ...nodes);
  if (atBottom) stream.scrollTop = stream.scrollHeight;

  const typingLine = main.querySelector(".typing-line")!;
  replaceChildren(
    typingLine,
    cs.typing
      ? h(
          "span",
          { class: cs.typing.thread === "private" ? "private" : "" },
          h("span", { class: "dots", attrs: { "aria-hidden": "true" } }, h("i"), h("i"), h("i")),
          cs.typing.thread === "private" ? `${cs.typing.name} is writing an internal note…` : `${cs.typing.name} is typing…`,
        )
      : null,
  );

  renderConversationComposer(desk, cs, open, rebuild);
}

function renderHeader(desk: Desk, header: Element, cs: ConvState, open: boolean): void {
  const conv = cs.conv;
  const assignee = isAssignee(desk.state, conv);
  const actions: HTMLElement[] = [];
  if (open && assignee) {
    actions.push(
      h("button", { class: "btn", text: "Requeue", attrs: { type: "button" }, on: { click: () => requeueDialog(desk, cs) } }),
      h("button", { class: "btn", text: "Transfer", attrs: { type: "button" }, on: { click: () => transferDialog(desk, cs) } }),
      h("button", { class: "btn", text: "Consult", attrs: { type: "button" }, on: { click: () => consultDialog(desk, cs) } }),
      h("button", { class: "btn danger-outline", text: "Close", attrs: { type: "button" }, on: { click: () => void closeConversation(desk, cs) } }),
    );
  } else if (open) {
    actions.push(h("button", { class: "btn", text: "Leave consult", attrs: { type: "button" }, on: { click: () => void leaveConsult(desk, cs) } }));
  } else {
    actions.push(h("button", { class: "btn", text: "Dismiss", attrs: { type: "button", title: "Remove from your list" }, on: { click: () => dismiss(desk, conv.id) } }));
  }
  const statusText = cs.removed
    ? cs.removed
    : conv.status === "closed"
      ? "Closed"
      : assignee
        ? "Active · you"
        : `Consulting · ${conv.assignee?.name ?? "unassigned"} has it`;
  replaceChildren(
    header,
    h("span", { class: "avatar", attrs: { "aria-hidden": "true" } }, initials(customerName(conv))),
    h(
      "div",
      { class: "conv-title" },
      h("h1", null, customerName(conv)),
      h(
        "div",
        { class: "conv-sub" },
        h("span", { class: "tag queue" }, queueTitle(desk.state, conv.queue)),
        conv.topic ? h("span", null, conv.topic) : null,
        h("span", { class: `status-pill ${cs.removed ? "gone" : conv.status}` }, statusText),
      ),
    ),
    h("div", { class: "conv-actions" }, ...actions),
  );
}
