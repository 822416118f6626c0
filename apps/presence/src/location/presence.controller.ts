import { Controller, Inject } from '@nestjs/common';
import {
  ClientEvent,
  ErrorCode,
  RpcMethod,
  type Location,
  type LivenessRequest,
  type LivenessResponse,
  type LocationUpdatePayload,
  type PositionsRequest,
  type PositionsResponse,
  type Presence,
  type RadarSetVisiblePayload,
} from '@gisbi/contracts';
import {
  Clock,
  Deliverer,
  DomainError,
  message,
  OnCommand,
  OnRpc,
  type Command,
  type CommandResult,
  type ServerMessage,
} from '@gisbi/platform';
import { RADAR_SETTINGS, type RadarSettings } from '../config/radar-settings';
import { ProjectionReader } from '../projections/projection-reader';
import { RadarService } from '../radar/radar.service';
import { LiveLocationStore, type LocationWriteOutcome, type RadarSnapshot } from '../store/live-location.store';
import { toLocation, toStoredLocation, type StoredLocation } from '../store/stored-location';
import { VisibilityService } from './visibility.service';

/** Most users one liveness/positions request may ask about. */
const MAX_BATCH = 1000;

/**
 * The presence socket commands (presence.location_update, radar.set_visible) and the internal
 * liveness/positions RPCs.
 */
@Controller()
export class PresenceController {
  constructor(
    private readonly store: LiveLocationStore,
    private readonly radar: RadarService,
    private readonly visibility: VisibilityService,
    private readonly projections: ProjectionReader,
    private readonly deliverer: Deliverer,
    private readonly clock: Clock,
    @Inject(RADAR_SETTINGS) private readonly settings: RadarSettings,
  ) {}

  /**
   * Stores the fix (one atomic Redis script: jump check, write, index, fan-out scheduling and radar
   * candidates) and answers presence.updated to every socket of the user plus the radar to the sender.
   */
  @OnCommand(ClientEvent.PresenceLocationUpdate)
  async updateLocation(command: Command<LocationUpdatePayload>): Promise<CommandResult> {
    const { userId } = command;
    const stored = toStoredLocation(command.payload, this.clock.nowMs(), this.settings.strangerPrecisionMeters);
    const peers = await this.projections.peersHint(userId);
    const count = this.radar.candidateCount(userId);
    let outcome = await this.store.updateLocation(userId, command.socketId, stored, peers, count);
    if (outcome.kind === 'need_visibility') {
      await this.visibility.loadIntoCache(userId);
      outcome = await this.store.updateLocation(userId, command.socketId, stored, peers, count);
    }
    const snapshot = this.accepted(outcome);
    const nearbyUsers = await this.radar.build(userId, snapshot);
    const presence: Presence = { isLive: true, isOnRadar: snapshot.visibility !== '0', location: toLocation(stored) };
    return [this.presenceUpdated(command, snapshot, presence), message('radar.nearby.updated', { nearbyUsers })];
  }

  /** Persists isOnRadar; hiding takes the user off every other radar at once (pushed to those viewers). */
  @OnCommand(ClientEvent.RadarSetVisible)
  async setVisible(command: Command<RadarSetVisiblePayload>): Promise<CommandResult> {
    const { userId } = command;
    const { isOnRadar } = command.payload;
    const snapshot = await this.visibility.set(userId, command.socketId, isOnRadar, this.radar.candidateCount(userId));
    const nearbyUsers = await this.radar.build(userId, snapshot);
    const presence: Presence = {
      isLive: this.radar.hasRadar(snapshot),
      isOnRadar,
      location: snapshot.viewer ? toLocation(snapshot.viewer) : null,
    };
    return [this.presenceUpdated(command, snapshot, presence), message('radar.nearby.updated', { nearbyUsers })];
  }

  /** Whether users have a live socket session (Connection.isOnline), optionally with their fresh positions. */
  @OnRpc(RpcMethod.presence.liveness)
  async liveness(body: LivenessRequest): Promise<LivenessResponse> {
    const userIds = validUserIds(body);
    const rows = await this.store.liveness(userIds);
    const live: Record<string, boolean> = {};
    const positions: Record<string, Location | null> = {};
    userIds.forEach((userId, index) => {
      const row = rows[index];
      live[userId] = row?.live ?? false;
      positions[userId] = row ? this.position(row.live, row.location) : null;
    });
    return body.includePositions ? { live, positions } : { live };
  }

  /** Latest exact positions of live users (null when offline, stale or never reported). */
  @OnRpc(RpcMethod.presence.positions)
  async positions(body: PositionsRequest): Promise<PositionsResponse> {
    const userIds = validUserIds(body);
    const rows = await this.store.liveness(userIds);
    const positions: Record<string, Location | null> = {};
    userIds.forEach((userId, index) => {
      const row = rows[index];
      positions[userId] = row ? this.position(row.live, row.location) : null;
    });
    return { positions };
  }

  /**
   * presence.updated for the reply, and for the user's other devices: published only when they have
   * some (most users have one socket, and an update per fix that nobody reads costs the gateway).
   */
  private presenceUpdated(command: Command, snapshot: RadarSnapshot, presence: Presence): ServerMessage<'presence.updated'> {
    const event = message('presence.updated', { userId: command.userId, presence });
    if (snapshot.otherSockets > 0) this.deliverer.toUser(command.userId, event, { exceptSocketId: command.socketId });
    return event;
  }

  private position(live: boolean, location: StoredLocation | undefined): Location | null {
    if (!live || !location || this.clock.nowMs() - location.at > this.settings.staleMs) return null;
    return toLocation(location);
  }

  private accepted(outcome: LocationWriteOutcome): RadarSnapshot {
    switch (outcome.kind) {
      case 'ok':
        return outcome.snapshot;
      case 'deleted':
        throw DomainError.forbidden(ErrorCode.account_deleted, 'This account has been deleted');
      case 'too_fast':
        throw DomainError.tooMany(
          ErrorCode.rate_limited,
          `Location refused: ${Math.round(outcome.meters)} m in ${outcome.seconds.toFixed(1)} s is faster than possible; ` +
            'send it again later',
        );
      case 'need_visibility':
        throw new Error('radar visibility could not be cached');
    }
  }
}

function validUserIds(body: { userIds?: unknown } | null | undefined): string[] {
  const userIds = body?.userIds;
  if (!Array.isArray(userIds) || userIds.length > MAX_BATCH || !userIds.every((id) => typeof id === 'string' && id.length > 0)) {
    throw DomainError.badRequest(ErrorCode.invalid_payload, `userIds must be an array of at most ${MAX_BATCH} user IDs`);
  }
  return [...new Set(userIds as string[])];
}
