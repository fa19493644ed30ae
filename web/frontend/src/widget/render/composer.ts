// The composer at the foot of the chat, or in its place the "End this chat?" question. The
// textarea is kept across renders so that what the shopper is typing is never lost.

import { ICONS, h, icon, replaceChildren } from "../../common/dom";
import type { CustomerConversation } from "../../common/protocol";
import type { ChatContext } from "../context";
import { closeChat } from "../conversation";
import { sendMessage } from "../outbox";

export function renderComposer(ctx: ChatContext, conv: CustomerConversation): void {
  const { state, shell, pane } = ctx;
  if (conv.status === "closed") {
    replaceChildren(shell.footer);
    pane.composer = null;
    return;
  }
  if (state.confirmClose) {
    replaceChildren(
      shell.footer,
      h(
        "div",
        { class: "confirm", attrs: { role: "alertdialog", "aria-label": "End this chat?" } },
        h("span", null, "End this chat?"),
        h("button", { class: "secondary", text: "Cancel", attrs: { type: "button" }, on: { click: () => ((state.confirmClose = false), ctx.render(true), pane.composer?.focus()) } }),
        h("button", { class: "danger", text: "End chat", attrs: { type: "button" }, on: { click: () => void closeChat(ctx) } }),
      ),
    );
    pane.composer = null;
    return;
  }
  if (pane.composer && shell.footer.contains(pane.composer)) return;
  const textarea = h("textarea", {
    attrs: { rows: 1, "aria-label": "Type your message", placeholder: "Type your message…", maxlength: 4000 },
    on: {
      input: () => {
        ctx.typing.input(textarea.value);
        // Grow with the text, up to a few lines.
        textarea.style.height = "auto";
        textarea.style.height = `${Math.min(textarea.scrollHeight, 120)}px`;
      },
      keydown: (e) => {
        // Enter sends, Shift+Enter makes a new line; an IME composition is left alone.
        if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
          e.preventDefault();
          submit();
        }
      },
    },
  });
  const submit = () => {
    const text = textarea.value.trim();
    if (!text) return;
    textarea.value = "";
    textarea.style.height = "auto";
    sendMessage(ctx, text);
    textarea.focus();
  };
  pane.composer = textarea;
  replaceChildren(
    shell.footer,
    h(
      "form",
      {
        class: "composer",
        on: {
          submit: (e) => {
            e.preventDefault();
            submit();
          },
        },
      },
      textarea,
      h("button", { class: "send", attrs: { type: "submit", "aria-label": "Send message", title: "Send (Enter)" } }, icon(ICONS.send, 18)),
    ),
  );
}
