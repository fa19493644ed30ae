// The composer under the stream. For a conversation it has two modes, reply to the customer or
// internal note, and says plainly which one is on, since a note sent to the customer by mistake
// cannot be taken back. For a direct thread it is a plain box. Its element is kept across renders
// (rebuilt only when the selection changes) so the CSR's typing and focus survive.

import { ICONS, h, icon, replaceChildren } from "../../common/dom";
import type { Desk } from "../desk";
import { send } from "../sending";
import { type ConvState, type DirectState, type Mode, customerName, directWith, isAssignee } from "../state";

/** Show the composer of a conversation, or why there is none (closed, or no longer this CSR's). */
export function renderConversationComposer(desk: Desk, cs: ConvState, open: boolean, rebuild: boolean): void {
  const { pane } = desk;
  if (!open) {
    pane.composer = null;
    replaceChildren(
      pane.composerBox!,
      h("p", { class: "composer-closed" }, cs.removed ? `${cs.removed}. You can no longer reply here.` : "This conversation is closed. The transcript stays readable until you dismiss it."),
    );
    return;
  }
  if (rebuild || !pane.composer || !pane.composerBox!.contains(pane.composer)) buildComposer(desk, cs);
  else syncComposerMode(desk, cs);
}

/** Enter sends, Shift+Enter makes a new line; an IME composition is left alone. */
function sendOnEnter(desk: Desk): (e: KeyboardEvent) => void {
  return (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void send(desk);
    }
  };
}

function submitSends(desk: Desk): (e: SubmitEvent) => void {
  return (e) => {
    e.preventDefault();
    void send(desk);
  };
}

function buildComposer(desk: Desk, cs: ConvState): void {
  const assignee = isAssignee(desk.state, cs.conv);
  const tabs = h("div", { class: "mode-tabs", attrs: { role: "tablist", "aria-label": "Who sees what you write" } });
  const textarea = h("textarea", {
    attrs: { rows: 3, maxlength: 4000, id: "composer" },
    on: {
      input: () => {
        onComposerInput(desk);
        textarea.style.height = "";
        textarea.style.height = `${Math.min(textarea.scrollHeight, 200)}px`;
      },
      keydown: sendOnEnter(desk),
    },
  });
  textarea.value = cs.drafts[cs.mode];
  const hint = h("div", { class: "composer-hint", attrs: { "aria-live": "polite" } });
  const sendBtn = h("button", { class: "btn primary send-btn", attrs: { type: "submit" } });
  const form = h("form", { class: "composer", on: { submit: submitSends(desk) } }, tabs, hint, h("div", { class: "composer-row" }, textarea, sendBtn));
  const makeTab = (mode: Mode, label: string) =>
    h(
      "button",
      {
        class: `mode-tab ${mode}`,
        attrs: { type: "button", role: "tab", "data-mode": mode, disabled: mode === "public" && !assignee },
        on: {
          click: () => {
            // Each mode keeps its own draft.
            cs.drafts[cs.mode] = textarea.value;
            cs.mode = mode;
            textarea.value = cs.drafts[mode];
            desk.typing.stop(cs);
            syncComposerMode(desk, cs);
            textarea.focus();
          },
        },
      },
      mode === "private" ? icon(ICONS.lock, 14) : icon(ICONS.send, 14),
      label,
    );
  tabs.append(makeTab("public", "Reply to customer"), makeTab("private", "Internal note"));
  desk.pane.composer = textarea;
  replaceChildren(desk.pane.composerBox!, form);
  syncComposerMode(desk, cs);
}

