import { Injectable } from '@nestjs/common';
import { Subjects } from '@gisbi/contracts';
import { Clock } from '../clock/clock';
import { encodeControlDelivery, encodeEventDelivery } from './codec';
import type { Command, ServerMessage } from './command';
import { NatsClient } from './nats-client';

/**
 * Sends server events to users (not sockets): every gateway replica holding a socket of the user
 * receives it on `<prefix>.deliver.user.<userId>` and writes it to each of that user's sockets. The
 * socket frame is serialised here, once, stamped with this service's clock; gateways relay its bytes.
 */
@Injectable()
export class Deliverer {
  constructor(
    private readonly nats: NatsClient,
    private readonly clock: Clock,
  ) {}

  toUser(userId: string, event: ServerMessage, options: { exceptSocketId?: string } = {}): void {
    this.publish(userId, encodeEventDelivery(event, this.clock.now(), options));
  }

  /** Closes the sockets of a user on every gateway: all, or only those of one login session. */
  closeSockets(userId: string, closeCode: number, reason: string, sessionId?: string): void {
    this.publish(userId, encodeControlDelivery({ closeCode, reason, ...(sessionId ? { sessionId } : {}) }));
  }

  toUsers(userIds: Iterable<string>, event: ServerMessage): void {
    // The same bytes for everyone: serialise once.
    const delivery = encodeEventDelivery(event, this.clock.now());
    for (const userId of new Set(userIds)) this.publish(userId, delivery);
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

  private publish(userId: string, delivery: Uint8Array): void {
    this.nats.publishBytes(Subjects.deliverUser(this.nats.prefix, userId), delivery);
  }
}
