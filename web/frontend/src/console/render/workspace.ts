// The workspace in the middle: the selected conversation or direct thread, or a placeholder.
// Its header, stream, typing line and composer box are built once per selection; later renders
// update them in place (see Pane in layout.ts).

import { ICONS, h, icon, replaceChildren } from "../../common/dom";
import type { Desk } from "../desk";
import { waitingCount } from "../state";
import { renderConversation } from "./conversation";
import { renderDirect } from "./direct";

export function renderWorkspace(desk: Desk, main: HTMLElement): void {
  const { state, pane } = desk;
  const sel = state.selected;
  const key = sel ? (sel.kind === "conv" ? `c:${sel.id}` : `d:${sel.agentId}`) : "";
  if (!sel || (sel.kind === "conv" && !state.convs.has(sel.id))) {
    pane.renderedSelection = "";
    pane.stream = null;
    pane.composer = null;
    const waiting = waitingCount(state);
    replaceChildren(
      main,
      h(
        "div",
        { class: "placeholder" },
        icon(ICONS.chat, 40),
        h("h2", null, waiting ? `${waiting} ${waiting === 1 ? "customer is" : "customers are"} waiting` : "You're all caught up"),
        h("p", null, waiting ? "Accept a request on the left to start chatting." : "New requests in the queues you watch appear on the left."),
      ),
    );
    return;
  }
  const rebuild = key !== pane.renderedSelection || !pane.stream || !main.contains(pane.stream);
  if (rebuild) {
    pane.renderedSelection = key;
    pane.stream = h("div", { class: "stream", attrs: { role: "log", "aria-label": "Messages", "aria-live": "off", tabindex: "0" } });
    pane.composerBox = h("div", { class: "composer-box" });
    pane.composer = null;
    replaceChildren(main, h("div", { class: "conv-header" }), pane.stream, h("div", { class: "typing-line", attrs: { "aria-live": "polite" } }), pane.composerBox);
  }
  if (sel.kind === "conv") renderConversation(desk, main, state.convs.get(sel.id)!, rebuild);
  else renderDirect(desk, main, sel.agentId, rebuild);
}
