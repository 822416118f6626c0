import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { User } from '@gisbi/contracts';
import { Clock, toPublicUser, UserDirectory } from '@gisbi/platform';
import { PRESENCE_ENV, type PresenceEnv } from '../config/presence-config';
import { interestTokens } from '../radar/shared-interests';
import type { CacheGenerations } from '../store/live-location.store';
import { GenerationalCache } from './generational-cache';

/** A user as the radar needs them: the public summary and their vibe's interest tokens. */
export interface RadarProfile {
  user: User;
  deleted: boolean;
  tokens: string[];
}

export interface ViewerContext {
  /** Users this viewer blocked or was blocked by. */
  blocked: ReadonlySet<string>;
  /** Users with an active connection to this viewer (they see each other exactly). */
  peers: ReadonlySet<string>;
  profile: RadarProfile | undefined;
}

interface ProfileRow {
  user_id: string;
  profile: User | null;
  deleted: boolean;
}

/** Longest wait for auth's users.get_many on the radar path. */
const DIRECTORY_TIMEOUT_MS = 1500;
/** After a failed fallback, unknown users stay off radars this long before auth is asked again. */
const DIRECTORY_PAUSE_MS = 5000;

/** Marks a user auth does not know (cached like a profile, so we ask auth once, not on every radar). */
const UNKNOWN: RadarProfile = {
  user: { id: '', name: '', age: null, avatar: null, gender: null, vibe: null, vibeExpiresAt: null },
  deleted: true,
  tokens: [],
};

/**
 * Reads the projections the radar filters and decorates with (profiles, blocks, connected pairs) from
 * Postgres through generation-checked in-process caches: the hot path costs no query and no RPC once
 * warm. Users missing from the profile projection are asked from auth once, in one batch, and stored.
 */
