// The wire shapes of docs/protocol.md, as TypeScript types. Only what the front-end reads.

export type Thread = "public" | "private" | "direct";
export type AuthorKind = "customer" | "agent" | "bot" | "system";
export type ConversationStatus = "waiting" | "active" | "closed";
export type AgentStatus = "available" | "away" | "offline";

export interface Author {
  kind: AuthorKind;
  id: string | null;
  name: string | null;
}

export interface Card {
  type?: string;
  title?: string;
  [key: string]: unknown;
}

export interface Message {
  id: string;
  conversation_id: string | null;
  thread: Thread;
  seq: number;
  client_id: string;
  author: Author;
  text: string;
  created_at: string;
  card?: Card | null;
  to_agent_id?: string | null;
}

export interface AckError {
  code: string;
  message: string;
  details?: unknown;
}

export type Ack<T = Record<string, unknown>> = ({ ok: true } & T) | { ok: false; error: AckError };

export interface CustomerConversation {
  id: string;
  status: ConversationStatus;
  queue: string;
  topic: string | null;
  position: number | null;
  agent: { name: string } | null;
}

export interface CustomerSession {
  visitor_id: string;
  visitor_token: string;
  customer: Record<string, unknown> | null;
  conversation: CustomerConversation | null;
}

export interface AgentRef {
  id: string;
  name: string;
}

export interface AgentConversation {
  id: string;
  status: ConversationStatus;
  queue: string;
  topic: string | null;
  name: string | null;
  email: string | null;
  customer: Record<string, unknown> | null;
  visitor: { id: string; current_url: string | null; current_title: string | null };
  assignee: AgentRef | null;
  consultants: AgentRef[];
  waiting_since: string;
  accepted_at: string | null;
  closed_at?: string | null;
  requeued_from: string | null;
  note: string | null;
  last_seq: { public: number; private: number };
  read_seq?: { public: number; private: number };
}

export interface WaitingRequest {
  conversation_id: string;
  queue: string;
  customer: Record<string, unknown> | null;
  name: string | null;
  topic: string | null;
  waiting_since: string;
  requeued_from?: string | null;
  note?: string | null;
  position: number;
  preview?: string | null;
}

export interface QueueInfo {
  name: string;
  title: string;
  member: boolean;
}

export interface AgentInfo {
  id: string;
  username?: string;
  name: string;
  role: "agent" | "lead" | "admin";
  status: AgentStatus;
  max_chats: number;
}

export interface DirectThreadInfo {
  agent_id: string;
  thread_id: string;
  last_seq: number;
  read_seq: number;
}

export interface AgentSession {
  agent: AgentInfo;
  queues: QueueInfo[];
  conversations: AgentConversation[];
  direct?: DirectThreadInfo[];
}

export interface PresenceAgent {
  id: string;
  name: string;
  role?: string;
  status: AgentStatus;
  load: number;
  max_chats?: number;
}

export interface TypingEvent {
  conversation_id: string;
  typing: boolean;
  name?: string | null;
  thread?: "public" | "private";
}
