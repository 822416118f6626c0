import { randomUUID } from 'node:crypto';
import { type BeforeApplicationShutdown, Inject, Logger, type OnModuleInit } from '@nestjs/common';
import { type OnGatewayConnection, type OnGatewayDisconnect, WebSocketGateway } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import type WebSocket from 'ws';
import { ServerEvent } from '@gisbi/contracts';
import { GATEWAY_ENV, type GatewayEnv } from '../config/gateway-config';
import type { AuthenticatedUpgradeRequest, ClientSocket } from './client-socket';
import { CommandRouter } from './command-router';
import { SocketRegistry } from './socket-registry';

/** Close code sent on shutdown: clients reconnect (to another replica) and resume with session.start. */
export const CLOSE_SERVICE_RESTART = 1012;

/**
 * The single socket endpoint `/ws`. Sockets arrive already authenticated (see HandshakeAuthenticator);
 * this class joins them to their user's delivery address, feeds frames to the CommandRouter, detects dead
 * peers with ping/pong and, on shutdown, asks clients to reconnect elsewhere.
 */
@WebSocketGateway({ path: '/ws' })
export class SocketGateway
  implements OnGatewayConnection, OnGatewayDisconnect, OnModuleInit, BeforeApplicationShutdown
{
  private readonly logger = new Logger(SocketGateway.name);
  private pingTimer?: NodeJS.Timeout;
  private shuttingDown = false;

  constructor(
    private readonly registry: SocketRegistry,
    private readonly router: CommandRouter,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {}

  onModuleInit(): void {
    this.pingTimer = setInterval(() => this.pingAll(), this.env.WS_PING_INTERVAL_MS);
    this.pingTimer.unref();
  }

  handleConnection(ws: WebSocket, request: IncomingMessage & AuthenticatedUpgradeRequest): void {
    const claims = request.gisbiClaims;
    if (!claims) {
      ws.close(1008, 'unauthenticated');
      return;
    }
    const socket = ws as ClientSocket;
    socket.gisbi = {
      socketId: randomUUID(),
      claims,
      alive: true,
      tokens: this.env.WS_COMMANDS_PER_SECOND * 2,
      refilledAt: Date.now(),
    };
    socket.on('pong', () => {
      socket.gisbi.alive = true;
    });
    socket.on('message', (data, isBinary) => {
      void this.router.handleFrame(socket, data, isBinary);
    });
    this.registry.add(socket);
  }

  handleDisconnect(ws: WebSocket): void {
    const socket = ws as ClientSocket;
    if (socket.gisbi) this.registry.remove(socket, !this.shuttingDown);
  }

  /**
   * Stop accepting work, tell every client to reconnect, and do not mark anyone offline. Runs before
   * Nest disposes the socket server (which would terminate sockets without a close frame).
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    if (this.pingTimer) clearInterval(this.pingTimer);
    for (const socket of this.registry.allSockets()) {
      this.registry.remove(socket, false);
      // Spread reconnects over a second so the remaining replicas are not hit by every client at once.
      const retryAfterMs = Math.floor(Math.random() * 1000);
      this.router.sendEvent(socket, ServerEvent.SessionReconnect, { reason: 'shutdown', retryAfterMs }, {});
      socket.close(CLOSE_SERVICE_RESTART, 'server restarting, reconnect');
    }
    // Give the close frames a moment to be flushed and answered before the server is disposed.
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  private pingAll(): void {
    for (const socket of this.registry.allSockets()) {
      if (!socket.gisbi.alive) {
        this.logger.debug(`terminating dead socket ${socket.gisbi.socketId}`);
        socket.terminate();
        continue;
      }
      socket.gisbi.alive = false;
      socket.ping();
    }
  }
}
