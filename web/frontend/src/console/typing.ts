// The "CSR is typing" signal to the shopper: sent at most every few seconds while the CSR types a
// reply, and stopped when they pause, send, or switch to the internal note.

import type { AgentLink } from "./connection";
import type { ConvState } from "./state";

const TYPING_SEND_EVERY_MS = 2500;
const TYPING_IDLE_MS = 3000;

export class TypingSignal {
  private lastSent = 0;
  private idle = 0;

  constructor(private readonly link: AgentLink) {}

  /** The composer of a conversation now holds `text`. */
  input(state: ConvState, text: string): void {
    // Typing in the private thread is shown to colleagues only; the shopper sees public typing.
    if (text.trim() && !text.trimStart().startsWith("/") && state.mode === "public") {
      const now = Date.now();
      if (now - this.lastSent > TYPING_SEND_EVERY_MS) {
        this.lastSent = now;
        this.link.emit("chat:typing", { conversation_id: state.conv.id, typing: true });
      }
      window.clearTimeout(this.idle);
      this.idle = window.setTimeout(() => this.stop(state), TYPING_IDLE_MS);
    } else {
      this.stop(state);
    }
  }

  stop(state: ConvState): void {
    window.clearTimeout(this.idle);
    if (!this.lastSent) return;
    this.lastSent = 0;
    this.link.emit("chat:typing", { conversation_id: state.conv.id, typing: false });
  }
}
