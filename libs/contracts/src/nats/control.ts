/** What the gateway announces on Subjects.control(prefix, what), for presence to track liveness. */
export const ControlSubject = {
  SocketOpened: 'socket.opened',
  SocketClosed: 'socket.closed',
  /** Periodic list of users connected to one replica, so a crashed replica's users time out. */
  GatewayHeartbeat: 'gateway.heartbeat',
} as const;

export type ControlSubject = (typeof ControlSubject)[keyof typeof ControlSubject];

/** socket.opened / socket.closed. No socket.closed is sent during shutdown: those users reconnect elsewhere. */
export interface SocketControlMessage {
  userId: string;
  socketId: string;
  gatewayId: string;
  at: string;
}

/** gateway.heartbeat, chunked for large replicas. */
export interface GatewayHeartbeatMessage {
  gatewayId: string;
  at: string;
  userIds: string[];
}

/** WebSocket close codes the backend uses (4000-4999 are application-defined). */
export const SocketCloseCode = {
  /** Missing or invalid access token at the handshake. */
  Unauthenticated: 1008,
  /** The replica is shutting down; reconnect (to another one). */
  ServiceRestart: 1012,
  SessionRevoked: 4001,
  AccountDeleted: 4003,
} as const;
