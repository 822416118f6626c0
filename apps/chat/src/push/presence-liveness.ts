import { Inject, Injectable, Logger } from '@nestjs/common';
import { RpcMethod, type LivenessRequest, type LivenessResponse } from '@gisbi/contracts';
import { NatsClient } from '@gisbi/platform';
import { CHAT_ENV, type ChatEnv } from '../config/chat-config';

const MAX_BATCH = 256;

/**
 * Asks presence whether users have a live socket, batching the questions of CHAT_LIVENESS_BATCH_MS into
 * one request (only push decisions wait for it, never a reply). A presence that does not answer within CHAT_PRESENCE_TIMEOUT_MS
 * (or fails) makes every user in the batch count as offline: a push too many beats a missed message.
 */
@Injectable()
export class PresenceLiveness {
  private readonly logger = new Logger(PresenceLiveness.name);
  private queued = new Map<string, Array<(live: boolean) => void>>();
  private scheduled = false;

  constructor(
    private readonly nats: NatsClient,
    @Inject(CHAT_ENV) private readonly env: ChatEnv,
  ) {}

  isLive(userId: string): Promise<boolean> {
    return new Promise((resolve) => {
      const waiting = this.queued.get(userId);
      if (waiting) waiting.push(resolve);
      else this.queued.set(userId, [resolve]);
      if (this.queued.size >= MAX_BATCH) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setTimeout(() => this.flush(), this.env.CHAT_LIVENESS_BATCH_MS);
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    if (this.queued.size === 0) return;
    const batch = this.queued;
    this.queued = new Map();
    const userIds = [...batch.keys()];
    void this.nats
      .rpc<LivenessResponse, LivenessRequest>(
        'presence',
        RpcMethod.presence.liveness,
        { userIds },
        this.env.CHAT_PRESENCE_TIMEOUT_MS,
      )
      .then(
        (response) => response.live,
        (error: unknown) => {
          this.logger.warn(
            `presence liveness unavailable, treating ${userIds.length} user(s) as offline: ${String(error)}`,
          );
          return {} as Record<string, boolean>;
        },
      )
      .then((live) => {
        for (const [userId, waiters] of batch) for (const resolve of waiters) resolve(live[userId] === true);
      });
  }
}
