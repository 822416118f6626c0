import { type Message } from './message';

/** Latest message and unread count of one conversation, keyed elsewhere by the other user's ID. */
export interface ConversationSummary {
  lastMessage: Message;
  unreadCount: number;
}
