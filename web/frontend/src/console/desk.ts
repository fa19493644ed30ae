// What the console's modules share. The Console (console.ts) is the one Desk; the modules take
// this interface rather than the class, so each sees only these few members.

import type { AgentLink } from "./connection";
import type { Notifier } from "./notify";
import type { Pane } from "./render/layout";
import type { DeskState, Selection } from "./state";
import type { TypingSignal } from "./typing";

export interface Desk {
  readonly state: DeskState;
  readonly link: AgentLink;
  readonly notify: Notifier;
  readonly pane: Pane;
  readonly typing: TypingSignal;
  /** Schedule a render of the whole console (once per animation frame, however often asked). */
  render(): void;
  /** Open a conversation or a direct thread in the workspace. */
  select(sel: Selection): void;
}
