// Modal dialogs (native <dialog>): a generic form dialog, a yes/no confirmation, and the requeue,
// transfer and consult forms of a conversation's header.

import { h } from "../common/dom";
import { dismiss } from "./conversations";
import type { Desk } from "./desk";
import type { Pane } from "./render/layout";
import { type ConvState, type DeskState, customerName, queueTitle } from "./state";

/**
 * Show a form dialog. `onSubmit` answers null to close it, or a problem to show in it (the dialog
 * stays open so that nothing typed is lost). Focus goes back to the composer when it closes.
 */
export function openDialog(
  pane: Pane,
  title: string,
  build: (body: HTMLElement) => void,
  submitLabel: string,
  onSubmit: (form: HTMLFormElement) => Promise<string | null>,
): HTMLDialogElement {
  const dialog = h("dialog", { class: "dialog", attrs: { "aria-labelledby": "dialog-title" } });
  const error = h("p", { class: "form-error", attrs: { role: "alert", hidden: true } });
  const body = h("div", { class: "dialog-body" });
  build(body);
  const submit = h("button", { class: "btn primary", text: submitLabel, attrs: { type: "submit" } });
  const form = h(
    "form",
    {
      attrs: { method: "dialog" },
      on: {
        submit: async (e) => {
          e.preventDefault();
          submit.disabled = true;
          const problem = await onSubmit(form);
          submit.disabled = false;
          if (problem) {
            error.hidden = false;
            error.textContent = problem;
          } else {
            dialog.close();
          }
        },
      },
    },
    h("h2", { attrs: { id: "dialog-title" } }, title),
    body,
    error,
    h(
      "div",
      { class: "dialog-actions" },
      h("button", { class: "btn", text: "Cancel", attrs: { type: "button" }, on: { click: () => dialog.close() } }),
      submit,
    ),
  );
  dialog.appendChild(form);
  dialog.addEventListener("close", () => {
    dialog.remove();
    pane.composer?.focus();
  });
  document.body.appendChild(dialog);
  dialog.showModal();
  (form.querySelector<HTMLElement>("select, textarea, input") ?? submit).focus();
  return dialog;
}

/** True when the CSR confirms, false when they cancel or press Escape. */
export function confirmDialog(pane: Pane, title: string, text: string, label: string): Promise<boolean> {
  return new Promise((resolve) => {
    let answered = false;
    const dialog = openDialog(
      pane,
      title,
      (body) => body.appendChild(h("p", null, text)),
      label,
      async () => {
        answered = true;
        resolve(true);
        return null;
      },
    );
    dialog.addEventListener("close", () => {
      if (!answered) resolve(false);
    });
  });
}

/** Colleagues to hand a chat to: online ones first; offline ones shown but not choosable. */
function colleagueOptions(state: DeskState, exclude: string[]): HTMLOptionElement[] {
  const list = [...state.colleagues.values()].filter((a) => a.id !== state.me?.id && !exclude.includes(a.id));
  list.sort((a, b) => Number(a.status === "offline") - Number(b.status === "offline") || a.name.localeCompare(b.name));
  return list.map((a) =>
    h(
      "option",
      { attrs: { value: a.id, disabled: a.status === "offline" } },
      `${a.name} — ${a.status === "offline" ? "offline" : `${a.status}, ${a.load}/${a.max_chats ?? "?"} chats`}`,
    ),
  );
}

