// Telling the CSR something happened while they look elsewhere: a short tone, toasts, the
// screen-reader live region and the count in the tab title.

import { ICONS, h, icon } from "../common/dom";
import { storageGet, storageSet } from "../common/util";
import { type DeskState, unreadCount, waitingCount } from "./state";

const SOUND_KEY = "careline.console.sound";

export class Notifier {
  sound = storageGet<boolean>(localStorage, SOUND_KEY, true);
  private audio: AudioContext | null = null;
  // Set once the signed-in layout exists; before that there is nowhere to show anything.
  private toasts: HTMLElement | null = null;
  private live: HTMLElement | null = null;

  attach(toasts: HTMLElement, live: HTMLElement): void {
    this.toasts = toasts;
    this.live = live;
  }

  toggleSound(): void {
    this.sound = !this.sound;
    storageSet(localStorage, SOUND_KEY, this.sound);
    if (this.sound) this.beep(660);
  }

  beep(freq: number): void {
    if (!this.sound) return;
    try {
      this.audio ??= new AudioContext();
      const ctx = this.audio;
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, ctx.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.12, ctx.currentTime + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 0.25);
      osc.connect(gain).connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.3);
    } catch {
      /* no audio here */
    }
  }

  toast(text: string, kind: "info" | "error" = "info"): void {
    if (!this.toasts) return;
    const el = h(
      "div",
      { class: `toast ${kind}`, attrs: { role: kind === "error" ? "alert" : "status" } },
      h("span", null, text),
      h("button", { class: "icon", attrs: { type: "button", "aria-label": "Dismiss" }, on: { click: () => el.remove() } }, icon(ICONS.close, 14)),
    );
    this.toasts.appendChild(el);
    window.setTimeout(() => el.remove(), kind === "error" ? 9000 : 6000);
  }

  /** Read out by screen readers; the stream itself is not live, or every re-render would speak. */
  announce(text: string): void {
    if (this.live) this.live.textContent = text;
  }
}

/** "(3) Careline console": waiting requests plus unread messages, seen from any other tab. */
export function updateTitle(state: DeskState): void {
  if (!state.me) return;
  const n = waitingCount(state) + unreadCount(state);
  document.title = `${n ? `(${n}) ` : ""}Careline console`;
}
