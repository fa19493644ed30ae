// The widget's place in the host page: a custom element fixed in the corner, on top, whose own
// style no page CSS can override, with everything inside a shadow root (so the page's CSS and
// the widget's cannot reach each other). Here are built the launcher button and the panel's
// frame, which live as long as the widget.

import css from "./widget.css?inline";
import { ICONS, h, icon } from "../common/dom";

/** The elements that live as long as the widget. */
export interface Shell {
  root: ShadowRoot;
  launcher: HTMLButtonElement;
  badge: HTMLSpanElement;
  panel: HTMLDivElement;
  headerAvatar: HTMLDivElement;
  headerSub: HTMLDivElement;
  headerActions: HTMLDivElement;
  banner: HTMLDivElement;
  body: HTMLDivElement;
  footer: HTMLDivElement;
  live: HTMLDivElement;
}

/** The elements of the chat view kept across renders, so scroll position and typing survive. */
export interface Pane {
  composer: HTMLTextAreaElement | null;
  log: HTMLDivElement | null;
  /** How many unsent messages the last render showed: more now means the shopper just sent one. */
  lastPendingCount: number;
}

export function mountShell(on: { launcherClick: () => void; panelKey: (e: KeyboardEvent) => void }): Shell {
  const host = document.createElement("careline-widget");
  setHostStyle(host);
  const root = host.attachShadow({ mode: "open" });
  const style = document.createElement("style");
  style.textContent = css;
  root.appendChild(style);

  const badge = h("span", { class: "badge", attrs: { "aria-hidden": "true", hidden: true } });
  const launcher = h(
    "button",
    {
      class: "launcher",
      attrs: { type: "button", "aria-label": "Open chat with customer care", "aria-expanded": "false", "aria-controls": "careline-panel" },
      on: { click: () => on.launcherClick() },
    },
    icon(ICONS.chat, 26),
    badge,
  );
  const headerTitle = h("div", { class: "title", attrs: { id: "careline-title" } }, "Customer care");
  const headerAvatar = h("div", { class: "avatar-group", attrs: { "aria-hidden": "true" } }, icon(ICONS.chat, 18));
  const headerSub = h("div", { class: "subtitle" });
  const headerActions = h("div", { class: "header-actions" });
  const banner = h("div", { class: "banner", attrs: { role: "status", hidden: true } });
  const body = h("div", { class: "body" });
  const footer = h("div", { class: "footer" });
  const live = h("div", { class: "sr-only", attrs: { "aria-live": "polite", "aria-atomic": "true" } });
  const panel = h(
    "div",
    {
      class: "panel",
      attrs: { id: "careline-panel", role: "dialog", "aria-labelledby": "careline-title", hidden: true },
      on: { keydown: (e) => on.panelKey(e) },
    },
    h("div", { class: "header" }, headerAvatar, h("div", { class: "header-text" }, headerTitle, headerSub), headerActions),
    banner,
    body,
    footer,
    live,
  );
  root.appendChild(h("div", { class: "careline" }, panel, launcher));
  (document.body || document.documentElement).appendChild(host);
  return { root, launcher, badge, panel, headerAvatar, headerSub, headerActions, banner, body, footer, live };
}

/** Fixed, on top, and immune to the page's CSS: every property the page could set is pinned. */
function setHostStyle(host: HTMLElement): void {
  const s = host.style;
  const set = (name: string, value: string) => s.setProperty(name, value, "important");
  set("all", "initial");
  set("display", "block");
  set("position", "fixed");
  set("right", "0");
  set("bottom", "0");
  set("width", "0");
  set("height", "0");
  set("overflow", "visible");
  set("z-index", "2147483000");
  set("visibility", "visible");
  set("opacity", "1");
  set("transform", "none");
  set("filter", "none");
  set("pointer-events", "auto");
}