export function requeueDialog(desk: Desk, cs: ConvState): void {
  const { state } = desk;
  openDialog(
    desk.pane,
    "Requeue conversation",
    (body) => {
      const options = state.queues.map((q) => h("option", { attrs: { value: q.name, selected: q.name !== cs.conv.queue && false } }, q.name === cs.conv.queue ? `${q.title} (current)` : q.title));
      const select = h("select", { attrs: { id: "requeue-queue", name: "queue", required: true } }, ...options);
      const firstOther = state.queues.find((q) => q.name !== cs.conv.queue);
      if (firstOther) select.value = firstOther.name;
      body.append(
        h("p", { class: "muted" }, `${customerName(cs.conv)} goes back to waiting, keeping their place by original waiting time. The note is private to CSRs.`),
        h("label", { class: "field", attrs: { for: "requeue-queue" } }, "Queue"),
        select,
        h("label", { class: "field", attrs: { for: "requeue-note" } }, "Note for the next CSR"),
        h("textarea", { attrs: { id: "requeue-note", name: "note", rows: 3, maxlength: 2000, placeholder: "What has been done, what is needed" } }),
      );
    },
    "Requeue",
    async (form) => {
      const data = new FormData(form);
      const queue = String(data.get("queue"));
      const note = String(data.get("note") || "").trim();
      const ack = await desk.link.call("request:requeue", { conversation_id: cs.conv.id, queue, note: note || null });
      if (!ack.ok) return ack.error.message;
      dismiss(desk, cs.conv.id, `${customerName(cs.conv)} requeued to ${queueTitle(state, queue)}.`);
      return null;
    },
  );
}

export function transferDialog(desk: Desk, cs: ConvState): void {
  const { state } = desk;
  openDialog(
    desk.pane,
    "Transfer to a colleague",
    (body) => {
      const options = colleagueOptions(state, []);
      body.append(
        h("p", { class: "muted" }, "The colleague takes over the conversation. The note is private to CSRs."),
        h("label", { class: "field", attrs: { for: "transfer-agent" } }, "Colleague"),
        options.length
          ? h("select", { attrs: { id: "transfer-agent", name: "agent_id", required: true } }, ...options)
          : h("p", { class: "muted" }, "No colleague is online."),
        h("label", { class: "field", attrs: { for: "transfer-note" } }, "Note"),
        h("textarea", { attrs: { id: "transfer-note", name: "note", rows: 3, maxlength: 2000 } }),
      );
      const select = body.querySelector("select");
      const online = options.find((o) => !o.disabled);
      if (select && online) select.value = online.value;
    },
    "Transfer",
    async (form) => {
      const data = new FormData(form);
      const agentId = String(data.get("agent_id") || "");
      if (!agentId) return "Choose a colleague who is online.";
      const note = String(data.get("note") || "").trim();
      const ack = await desk.link.call("request:transfer", { conversation_id: cs.conv.id, agent_id: agentId, note: note || null });
      if (!ack.ok) return ack.error.message;
      dismiss(desk, cs.conv.id, `${customerName(cs.conv)} transferred to ${state.colleagues.get(agentId)?.name ?? "a colleague"}.`);
      return null;
    },
  );
}

export function consultDialog(desk: Desk, cs: ConvState): void {
  const { state } = desk;
  openDialog(
    desk.pane,
    "Invite a colleague to consult",
    (body) => {
      const options = colleagueOptions(state, [...cs.conv.consultants.map((c) => c.id), cs.conv.assignee?.id ?? ""]);
      body.append(
        h("p", { class: "muted" }, "They join the internal thread and can read the chat; the customer is not told and you keep the conversation."),
        h("label", { class: "field", attrs: { for: "consult-agent" } }, "Colleague"),
        options.length
          ? h("select", { attrs: { id: "consult-agent", name: "agent_id", required: true } }, ...options)
          : h("p", { class: "muted" }, "No colleague is online."),
        h("label", { class: "field", attrs: { for: "consult-note" } }, "What do you need?"),
        h("textarea", { attrs: { id: "consult-note", name: "note", rows: 3, maxlength: 2000 } }),
      );
      const select = body.querySelector("select");
      const online = options.find((o) => !o.disabled);
      if (select && online) select.value = online.value;
    },
    "Invite",
    async (form) => {
      const data = new FormData(form);
      const agentId = String(data.get("agent_id") || "");
      if (!agentId) return "Choose a colleague who is online.";
      const note = String(data.get("note") || "").trim();
      const ack = await desk.link.call("consult:invite", { conversation_id: cs.conv.id, agent_id: agentId, note: note || null });
      if (!ack.ok) return ack.error.message;
      desk.notify.toast(`${state.colleagues.get(agentId)?.name ?? "Your colleague"} was invited to consult.`);
      // The consultant answers in the internal thread: switch to it and rebuild the composer.
      cs.mode = "private";
      desk.pane.renderedSelection = "";
      desk.render();
      return null;
    },
  );
}
