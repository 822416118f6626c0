import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Msg, NatsError, Subscription } from 'nats';
import { ControlSubject, Subjects, type GatewayHeartbeatMessage, type SocketControlMessage } from '@gisbi/contracts';
import { decodeJson, NatsClient } from '@gisbi/platform';
import { LivenessService } from './liveness.service';

/** Queue group: each control message is handled by one presence replica. */
const QUEUE = 'presence';

/**
 * Subscribes to the gateways' control messages (core NATS, queue group "presence") and feeds them to
 * the liveness service. Malformed messages are logged and dropped; handler failures never crash the
 * subscription.
 */
@Injectable()
export class ControlListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ControlListener.name);
  private readonly subscriptions: Subscription[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly nats: NatsClient,
    private readonly liveness: LivenessService,
  ) {}

  onApplicationBootstrap(): void {
    this.listen(ControlSubject.SocketOpened, (data) => {
      const message = asSocketMessage(data);
      return message ? this.liveness.socketOpened(message) : undefined;
    });
    this.listen(ControlSubject.SocketClosed, (data) => {
      const message = asSocketMessage(data);
      return message ? this.liveness.socketClosed(message) : undefined;
    });
    this.listen(ControlSubject.GatewayHeartbeat, (data) => {
      const message = asHeartbeat(data);
      return message ? this.liveness.gatewayHeartbeat(message) : undefined;
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.subscriptions.map((subscription) => subscription.drain().catch(() => undefined)));
    await Promise.all([...this.inFlight]);
  }

  private listen(what: ControlSubject, handle: (data: unknown) => Promise<void> | undefined): void {
    const subject = Subjects.control(this.nats.prefix, what);
    const subscription = this.nats.connection.subscribe(subject, {
      queue: QUEUE,
      callback: (error: NatsError | null, msg: Msg) => {
        if (error) {
          this.logger.error(`control subscription ${subject} failed: ${error.message}`);
          return;
        }
        let data: unknown;
        try {
          data = decodeJson(msg.data);
        } catch {
          this.logger.warn(`dropping malformed ${what} message`);
          return;
        }
        const work = handle(data);
        if (!work) {
          this.logger.warn(`dropping ${what} message with unexpected shape`);
          return;
        }
        const tracked = work.catch((failure: unknown) =>
          this.logger.error(`${what} failed: ${failure instanceof Error ? (failure.stack ?? failure.message) : String(failure)}`),
        );
        this.inFlight.add(tracked);
        void tracked.finally(() => this.inFlight.delete(tracked));
      },
    });
    this.subscriptions.push(subscription);
  }
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 200;
}

function asSocketMessage(data: unknown): SocketControlMessage | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { userId, socketId, gatewayId, at } = data as Record<string, unknown>;
  if (!isNonEmptyString(userId) || !isNonEmptyString(socketId) || !isNonEmptyString(gatewayId)) return undefined;
  return { userId, socketId, gatewayId, at: typeof at === 'string' ? at : '' };
}

function asHeartbeat(data: unknown): GatewayHeartbeatMessage | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { gatewayId, at, userIds } = data as Record<string, unknown>;
  if (!isNonEmptyString(gatewayId) || !Array.isArray(userIds) || !userIds.every(isNonEmptyString)) return undefined;
  return { gatewayId, at: typeof at === 'string' ? at : '', userIds: [...new Set(userIds)] };
}
