import { Inject, Injectable } from '@nestjs/common';
import {
  ErrorCode,
  IdPrefix,
  MAX_CHAT_PAGE_LIMIT,
  type BootstrapPart,
  type ChatHistoryPageResultPayload,
  type ChatHistoryPagePayload,
  type ChatHistoryPayload,
  type ChatMessageCreatePayload,
  type ChatMessageReadPayload,
  type ConversationSummary,
  type Message,
} from '@gisbi/contracts';
import {
  Clock,
  Deliverer,
  DomainError,
  message,
  newId,
  type Command,
  type ServerMessage,
} from '@gisbi/platform';
import type { EntityManager } from 'typeorm';
import { CHAT_ENV, type ChatEnv } from '../config/chat-config';
import { PushNotifier } from '../push/push-notifier';
import { RelationshipState, type PairState } from '../relationships/relationship-state';
import { UserProfiles } from '../users/user-profiles';
import { assertValidContent } from './message-content';
import { decodeCursor, encodeCursor } from './message-cursor';
import { MessageStore, type MessageRow, type NewMessage } from './message-store';
import { MessageViews, toMessage, type UserLookup } from './message-views';
import { fitToBudget } from './reply-budget';

/** The latest messages in bootstrap and chat.history.fetch (contract: "capped at the latest 50"). */
export const LATEST_MESSAGES = 50;
export const DEFAULT_PAGE_LIMIT = 30;

/** The idempotency key of a send: an explicit clientMessageId, else the envelope requestId. */
interface IdempotencyKey {
  kind: 'client' | 'request';
  value: string;
}

type SendOutcome = { row: MessageRow; created: boolean };

/**
 * Sending, reading and listing messages. A send is stored before anyone hears of it; the sender's
 * socket gets it in the command reply, everyone else (recipient, sender's other devices) by delivery,
 * and an offline recipient by push — after the reply, never holding it up.
 */
@Injectable()
export class MessagesService {
  constructor(
    private readonly messages: MessageStore,
    private readonly views: MessageViews,
    private readonly profiles: UserProfiles,
    private readonly relationships: RelationshipState,
    private readonly deliverer: Deliverer,
    private readonly push: PushNotifier,
    private readonly clock: Clock,
    @Inject(CHAT_ENV) private readonly env: ChatEnv,
  ) {}

  async send(command: Command<ChatMessageCreatePayload>): Promise<ServerMessage<'chat.message.created'>> {
    const { recipientId, content } = command.payload;
    assertValidContent(content, this.env.CHAT_MAX_MESSAGE_LENGTH);
    if (recipientId === command.userId) {
      throw DomainError.badRequest(ErrorCode.cannot_target_self, 'You cannot message yourself');
    }
    const users = await this.profiles.getMany([command.userId, recipientId]);
    const outcome = await this.store(command, users, idempotencyKeyOf(command));
    const sent = message('chat.message.created', toMessage(outcome.row, users));
    if (!outcome.created) return sent; // a retry: answered with the original, nothing new to tell
    this.deliverer.toParticipants(command, [command.userId, recipientId], sent);
    this.push.notifyIfOffline(sent.payload);
    return sent;
  }

  /**
   * Stores the message, or finds the one a retry refers to. The usual case is one statement; first
   * contact goes through a locked transaction; a retry is answered with what was stored, whatever
   * changed since.
   */
  private async store(
    command: Command<ChatMessageCreatePayload>,
    users: UserLookup,
    key: IdempotencyKey | undefined,
  ): Promise<SendOutcome> {
    const senderId = command.userId;
    const { recipientId, content } = command.payload;
    const refusal = profileRefusal(users, senderId, recipientId);
    if (refusal) {
      const original = key ? await this.messages.findByKey(senderId, key.value) : undefined;
      if (original && isSameSend(original, recipientId, content)) return { row: original, created: false };
      throw refusal;
    }
    const createdAt = this.clock.now();
    const draft: NewMessage = {
      id: newId(IdPrefix.message, createdAt.getTime()),
      senderId,
      recipientId,
      content,
      createdAt,
      clientMessageId: key?.kind === 'client' ? (command.payload.clientMessageId ?? null) : null,
      idempotencyKey: key ? key.value : null,
    };
    const attempt = await this.messages.trySend(draft);
    if (attempt.inserted) return { row: attempt.inserted, created: true };
    const original =
      attempt.original ??
      (key && mayWriteFreely(attempt.pair) ? await this.messages.findByKey(senderId, key.value) : undefined);
    if (key && original) {
      if (isSameSend(original, recipientId, content)) return { row: original, created: false };
      assertKeyReusable(key);
      return this.store(command, users, undefined);
    }
    assertPairAllows(attempt.pair);
    if (mayWriteFreely(attempt.pair)) throw new Error(`message ${draft.id} was neither stored nor refused`);
    return this.messages.transaction((manager) => this.insertFirstContact(manager, draft, key));
  }

