// The console itself: signs in and out, opens the link to the server and routes its events to
// the modules that keep the state, and renders the signed-in layout once per animation frame.
// It is the one Desk (desk.ts) that those modules share.

import type { AgentSession, PresenceAgent } from "../common/protocol";
import { onDirect, onPresence, syncDirect } from "./colleagues";
import { AgentLink } from "./connection";
import { onConversationUpdate, onMessage, onStatus, onTyping, onVisitorPage, syncConversation, upsertConversation } from "./conversations";
import type { Desk } from "./desk";
import { Notifier, updateTitle } from "./notify";
import { saveDraft } from "./render/composer";
import { renderDetails } from "./render/details";
import { type Regions, buildRegions, createPane, refreshElapsed } from "./render/layout";
import { renderSidebar } from "./render/sidebar";
import { renderTopbar } from "./render/topbar";
import { renderWorkspace } from "./render/workspace";
import { initialWatch, onQueueUpdate, watch } from "./requests";
import { type Selection, clearDeskState, createDeskState, directWith } from "./state";
import { loadToken, logIn, logOut, pageConfig, renderSignIn, storeToken } from "./signin";
import { TypingSignal } from "./typing";
import { markSelectedRead } from "./unread";

export class Console implements Desk {
  readonly state = createDeskState();
  readonly link = new AgentLink();
  readonly notify = new Notifier();
  readonly pane = createPane();
  readonly typing = new TypingSignal(this.link);
  private readonly app: HTMLElement;
  private readonly config = pageConfig();
  private token: string | null = loadToken();
  private regions: Regions | null = null;
  private renderQueued = false;

  constructor(app: HTMLElement) {
    this.app = app;
    window.setInterval(() => refreshElapsed(), 1000);
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden) markSelectedRead(this);
      updateTitle(this.state);
    });
    if (this.token) this.start();
    else this.showSignIn(null);
  }

  // --- sign-in ----------------------------------------------------------------------------------

  private showSignIn(message: string | null): void {
    this.link.close();
    this.state.me = null;
    renderSignIn(this.app, message, this.config, (username, password) =>
      logIn(username, password, (token) => {
        this.token = token;
        storeToken(token);
        this.start();
      }),
    );
  }

  private async signOut(): Promise<void> {
    const token = this.token;
    this.token = null;
    storeToken(null);
    if (token) await logOut(token);
    this.reset();
    this.showSignIn("You have signed out.");
  }

  /** The server ended the session (refused the token, disabled the account): back to sign-in. */
  private endSession(message: string): void {
    this.token = null;
    storeToken(null);
    this.reset();
    this.showSignIn(message);
  }

  private reset(): void {
    this.link.close();
    clearDeskState(this.state);
    this.pane.renderedSelection = "";
  }

  // --- connection -------------------------------------------------------------------------------

  private start(): void {
    this.buildLayout();
    this.link.open(() => this.token, {
      connected: () => {
        this.state.connected = true;
        this.render();
      },
      disconnected: () => {
        this.state.connected = false;
        this.render();
      },
      refused: (reason) => {
        this.state.connected = false;
        this.endSession(reason.code === "token_expired" ? "Your session has expired. Please sign in again." : `Please sign in again (${reason.message || "session not valid"}).`);
      },
      session: (s) => void this.onSession(s),
      sessionEnded: (reason) => this.endSession(reason === "account_disabled" ? "Your account has been disabled." : "You were signed out."),
      resync: () => void this.resync(),
      queueUpdate: (queue, waiting) => onQueueUpdate(this, queue, waiting),
      conversationUpdate: (conv) => void onConversationUpdate(this, conv),
      message: (m) => onMessage(this, m),
      direct: (m) => onDirect(this, m),
      status: (id, status) => onStatus(this, id, status),
      typing: (t) => onTyping(this, t),
      visitorPage: (p) => onVisitorPage(this, p),
      presence: (agents) => onPresence(this, agents),
    });
  }

  /** Sent on every (re)connection: who this CSR is and what they have open. */
  private async onSession(s: AgentSession): Promise<void> {
    const { state } = this;
    state.me = s.agent;
    state.queues = s.queues;
    state.watched = initialWatch(s);
    const seen = new Set<string>();
    for (const conv of s.conversations) {
      seen.add(conv.id);
      const cs = upsertConversation(state, conv, false);
      const read = conv.read_seq ?? { public: 0, private: 0 };
      // Until its messages are loaded, the server's read marks are all there is to count by.
      if (cs.public.size === 0 && cs.private.size === 0) {
        cs.unread = Math.max(0, conv.last_seq.public - read.public) + Math.max(0, conv.last_seq.private - read.private);
      }
    }
    // Anything we showed as open that the server no longer lists for us has left our hands.
    for (const [id, cs] of state.convs) {
      if (!seen.has(id) && cs.conv.status !== "closed" && !cs.removed) cs.removed = "This conversation is no longer assigned to you.";
    }
    for (const d of s.direct ?? []) {
      const direct = directWith(state, d.agent_id);
      direct.threadId = d.thread_id;
      if (!direct.loaded) direct.unread = Math.max(0, d.last_seq - d.read_seq);
    }
    if (!state.selected && state.order.length) state.selected = { kind: "conv", id: state.order[0] };
    this.render();
    await watch(this, state.watched);
    await this.refreshPresence();
    await Promise.all([...seen].map((id) => syncConversation(this, id)));
    if (state.selected?.kind === "direct") await syncDirect(this, state.selected.agentId);
    markSelectedRead(this);
    this.render();
  }

  /** The server may have dropped events for a moment: catch up on every thread and queue. */
  private async resync(): Promise<void> {
    await watch(this, this.state.watched);
    await this.refreshPresence();
    await Promise.all([...this.state.convs.keys()].map((id) => syncConversation(this, id)));
    await Promise.all([...this.state.directs.values()].filter((d) => d.loaded).map((d) => syncDirect(this, d.agentId)));
  }

  private async refreshPresence(): Promise<void> {
    const presence = await this.link.call<{ agents: PresenceAgent[] }>("agents:list");
    if (presence.ok) onPresence(this, presence.agents);
  }

  // --- Desk -------------------------------------------------------------------------------------

  select(sel: Selection): void {
    saveDraft(this);
    this.state.selected = sel;
    if (sel?.kind === "direct") {
      const d = directWith(this.state, sel.agentId);
      if (!d.loaded) void syncDirect(this, sel.agentId).then(() => markSelectedRead(this));
    }
    markSelectedRead(this);
    this.render();
    window.setTimeout(() => this.pane.composer?.focus(), 0);
  }

  render(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      const regions = this.regions;
      if (!this.token || !regions) return;
      renderTopbar(this, regions.topbar, () => void this.signOut());
      renderSidebar(this, regions.sidebar);
      renderWorkspace(this, regions.main);
      renderDetails(this.state, regions.details);
      updateTitle(this.state);
    });
  }

  // --- layout -----------------------------------------------------------------------------------

  private buildLayout(): void {
    this.regions = buildRegions(this.app);
    this.notify.attach(this.regions.toasts, this.regions.live);
    this.pane.stream = null;
    this.pane.composer = null;
    this.pane.renderedSelection = "";
    this.render();
  }
}
