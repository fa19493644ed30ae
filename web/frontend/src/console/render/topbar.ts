// The top bar: connection state, this CSR's load and status, the sound toggle and sign-out.

import { ICONS, h, icon, replaceChildren } from "../../common/dom";
import type { AgentStatus } from "../../common/protocol";
import { initials } from "../../common/util";
import { setStatus } from "../actions";
import type { Desk } from "../desk";

export function renderTopbar(desk: Desk, topbar: HTMLElement, signOut: () => void): void {
  const { state, notify } = desk;
  const me = state.me;
  const status = me?.status ?? "available";
  const statusSelect = h(
    "select",
    {
      class: `status-select ${status}`,
      attrs: { "aria-label": "Your status", disabled: !me || !state.connected },
      on: { change: (e) => void setStatus(desk, (e.target as HTMLSelectElement).value as AgentStatus) },
    },
    h("option", { attrs: { value: "available", selected: status === "available" } }, "● Available"),
    h("option", { attrs: { value: "away", selected: status === "away" } }, "● Away"),
  );
  const load = me ? [...state.convs.values()].filter((s) => s.conv.status === "active" && s.conv.assignee?.id === me.id && !s.removed).length : 0;
  replaceChildren(
    topbar,
    h("div", { class: "brand" }, h("span", { class: "logo", attrs: { "aria-hidden": "true" } }, icon(ICONS.chat, 18)), "Careline"),
    state.connected ? null : h("span", { class: "conn warn", attrs: { role: "status" } }, me ? "Reconnecting…" : "Connecting…"),
    h("div", { class: "spacer" }),
    me ? h("span", { class: "load", attrs: { title: "Open chats / your limit" } }, `${load}/${me.max_chats} chats`) : null,
    statusSelect,
    h(
      "button",
      {
        class: `icon-toggle ${notify.sound ? "on" : ""}`,
        attrs: { type: "button", "aria-pressed": String(notify.sound), "aria-label": "Sound for new requests and messages", title: notify.sound ? "Sound on" : "Sound off" },
        on: {
          click: () => {
            notify.toggleSound();
            desk.render();
          },
        },
      },
      icon(ICONS.bell, 18),
    ),
    me ? h("span", { class: "me" }, h("span", { class: "avatar small", attrs: { "aria-hidden": "true" } }, initials(me.name)), h("span", null, me.name), h("small", null, me.role)) : null,
    h("button", { class: "btn ghost", text: "Sign out", attrs: { type: "button" }, on: { click: () => signOut() } }),
  );
}
