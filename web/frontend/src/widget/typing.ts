// The "shopper is typing" signal to the agent: sent at most every few seconds while they type,
// and stopped when they pause, send, or end the chat.

import type { CustomerLink } from "./session";
import type { WidgetState } from "./state";

const TYPING_SEND_EVERY_MS = 2500;
const TYPING_IDLE_MS = 3000;

export class TypingSignal {
  private lastSent = 0;
  private idle = 0;

  constructor(
    private readonly link: CustomerLink,
    private readonly state: WidgetState,
  ) {}

  /** The composer now holds `text`. */
  input(text: string): void {
    const conv = this.state.conversation;
    if (!conv || conv.status === "closed" || !this.state.connected) return;
    const now = Date.now();
    if (text.trim()) {
      if (now - this.lastSent > TYPING_SEND_EVERY_MS) {
        this.lastSent = now;
        this.link.emit("chat:typing", { conversation_id: conv.id, typing: true });
      }
      window.clearTimeout(this.idle);
      this.idle = window.setTimeout(() => this.stop(), TYPING_IDLE_MS);
    } else {
      this.stop();
    }
  }

  stop(): void {
    window.clearTimeout(this.idle);
    if (!this.lastSent || !this.state.conversation || !this.state.connected) return;
    this.lastSent = 0;
    this.link.emit("chat:typing", { conversation_id: this.state.conversation.id, typing: false });
  }
}
