import { type User } from './user';

export interface Message {
  messageId: string;
  senderId: string;
  recipientId: string;
  sender: User;
  recipient: User;
  content: string;
  createdAt: string;
  readAt: string | null;
  /** Extension: echo of the sender's clientMessageId, so an optimistic bubble can be matched. */
  clientMessageId?: string;
}