  async read(command: Command<ChatMessageReadPayload>): Promise<ServerMessage<'chat.message.read'>> {
    const target = await this.messages.findById(command.payload.messageId);
    if (!target) throw DomainError.notFound(ErrorCode.message_not_found, 'No such message');
    if (target.recipient_id !== command.userId) {
      throw DomainError.forbidden(ErrorCode.not_allowed, 'Only the recipient can mark a message as read');
    }
    const { readAt, newlyRead } = await this.messages.markReadUpTo(target, this.clock.now());
    const receipt = message('chat.message.read', {
      messageId: target.id,
      senderId: target.sender_id,
      recipientId: target.recipient_id,
      readAt: readAt.toISOString(),
    });
    // Only the call that set readAt tells both users; a repeat just confirms to its own socket.
    if (newlyRead) this.deliverer.toParticipants(command, [target.sender_id, target.recipient_id], receipt);
    return receipt;
  }

  async history(userId: string): Promise<ChatHistoryPayload> {
    const { history } = await this.inbox(userId);
    return history;
  }

  async page(userId: string, request: ChatHistoryPagePayload): Promise<ChatHistoryPageResultPayload> {
    const limit = Math.min(request.limit ?? DEFAULT_PAGE_LIMIT, MAX_CHAT_PAGE_LIMIT);
    const before = request.before === undefined ? undefined : decodeCursor(request.before);
    const rows = await this.messages.page(userId, request.otherUserId, before, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      otherUserId: request.otherUserId,
      messages: await this.views.present(page),
      nextCursor:
        rows.length > limit && last ? encodeCursor({ createdAt: last.position_at, id: last.id }) : null,
    };
  }

  /** The chat part of session.bootstrap, with the replay of incoming messages after `lastSeenAt`. */
  async bootstrap(userId: string, lastSeenAt?: string): Promise<BootstrapPart> {
    const { history, replay } = await this.inbox(userId, lastSeenAt);
    return { ...history, ...(lastSeenAt !== undefined ? { replay } : {}) };
  }

  private async inbox(
    userId: string,
    replayAfter?: string,
  ): Promise<{ history: ChatHistoryPayload; replay: Message[] }> {
    const snapshot = await this.messages.inbox(userId, {
      latestLimit: LATEST_MESSAGES,
      conversationsLimit: this.env.CHAT_CONVERSATIONS_LIMIT,
      replayAfter,
      replayLimit: this.env.CHAT_REPLAY_MAX_MESSAGES,
    });
    const users = await this.views.lookup([
      ...snapshot.latest,
      ...snapshot.conversations,
      ...snapshot.replay,
    ]);
    const present = (rows: MessageRow[]) => rows.map((row) => toMessage(row, users));
    const messages = present(snapshot.latest);
    // Missed messages first, newest first while trimming, so a cut drops the oldest (still in history);
    // then conversation previews, most recent first.
    const [replayNewestFirst = [], lastMessages = []] = fitToBudget(
      this.env.CHAT_REPLY_MAX_BYTES - byteLength(messages),
      [present(snapshot.replay).reverse(), present(snapshot.conversations)],
    );
    const conversations: Record<string, ConversationSummary> = {};
    for (const last of lastMessages) {
      const otherId = last.senderId === userId ? last.recipientId : last.senderId;
      conversations[otherId] = { lastMessage: last, unreadCount: snapshot.unreadBySender[otherId] ?? 0 };
    }
    const unreadMessageCount = { ...snapshot.unreadBySender };
    const totalUnreadMessageCount = Object.values(unreadMessageCount).reduce((sum, count) => sum + count, 0);
    return {
      history: { messages, conversations, unreadMessageCount, totalUnreadMessageCount },
      replay: replayNewestFirst.reverse(),
    };
  }

