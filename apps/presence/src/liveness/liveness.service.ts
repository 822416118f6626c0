import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainEvent, type GatewayHeartbeatMessage, type SocketControlMessage } from '@gisbi/contracts';
import { Clock, EventOutbox, PeriodicJobs } from '@gisbi/platform';
import { PRESENCE_ENV, type PresenceEnv } from '../config/presence-config';
import { RADAR_SETTINGS, type RadarSettings } from '../config/radar-settings';
import { VisibilityService } from '../location/visibility.service';
import { LiveLocationStore, type LivenessFlip } from '../store/live-location.store';

/** Work done per sweep step and round, so a sweep never holds Redis for long. */
const SWEEP_BATCH = 500;
/** Users per heartbeat script call. */
const HEARTBEAT_CHUNK = 1000;
/** Rounds per sweep step per run; what is left waits for the next run. */
const SWEEP_ROUNDS = 20;

export interface SweepReport {
  wentOffline: number;
  staleTakenOff: number;
  forgotten: number;
}

/**
 * Liveness: a user is online while they have a socket on a gateway that heart-beats. Fed by the gateways'
 * control messages; sweeps catch what messages cannot say (a crashed gateway, a lost socket.closed, stale
 * fixes). Every flip is published as presence.live_changed through the outbox.
 */
@Injectable()
export class LivenessService implements OnApplicationBootstrap {
  private readonly logger = new Logger(LivenessService.name);

  constructor(
    private readonly store: LiveLocationStore,
    private readonly visibility: VisibilityService,
    private readonly outbox: EventOutbox,
    private readonly jobs: PeriodicJobs,
    private readonly clock: Clock,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RADAR_SETTINGS) private readonly settings: RadarSettings,
    @Inject(PRESENCE_ENV) private readonly env: PresenceEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.every('presence-sweep', this.env.PRESENCE_SWEEP_INTERVAL_MS, () => this.sweep());
  }

  async socketOpened(message: SocketControlMessage): Promise<void> {
    let outcome = await this.store.socketOpened(message.userId, message.socketId, message.gatewayId);
    if (outcome === 'need_visibility') {
      await this.visibility.loadIntoCache(message.userId);
      outcome = await this.store.socketOpened(message.userId, message.socketId, message.gatewayId);
    }
    if (outcome === 'went_live') await this.publish([{ userId: message.userId, isLive: true }]);
  }

  async socketClosed(message: SocketControlMessage): Promise<void> {
    const closedAt = parseTime(message.at) ?? this.clock.nowMs();
    if (await this.store.socketClosed(message.userId, message.socketId, message.gatewayId, closedAt)) {
      await this.publish([{ userId: message.userId, isLive: false }]);
    }
  }

  async gatewayHeartbeat(message: GatewayHeartbeatMessage): Promise<void> {
    const at = parseTime(message.at) ?? this.clock.nowMs();
    const wentLive: string[] = [];
    // At least one call even for an empty list: it is also the gateway's own heartbeat.
    for (let start = 0; start === 0 || start < message.userIds.length; start += HEARTBEAT_CHUNK) {
      wentLive.push(...(await this.store.gatewayHeartbeat(message.gatewayId, at, message.userIds.slice(start, start + HEARTBEAT_CHUNK))));
    }
    await this.publish(wentLive.map((userId) => ({ userId, isLive: true })));
  }

  /**
   * One pass over everything time-based. Safe on any number of replicas at once: each removal is an
   * atomic script that re-checks its condition, so each user goes offline exactly once.
   */
  async sweep(): Promise<SweepReport> {
    const now = this.clock.nowMs();
    const cutoff = now - this.settings.gatewayTimeoutMs;
    const flips: LivenessFlip[] = [];
    for (const gatewayId of await this.store.deadGateways(cutoff, 100)) {
      for (let round = 0; round < SWEEP_ROUNDS; round++) {
        const users = await this.store.gatewayUsersConfirmedBefore(gatewayId, '+inf', SWEEP_BATCH);
        if (users.length === 0) break;
        const offline = await this.store.dropUsersFromGateway(gatewayId, users, cutoff, 'dead');
        flips.push(...offline.map((userId) => ({ userId, isLive: false })));
        if (users.length < SWEEP_BATCH) break;
      }
      if (await this.store.forgetGateway(gatewayId, cutoff)) this.logger.warn(`gateway ${gatewayId} stopped heart-beating; its users went offline`);
    }
    for (const gatewayId of await this.store.liveGateways(cutoff, 1000)) {
      for (let round = 0; round < SWEEP_ROUNDS; round++) {
        const users = await this.store.gatewayUsersConfirmedBefore(gatewayId, cutoff, SWEEP_BATCH);
        if (users.length === 0) break;
        const offline = await this.store.dropUsersFromGateway(gatewayId, users, cutoff, 'stale');
        flips.push(...offline.map((userId) => ({ userId, isLive: false })));
        if (users.length < SWEEP_BATCH) break;
      }
    }
    let staleTakenOff = 0;
    for (let round = 0; round < SWEEP_ROUNDS; round++) {
      const swept = await this.store.sweepStale(SWEEP_BATCH);
      staleTakenOff += swept;
      if (swept < SWEEP_BATCH) break;
    }
    let forgotten = 0;
    for (let round = 0; round < SWEEP_ROUNDS; round++) {
      const swept = await this.store.sweepRetention(SWEEP_BATCH);
      forgotten += swept;
      if (swept < SWEEP_BATCH) break;
    }
    await this.publish(flips);
    return { wentOffline: flips.length, staleTakenOff, forgotten };
  }

  /** presence.live_changed for each flip, through the outbox (one transaction per batch). */
  private async publish(flips: readonly LivenessFlip[]): Promise<void> {
    if (flips.length === 0) return;
    const at = this.clock.nowIso();
    await this.dataSource.transaction(async (manager) => {
      for (const flip of flips) await this.outbox.add(manager, DomainEvent.LiveChanged, { userId: flip.userId, isLive: flip.isLive, at });
    });
    this.outbox.flushSoon();
  }
}

function parseTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const parsed = Date.parse(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}
