import { Controller } from '@nestjs/common';
import { RpcMethod, type BootstrapPart, type BootstrapRequest } from '@gisbi/contracts';
import { DomainError, OnRpc } from '@gisbi/platform';
import { VisibilityService } from '../location/visibility.service';
import { RadarService } from '../radar/radar.service';
import { LiveLocationStore } from '../store/live-location.store';
import { toLocation } from '../store/stored-location';

/**
 * The presence part of session.bootstrap: `presence` (isLive, the persisted isOnRadar, the last location)
 * and `nearbyUsers` (the radar from that location while it is fresh).
 */
@Controller()
export class PresenceBootstrapHandler {
  constructor(
    private readonly store: LiveLocationStore,
    private readonly radar: RadarService,
    private readonly visibility: VisibilityService,
  ) {}

  @OnRpc(RpcMethod.all.bootstrap)
  async bootstrap(request: BootstrapRequest): Promise<BootstrapPart> {
    const userId = request?.userId;
    if (typeof userId !== 'string' || userId.length === 0) throw DomainError.badRequest('invalid_payload', 'userId is required');
    const [isOnRadar, snapshot] = await Promise.all([
      this.visibility.isOnRadar(userId),
      this.store.radar(userId, this.radar.candidateCount(userId)),
    ]);
    // session.start arrives over an open socket, so a fresh fix is all "live" needs here.
    const isLive = this.radar.hasRadar(snapshot);
    return {
      presence: { isLive, isOnRadar, location: snapshot.viewer ? toLocation(snapshot.viewer) : null },
      nearbyUsers: isLive ? await this.radar.build(userId, snapshot) : [],
    };
  }
}
