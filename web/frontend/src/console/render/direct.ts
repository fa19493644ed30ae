// A direct-message thread with a colleague in the workspace.

import { h, replaceChildren } from "../../common/dom";
import { initials } from "../../common/util";
import type { Desk } from "../desk";
import { retry } from "../sending";
import { directWith } from "../state";
import { renderDirectComposer } from "./composer";
import { isNearBottom, renderMessage, renderPending } from "./messages";

export function renderDirect(desk: Desk, main: HTMLElement, agentId: string, rebuild: boolean): void {
  const d = directWith(desk.state, agentId);
  const colleague = desk.state.colleagues.get(agentId);
  const header = main.querySelector(".conv-header")!;
  replaceChildren(
    header,
    h("span", { class: "avatar colleague", attrs: { "aria-hidden": "true" } }, initials(colleague?.name)),
    h(
      "div",
      { class: "conv-title" },
      h("h1", null, colleague?.name ?? "Colleague"),
      h(
        "div",
        { class: "conv-sub" },
        h("span", { class: "tag direct" }, "Direct message"),
        colleague ? h("span", { class: `status-pill ${colleague.status}` }, colleague.status === "offline" ? "Offline" : `${colleague.status === "away" ? "Away" : "Available"} · ${colleague.load}/${colleague.max_chats ?? "?"} chats`) : null,
      ),
    ),
  );
  const stream = desk.pane.stream!;
  const atBottom = rebuild || isNearBottom(stream);
  const nodes: Node[] = [...d.messages.values()].sort((a, b) => a.seq - b.seq).map((m) => renderMessage(desk.state.me, m));
  for (const p of d.pending) nodes.push(renderPending(p, (p) => void retry(desk, p)));
  if (nodes.length === 0) nodes.push(h("p", { class: "empty" }, d.loaded ? `No messages with ${colleague?.name ?? "this colleague"} yet. Only the two of you see this chat.` : "Loading…"));
  replaceChildren(stream, ...nodes);
  if (atBottom) stream.scrollTop = stream.scrollHeight;
  replaceChildren(main.querySelector(".typing-line")!);
  renderDirectComposer(desk, d, colleague?.name, rebuild);
}
