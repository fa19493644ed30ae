// The Careline chat widget. A storefront embeds it with one tag:
//
//   <script src="https://care.example.com/widget.js" data-identity="SIGNED-ID" async></script>
//
// The server's URL is taken from the script's own src. Everything renders inside a shadow root so
// the host page's CSS and the widget's cannot reach each other. Chat text is only ever set as
// text (textContent), never parsed as HTML.
//
// widget.ts ties it together; shadow.ts mounts it, session.ts holds the server link, outbox.ts the
// messages not yet sent, and the render/ modules draw the panel.

import { findScript } from "./embed";
import { installPageApi } from "./page-api";
import { Widget } from "./widget";

function boot(): void {
  // A page that includes the tag twice (or a shop that re-runs its scripts) gets one widget.
  if (window.__carelineWidget) return;
  // document.currentScript is only set while this script first runs.
  const script = findScript();
  const start = () => {
    if (window.__carelineWidget) return;
    const widget = new Widget(script);
    window.__carelineWidget = widget;
    installPageApi(widget);
  };
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start, { once: true });
}

boot();
