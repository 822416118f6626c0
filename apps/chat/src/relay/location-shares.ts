import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { Clock, Deliverer, message, REDIS } from '@gisbi/platform';
import { CHAT_ENV, type ChatEnv } from '../config/chat-config';

/**
 * The only state of live-location sharing, in Redis: which recipients a user currently shares with
 * (hash `chat:shares:<fromUserId>`, field = recipient, value = expiry in ms), so a share that can no
 * longer continue (connection closed, block, deleted account) is stopped for both users; and the
 * per-sender update counter of the current second. No location is ever stored.
 */
@Injectable()
export class LocationShares {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly clock: Clock,
    private readonly deliverer: Deliverer,
    @Inject(CHAT_ENV) private readonly env: ChatEnv,
  ) {}

  /** Counts one location update of `senderId` in the current second; false once over the limit. */
  async allowUpdate(senderId: string): Promise<boolean> {
    const second = Math.floor(this.clock.nowMs() / 1000);
    const key = `chat:location-rate:${senderId}:${second}`;
    const results = await this.redis.multi().incr(key).pexpire(key, 2000).exec();
    const count = results?.[0]?.[1];
    if (typeof count !== 'number') throw new Error('location rate counter failed');
    return count <= this.env.CHAT_LOCATION_UPDATES_PER_SECOND;
  }

  /** Marks (or refreshes) the share from `fromUserId` to `recipientId`. */
  async mark(fromUserId: string, recipientId: string): Promise<void> {
    const ttlMs = this.env.CHAT_LOCATION_SHARE_TTL_SECONDS * 1000;
    const key = sharesKey(fromUserId);
    await this.redis
      .multi()
      .hset(key, recipientId, String(this.clock.nowMs() + ttlMs))
      .pexpire(key, ttlMs)
      .exec();
  }

  /** Removes the share marker; true when an unexpired share was active. */
  async unmark(fromUserId: string, recipientId: string): Promise<boolean> {
    const key = sharesKey(fromUserId);
    const results = await this.redis.multi().hget(key, recipientId).hdel(key, recipientId).exec();
    return this.isActive(results?.[0]?.[1]);
  }

  /** Ends the shares in both directions between two users (connection closed, block) and tells both. */
  async endBetween(userA: string, userB: string): Promise<void> {
    const [aToB, bToA] = await Promise.all([this.unmark(userA, userB), this.unmark(userB, userA)]);
    if (aToB) this.announceStop(userA, userB);
    if (bToA) this.announceStop(userB, userA);
  }

  /** Ends every share a user makes (account deleted) and tells each recipient. */
  async endAllOf(fromUserId: string): Promise<void> {
    const key = sharesKey(fromUserId);
    const results = await this.redis.multi().hgetall(key).del(key).exec();
    const shares = (results?.[0]?.[1] ?? {}) as Record<string, string>;
    for (const [recipientId, expiresAt] of Object.entries(shares)) {
      if (this.isActive(expiresAt)) this.announceStop(fromUserId, recipientId);
    }
  }

  private isActive(expiresAt: unknown): boolean {
    return typeof expiresAt === 'string' && Number(expiresAt) > this.clock.nowMs();
  }

  private announceStop(fromUserId: string, recipientId: string): void {
    this.deliverer.toUsers(
      [fromUserId, recipientId],
      message('chat.location.share.stop', { fromUserId, recipientId }),
    );
  }
}

function sharesKey(fromUserId: string): string {
  return `chat:shares:${fromUserId}`;
}
