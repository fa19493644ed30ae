// The widget's data: the session, the conversation and what the panel shows. Plain data; the
// modules that change it receive it through the ChatContext (context.ts).

import type { CustomerConversation, Message } from "../common/protocol";

export type View = "home" | "prechat" | "chat";

export interface QueuePosition {
  position: number;
  eta: number | null;
}

export interface WidgetState {
  connected: boolean;
  /** Why the server refused the connection; retrying would be refused again. */
  refused: string | null;
  customer: Record<string, unknown> | null;
  visitorId: string | null;
  conversation: CustomerConversation | null;
  messages: Map<number, Message>;
  position: QueuePosition | null;
  /** Positions by conversation id: one may arrive before the conversation it is about. */
  positions: Map<string, QueuePosition>;
  typingName: string | null;
  /** Hides the typing indicator if no "stopped" ever comes. */
  typingTimer: number;
  open: boolean;
  unread: number;
  view: View;
  /** The "End this chat?" question is showing in place of the composer. */
  confirmClose: boolean;
  startError: string | null;
  starting: boolean;
  /** A sync is under way; one at a time, since each picks up where the messages end. */
  syncing: boolean;
}

export function createWidgetState(open: boolean): WidgetState {
  return {
    connected: false,
    refused: null,
    customer: null,
    visitorId: null,
    conversation: null,
    messages: new Map(),
    position: null,
    positions: new Map(),
    typingName: null,
    typingTimer: 0,
    open,
    unread: 0,
    view: "home",
    confirmClose: false,
    startError: null,
    starting: false,
    syncing: false,
  };
}

/** The highest seq up to which no message is missing: where a sync picks up. */
export function maxSeq(messages: Map<number, Message>): number {
  let seq = 0;
  while (messages.has(seq + 1)) seq += 1;
  return seq;
}