function syncComposerMode(desk: Desk, cs: ConvState): void {
  const box = desk.pane.composerBox;
  const composer = desk.pane.composer;
  if (!box || !composer) return;
  const form = box.querySelector("form")!;
  form.classList.toggle("private", cs.mode === "private");
  for (const tab of Array.from(box.querySelectorAll<HTMLButtonElement>(".mode-tab"))) {
    const on = tab.dataset.mode === cs.mode;
    tab.classList.toggle("on", on);
    tab.setAttribute("aria-selected", String(on));
  }
  composer.setAttribute("aria-label", cs.mode === "private" ? "Internal note, seen only by CSRs" : `Reply to ${customerName(cs.conv)}`);
  composer.placeholder =
    cs.mode === "private"
      ? "Internal note: only your team sees this. Type / for commands."
      : `Reply to ${customerName(cs.conv)}… (Enter to send, Shift+Enter for a new line, / for commands)`;
  updateComposerHint(desk);
}

function onComposerInput(desk: Desk): void {
  const sel = desk.state.selected;
  const composer = desk.pane.composer;
  if (sel?.kind !== "conv" || !composer) return;
  const cs = desk.state.convs.get(sel.id);
  if (!cs || cs.conv.status === "closed") return;
  desk.typing.input(cs, composer.value);
  updateComposerHint(desk);
}

/** The line above the box and the send button's label: who will see this, or that it is a command. */
function updateComposerHint(desk: Desk): void {
  const sel = desk.state.selected;
  const box = desk.pane.composerBox;
  const composer = desk.pane.composer;
  if (!box || !composer) return;
  const hint = box.querySelector<HTMLElement>(".composer-hint");
  const sendBtn = box.querySelector<HTMLButtonElement>(".send-btn");
  if (!hint || !sendBtn) return;
  if (sel?.kind === "direct") {
    hint.textContent = "";
    hint.hidden = true;
    sendBtn.textContent = "Send";
    return;
  }
  const cs = sel?.kind === "conv" ? desk.state.convs.get(sel.id) : undefined;
  if (!cs) return;
  const command = composer.value.trimStart().startsWith("/");
  hint.hidden = false;
  hint.className = `composer-hint ${command ? "command" : cs.mode}`;
  if (command) {
    hint.replaceChildren(icon(ICONS.lock, 13), " Slash command: runs privately; the result appears in the internal thread. /help lists them.");
    sendBtn.textContent = "Run command";
  } else if (cs.mode === "private") {
    hint.replaceChildren(icon(ICONS.lock, 13), " Internal note — the customer will not see this.");
    sendBtn.textContent = "Add note";
  } else {
    hint.replaceChildren(`Replying to ${customerName(cs.conv)} — they will see this.`);
    sendBtn.textContent = "Send";
  }
}

/** The composer of a direct thread, built once per selection. */
export function renderDirectComposer(desk: Desk, d: DirectState, colleagueName: string | undefined, rebuild: boolean): void {
  const { pane } = desk;
  if (!rebuild && pane.composer && pane.composerBox!.contains(pane.composer)) return;
  const textarea = h("textarea", {
    attrs: { rows: 2, maxlength: 4000, "aria-label": `Message to ${colleagueName ?? "colleague"}`, placeholder: `Message ${colleagueName ?? "your colleague"}… (only the two of you see this)` },
    on: { keydown: sendOnEnter(desk) },
  });
  textarea.value = d.draft;
  pane.composer = textarea;
  replaceChildren(
    pane.composerBox!,
    h(
      "form",
      { class: "composer direct", on: { submit: submitSends(desk) } },
      h("div", { class: "composer-row" }, textarea, h("button", { class: "btn primary send-btn", text: "Send", attrs: { type: "submit" } })),
    ),
  );
}

/** Keep what is in the composer with the conversation (and mode) or thread it belongs to. */
export function saveDraft(desk: Desk): void {
  const composer = desk.pane.composer;
  if (!composer) return;
  const sel = desk.state.selected;
  if (sel?.kind === "conv") {
    const cs = desk.state.convs.get(sel.id);
    if (cs) cs.drafts[cs.mode] = composer.value;
  } else if (sel?.kind === "direct") {
    directWith(desk.state, sel.agentId).draft = composer.value;
  }
}
