import { Inject, Injectable } from '@nestjs/common';
import type { ChainableCommander } from 'ioredis';
import type Redis from 'ioredis';
import { Clock, REDIS } from '@gisbi/platform';
import { RADAR_SETTINGS, type RadarSettings } from '../config/radar-settings';
import {
  CLAIM_DUE_PUSHES_LUA,
  DROP_USER_FROM_GATEWAY_LUA,
  FORGET_GATEWAY_LUA,
  FORGET_USER_LUA,
  GATEWAY_HEARTBEAT_LUA,
  LOCATION_UPDATE_LUA,
  RADAR_LUA,
  SCHEDULE_USERS_LUA,
  SET_VISIBILITY_LUA,
  SOCKET_CLOSED_LUA,
  SOCKET_OPENED_LUA,
  SWEEP_RETENTION_LUA,
  SWEEP_STALE_LUA,
} from './lua-scripts';
import { parseStoredLocation, type StoredLocation } from './stored-location';

/** Redis keys (ioredis adds the service's key prefix, also to the KEYS of every script). */
export const PresenceKeys = {
  locations: 'presence:loc',
  visibility: 'presence:vis',
  visibleIndex: 'presence:geo:visible',
  visiblePolarIndex: 'presence:geo:visible:polar',
  hiddenIndex: 'presence:geo:hidden',
  hiddenPolarIndex: 'presence:geo:hidden:polar',
  indexed: 'presence:indexed',
  duePushes: 'presence:push:due',
  lastPush: 'presence:push:last',
  generations: 'presence:gen',
  locationTimes: 'presence:loc_at',
  deleted: 'presence:deleted',
  gateways: 'presence:gateways',
  sockets: (userId: string) => `presence:sockets:${userId}`,
  gatewayUsers: (gatewayId: string) => `presence:gw:${gatewayId}:users`,
  gatewayClosed: (gatewayId: string) => `presence:gw:${gatewayId}:closed`,
  closedSocket: (socketId: string) => `presence:closed_socket:${socketId}`,
} as const;

const COMMON_KEYS = [
  PresenceKeys.locations,
  PresenceKeys.visibility,
  PresenceKeys.visibleIndex,
  PresenceKeys.visiblePolarIndex,
  PresenceKeys.hiddenIndex,
  PresenceKeys.hiddenPolarIndex,
  PresenceKeys.indexed,
  PresenceKeys.duePushes,
  PresenceKeys.lastPush,
  PresenceKeys.generations,
  PresenceKeys.locationTimes,
  PresenceKeys.deleted,
];

/** How long a socket.closed is remembered, so a late socket.opened of the same socket is ignored. */
const CLOSED_SOCKET_MEMORY_SECONDS = 600;

const SCRIPTS = {
  presenceLocationUpdate: LOCATION_UPDATE_LUA,
  presenceSetVisibility: SET_VISIBILITY_LUA,
  presenceRadar: RADAR_LUA,
  presenceSocketOpened: SOCKET_OPENED_LUA,
  presenceSocketClosed: SOCKET_CLOSED_LUA,
  presenceGatewayHeartbeat: GATEWAY_HEARTBEAT_LUA,
  presenceDropUserFromGateway: DROP_USER_FROM_GATEWAY_LUA,
  presenceForgetGateway: FORGET_GATEWAY_LUA,
  presenceSweepStale: SWEEP_STALE_LUA,
  presenceSweepRetention: SWEEP_RETENTION_LUA,
  presenceForgetUser: FORGET_USER_LUA,
  presenceScheduleUsers: SCHEDULE_USERS_LUA,
  presenceClaimDuePushes: CLAIM_DUE_PUSHES_LUA,
} as const;

type ScriptName = keyof typeof SCRIPTS;
type ScriptArg = string | number;
type ScriptCall = (numberOfKeys: number, ...args: ScriptArg[]) => Promise<unknown>;
type PipelineScriptCall = (numberOfKeys: number, ...args: ScriptArg[]) => ChainableCommander;

export interface CacheGenerations {
  blocks: string;
  peers: string;
  profile: string;
}

export interface RadarCandidate {
  userId: string;
  location: StoredLocation | undefined;
  profileGeneration: string;
}