  /**
   * Before the other side replied or connected, a sender may send only CHAT_FIRST_CONTACT_MAX_MESSAGES.
   * Sends of one pair are serialised by an advisory lock so concurrent sends cannot exceed it, and a
   * retry of an already stored message is answered before the limit is applied.
   */
  private async insertFirstContact(
    manager: EntityManager,
    draft: NewMessage,
    key: IdempotencyKey | undefined,
  ): Promise<SendOutcome> {
    await this.messages.lockFirstContact(manager, draft.senderId, draft.recipientId);
    if (key) {
      const original = await this.messages.findByKey(draft.senderId, key.value, manager);
      if (original && isSameSend(original, draft.recipientId, draft.content))
        return { row: original, created: false };
    }
    const pair = await this.relationships.pairState(draft.senderId, draft.recipientId, manager);
    assertPairAllows(pair);
    if (!mayWriteFreely(pair)) {
      const sent = await this.messages.countSent(manager, draft.senderId, draft.recipientId);
      // Over the limit unless a connection was just accepted (its event may not have reached chat yet).
      if (sent >= this.env.CHAT_FIRST_CONTACT_MAX_MESSAGES && !(await this.relationships.learnConnection(draft.senderId, draft.recipientId, manager))) {
        throw DomainError.tooMany(
          ErrorCode.first_contact_limit,
          `Wait for a reply or a connection before sending more than ${this.env.CHAT_FIRST_CONTACT_MAX_MESSAGES} messages`,
        );
      }
    }
    const inserted = await this.messages.insert(draft, manager);
    if (inserted) return { row: inserted, created: true };
    // A retry with the same key committed between our check and insert (the lock makes this rare).
    const original = key ? await this.messages.findByKey(draft.senderId, key.value, manager) : undefined;
    if (!key || !original) throw new Error(`message ${draft.id} was not inserted`);
    if (isSameSend(original, draft.recipientId, draft.content)) return { row: original, created: false };
    assertKeyReusable(key);
    return this.insertFirstContact(
      manager,
      { ...draft, clientMessageId: null, idempotencyKey: null },
      undefined,
    );
  }
}

function idempotencyKeyOf(command: Command<ChatMessageCreatePayload>): IdempotencyKey | undefined {
  if (command.payload.clientMessageId !== undefined)
    return { kind: 'client', value: `c:${command.payload.clientMessageId}` };
  if (command.requestId !== undefined && command.requestId.length > 0)
    return { kind: 'request', value: `r:${command.requestId}` };
  return undefined;
}

function isSameSend(original: MessageRow, recipientId: string, content: string): boolean {
  return original.recipient_id === recipientId && original.content === content;
}

/**
 * A key already used for a different message: an explicit clientMessageId is a client bug and is
 * refused; a reused envelope requestId is not a retry, so the caller stores the message without a key.
 */
function assertKeyReusable(key: IdempotencyKey): void {
  if (key.kind === 'client') {
    throw DomainError.conflict(
      ErrorCode.conflict,
      'This clientMessageId was already used for a different message',
    );
  }
}

/** Why auth's profiles forbid the send, if they do. */
function profileRefusal(users: UserLookup, senderId: string, recipientId: string): DomainError | undefined {
  const recipient = users.get(recipientId);
  if (!recipient || recipient.deleted) return DomainError.notFound(ErrorCode.user_not_found, 'No such user');
  const sender = users.get(senderId);
  if (!sender || sender.deleted)
    return DomainError.forbidden(ErrorCode.account_deleted, 'This account was deleted');
  return undefined;
}

/** Refusals from chat's projections (the same conditions trySend checks in SQL). */
function assertPairAllows(pair: PairState): void {
  if (pair.targetDeleted) throw DomainError.notFound(ErrorCode.user_not_found, 'No such user');
  if (pair.actorDeleted) throw DomainError.forbidden(ErrorCode.account_deleted, 'This account was deleted');
  if (pair.blocked)
    throw DomainError.forbidden(ErrorCode.blocked, 'Messaging between these users is blocked');
}

/** Past first contact, and nothing forbids it: connected, or the other side has written. */
function mayWriteFreely(pair: PairState): boolean {
  return !pair.blocked && !pair.actorDeleted && !pair.targetDeleted && (pair.connected || pair.targetReplied);
}

function byteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}
