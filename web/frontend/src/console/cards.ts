// Structured message cards (slash-command results: an order summary, the command list...) as
// blocks. Whatever the shape, every value is set as text; an unknown shape falls back to text.

import { h } from "../common/dom";
import type { Card } from "../common/protocol";

const LABELS: Record<string, string> = {
  help: "Commands",
  order: "Order",
  orders: "Orders",
  customer: "Customer",
  cart: "Cart",
  error: "Error",
};

function humanize(key: string): string {
  const words = key.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "string" || typeof value === "number") return String(value);
  return JSON.stringify(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function table(rows: Record<string, unknown>[]): HTMLElement {
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key) && !isPlainObject(row[key])) columns.push(key);
  return h(
    "table",
    { class: "card-table" },
    h("thead", null, h("tr", null, ...columns.map((c) => h("th", { attrs: { scope: "col" } }, humanize(c))))),
    h("tbody", null, ...rows.map((row) => h("tr", null, ...columns.map((c) => h("td", null, scalar(row[c])))))),
  );
}

function block(key: string, value: unknown, depth: number): HTMLElement | null {
  if (Array.isArray(value)) {
    if (value.length === 0) return h("div", { class: "card-row" }, h("span", { class: "k" }, humanize(key)), h("span", { class: "v" }, "none"));
    if (value.every(isPlainObject)) return h("div", { class: "card-section" }, h("div", { class: "card-sub" }, humanize(key)), table(value));
    return h("div", { class: "card-row" }, h("span", { class: "k" }, humanize(key)), h("span", { class: "v" }, value.map(scalar).join(", ")));
  }
  if (isPlainObject(value)) {
    if (depth > 2) return h("div", { class: "card-row" }, h("span", { class: "k" }, humanize(key)), h("span", { class: "v" }, JSON.stringify(value)));
    return h(
      "div",
      { class: "card-section" },
      h("div", { class: "card-sub" }, humanize(key)),
      ...Object.entries(value).map(([k, v]) => block(k, v, depth + 1)),
    );
  }
  return h("div", { class: "card-row" }, h("span", { class: "k" }, humanize(key)), h("span", { class: "v" }, scalar(value)));
}

export function renderCard(card: Card, fallbackText: string): HTMLElement {
  try {
    const title = typeof card.title === "string" ? card.title : LABELS[String(card.type ?? "")] ?? humanize(String(card.type ?? "Result"));
    const entries = Object.entries(card).filter(([key]) => key !== "type" && key !== "title");
    // A card that is one list under its own title needs no second heading.
    if (entries.length === 1 && Array.isArray(entries[0][1]) && entries[0][1].length && entries[0][1].every(isPlainObject)) {
      return h("div", { class: `card card-${String(card.type ?? "generic").replace(/[^a-z0-9_-]/gi, "")}` }, h("div", { class: "card-title" }, title), table(entries[0][1] as Record<string, unknown>[]));
    }
    const parts = entries
      .map(([key, value]) => block(key, value, 0))
      .filter((el): el is HTMLElement => el !== null);
    if (parts.length === 0) throw new Error("empty card");
    return h("div", { class: `card card-${String(card.type ?? "generic").replace(/[^a-z0-9_-]/gi, "")}` }, h("div", { class: "card-title" }, title), ...parts);
  } catch {
    return h("div", { class: "card" }, h("pre", { class: "card-text" }, fallbackText));
  }
}
