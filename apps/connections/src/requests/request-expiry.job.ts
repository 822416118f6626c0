import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, PeriodicJobs } from '@gisbi/platform';
import { CONNECTIONS_ENV, type ConnectionsEnv } from '../config/connections-config';
import { Fanout, Outbound } from '../delivery/fanout';
import { RequestStore } from '../persistence/request.store';
import { Peers } from '../peers/peers';
import { addMissed } from './request-events';

/**
 * Marks pending requests `missed` once their expiry instant has passed and tells both users.
 *
 * Exactly once with any number of replicas: candidates are read without locks, then claimed with one
 * conditional UPDATE (`status = 'pending' AND expires_at <= now`); a row changes status only once, so
 * only the transaction that changed it gets it back and announces it. An accept or a send racing the job
 * goes through the same conditional UPDATE under a row lock, so there is one winner. Nothing is held in
 * memory: after a restart, everything that expired while the service was down is simply due.
 */
@Injectable()
export class RequestExpiryJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(RequestExpiryJob.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly requests: RequestStore,
    private readonly peers: Peers,
    private readonly fanout: Fanout,
    private readonly jobs: PeriodicJobs,
    private readonly clock: Clock,
    @Inject(CONNECTIONS_ENV) private readonly env: ConnectionsEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.every('connections.request-expiry', this.env.JOB_POLL_INTERVAL_MS, () => this.expireDue());
  }

  /** Expires everything due now; returns how many requests this call claimed (tests call it directly). */
  async expireDue(): Promise<number> {
    let claimedTotal = 0;
    for (;;) {
      const now = this.clock.now();
      const due = await this.requests.findDue(this.dataSource.manager, now, this.env.EXPIRY_BATCH_SIZE);
      if (due.length === 0) break;
      // Profiles first: if auth cannot answer, nothing is claimed and the next run tries again.
      const users = await this.peers.users(due.flatMap((request) => [request.senderId, request.recipientId]));
      const claimed = await this.requests.resolve(
        this.dataSource.manager,
        due.map((request) => request.id),
        { status: 'missed' },
        now,
      );
      if (claimed.length > 0) {
        const out = new Outbound();
        for (const request of claimed) addMissed(out, request, users, now);
        this.fanout.send(out);
        claimedTotal += claimed.length;
      }
      if (due.length < this.env.EXPIRY_BATCH_SIZE) break;
    }
    if (claimedTotal > 0) this.logger.log(`marked ${claimedTotal} connection requests missed`);
    return claimedTotal;
  }
}
