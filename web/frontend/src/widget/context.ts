// What the widget's modules share. The Widget (widget.ts) is the one ChatContext; the modules take
// this interface rather than the class, so each sees only these few members.

import type { Outbox } from "./outbox";
import type { PageViews } from "./pageviews";
import type { CustomerLink } from "./session";
import type { Pane, Shell } from "./shadow";
import type { WidgetState } from "./state";
import type { TypingSignal } from "./typing";

export interface ChatContext {
  readonly state: WidgetState;
  readonly link: CustomerLink;
  readonly outbox: Outbox;
  readonly typing: TypingSignal;
  readonly pageViews: PageViews;
  readonly shell: Shell;
  readonly pane: Pane;
  /** A storage key of this server and this shopper (see embed.ts). */
  key(name: string): string;
  /** Render now, or (by default) once per animation frame however often asked. */
  render(immediate?: boolean): void;
  setOpen(open: boolean, focus: boolean): void;
}
