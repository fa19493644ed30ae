// Where the widget was embedded from: the server's URL (taken from the script tag's own src, so
// the storefront configures nothing) and the signed-in shopper's identity, if the tag carries one.

export interface Embed {
  serverOrigin: string;
  socketPath: string;
  identity: string | null;
  /** Whose storage this is: "c:<customer id>" for a signed-in shopper, else "guest". */
  subject: string;
}

export function findScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.src) return current;
  const all = Array.from(document.querySelectorAll<HTMLScriptElement>("script[src]"));
  return all.reverse().find((s) => /\/widget\.js(\?|#|$)/.test(s.src)) ?? null;
}

export function readEmbed(script: HTMLScriptElement | null): Embed {
  const src = new URL(script?.src || "/widget.js", location.href);
  const basePath = src.pathname.replace(/\/widget\.js$/, "");
  const identity = script?.dataset.identity?.trim() || null;
  return {
    serverOrigin: src.origin,
    socketPath: `${basePath}/socket.io`,
    identity,
    // The customer id is the first part of a storefront identity (customer_id.expiry.signature).
    subject: identity ? `c:${identity.split(".")[0]}` : "guest",
  };
}

/**
 * A storage key of this server and this shopper: a shopper who signs in or out on a shared
 * computer does not see the other's chat.
 */
export function storageKey(embed: Embed, name: string, subject = embed.subject): string {
  return `careline:${embed.serverOrigin}:${subject}:${name}`;
}
