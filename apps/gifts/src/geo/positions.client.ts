import { Inject, Injectable } from '@nestjs/common';
import { RpcMethod, type Location, type PositionsRequest, type PositionsResponse } from '@gisbi/contracts';
import { NatsClient } from '@gisbi/platform';
import { GIFTS_ENV, type GiftsEnv } from '../config/gifts-config';
import type { GeoPoint } from './geo';

/** Live positions from the presence service (null for a user who is not live). */
@Injectable()
export class PositionsClient {
  constructor(
    private readonly nats: NatsClient,
    @Inject(GIFTS_ENV) private readonly env: GiftsEnv,
  ) {}

  /** Throws DomainError (service_unavailable, timeout) when presence cannot answer. */
  async positions(userIds: string[]): Promise<Map<string, GeoPoint | null>> {
    const response = await this.nats.rpc<PositionsResponse, PositionsRequest>(
      'presence',
      RpcMethod.presence.positions,
      { userIds },
      this.env.GIFTS_PRESENCE_TIMEOUT_MS,
    );
    const result = new Map<string, GeoPoint | null>();
    for (const userId of userIds) result.set(userId, toPoint(response.positions?.[userId]));
    return result;
  }
}

function toPoint(location: Location | null | undefined): GeoPoint | null {
  if (!location || typeof location.lat !== 'number' || typeof location.lng !== 'number') return null;
  if (!Number.isFinite(location.lat) || !Number.isFinite(location.lng)) return null;
  return { lat: location.lat, lng: location.lng };
}
