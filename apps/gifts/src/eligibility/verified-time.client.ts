import { Inject, Injectable, Logger } from '@nestjs/common';
import { ErrorCode, RpcMethod, type VerifiedTimeRequest, type VerifiedTimeResponse } from '@gisbi/contracts';
import { DomainError, NatsClient } from '@gisbi/platform';
import { GIFTS_ENV, type GiftsEnv } from '../config/gifts-config';
import { unavailableTime, type VerifiedTime } from './eligibility';

export interface VerifiedTimeKey {
  connectionId: string;
  timeZone: string;
}

const keyOf = (key: VerifiedTimeKey): string => `${key.connectionId}|${key.timeZone}`;

/**
 * Verified together-time from the proximity service, in a campaign's time zone. Never fails: when
 * proximity does not answer in time (or answers an error, or something malformed) the time counts as zero
 * and `available` is false, which becomes the `proximityUnavailable` risk signal — a reward is then never
 * claimable on rules that need verified time, but nothing else breaks. `connection_not_found` counts as
 * "nothing verified yet" (zero, available).
 */
@Injectable()
export class VerifiedTimeClient {
  private readonly logger = new Logger(VerifiedTimeClient.name);

  constructor(
    private readonly nats: NatsClient,
    @Inject(GIFTS_ENV) private readonly env: GiftsEnv,
  ) {}

  async get(connectionId: string, timeZone: string): Promise<VerifiedTime> {
    const request: VerifiedTimeRequest = { connectionId, timeZone };
    try {
      const response = await this.nats.rpc<VerifiedTimeResponse, VerifiedTimeRequest>(
        'proximity',
        RpcMethod.proximity.verifiedTime,
        request,
        this.env.GIFTS_PROXIMITY_TIMEOUT_MS,
      );
      const parsed = parseVerifiedTime(response);
      if (!parsed) {
        this.logger.error(`proximity answered a malformed verified_time for ${connectionId}`);
        return unavailableTime();
      }
      return parsed;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      // Proximity learns about connections from the same domain event as gifts: right after acceptance it
      // may not know the connection yet, which means nothing was verified for it yet.
      if (error.code === ErrorCode.connection_not_found) return { ...unavailableTime(), available: true };
      this.logger.warn(`verified time of ${connectionId} unavailable (${error.code}): counting zero`);
      return unavailableTime();
    }
  }

  /** One request per distinct (connection, time zone), in parallel. */
  async getMany(keys: Iterable<VerifiedTimeKey>): Promise<Map<string, VerifiedTime>> {
    const unique = new Map<string, VerifiedTimeKey>();
    for (const key of keys) unique.set(keyOf(key), key);
    const entries = await Promise.all(
      [...unique.entries()].map(async ([id, key]) => [id, await this.get(key.connectionId, key.timeZone)] as const),
    );
    return new Map(entries);
  }

  static keyOf = keyOf;
}

function parseVerifiedTime(value: unknown): VerifiedTime | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { totalSeconds, days, activeNow, fraudSignals } = value as Record<string, unknown>;
  if (typeof totalSeconds !== 'number' || !Number.isFinite(totalSeconds) || totalSeconds < 0) return undefined;
  if (!Array.isArray(days) || typeof activeNow !== 'boolean') return undefined;
  const parsedDays: VerifiedTime['days'] = [];
  for (const day of days as unknown[]) {
    if (typeof day !== 'object' || day === null) return undefined;
    const { date, seconds } = day as Record<string, unknown>;
    if (typeof date !== 'string' || typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
      return undefined;
    }
    parsedDays.push({ date, seconds });
  }
  const signals: Record<string, boolean> = {};
  if (fraudSignals !== undefined && fraudSignals !== null) {
    if (typeof fraudSignals !== 'object' || Array.isArray(fraudSignals)) return undefined;
    for (const [name, present] of Object.entries(fraudSignals as Record<string, unknown>)) {
      if (typeof present === 'boolean') signals[name] = present;
    }
  }
  return { totalSeconds, days: parsedDays, activeNow, fraudSignals: signals, available: true };
}
