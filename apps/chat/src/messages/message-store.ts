import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import {
  PAIR_STATE_COLUMNS,
  pairStateParams,
  toPairState,
  type PairState,
  type PairStateRow,
} from '../relationships/relationship-state';
import type { MessagePosition } from './message-cursor';

/** A messages row as read by the hand-written queries below. */
export interface MessageRow {
  id: string;
  sender_id: string;
  recipient_id: string;
  content: string;
  created_at: Date;
  read_at: Date | null;
  client_message_id: string | null;
  idempotency_key: string | null;
}

/** A row with its exact (microsecond) position, for cursors. */
export interface PositionedMessageRow extends MessageRow {
  position_at: string;
}

export interface NewMessage {
  id: string;
  senderId: string;
  recipientId: string;
  content: string;
  createdAt: Date;
  clientMessageId: string | null;
  idempotencyKey: string | null;
}

/** What trySend found and did. */
export interface SendAttempt {
  pair: PairState;
  /** The message already stored under the idempotency key. */
  original: MessageRow | undefined;
  /** The new row, when the send was stored. */
  inserted: MessageRow | undefined;
}

/** Each snapshot of a user's inbox used by bootstrap and chat.history.fetch. */
export interface InboxSnapshot {
  latest: MessageRow[];
  conversations: MessageRow[];
  unreadBySender: Record<string, number>;
  replay: MessageRow[];
}

const COLUMNS =
  'id, sender_id, recipient_id, content, created_at, read_at, client_message_id, idempotency_key';
const EXACT_POSITION = `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position_at`;

/**
 * Every query chat runs on `messages`, each served by an index of the init migration. Order is always
 * (created_at, id): the id breaks ties between rows sharing a timestamp, so paging and replay never
 * skip or repeat a row.
 */
