import type WebSocket from 'ws';
import type { AccessClaims } from '@gisbi/platform';

/** A serialised server envelope: built by the gateway (string) or relayed from a service (bytes). */
export type SocketFrame = string | Uint8Array;

/** A connected, authenticated socket with what the gateway needs to know about it. */
export interface ClientSocket extends WebSocket {
  gisbi: {
    socketId: string;
    claims: AccessClaims;
    /** Cleared on every ping; a socket still false at the next ping missed its pong and is dead. */
    alive: boolean;
    /** Token bucket for per-socket command rate limiting. */
    tokens: number;
    refilledAt: number;
    /**
     * While session.start composes the bootstrap, pushed events wait here so the client never applies a
     * bootstrap over something newer it already received.
     */
    held?: Array<{ frame: SocketFrame; type: string }>;
  };
}

/** What the handshake leaves on the upgrade request for handleConnection. */
export interface AuthenticatedUpgradeRequest {
  gisbiClaims?: AccessClaims;
}
