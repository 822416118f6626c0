import type { IncomingMessage } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import type { GatewayEnv } from '../config/gateway-config';
import { HandshakeAuthenticator } from './handshake-authenticator';

/**
 * The platform ws adapter, plus: authentication inside `verifyClient` (so refusal is an HTTP status
 * before the upgrade), a frame size limit, and no message routing of its own — frames are handled by
 * the CommandRouter with our envelope instead of Nest's `{event, data}` shape.
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
    return super.create(port, {
      ...options,
      maxPayload: this.env.WS_MAX_PAYLOAD_BYTES,
      perMessageDeflate: false,
      verifyClient: (
        info: { req: IncomingMessage },
        callback: (accept: boolean, status?: number, message?: string) => void,
      ) => {
        void this.authenticator
          .authenticate(info.req)
          .then((outcome) =>
            outcome.ok ? callback(true) : callback(false, outcome.status, outcome.message),
          );
      },
    });
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
