// Starting a chat: the form that asks what it is about (which picks the queue), who the shopper
// is when they are not signed in, and their first message.

import { ICONS, h, icon, replaceChildren } from "../common/dom";
import type { CustomerConversation } from "../common/protocol";
import { storageSet, uid } from "../common/util";
import type { ChatContext } from "./context";
import { sync } from "./conversation";

interface Topic {
  queue: string;
  topic: string;
  label: string;
  hint: string;
}

const TOPICS: Topic[] = [
  { queue: "general", topic: "General question", label: "A question", hint: "Products, sizes, delivery, anything" },
  { queue: "orders", topic: "Order question", label: "An order I placed", hint: "Where it is, changes, cancelling" },
  { queue: "returns", topic: "Return or exchange", label: "A return or exchange", hint: "Send something back or swap it" },
  { queue: "business", topic: "Business account", label: "A business account", hint: "Trade orders, invoices, terms" },
];

/** Leave the ended conversation behind and show the form for a new one. */
export function newChat(ctx: ChatContext): void {
  const { state } = ctx;
  state.conversation = null;
  state.messages.clear();
  state.position = null;
  storageSet(localStorage, ctx.key("last_conversation"), null);
  state.view = "prechat";
  ctx.render(true);
  ctx.shell.body.querySelector<HTMLElement>("input[name=topic]")?.focus();
}

export function renderPrechat(ctx: ChatContext): void {
  const { state, shell, pane } = ctx;
  // Keep what the shopper typed when the panel re-renders for another reason.
  const existing = shell.body.querySelector<HTMLFormElement>("form.prechat");
  if (existing) {
    const button = existing.querySelector<HTMLButtonElement>("button[type=submit]");
    if (button) {
      button.disabled = state.starting || !state.connected;
      button.textContent = state.starting ? "Starting…" : state.connected ? "Start chat" : "Connecting…";
    }
    const err = existing.querySelector<HTMLElement>(".form-error");
    if (err) {
      err.hidden = !state.startError;
      err.textContent = state.startError ?? "";
    }
    return;
  }
  const guest = !state.customer;
  const form = h(
    "form",
    {
      class: "prechat",
      attrs: { "aria-label": "Start a chat", novalidate: true },
      on: {
        submit: (e) => {
          e.preventDefault();
          const f = e.currentTarget as HTMLFormElement;
          if (!f.reportValidity()) return;
          void startChat(ctx, f);
        },
      },
    },
    h(
      "fieldset",
      null,
      h("legend", null, "What can we help you with?"),
      ...TOPICS.map((t, i) =>
        h(
          "label",
          { class: "topic" },
          h("input", { attrs: { type: "radio", name: "topic", value: t.queue, checked: i === 0, required: true } }),
          h("span", { class: "topic-text" }, h("strong", null, t.label), h("small", null, t.hint)),
        ),
      ),
    ),
    guest
      ? h(
          "div",
          { class: "row" },
          h("label", { class: "field" }, h("span", null, "Your name"), h("input", { attrs: { name: "name", autocomplete: "name", required: true, maxlength: 200 } })),
          h(
            "label",
            { class: "field" },
            h("span", null, "Email"),
            h("input", { attrs: { name: "email", type: "email", autocomplete: "email", required: true, maxlength: 320 } }),
          ),
        )
      : h("p", { class: "signed-in" }, icon(ICONS.user, 16), `Signed in as ${String(state.customer?.name ?? state.customer?.email ?? "a customer")}`),
    h(
      "label",
      { class: "field" },
      h("span", null, "Your message"),
      h("textarea", {
        attrs: { name: "text", rows: 3, required: true, maxlength: 4000, placeholder: "Tell us a little about it…" },
        on: {
          keydown: (e) => {
            if (e.key === "Enter" && !e.shiftKey) {
              e.preventDefault();
              form.requestSubmit();
            }
          },
        },
      }),
    ),
    h("p", { class: "form-error", attrs: { role: "alert", hidden: !state.startError } }, state.startError ?? ""),
    h(
      "div",
      { class: "form-actions" },
      // Back to the home view only when there is nothing to go back from.
      state.conversation || state.messages.size
        ? null
        : h("button", { class: "secondary", text: "Back", attrs: { type: "button" }, on: { click: () => ((state.view = "home"), ctx.render(true)) } }),
      h("button", {
        class: "primary",
        text: state.connected ? "Start chat" : "Connecting…",
        attrs: { type: "submit", disabled: state.starting || !state.connected },
      }),
    ),
  );
  replaceChildren(shell.body, form);
  replaceChildren(shell.footer);
  pane.composer = null;
  pane.log = null;
}

async function startChat(ctx: ChatContext, form: HTMLFormElement): Promise<void> {
  const { state } = ctx;
  if (state.starting) return;
  const data = new FormData(form);
  const topic = TOPICS.find((t) => t.queue === data.get("topic")) ?? TOPICS[0];
  const text = String(data.get("text") || "").trim();
  const name = String(data.get("name") || "").trim();
  const email = String(data.get("email") || "").trim();
  if (!text) {
    state.startError = "Please tell us what you need help with.";
    ctx.render();
    return;
  }
  const payload: Record<string, string> = { queue: topic.queue, topic: topic.topic, text, client_id: uid("w") };
  // A signed-in shopper is known from their identity; name and email are for guests.
  if (!state.customer) {
    if (name) payload.name = name;
    if (email) payload.email = email;
  }
  state.starting = true;
  state.startError = null;
  ctx.render();
  const ack = await ctx.link.call<{ conversation: CustomerConversation }>("chat:start", payload);
  state.starting = false;
  if (!ack.ok) {
    state.startError =
      ack.error.code === "invalid_payload" && /email/i.test(ack.error.message)
        ? "That email address doesn't look right."
        : ack.error.message;
    ctx.render();
    return;
  }
  state.messages.clear();
  // Whatever was left unsent in an earlier, ended conversation can no longer be sent.
  ctx.outbox.keepOnly(ack.conversation.id);
  state.conversation = ack.conversation;
  const known = state.positions.get(ack.conversation.id);
  state.position =
    ack.conversation.position != null
      ? { position: known?.position ?? ack.conversation.position, eta: known?.eta ?? null }
      : null;
  storageSet(localStorage, ctx.key("last_conversation"), ack.conversation.id);
  state.view = "chat";
  form.reset();
  await sync(ctx);
  ctx.render(true);
  ctx.pane.composer?.focus();
}
