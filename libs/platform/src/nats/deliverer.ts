import { Injectable } from '@nestjs/common';
import { Subjects, type DeliveryMessage } from '@gisbi/contracts';
import type { Command, ServerMessage } from './command';
import { NatsClient } from './nats-client';

/**
 * Sends server events to users (not sockets): every gateway replica holding a socket of the user
 * receives it on `<prefix>.deliver.user.<userId>` and writes it to each of that user's sockets.
 */
@Injectable()
export class Deliverer {
  constructor(private readonly nats: NatsClient) {}

  toUser(userId: string, event: ServerMessage, options: { exceptSocketId?: string } = {}): void {
    const delivery: DeliveryMessage = { type: event.type, payload: event.payload, ...options };
    this.nats.publish(Subjects.deliverUser(this.nats.prefix, userId), delivery);
  }

  /** Closes the sockets of a user on every gateway: all, or only those of one login session. */
  closeSockets(userId: string, closeCode: number, reason: string, sessionId?: string): void {
    const delivery: DeliveryMessage = { control: { closeCode, reason, ...(sessionId ? { sessionId } : {}) } };
    this.nats.publish(Subjects.deliverUser(this.nats.prefix, userId), delivery);
  }

  toUsers(userIds: Iterable<string>, event: ServerMessage): void {
    for (const userId of new Set(userIds)) this.toUser(userId, event);
  }

  /**
   * "Response (both users)": the socket that sent `command` gets `event` in the command's reply (with its
   * echoed requestId), so it is skipped here; the sender's other devices and the other users get it now.
   */
  toParticipants(command: Command, userIds: Iterable<string>, event: ServerMessage): ServerMessage {
    for (const userId of new Set(userIds)) {
      this.toUser(userId, event, userId === command.userId ? { exceptSocketId: command.socketId } : {});
    }
    return event;
  }
}