@Injectable()
export class MessageStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * The usual send in one round trip: reads the pair's state and any message the sender already stored
   * under the idempotency key, and inserts the message only when the pair may freely write (no block, no
   * deleted account, connected or already replied) and the key is unused. The caller works out why
   * nothing was inserted from what is returned.
   */
  async trySend(message: NewMessage): Promise<SendAttempt> {
    const [row] = await this.prepared<PairStateRow & PrefixedRow<'o_'> & PrefixedRow<'i_'>>(
      'try_send',
      TRY_SEND_SQL,
      [
        ...pairStateParams(message.senderId, message.recipientId),
        message.idempotencyKey,
        message.id,
        message.content,
        message.createdAt,
        message.clientMessageId,
      ],
    );
    if (!row) throw new Error('send query returned no row');
    return { pair: toPairState(row), original: unprefix(row, 'o_'), inserted: unprefix(row, 'i_') };
  }

  async findById(id: string): Promise<MessageRow | undefined> {
    const rows = (await this.dataSource.query(`SELECT ${COLUMNS} FROM messages WHERE id = $1`, [
      id,
    ])) as MessageRow[];
    return rows[0];
  }

  async findByKey(
    senderId: string,
    idempotencyKey: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<MessageRow | undefined> {
    const rows = (await manager.query(
      `SELECT ${COLUMNS} FROM messages WHERE sender_id = $1 AND idempotency_key = $2`,
      [senderId, idempotencyKey],
    )) as MessageRow[];
    return rows[0];
  }

  /** Inserts inside the caller's transaction unless the sender already used the idempotency key; returns the row when inserted. */
  async insert(message: NewMessage, manager: EntityManager): Promise<MessageRow | undefined> {
    const rows = (await manager.query(INSERT_SQL, [
      message.id,
      message.senderId,
      message.recipientId,
      message.content,
      message.createdAt,
      message.clientMessageId,
      message.idempotencyKey,
    ])) as MessageRow[];
    return rows[0];
  }

  /**
   * The hot-path statements run as named prepared statements (planned once per pooled connection):
   * planning the send-context query costs Postgres several times more than executing it.
   */
  private async prepared<R>(name: string, text: string, values: unknown[]): Promise<R[]> {
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    const result = await pool.query({ name: `chat_${name}`, text, values });
    return result.rows as R[];
  }

  /** Serialises first-contact sends of one sender to one recipient until the transaction ends. */
  async lockFirstContact(manager: EntityManager, senderId: string, recipientId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `chat:first-contact:${senderId}:${recipientId}`,
    ]);
  }

  async countSent(manager: EntityManager, senderId: string, recipientId: string): Promise<number> {
    const [row] = (await manager.query(
      'SELECT count(*)::int AS count FROM messages WHERE sender_id = $1 AND recipient_id = $2',
      [senderId, recipientId],
    )) as Array<{ count: number }>;
    return row?.count ?? 0;
  }

  /**
   * Marks `target` and every earlier unread message of the same conversation to the same reader as
   * read (readAt never earlier than the message). Returns the target's readAt and whether this call
   * set it; a concurrent reader waits for the row lock and then finds it already read.
   */
  async markReadUpTo(target: MessageRow, at: Date): Promise<{ readAt: Date; newlyRead: boolean }> {
    const updated = (await this.dataSource.query(
      `WITH marked AS (
         UPDATE messages SET read_at = GREATEST($4::timestamptz, created_at)
          WHERE recipient_id = $1 AND sender_id = $2 AND read_at IS NULL
            AND (created_at, id) <= (SELECT created_at, id FROM messages WHERE id = $3)
          RETURNING id, read_at)
       SELECT read_at FROM marked WHERE id = $3`,
      [target.recipient_id, target.sender_id, target.id, at],
    )) as Array<{ read_at: Date }>;
    if (updated[0]) return { readAt: updated[0].read_at, newlyRead: true };
    const [current] = (await this.dataSource.query('SELECT read_at FROM messages WHERE id = $1', [
      target.id,
    ])) as Array<{
      read_at: Date | null;
    }>;
    if (!current?.read_at) throw new Error(`message ${target.id} is neither newly nor previously read`);
    return { readAt: current.read_at, newlyRead: false };
  }

  /**
   * One consistent snapshot (REPEATABLE READ) of a user's inbox: latest messages in both directions,
   * the last message of each conversation (most recent first), unread counts per sender, and — when
   * `replayAfter` is given — incoming messages created strictly after it (oldest first; the newest
   * `replayLimit` when there are more). `replayAfter` is compared by Postgres as timestamptz, at its
   * precision, whatever the process or session time zone.
   */
  async inbox(
    userId: string,
    options: { latestLimit: number; conversationsLimit: number; replayAfter?: string; replayLimit: number },
  ): Promise<InboxSnapshot> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      const latest = (await runner.query(
        `SELECT ${COLUMNS} FROM (
           (SELECT ${COLUMNS} FROM messages WHERE sender_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2)
           UNION ALL
           (SELECT ${COLUMNS} FROM messages WHERE recipient_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2)
         ) mine ORDER BY created_at DESC, id DESC LIMIT $2`,
        [userId, options.latestLimit],
      )) as MessageRow[];
      const conversations = (await runner.query(CONVERSATIONS_SQL, [
        userId,
        options.conversationsLimit,
      ])) as MessageRow[];
      const unread = (await runner.query(
        `SELECT sender_id, count(*)::int AS count FROM messages
          WHERE recipient_id = $1 AND read_at IS NULL GROUP BY sender_id`,
        [userId],
      )) as Array<{ sender_id: string; count: number }>;
      const replay =
        options.replayAfter === undefined
          ? []
          : ((await runner.query(
              `SELECT ${COLUMNS} FROM (
                 SELECT ${COLUMNS} FROM messages
                  WHERE recipient_id = $1 AND created_at > $2::timestamptz
                  ORDER BY created_at DESC, id DESC LIMIT $3
               ) missed ORDER BY created_at ASC, id ASC`,
              [userId, options.replayAfter, options.replayLimit],
            )) as MessageRow[]);
      await runner.commitTransaction();
      return {
        latest,
        conversations,
        unreadBySender: Object.fromEntries(unread.map((row) => [row.sender_id, row.count])),
        replay,
      };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  /**
   * Messages between two users older than `before` (or the newest), newest first: each direction is
   * one range scan of messages_direction_idx, merged.
   */
  async page(
    userId: string,
    otherUserId: string,
    before: MessagePosition | undefined,
    limit: number,
  ): Promise<PositionedMessageRow[]> {
    const older = before ? 'AND (created_at, id) < ($3::timestamptz, $4)' : '';
    const params: unknown[] = [userId, otherUserId];
    if (before) params.push(before.createdAt, before.id);
    params.push(limit);
    const limitParam = `$${params.length}`;
    return (await this.dataSource.query(
      `SELECT ${COLUMNS}, ${EXACT_POSITION} FROM (
         (SELECT ${COLUMNS} FROM messages WHERE sender_id = $1 AND recipient_id = $2 ${older}
           ORDER BY created_at DESC, id DESC LIMIT ${limitParam})
         UNION ALL
         (SELECT ${COLUMNS} FROM messages WHERE sender_id = $2 AND recipient_id = $1 ${older}
           ORDER BY created_at DESC, id DESC LIMIT ${limitParam})
       ) conversation ORDER BY created_at DESC, id DESC LIMIT ${limitParam}`,
      params,
    )) as PositionedMessageRow[];
  }
}

