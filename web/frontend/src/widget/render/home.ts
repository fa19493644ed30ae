// The home view: a greeting, starting a conversation, and the way back to the last one.

import { ICONS, h, icon, replaceChildren } from "../../common/dom";
import type { ChatContext } from "../context";
import { sync } from "../conversation";
import { newChat } from "../prechat";

export function renderHome(ctx: ChatContext): void {
  const { state, shell, pane } = ctx;
  const greeting = state.customer && typeof state.customer.name === "string" ? `Hi ${String(state.customer.name).split(" ")[0]}` : "Hi there";
  const last = state.conversation;
  replaceChildren(
    shell.body,
    h(
      "div",
      { class: "home" },
      h("h2", { class: "greeting" }, greeting),
      h("p", { class: "lead" }, "Questions about a product, an order or a return? Our team is here to help."),
      state.refused
        ? h("p", { class: "lead" }, "Chat can't start on this page right now. Please try again later, or reload the page.")
        : h(
            "button",
            { class: "primary wide", attrs: { type: "button" }, on: { click: () => newChat(ctx) } },
            icon(ICONS.send, 18),
            "Start a conversation",
          ),
      last
        ? h(
            "button",
            {
              class: "secondary wide",
              attrs: { type: "button" },
              on: { click: () => ((state.view = "chat"), void sync(ctx), ctx.render(true)) },
            },
            "See your last conversation",
          )
        : null,
    ),
  );
  replaceChildren(shell.footer);
  pane.composer = null;
  pane.log = null;
}
