// Page views: the agent sees which page the shopper is on. Every page load and every in-page
// navigation of a single-page shop (history.pushState, popstate, hashchange, a new title) is
// reported as page:view, once per distinct URL and title.

import type { CustomerLink } from "./session";
import type { WidgetState } from "./state";

export class PageViews {
  private lastSent = "";

  constructor(
    private readonly link: CustomerLink,
    private readonly state: WidgetState,
  ) {}

  watchNavigation(): void {
    // After the page's own handlers, so that the new URL and title are in place.
    const notify = () => window.setTimeout(() => this.send(false), 0);
    for (const name of ["pushState", "replaceState"] as const) {
      const original = history[name];
      history[name] = function (this: History, ...args: Parameters<History["pushState"]>) {
        const result = original.apply(this, args);
        notify();
        return result;
      };
    }
    window.addEventListener("popstate", notify);
    window.addEventListener("hashchange", notify);
    // A single-page shop often sets the title after the URL: report a title change too.
    const titleEl = document.querySelector("title");
    if (titleEl) new MutationObserver(notify).observe(titleEl, { childList: true, characterData: true, subtree: true });
  }

  /** Report the current page; `force` sends it even if unchanged (a new connection knows none). */
  send(force: boolean): void {
    if (!this.state.connected) return;
    const url = location.href;
    const title = document.title || url;
    const signature = `${url}\n${title}`;
    if (!force && signature === this.lastSent) return;
    this.lastSent = signature;
    this.link.emit("page:view", { url: url.slice(0, 2048), title: title.slice(0, 500) });
  }
}
