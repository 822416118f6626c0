import type { EntityManager } from 'typeorm';

/**
 * Transaction-scoped Postgres advisory locks, keyed by a 64-bit hash of a name in this service's
 * namespace (a hash collision only makes two unrelated transactions wait for each other).
 *
 * - pair lock (exclusive): every change to what exists between two users (send, accept, reject,
 *   block) runs one at a time per pair, so "no block, no active connection, no pending request" is
 *   checked and acted on atomically.
 * - user lock: shared by commands that create something with a user, exclusive while that user's
 *   deletion is applied, so nothing new can be created with an account in the middle of its removal.
 *
 * Order is always user locks (sorted), then the pair lock, then rows; nothing waits on an advisory lock
 * while holding a row lock, so these never deadlock with each other.
 */
export async function lockPair(manager: EntityManager, userAId: string, userBId: string): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`connections:pair:${userAId}:${userBId}`]);
}

export async function lockUsersShared(manager: EntityManager, userIds: readonly string[]): Promise<void> {
  for (const userId of [...new Set(userIds)].sort()) {
    await manager.query('SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))', [`connections:user:${userId}`]);
  }
}

export async function lockUserExclusive(manager: EntityManager, userId: string): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`connections:user:${userId}`]);
}
