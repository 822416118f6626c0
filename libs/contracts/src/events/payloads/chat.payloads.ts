import { type ConversationSummary } from '../../models/conversation-summary';
import { type Location } from '../../models/location';
import { type Message } from '../../models/message';

export type ChatMessageCreatedPayload = Message;

export interface ChatHistoryPayload {
  /** The latest 50 messages, the same set as in bootstrap. */
  messages: Message[];
  /** Keyed by the other user's ID. */
  conversations: Record<string, ConversationSummary>;
  unreadMessageCount: Record<string, number>;
  totalUnreadMessageCount: number;
}

/** Extension, chat.history.page: one page of a conversation, newest first. */
export interface ChatHistoryPageResultPayload {
  otherUserId: string;
  messages: Message[];
  /** Pass as `before` to get the next (older) page; null when there is none. */
  nextCursor: string | null;
}

export interface ChatMessageReadReceiptPayload {
  messageId: string;
  senderId: string;
  recipientId: string;
  readAt: string;
}

/** To the recipient without `status`; to the sender with `status: 'sent'`. */
export interface ChatTypingRelayPayload {
  status?: 'sent';
  fromUserId: string;
  recipientId: string;
  isTyping: boolean;
}

/** chat.location.share.start and chat.location.updated. `fromUserId` is the authenticated sender. */
export interface ChatLocationRelayPayload {
  status?: 'sent';
  fromUserId: string;
  recipientId: string;
  location: Location;
}

export interface ChatLocationStopRelayPayload {
  status?: 'sent';
  fromUserId: string;
  recipientId: string;
}

/** Server-only: the user's vibe expired during background processing. */
export interface VibeExpiredPayload {
  expiredAt: string;
}
