/** A random id for client_id values; works outside secure contexts too. */
export function uid(prefix = "c"): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return prefix + "_" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const today = new Date();
  if (date.toDateString() === today.toDateString()) return formatTime(iso);
  return date.toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

/** "42s", "3m 05s", "1h 12m": for waiting times that tick. */
export function formatElapsed(fromIso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.floor((now - new Date(fromIso).getTime()) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, "0")}s`;
  const hours = Math.floor(minutes / 60);
  return `${hours}h ${String(minutes % 60).padStart(2, "0")}m`;
}

/** A wait estimate for a person: "less than a minute", "about 4 minutes". */
export function formatEta(seconds: number): string {
  if (seconds < 60) return "less than a minute";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return minutes === 1 ? "about a minute" : `about ${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  return hours === 1 ? "about an hour" : `about ${hours} hours`;
}

/** A person-readable reason out of a refused Socket.IO connection. */
export function refusalText(err: Error & { data?: unknown }): { code: string | null; message: string } {
  const data = err.data as { code?: unknown; message?: unknown } | undefined;
  if (data && typeof data === "object" && typeof data.message === "string") {
    return { code: typeof data.code === "string" ? data.code : null, message: data.message };
  }
  const raw = err.message || "";
  // A server may pass its error object as the message text ("{'code': ..., 'message': ...}").
  const code = /['"]code['"]\s*:\s*['"]([^'"]+)['"]/.exec(raw)?.[1] ?? null;
  const message = /['"]message['"]\s*:\s*['"](.+?)['"]\s*[,}]/.exec(raw)?.[1];
  if (message) return { code, message };
  try {
    const parsed = JSON.parse(raw) as { code?: string; message?: string };
    if (parsed && typeof parsed.message === "string") return { code: parsed.code ?? null, message: parsed.message };
  } catch {
    /* not JSON */
  }
  return { code, message: raw };
}

export function initials(name: string | null | undefined): string {
  // The first letter or digit of the first and last words; "?" when there is none.
  const words = (name || "").split(/\s+/).map((w) => w.match(/[\p{L}\p{N}]/u)?.[0]).filter(Boolean) as string[];
  if (words.length === 0) return "?";
  return (words[0] + (words.length > 1 ? words[words.length - 1] : "")).toUpperCase();
}

export function storageGet<T>(storage: Storage, key: string, fallback: T): T {
  try {
    const raw = storage.getItem(key);
    return raw === null ? fallback : (JSON.parse(raw) as T);
  } catch {
    return fallback;
  }
}

export function storageSet(storage: Storage, key: string, value: unknown): void {
  try {
    if (value === null || value === undefined) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify(value));
  } catch {
    /* storage full or blocked: the widget still works for this page */
  }
}
