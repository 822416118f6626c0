import { Inject, Injectable } from '@nestjs/common';
import { PROXIMITY_SETTINGS, type ProximitySettings } from '../config/proximity-config';
import type { PairConnection } from '../connections/connection-projection';
import type { TokenRow } from '../tokens/token-store';
import type { Session } from './session-model';

/** Token rows kept per connection: both phones' current tokens and the ones they replaced. */
export const CACHED_TOKENS_PER_CONNECTION = 4;

/**
 * What this replica last read or wrote of a connection: everything a plain heartbeat decides on. It is
 * only a guess about the database: the compare-and-set write proves every part of it still holds.
 */
export interface HeartbeatEvidence {
  readonly connection: Readonly<PairConnection>;
  /** The connection's current run as of `version`. */
  readonly session: Session;
  /** The run's `version` `session` was read or written as. */
  readonly version: string;
  /** Token rows seen for this connection, most recent first (at most CACHED_TOKENS_PER_CONNECTION). */
  readonly tokens: readonly TokenRow[];
}

/**
 * Per-replica, size-capped (least recently remembered goes first) memory of heartbeat evidence per
 * connection, so a plain heartbeat can go straight to its compare-and-set write. Never a source of
 * truth: a stale entry makes that write fail and the heartbeat takes the snapshot path instead. Entries
 * are immutable; callers copy before changing anything.
 */
@Injectable()
export class HeartbeatCache {
  private readonly entries = new Map<string, HeartbeatEvidence>();
  private readonly capacity: number;

  constructor(@Inject(PROXIMITY_SETTINGS) settings: Pick<ProximitySettings, 'heartbeatCacheEntries'>) {
    this.capacity = settings.heartbeatCacheEntries;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The evidence for a heartbeat presenting `token` on the connection, if this replica knows both. */
  lookup(connectionId: string, token: string): { evidence: HeartbeatEvidence; token: TokenRow } | undefined {
    const evidence = this.entries.get(connectionId);
    const row = evidence?.tokens.find((candidate) => candidate.token === token);
    return evidence && row ? { evidence, token: row } : undefined;
  }

  /**
   * Records the connection, run and version just written, with the token the heartbeat presented (the
   * connection's other known tokens are kept: each is proven again by every write that relies on it).
   * Evicts the least recently remembered connections beyond the capacity.
   */
  remember(entry: { connection: PairConnection; session: Session; version: string; token: TokenRow }): void {
    if (this.capacity === 0) return;
    const { connectionId } = entry.connection;
    const previous = this.entries.get(connectionId);
    const others = previous?.tokens.filter((row) => row.token !== entry.token.token) ?? [];
    this.entries.delete(connectionId);
    this.entries.set(connectionId, {
      connection: entry.connection,
      session: entry.session,
      version: entry.version,
      tokens: [entry.token, ...others].slice(0, CACHED_TOKENS_PER_CONNECTION),
    });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  /** Drops what is known of a connection. */
  forget(connectionId: string): void {
    this.entries.delete(connectionId);
  }
}