@Injectable()
export class ProjectionReader {
  private readonly logger = new Logger(ProjectionReader.name);
  private readonly profiles: GenerationalCache<RadarProfile>;
  private readonly blocks: GenerationalCache<ReadonlySet<string>>;
  private readonly peers: GenerationalCache<ReadonlySet<string>>;
  private readonly profileLoads = new Map<string, Promise<RadarProfile | undefined>>();
  private directoryPausedUntil = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly directory: UserDirectory,
    private readonly clock: Clock,
    @Inject(PRESENCE_ENV) env: PresenceEnv,
  ) {
    const maxAgeMs = env.PRESENCE_CACHE_TTL_SECONDS * 1000;
    this.profiles = new GenerationalCache(env.PRESENCE_CACHE_MAX_ENTRIES, maxAgeMs);
    this.blocks = new GenerationalCache(env.PRESENCE_CACHE_MAX_ENTRIES, maxAgeMs);
    this.peers = new GenerationalCache(env.PRESENCE_CACHE_MAX_ENTRIES, maxAgeMs);
  }

  async viewerContext(userId: string, generations: CacheGenerations): Promise<ViewerContext> {
    const now = this.clock.nowMs();
    const [blocked, peers, profiles] = await Promise.all([
      this.cachedSet(this.blocks, userId, generations.blocks, now, () => this.loadBlocks(userId)),
      this.cachedSet(this.peers, userId, generations.peers, now, () => this.loadPeers(userId)),
      this.profilesOf([{ userId, generation: generations.profile }]),
    ]);
    return { blocked, peers, profile: profiles.get(userId) };
  }

  /**
   * Connected users of `userId` as last loaded, whatever their generation: used to decide which exact
   * viewers to push to, where a moment of staleness costs at most one extra or one late push.
   */
  async peersHint(userId: string): Promise<string[]> {
    const cached = this.peers.peek(userId);
    if (cached) return [...cached];
    return [...(await this.loadPeers(userId))];
  }

  /** Users blocked either way by `userId` as last loaded (sizes the radar search). */
  blockedCountHint(userId: string): number {
    return this.blocks.peek(userId)?.size ?? 0;
  }

  /** Profiles (deleted and unknown users are absent from the result). */
  async profilesOf(requests: ReadonlyArray<{ userId: string; generation: string }>): Promise<Map<string, RadarProfile>> {
    const now = this.clock.nowMs();
    const found = new Map<string, RadarProfile>();
    const missing: Array<{ userId: string; generation: string }> = [];
    for (const request of requests) {
      const cached = this.profiles.get(request.userId, request.generation, now);
      if (cached) found.set(request.userId, cached);
      else missing.push(request);
    }
    if (missing.length > 0) {
      const loaded = await this.loadProfiles(missing);
      for (const [userId, profile] of loaded) found.set(userId, profile);
    }
    for (const [userId, profile] of found) if (profile.deleted) found.delete(userId);
    return found;
  }

  private async cachedSet(
    cache: GenerationalCache<ReadonlySet<string>>,
    userId: string,
    generation: string,
    now: number,
    load: () => Promise<ReadonlySet<string>>,
  ): Promise<ReadonlySet<string>> {
    const cached = cache.get(userId, generation, now);
    if (cached) return cached;
    const value = await load();
    cache.set(userId, generation, value, now);
    return value;
  }

  private async loadBlocks(userId: string): Promise<ReadonlySet<string>> {
    const rows: Array<{ other: string }> = await this.dataSource.query(
      `SELECT blocked_id AS other FROM blocks WHERE blocker_id = $1 AND is_blocked
       UNION SELECT blocker_id FROM blocks WHERE blocked_id = $1 AND is_blocked`,
      [userId],
    );
    return new Set(rows.map((row) => row.other));
  }

  private async loadPeers(userId: string): Promise<ReadonlySet<string>> {
    const rows: Array<{ other: string }> = await this.dataSource.query(
      `SELECT user_b_id AS other FROM peer_connections WHERE user_a_id = $1 AND is_active
       UNION SELECT user_a_id FROM peer_connections WHERE user_b_id = $1 AND is_active`,
      [userId],
    );
    const peers = new Set(rows.map((row) => row.other));
    if (!this.peers.peek(userId)) this.peers.set(userId, '', peers, this.clock.nowMs());
    return peers;
  }

  /** One query for everyone missing, one auth request for those the projection has never seen. */
  private async loadProfiles(requests: ReadonlyArray<{ userId: string; generation: string }>): Promise<Map<string, RadarProfile>> {
    const result = new Map<string, RadarProfile>();
    const toLoad = requests.filter((request) => !this.profileLoads.has(request.userId));
    const waiting = requests.filter((request) => this.profileLoads.has(request.userId));
    if (toLoad.length > 0) {
      const batch = this.loadProfileBatch(toLoad);
      for (const request of toLoad) {
        const single = batch.then((map) => map.get(request.userId));
        this.profileLoads.set(request.userId, single);
        void single.finally(() => this.profileLoads.delete(request.userId)).catch(() => undefined);
      }
      for (const [userId, profile] of await batch) result.set(userId, profile);
    }
    for (const request of waiting) {
      const profile = await this.profileLoads.get(request.userId);
      if (profile) result.set(request.userId, profile);
    }
    return result;
  }

  private async loadProfileBatch(requests: ReadonlyArray<{ userId: string; generation: string }>): Promise<Map<string, RadarProfile>> {
    const now = this.clock.nowMs();
    const generationOf = new Map(requests.map((request) => [request.userId, request.generation]));
    const ids = [...generationOf.keys()];
    const rows: ProfileRow[] = await this.dataSource.query(
      'SELECT user_id, profile, deleted FROM user_profiles WHERE user_id = ANY($1)',
      [ids],
    );
    const result = new Map<string, RadarProfile>();
    for (const row of rows) {
      const profile = row.deleted || !row.profile ? UNKNOWN : toRadarProfile(row.profile);
      this.profiles.set(row.user_id, generationOf.get(row.user_id) ?? '', profile, now);
      result.set(row.user_id, profile);
    }
    const unseen = ids.filter((id) => !result.has(id));
    if (unseen.length > 0) {
      for (const [userId, profile] of await this.fetchFromDirectory(unseen)) {
        this.profiles.set(userId, generationOf.get(userId) ?? '', profile, now);
        result.set(userId, profile);
      }
    }
    return result;
  }

  /** The once-per-user fallback to auth; the answer is stored so the projection knows them from now on. */
  private async fetchFromDirectory(userIds: string[]): Promise<Map<string, RadarProfile>> {
    const result = new Map<string, RadarProfile>();
    if (this.clock.nowMs() < this.directoryPausedUntil) return result;
    let users;
    try {
      users = await withTimeout(this.directory.getMany(userIds), DIRECTORY_TIMEOUT_MS);
    } catch (error) {
      // Auth unreachable or slow: these users are left off this radar (not cached) and asked again after a
      // pause, so a sick auth costs the hot path at most one bounded wait per pause, never a failed command.
      this.directoryPausedUntil = this.clock.nowMs() + DIRECTORY_PAUSE_MS;
      this.logger.warn(`profile fallback for ${userIds.length} users failed: ${error instanceof Error ? error.message : String(error)}`);
      return result;
    }
    const now = this.clock.now();
    const rows: Array<{ id: string; profile: User | null; deleted: boolean }> = [];
    for (const userId of userIds) {
      const user = users.get(userId);
      if (!user) {
        result.set(userId, UNKNOWN);
        continue;
      }
      const publicUser = toPublicUser(user);
      rows.push({ id: userId, profile: user.deleted ? null : publicUser, deleted: user.deleted });
      result.set(userId, user.deleted ? UNKNOWN : toRadarProfile(publicUser));
    }
    if (rows.length > 0) {
      // DO NOTHING: a domain event that got there first is at least as new as this answer.
      await this.dataSource.query(
        `INSERT INTO user_profiles (user_id, profile, deleted, source_at, updated_at)
         SELECT id, profile, deleted, $2, $2 FROM jsonb_to_recordset($1::jsonb) AS r(id text, profile jsonb, deleted boolean)
         ON CONFLICT (user_id) DO NOTHING`,
        [JSON.stringify(rows), now],
      );
    }
    return result;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export function toRadarProfile(user: User): RadarProfile {
  return { user, deleted: false, tokens: interestTokens(user.vibe) };
}
