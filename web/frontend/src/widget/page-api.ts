// What the host page can use (see web/frontend/README.md): window.Careline.open/close/toggle,
// and the session, as window.Careline.session and a "careline:session" event, e.g. for a shop
// that keys a guest's cart on the visitor id.

declare global {
  interface Window {
    __carelineWidget?: unknown;
    Careline?: {
      open(): void;
      close(): void;
      toggle(): void;
      session?: { visitor_id: string; visitor_token: string; customer: Record<string, unknown> | null };
    };
  }
}

export interface PanelControl {
  setOpen(open: boolean, focus: boolean): void;
  toggle(): void;
}

export function installPageApi(panel: PanelControl): void {
  window.Careline = {
    open: () => panel.setOpen(true, true),
    close: () => panel.setOpen(false, false),
    toggle: () => panel.toggle(),
  };
}

// The visitor token is the shopper's proof of owning the visitor's cart to the order API
// (docs/rest.md): the page already holds it in its storage, so handing it over reveals nothing.
export function publishSession(visitorId: string, visitorToken: string, customer: Record<string, unknown> | null): void {
  const session = { visitor_id: visitorId, visitor_token: visitorToken, customer };
  if (window.Careline) window.Careline.session = session;
  window.dispatchEvent(new CustomEvent("careline:session", { detail: session }));
}
