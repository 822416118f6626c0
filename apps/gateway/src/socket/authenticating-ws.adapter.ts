import { createServer, STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import { ErrorCode, type RestErrorBody } from '@gisbi/contracts';
import type { GatewayEnv } from '../config/gateway-config';
import { HandshakeAuthenticator } from './handshake-authenticator';

/** A socket server as WsAdapter registers it: bound to one path of the HTTP server. */
type PathBoundServer = WebSocketServer & { path: string };

/**
 * The platform ws adapter, plus: authentication before the upgrade (a refusal is an HTTP status with
 * `{detail, code}`), a frame size limit, an HTTP answer to upgrades on paths without a socket server,
 * and no message routing of its own — frames are handled by the CommandRouter with our envelope instead
 * of Nest's `{event, data}` shape.
 */
export class AuthenticatingWsAdapter extends WsAdapter {
  private readonly authenticator: HandshakeAuthenticator;

  constructor(
    app: INestApplication,
    private readonly env: GatewayEnv,
  ) {
    super(app);
    this.authenticator = app.get(HandshakeAuthenticator);
  }

  override create(port: number, options: Record<string, unknown> & { path?: string } = {}): unknown {
    return super.create(port, { ...options, maxPayload: this.env.WS_MAX_PAYLOAD_BYTES, perMessageDeflate: false });
  }

  /**
   * Routes upgrades by path as WsAdapter does, except that WsAdapter destroys the connection of an
   * upgrade no socket server takes (clients see a hang-up, not a reason): it is answered with 404, and a
   * request whose target cannot be read with 400, as `{detail, code}` like every REST error.
   */
  protected override ensureHttpServerExists(
    port: number,
    httpServer: Server = createServer(),
  ): Server | undefined {
    if (this.httpServersRegistry.has(port)) return undefined;
    this.httpServersRegistry.set(port, httpServer);
    httpServer.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const pathname = pathnameOf(request.url);
      if (pathname === undefined) {
        return refuseUpgrade(socket, 400, {
          detail: 'Malformed request target',
          code: ErrorCode.validation_failed,
        });
      }
      const servers = (this.wsServersRegistry.get(port) ?? []) as PathBoundServer[];
      const server = servers.find((candidate) => candidate.path === pathname);
      if (!server) {
        const paths = servers.map((candidate) => candidate.path).join(', ');
        return refuseUpgrade(socket, 404, {
          detail: `No WebSocket endpoint at this path; connect to ${paths}`,
          code: ErrorCode.not_found,
        });
      }
      // Authenticated before the upgrade, so a refusal is an HTTP status with `{detail, code}`.
      void this.authenticator.authenticate(request).then((outcome) => {
        if (!outcome.ok) return refuseUpgrade(socket, outcome.status, { detail: outcome.message, code: outcome.code });
        if (socket.destroyed) return undefined;
        server.handleUpgrade(request, socket, head, (ws: WebSocket) => server.emit('connection', ws, request));
      });
    });
    return httpServer;
  }

  /** A client's oversized or malformed frame is bad input (the socket closes with 1009/1002), not a server error. */
  override bindErrorHandler(server: WebSocketServer): WebSocketServer {
    server.on('connection', (ws: WebSocket) =>
      ws.on('error', (error: Error) => this.logger.debug(`socket closed on bad input: ${error.message}`)),
    );
    server.on('error', (error: Error) => this.logger.error(error));
    return server;
  }

  override bindMessageHandlers(): void {
    // Frames are routed by SocketGateway/CommandRouter.
  }
}

function pathnameOf(target: string | undefined): string | undefined {
  try {
    // Only the path matters; the base stands in for a Host header that may be absent or junk.
    return new URL(target ?? '/', 'http://gateway.invalid').pathname;
  } catch {
    return undefined;
  }
}

/** Answers an upgrade request with a plain HTTP error and closes the connection, as ws refuses a handshake. */
function refuseUpgrade(socket: Duplex, status: number, body: RestErrorBody): void {
  const json = JSON.stringify(body);
  socket.on('error', () => socket.destroy());
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`,
  );
}
