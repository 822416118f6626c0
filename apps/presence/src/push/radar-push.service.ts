import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { Deliverer, message, PeriodicJobs } from '@gisbi/platform';
import { PRESENCE_ENV, type PresenceEnv } from '../config/presence-config';
import { RadarService } from '../radar/radar.service';
import { LiveLocationStore } from '../store/live-location.store';


/**
 * Sends the coalesced radar pushes. Changes only mark viewers due (in Redis, shared by all replicas,
 * at most one slot per viewer, never sooner than one push interval after the previous push); each tick
 * claims what is due, recomputes those radars in one pipelined round trip and delivers them.
 */
@Injectable()
export class RadarPushService implements OnApplicationBootstrap {
  constructor(
    private readonly store: LiveLocationStore,
    private readonly radar: RadarService,
    private readonly deliverer: Deliverer,
    private readonly jobs: PeriodicJobs,
    @Inject(PRESENCE_ENV) private readonly env: PresenceEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.every('radar-push', this.env.RADAR_PUSH_TICK_MS, () => this.flushDue());
  }

  /**
   * Sends the pushes due now, at most RADAR_PUSH_MAX_PER_TICK (the oldest first); returns how many were
   * sent. What is left stays due for the next tick, still one slot per viewer.
   */
  async flushDue(): Promise<number> {
    const viewers = await this.store.claimDuePushes(this.env.RADAR_PUSH_MAX_PER_TICK);
    if (viewers.length === 0) return 0;
    const snapshots = await this.store.radars(viewers.map((userId) => ({ userId, count: this.radar.candidateCount(userId) })));
    const sent = await Promise.all(
      viewers.map(async (viewerId, index) => {
        const snapshot = snapshots[index];
        // Only viewers who are online with a fresh fix have a radar to refresh.
        if (!snapshot || !snapshot.live || !this.radar.hasRadar(snapshot)) return 0;
        const nearbyUsers = await this.radar.build(viewerId, snapshot);
        this.deliverer.toUser(viewerId, message('radar.nearby.updated', { nearbyUsers }));
        return 1;
      }),
    );
    return sent.reduce<number>((total, value) => total + value, 0);
  }
}