const COLUMN_NAMES = [
  'id',
  'sender_id',
  'recipient_id',
  'content',
  'created_at',
  'read_at',
  'client_message_id',
  'idempotency_key',
] as const satisfies ReadonlyArray<keyof MessageRow>;

type PrefixedRow<P extends string> = { [K in keyof MessageRow as `${P}${K}`]: MessageRow[K] | null };

function prefixed(table: string, prefix: string): string {
  return COLUMN_NAMES.map((column) => `${table}.${column} AS ${prefix}${column}`).join(', ');
}

function unprefix<P extends string>(row: PrefixedRow<P>, prefix: P): MessageRow | undefined {
  const record = row as Record<string, unknown>;
  if (record[`${prefix}id`] === null || record[`${prefix}id`] === undefined) return undefined;
  return Object.fromEntries(
    COLUMN_NAMES.map((column) => [column, record[`${prefix}${column}`]]),
  ) as unknown as MessageRow;
}

// $1..$4: pair state (low, high, sender, recipient); $5 idempotency key; $6.. the new row.
const TRY_SEND_SQL = `
  WITH state AS (SELECT ${PAIR_STATE_COLUMNS}),
  original AS (SELECT ${COLUMNS} FROM messages WHERE sender_id = $3 AND idempotency_key = $5),
  inserted AS (
    INSERT INTO messages (${COLUMNS})
    SELECT $6::text, $3, $4, $7::text, $8::timestamptz, NULL, $9::text, $5 FROM state
     WHERE NOT state.blocked AND NOT state.actor_deleted AND NOT state.target_deleted
       AND (state.connected OR state.target_replied)
       AND NOT EXISTS (SELECT 1 FROM original)
    ON CONFLICT (sender_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
    RETURNING ${COLUMNS})
  SELECT state.*, ${prefixed('original', 'o_')}, ${prefixed('inserted', 'i_')}
    FROM state LEFT JOIN original ON TRUE LEFT JOIN inserted ON TRUE`;

const INSERT_SQL = `
  INSERT INTO messages (id, sender_id, recipient_id, content, created_at, read_at, client_message_id, idempotency_key)
  VALUES ($1, $2, $3, $4, $5, NULL, $6, $7)
  ON CONFLICT (sender_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
  RETURNING ${COLUMNS}`;

/**
 * The last message of each of a user's conversations without scanning their messages: partners are
 * enumerated with loose index scans (one index probe per distinct partner) over the people they wrote
 * to (messages_direction_idx) and who wrote to them (messages_senders_idx); then each conversation's
 * newest message is the newer of two one-row index probes.
 */
const CONVERSATIONS_SQL = `
  WITH RECURSIVE wrote_to AS (
      (SELECT recipient_id AS other FROM messages WHERE sender_id = $1 ORDER BY recipient_id LIMIT 1)
      UNION ALL
      SELECT (SELECT m.recipient_id FROM messages m
               WHERE m.sender_id = $1 AND m.recipient_id > w.other ORDER BY m.recipient_id LIMIT 1)
        FROM wrote_to w WHERE w.other IS NOT NULL
    ), wrote_by AS (
      (SELECT sender_id AS other FROM messages WHERE recipient_id = $1 ORDER BY sender_id LIMIT 1)
      UNION ALL
      SELECT (SELECT m.sender_id FROM messages m
               WHERE m.recipient_id = $1 AND m.sender_id > w.other ORDER BY m.sender_id LIMIT 1)
        FROM wrote_by w WHERE w.other IS NOT NULL
    ), partners AS (
      SELECT other FROM wrote_to WHERE other IS NOT NULL
      UNION
      SELECT other FROM wrote_by WHERE other IS NOT NULL
    )
  SELECT last.* FROM partners p
  CROSS JOIN LATERAL (
    SELECT ${COLUMNS} FROM (
      (SELECT ${COLUMNS} FROM messages WHERE sender_id = $1 AND recipient_id = p.other
        ORDER BY created_at DESC, id DESC LIMIT 1)
      UNION ALL
      (SELECT ${COLUMNS} FROM messages WHERE sender_id = p.other AND recipient_id = $1
        ORDER BY created_at DESC, id DESC LIMIT 1)
    ) both_ways ORDER BY created_at DESC, id DESC LIMIT 1
  ) last
  ORDER BY last.created_at DESC, last.id DESC
  LIMIT $2`;
