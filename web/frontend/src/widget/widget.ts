// The widget itself: mounts the shell, opens the link to the server and routes its events to the
// modules that keep the state, opens and closes the panel, and renders the view it is on. It is
// the one ChatContext (context.ts) that those modules share.

import type { Socket } from "socket.io-client";
import { storageGet, storageSet } from "../common/util";
import type { ChatContext } from "./context";
import { onMessage, onPosition, onStatus, onTyping, sync } from "./conversation";
import { type Embed, readEmbed, storageKey } from "./embed";
import { Outbox, flush } from "./outbox";
import type { PanelControl } from "./page-api";
import { PageViews } from "./pageviews";
import { renderPrechat } from "./prechat";
import { renderChat } from "./render/chat";
import { renderBanner, renderHeader, renderLauncher } from "./render/frame";
import { renderHome } from "./render/home";
import { CustomerLink, onSession } from "./session";
import { type Pane, type Shell, mountShell } from "./shadow";
import { type WidgetState, createWidgetState } from "./state";
import { TypingSignal } from "./typing";

export class Widget implements ChatContext, PanelControl {
  readonly state: WidgetState;
  readonly link: CustomerLink;
  readonly outbox: Outbox;
  readonly typing: TypingSignal;
  readonly pageViews: PageViews;
  readonly shell: Shell;
  readonly pane: Pane = { composer: null, log: null, lastPendingCount: 0 };
  private readonly embed: Embed;
  private renderQueued = false;

  constructor(script: HTMLScriptElement | null) {
    this.embed = readEmbed(script);
    this.shell = mountShell({ launcherClick: () => this.toggle(), panelKey: (e) => this.onPanelKey(e) });
    this.outbox = new Outbox(this.key("outbox"));
    // Open or closed follows the shopper from page to page within this tab.
    this.state = createWidgetState(storageGet<boolean>(sessionStorage, this.key("open"), false));
    window.addEventListener("storage", (e) => {
      if (this.outbox.onStorage(e)) this.render();
    });
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden && this.state.open && this.state.unread) {
        this.state.unread = 0;
        this.render();
      }
    });
    this.link = this.connect();
    this.typing = new TypingSignal(this.link, this.state);
    this.pageViews = new PageViews(this.link, this.state);
    this.pageViews.watchNavigation();
    this.render();
    if (this.state.open) this.setOpen(true, false);
  }

  /**
   * The Socket.IO socket, as window.__carelineWidget.socket: the browser tests close its
   * transport there to play a dropped network.
   */
  get socket(): Socket {
    return this.link.socket;
  }

  key(name: string): string {
    return storageKey(this.embed, name);
  }

  private connect(): CustomerLink {
    const { state } = this;
    return new CustomerLink(this.embed, {
      connected: () => {
        state.connected = true;
        state.refused = null;
        this.render();
      },
      disconnected: () => {
        state.connected = false;
        this.outbox.requeueSending();
        this.render();
      },
      connectError: (refusal) => {
        state.connected = false;
        if (refusal) state.refused = refusal;
        this.render();
      },
      session: (data) => onSession(this, data),
      resync: () => void sync(this).then(() => flush(this)),
      message: (m) => onMessage(this, m),
      status: (s) => onStatus(this, s),
      position: (p) => onPosition(this, p),
      typing: (t) => onTyping(this, t),
    });
  }

  // --- the panel --------------------------------------------------------------------------------

  toggle(): void {
    this.setOpen(!this.state.open, true);
  }

  setOpen(open: boolean, focus: boolean): void {
    const { state, shell, pane } = this;
    state.open = open;
    storageSet(sessionStorage, this.key("open"), open);
    if (open) state.unread = 0;
    this.render(true);
    if (focus) {
      if (open) {
        window.setTimeout(() => {
          const target =
            pane.composer && !pane.composer.disabled
              ? pane.composer
              : shell.body.querySelector<HTMLElement>("input, textarea, button") ?? shell.panel;
          target.focus();
        }, 0);
      } else {
        shell.launcher.focus();
      }
    }
  }

  private onPanelKey(e: KeyboardEvent): void {
    if (e.key === "Escape") {
      e.stopPropagation();
      // Escape first backs out of the "End this chat?" question, then closes the panel.
      if (this.state.confirmClose) {
        this.state.confirmClose = false;
        this.render();
      } else {
        this.setOpen(false, true);
      }
    }
  }

  // --- rendering --------------------------------------------------------------------------------

  render(immediate = false): void {
    if (immediate) {
      this.renderNow();
      return;
    }
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.renderNow();
    });
  }

  private renderNow(): void {
    const { state } = this;
    renderLauncher(this.shell, state);
    if (!state.open) return;
    renderHeader(this);
    renderBanner(this);
    if (state.view === "chat" && state.conversation) renderChat(this);
    else if (state.view === "prechat") renderPrechat(this);
    else renderHome(this);
  }
}
