// The parts around the panel's content: the launcher (with its unread badge), the header (who
// the shopper is talking to, and what they can do) and the connection banner.

import { ICONS, h, icon, replaceChildren } from "../../common/dom";
import { initials } from "../../common/util";
import type { ChatContext } from "../context";
import { newChat } from "../prechat";
import type { Shell } from "../shadow";
import type { WidgetState } from "../state";

export function renderLauncher(shell: Shell, state: WidgetState): void {
  const { launcher, badge } = shell;
  shell.panel.hidden = !state.open;
  launcher.setAttribute("aria-expanded", String(state.open));
  launcher.setAttribute("aria-label", state.open ? "Close chat" : "Open chat with customer care");
  replaceChildren(launcher, icon(state.open ? ICONS.minimize : ICONS.chat, 26), badge);
  badge.hidden = state.unread === 0 || state.open;
  badge.textContent = state.unread > 9 ? "9+" : String(state.unread);
  launcher.classList.toggle("has-unread", state.unread > 0 && !state.open);
  launcher.classList.toggle("open", state.open);
  if (state.unread > 0 && !state.open) {
    launcher.setAttribute("aria-label", `Open chat with customer care, ${state.unread} new message${state.unread > 1 ? "s" : ""}`);
  }
}

export function renderHeader(ctx: ChatContext): void {
  const { state, shell } = ctx;
  const conv = state.view === "chat" ? state.conversation : null;
  let sub = "We usually reply in a few minutes";
  if (conv?.status === "waiting") sub = "Waiting for an agent";
  else if (conv?.status === "active") sub = conv.agent ? `You're chatting with ${conv.agent.name}` : "You're chatting with us";
  else if (conv?.status === "closed") sub = "This chat has ended";
  shell.headerSub.textContent = sub;
  // Once someone has taken the chat, their initials stand where the generic icon was.
  const agentName = conv?.status === "active" ? conv.agent?.name : null;
  if (agentName) replaceChildren(shell.headerAvatar, initials(agentName));
  else replaceChildren(shell.headerAvatar, icon(ICONS.chat, 18));
  shell.headerAvatar.classList.toggle("agent", !!agentName);
  const actions: HTMLElement[] = [];
  if (conv && conv.status !== "closed") {
    actions.push(
      h("button", {
        class: "text-btn",
        text: "End chat",
        attrs: { type: "button", "aria-label": "End this chat" },
        // Ask first, in place of the composer (render/composer.ts).
        on: { click: () => ((state.confirmClose = true), ctx.render(true), shell.root.querySelector<HTMLElement>(".confirm .danger")?.focus()) },
      }),
    );
  }
  if (conv && conv.status === "closed") {
    actions.push(
      h("button", {
        class: "text-btn",
        text: "New chat",
        attrs: { type: "button" },
        on: { click: () => newChat(ctx) },
      }),
    );
  }
  actions.push(
    h(
      "button",
      {
        class: "icon-btn",
        attrs: { type: "button", "aria-label": "Minimize chat", title: "Minimize" },
        on: { click: () => ctx.setOpen(false, true) },
      },
      icon(ICONS.minimize, 20),
    ),
  );
  replaceChildren(shell.headerActions, ...actions);
}

export function renderBanner(ctx: ChatContext): void {
  const { state, shell } = ctx;
  let text = "";
  let kind = "warn";
  if (state.refused) {
    text = `Chat is unavailable: ${state.refused}`;
    kind = "error";
  } else if (!state.connected) {
    const queued = ctx.outbox.items.filter((i) => i.state !== "failed").length;
    text = queued
      ? `You're offline. ${queued} message${queued > 1 ? "s" : ""} will be sent when the connection is back.`
      : state.visitorId
        ? "Reconnecting…"
        : "Connecting…";
  }
  shell.banner.hidden = !text;
  shell.banner.className = `banner ${kind}`;
  shell.banner.textContent = text;
}
