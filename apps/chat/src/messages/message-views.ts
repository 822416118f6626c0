import { Injectable } from '@nestjs/common';
import type { Message, User } from '@gisbi/contracts';
import { toPublicUser, type DirectoryUser } from '@gisbi/platform';
import { UserProfiles } from '../users/user-profiles';
import type { MessageRow } from './message-store';

export type UserLookup = ReadonlyMap<string, DirectoryUser>;

/**
 * Turns rows into the contract's Message, with sender and recipient profiles from auth (cached, and
 * fetched in one batched request for any number of rows).
 */
@Injectable()
export class MessageViews {
  constructor(private readonly profiles: UserProfiles) {}

  async lookup(rows: Iterable<MessageRow>): Promise<UserLookup> {
    const ids = new Set<string>();
    for (const row of rows) ids.add(row.sender_id).add(row.recipient_id);
    return this.profiles.getMany(ids);
  }

  async present(rows: MessageRow[]): Promise<Message[]> {
    const users = await this.lookup(rows);
    return rows.map((row) => toMessage(row, users));
  }
}

export function toMessage(row: MessageRow, users: UserLookup): Message {
  return {
    messageId: row.id,
    senderId: row.sender_id,
    recipientId: row.recipient_id,
    sender: userOf(row.sender_id, users),
    recipient: userOf(row.recipient_id, users),
    content: row.content,
    createdAt: row.created_at.toISOString(),
    readAt: row.read_at ? row.read_at.toISOString() : null,
    ...(row.client_message_id !== null ? { clientMessageId: row.client_message_id } : {}),
  };
}

/**
 * The profile auth returns (deleted accounts included, as auth presents them). An ID auth no longer
 * knows at all still yields a well-formed User, so old history never breaks a payload.
 */
function userOf(id: string, users: UserLookup): User {
  const user = users.get(id);
  if (user) return toPublicUser(user);
  return { id, name: 'Unknown user', age: null, avatar: null, gender: null, vibe: null, vibeExpiresAt: null };
}
