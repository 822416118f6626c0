/** session.connected: the socket is authenticated; bootstrap follows. */
export type SessionConnectedPayload = Record<string, never>;

/**
 * Extension, session.reconnect: the server is shutting down this socket's node and asks the client
 * to reconnect (to another replica) after `retryAfterMs`. The socket closes right after.
 */
export interface SessionReconnectPayload {
  reason: 'shutdown';
  retryAfterMs: number;
}
