// The signed-in layout: four regions that live as long as the session, plus the parts of the
// workspace (message stream, composer) that must survive re-renders so that scroll position,
// focus and a half-typed reply are not lost.

import { h, replaceChildren } from "../../common/dom";
import { formatElapsed } from "../../common/util";

export interface Regions {
  topbar: HTMLElement;
  sidebar: HTMLElement;
  main: HTMLElement;
  details: HTMLElement;
  toasts: HTMLElement;
  live: HTMLElement;
}

/** The workspace elements kept between renders, and which selection they were built for. */
export interface Pane {
  stream: HTMLElement | null;
  composerBox: HTMLElement | null;
  composer: HTMLTextAreaElement | null;
  renderedSelection: string;
}

export function createPane(): Pane {
  return { stream: null, composerBox: null, composer: null, renderedSelection: "" };
}

export function buildRegions(app: HTMLElement): Regions {
  const regions: Regions = {
    topbar: h("header", { class: "topbar" }),
    sidebar: h("nav", { class: "sidebar", attrs: { "aria-label": "Queues, conversations and colleagues" } }),
    main: h("main", { class: "workspace" }),
    details: h("aside", { class: "details", attrs: { "aria-label": "Customer details" } }),
    toasts: h("div", { class: "toasts", attrs: { "aria-live": "polite" } }),
    live: h("div", { class: "sr-only", attrs: { "aria-live": "polite", "aria-atomic": "true" } }),
  };
  replaceChildren(app, regions.topbar, regions.sidebar, regions.main, regions.details, regions.toasts, regions.live);
  app.className = "console";
  return regions;
}

/** Waiting times tick every second without a full render: each carries its start in data-since. */
export function refreshElapsed(): void {
  for (const el of Array.from(document.querySelectorAll<HTMLElement>("[data-since]"))) {
    el.textContent = formatElapsed(el.dataset.since!);
  }
}