/** What a radar-returning script saw, atomically. */
export interface RadarSnapshot {
  live: boolean;
  visibility: '1' | '0' | null;
  pushesScheduled: number;
  viewer: StoredLocation | undefined;
  generations: CacheGenerations;
  candidates: RadarCandidate[];
  /** The COUNT asked of Redis: when `candidates` is this long there may be more beyond it. */
  requested: number;
  /** Sockets of the user other than the one that sent the command. */
  otherSockets: number;
}

export type LocationWriteOutcome =
  | { kind: 'ok'; snapshot: RadarSnapshot }
  | { kind: 'need_visibility' }
  | { kind: 'deleted' }
  | { kind: 'too_fast'; meters: number; seconds: number };

export interface LivenessFlip {
  userId: string;
  isLive: boolean;
}

/**
 * Live locations, liveness and the radar indexes in Redis. Every change is one Lua script (atomic,
 * one round trip); see lua-scripts.ts for the data layout.
 */
@Injectable()
export class LiveLocationStore {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly clock: Clock,
    @Inject(RADAR_SETTINGS) private readonly settings: RadarSettings,
  ) {
    for (const [name, lua] of Object.entries(SCRIPTS)) {
      if (!(name in this.redis)) this.redis.defineCommand(name, { lua });
    }
  }

  async updateLocation(
    userId: string,
    socketId: string,
    location: StoredLocation,
    peers: string[],
    count: number,
  ): Promise<LocationWriteOutcome> {
    const result = await this.run(
      'presenceLocationUpdate',
      [PresenceKeys.sockets(userId)],
      [
        userId,
        JSON.stringify(location),
        this.settings.maxSpeedMetersPerSecond,
        this.settings.jumpToleranceMeters,
        count,
        this.settings.pushMoveDelayMs,
        socketId,
        peers.length,
        ...peers,
      ],
    );
    const status = result[0];
    if (status === 'need_vis') return { kind: 'need_visibility' };
    if (status === 'deleted') return { kind: 'deleted' };
    if (status === 'too_fast') return { kind: 'too_fast', meters: Number(result[1]), seconds: Number(result[2]) };
    return { kind: 'ok', snapshot: parseRadar(result, count) };
  }

  async setVisibility(userId: string, socketId: string, isOnRadar: boolean, count: number): Promise<RadarSnapshot> {
    const result = await this.run('presenceSetVisibility', [PresenceKeys.sockets(userId)], [userId, isOnRadar ? '1' : '0', count, socketId]);
    return parseRadar(result, count);
  }

  async radar(userId: string, count: number): Promise<RadarSnapshot> {
    const result = await this.run('presenceRadar', [PresenceKeys.sockets(userId)], [userId, count]);
    return parseRadar(result, count);
  }

  /** Radars of many viewers in one round trip. */
  async radars(requests: ReadonlyArray<{ userId: string; count: number }>): Promise<RadarSnapshot[]> {
    if (requests.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const { userId, count } of requests) {
      this.pipelineScript(pipeline, 'presenceRadar', [PresenceKeys.sockets(userId)], [userId, count]);
    }
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([error, result], index) => {
      if (error) throw error;
      return parseRadar(result as unknown[], requests[index]?.count ?? 0);
    });
  }

  /** The cached radar visibility ('1' | '0'), or null when it must be loaded from Postgres. */
  async cachedVisibility(userId: string): Promise<'1' | '0' | null> {
    const value = await this.redis.hget(PresenceKeys.visibility, userId);
    return value === '1' || value === '0' ? value : null;
  }

  /** Fills the visibility cache unless a newer value got there first. */
  async primeVisibility(userId: string, isOnRadar: boolean): Promise<void> {
    await this.redis.hsetnx(PresenceKeys.visibility, userId, isOnRadar ? '1' : '0');
  }

  async socketOpened(userId: string, socketId: string, gatewayId: string): Promise<'ok' | 'ignored' | 'need_visibility' | 'went_live'> {
    const result = await this.run(
      'presenceSocketOpened',
      [PresenceKeys.sockets(userId), PresenceKeys.gateways, PresenceKeys.gatewayUsers(gatewayId), PresenceKeys.closedSocket(socketId)],
      [userId, socketId, gatewayId],
    );
    if (result[0] === 'need_vis') return 'need_visibility';
    if (result[0] === 'ignored') return 'ignored';
    return Number(result[1]) === 1 ? 'went_live' : 'ok';
  }

  /** Returns whether the user went offline. */
  async socketClosed(userId: string, socketId: string, gatewayId: string, closedAtMs: number): Promise<boolean> {
    const result = await this.run(
      'presenceSocketClosed',
      [
        PresenceKeys.sockets(userId),
        PresenceKeys.gatewayUsers(gatewayId),
        PresenceKeys.gatewayClosed(gatewayId),
        PresenceKeys.closedSocket(socketId),
      ],
      [userId, socketId, gatewayId, closedAtMs, CLOSED_SOCKET_MEMORY_SECONDS],
    );
    return Number(result[1]) === 1;
  }

  /** Returns the users who went live (adopted from the heartbeat). */
  async gatewayHeartbeat(gatewayId: string, atMs: number, userIds: readonly string[]): Promise<string[]> {
    const result = await this.run(
      'presenceGatewayHeartbeat',
      [
        PresenceKeys.gateways,
        PresenceKeys.gatewayUsers(gatewayId),
        PresenceKeys.gatewayClosed(gatewayId),
        ...userIds.map((userId) => PresenceKeys.sockets(userId)),
      ],
      [gatewayId, atMs, ...userIds],
    );
    return result.map(String);
  }

  /** Gateways last heard from before `cutoffMs` (strictly): dead. */
  async deadGateways(cutoffMs: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(PresenceKeys.gateways, '-inf', `(${cutoffMs}`, 'LIMIT', 0, limit);
  }

  async liveGateways(cutoffMs: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(PresenceKeys.gateways, cutoffMs, '+inf', 'LIMIT', 0, limit);
  }

  /** Users of a gateway last confirmed before `cutoffMs` (strictly; '+inf' for all of a dead gateway's). */
  async gatewayUsersConfirmedBefore(gatewayId: string, cutoffMs: number | '+inf', limit: number): Promise<string[]> {
    const max = cutoffMs === '+inf' ? '+inf' : `(${cutoffMs}`;
    return this.redis.zrangebyscore(PresenceKeys.gatewayUsers(gatewayId), '-inf', max, 'LIMIT', 0, limit);
  }

  /** Drops users from a gateway (dead gateway, or users it stopped listing); returns who went offline. */
  async dropUsersFromGateway(gatewayId: string, userIds: readonly string[], cutoffMs: number, mode: 'dead' | 'stale'): Promise<string[]> {
    if (userIds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const userId of userIds) {
      this.pipelineScript(
        pipeline,
        'presenceDropUserFromGateway',
        [PresenceKeys.sockets(userId), PresenceKeys.gatewayUsers(gatewayId), PresenceKeys.gateways],
        [userId, gatewayId, cutoffMs, mode],
      );
    }
    const replies = (await pipeline.exec()) ?? [];
    const offline: string[] = [];
    replies.forEach(([error, result], index) => {
      if (error) throw error;
      const row = result as unknown[];
      if (row[0] === 'ok' && Number(row[1]) === 1) offline.push(userIds[index] as string);
    });
    return offline;
  }

  async forgetGateway(gatewayId: string, cutoffMs: number): Promise<boolean> {
    const result = await this.runRaw(
      'presenceForgetGateway',
      [PresenceKeys.gateways, PresenceKeys.gatewayUsers(gatewayId), PresenceKeys.gatewayClosed(gatewayId)],
      [gatewayId, cutoffMs],
    );
    return Number(result) === 1;
  }

  /** Takes users with stale fixes off the radar; returns how many. */
  async sweepStale(limit: number): Promise<number> {
    const result = await this.run('presenceSweepStale', [], [limit]);
    return Number(result[0]);
  }

  async sweepRetention(limit: number): Promise<number> {
    return Number(await this.runRaw('presenceSweepRetention', [], [this.clock.nowMs() - this.settings.retentionMs, limit]));
  }

  /** Deleted account: off every radar, location and visibility forgotten, further updates refused. */
  async forgetUser(userId: string): Promise<void> {
    await this.runRaw('presenceForgetUser', [], [userId]);
  }

  /**
   * Schedules a radar push for each listed user that has a radar; with `aroundFirst`, also for every
   * viewer around the first one (whose profile changed).
   */
  async schedulePushes(userIds: readonly string[], aroundFirst = false): Promise<number> {
    if (userIds.length === 0) return 0;
    return Number(await this.runRaw('presenceScheduleUsers', [], [aroundFirst ? '1' : '0', ...userIds]));
  }

  /** Viewers whose coalesced push is due now (recorded as pushed). */
  async claimDuePushes(limit: number): Promise<string[]> {
    const result = await this.run('presenceClaimDuePushes', [], [limit]);
    return result.map(String);
  }

  /** Invalidates cached projections (fields 'b:<user>', 'c:<user>', 'p:<user>'). */
  async bumpGenerations(fields: readonly string[]): Promise<void> {
    if (fields.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const field of new Set(fields)) pipeline.hincrby(PresenceKeys.generations, field, 1);
    const replies = (await pipeline.exec()) ?? [];
    for (const [error] of replies) if (error) throw error;
  }

  /** Whether each user has a socket on a live gateway, and their stored location. */
  async liveness(userIds: readonly string[]): Promise<Array<{ live: boolean; location: StoredLocation | undefined }>> {
    if (userIds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const userId of userIds) pipeline.exists(PresenceKeys.sockets(userId));
    pipeline.hmget(PresenceKeys.locations, ...userIds);
    const replies = (await pipeline.exec()) ?? [];
    for (const [error] of replies) if (error) throw error;
    const locations = (replies[userIds.length]?.[1] ?? []) as Array<string | null>;
    return userIds.map((_, index) => ({
      live: Number(replies[index]?.[1]) === 1,
      location: parseStoredLocation(locations[index]),
    }));
  }

  async location(userId: string): Promise<StoredLocation | undefined> {
    return parseStoredLocation(await this.redis.hget(PresenceKeys.locations, userId));
  }

  private async run(name: ScriptName, extraKeys: string[], extraArgs: ScriptArg[]): Promise<unknown[]> {
    const result = await this.runRaw(name, extraKeys, extraArgs);
    return Array.isArray(result) ? result : [];
  }

  private async runRaw(name: ScriptName, extraKeys: string[], extraArgs: ScriptArg[]): Promise<unknown> {
    const call = (this.redis as unknown as Record<ScriptName, ScriptCall>)[name].bind(this.redis);
    const keys = [...COMMON_KEYS, ...extraKeys];
    return call(keys.length, ...keys, ...this.commonArgs(), ...extraArgs);
  }

  private pipelineScript(pipeline: ChainableCommander, name: ScriptName, extraKeys: string[], extraArgs: ScriptArg[]): void {
    const call = (pipeline as unknown as Record<ScriptName, PipelineScriptCall>)[name].bind(pipeline);
    const keys = [...COMMON_KEYS, ...extraKeys];
    call(keys.length, ...keys, ...this.commonArgs(), ...extraArgs);
  }

  private commonArgs(): ScriptArg[] {
    const { searchRadiusMeters, polarFromLatitude, pushIntervalMs, staleMs } = this.settings;
    return [this.clock.nowMs(), searchRadiusMeters, polarFromLatitude, pushIntervalMs, staleMs];
  }
}

function parseRadar(result: unknown[], requested: number): RadarSnapshot {
  const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value));
  const visibility = result[2] === '1' || result[2] === '0' ? result[2] : null;
  const count = Number(result[9] ?? 0);
  const ids = result.slice(10, 10 + count).map(String);
  const locations = result.slice(10 + count, 10 + 2 * count);
  const generations = result.slice(10 + 2 * count, 10 + 3 * count);
  return {
    live: Number(result[1]) === 1,
    visibility,
    pushesScheduled: Number(result[3] ?? 0),
    viewer: parseStoredLocation(result[4] as string | null),
    generations: { blocks: text(result[5]), peers: text(result[6]), profile: text(result[7]) },
    candidates: ids.map((userId, index) => ({
      userId,
      location: parseStoredLocation(locations[index] as string | null),
      profileGeneration: text(generations[index]),
    })),
    requested,
    otherSockets: Number(result[8] ?? 0),
  };
}
