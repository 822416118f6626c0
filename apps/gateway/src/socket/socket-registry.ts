import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'nats';
import WebSocket from 'ws';
import { Subjects, type SocketControlMessage } from '@gisbi/contracts';
import { Clock, Metrics, NatsClient, readDelivery, type RelayedDelivery } from '@gisbi/platform';
import { GATEWAY_ENV, type GatewayEnv } from '../config/gateway-config';
import type { ClientSocket, SocketFrame } from './client-socket';
import { batchWritesThisTick } from './write-batching';

/**
 * Addresses users, not sockets: all sockets of a user on this replica share one NATS subscription to
 * `<prefix>.deliver.user.<userId>`, taken with the first socket and dropped with the last. An event
 * arrives as a frame the service serialised; its bytes are written as they are to every socket of the
 * user (except the one that already got it as a command reply).
 */
@Injectable()
export class SocketRegistry implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SocketRegistry.name);
  private readonly byUser = new Map<string, { sockets: Set<ClientSocket>; subscription: Subscription }>();
  private heartbeat?: NodeJS.Timeout;
  readonly gatewayId: string;

  constructor(
    private readonly nats: NatsClient,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {
    this.gatewayId = nats.options.instanceId;
  }

  onModuleInit(): void {
    this.heartbeat = setInterval(() => this.announceAlive(), this.env.GATEWAY_HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  onApplicationShutdown(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
  }

  get socketCount(): number {
    let count = 0;
    for (const entry of this.byUser.values()) count += entry.sockets.size;
    return count;
  }

  socketsOf(userId: string): ReadonlySet<ClientSocket> {
    return this.byUser.get(userId)?.sockets ?? new Set();
  }

  add(socket: ClientSocket): void {
    const { userId } = socket.gisbi.claims;
    let entry = this.byUser.get(userId);
    if (!entry) {
      const subscription = this.nats.connection.subscribe(Subjects.deliverUser(this.nats.prefix, userId), {
        callback: (error, msg) => {
          if (error) return this.logger.error(`delivery subscription for ${userId} failed: ${error.message}`);
          let delivery: RelayedDelivery;
          try {
            delivery = readDelivery(msg.data);
          } catch (malformed) {
            return this.logger.error(`malformed delivery for ${userId}: ${String(malformed)}`);
          }
          this.deliver(userId, delivery);
        },
      });
      entry = { sockets: new Set(), subscription };
      this.byUser.set(userId, entry);
    }
    entry.sockets.add(socket);
    this.metrics.sockets.inc();
    this.publishControl('socket.opened', { userId, socketId: socket.gisbi.socketId });
  }

  /** `announce` is false during shutdown: the user is reconnecting elsewhere, not going offline. */
  remove(socket: ClientSocket, announce = true): void {
    const { userId } = socket.gisbi.claims;
    const entry = this.byUser.get(userId);
    if (!entry || !entry.sockets.delete(socket)) return;
    this.metrics.sockets.dec();
    if (entry.sockets.size === 0) {
      entry.subscription.unsubscribe();
      this.byUser.delete(userId);
    }
    if (announce) this.publishControl('socket.closed', { userId, socketId: socket.gisbi.socketId });
  }

  /** Writes a ready-made server envelope to one socket; frames of one tick share a write syscall. */
  send(socket: ClientSocket, frame: SocketFrame, type: string): void {
    if (socket.readyState !== WebSocket.OPEN) return;
    batchWritesThisTick(socket);
    // A text frame either way: bytes are UTF-8 JSON already, and are written without re-encoding.
    socket.send(frame, { binary: false });
    this.metrics.messagesOut.inc({ type });
  }

  /** Holds pushed events for this socket until `release`. */
  hold(socket: ClientSocket): void {
    socket.gisbi.held ??= [];
  }

  /** Sends what was held, in arrival order, and stops holding. */
  release(socket: ClientSocket): void {
    const held = socket.gisbi.held ?? [];
    socket.gisbi.held = undefined;
    for (const event of held) this.send(socket, event.frame, event.type);
  }

  allSockets(): ClientSocket[] {
    return [...this.byUser.values()].flatMap((entry) => [...entry.sockets]);
  }

  private deliver(userId: string, delivery: RelayedDelivery): void {
    const entry = this.byUser.get(userId);
    if (!entry) return;
    if (delivery.control) {
      const { closeCode, reason, sessionId } = delivery.control;
      for (const socket of [...entry.sockets]) {
        if (!sessionId || socket.gisbi.claims.sessionId === sessionId) socket.close(closeCode, reason);
      }
      return;
    }
    const { frame, type, exceptSocketId } = delivery;
    for (const socket of entry.sockets) {
      if (socket.gisbi.socketId === exceptSocketId) continue;
      if (socket.gisbi.held) socket.gisbi.held.push({ frame, type });
      else this.send(socket, frame, type);
    }
  }

  private publishControl(
    what: 'socket.opened' | 'socket.closed',
    body: { userId: string; socketId: string },
  ): void {
    const message: SocketControlMessage = { ...body, gatewayId: this.gatewayId, at: this.clock.nowIso() };
    this.nats.publish(Subjects.control(this.nats.prefix, what), message);
  }

  private announceAlive(): void {
    if (!this.nats.isConnected) return;
    // Chunked so a replica holding tens of thousands of users stays far below NATS' payload limit.
    const userIds = [...this.byUser.keys()];
    const at = this.clock.nowIso();
    for (let start = 0; start === 0 || start < userIds.length; start += 2000) {
      this.nats.publish(Subjects.control(this.nats.prefix, 'gateway.heartbeat'), {
        gatewayId: this.gatewayId,
        at,
        userIds: userIds.slice(start, start + 2000),
      });
    }
  }
}
