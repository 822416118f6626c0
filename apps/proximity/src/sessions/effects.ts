import { Injectable } from '@nestjs/common';
import { Deliverer, EventOutbox, type Command, type ServerMessage } from '@gisbi/platform';

interface PairDelivery {
  kind: 'pair';
  users: readonly [string, string];
  message: ServerMessage;
}

interface UserDelivery {
  kind: 'user';
  userId: string;
  message: ServerMessage;
}

/**
 * What a transaction decided to tell the world, released only after it committed: socket deliveries in
 * order, and an outbox flush when domain events were written.
 */
export class Effects {
  readonly deliveries: Array<PairDelivery | UserDelivery> = [];
  outboxWritten = false;

  /** "Response (both users)": both participants (the originating socket gets it in the command reply). */
  toPair(users: readonly [string, string], message: ServerMessage): void {
    this.deliveries.push({ kind: 'pair', users, message });
  }

  /** A targeted push to one user (all of their sockets). */
  toUser(userId: string, message: ServerMessage): void {
    this.deliveries.push({ kind: 'user', userId, message });
  }
}

@Injectable()
export class EffectDispatcher {
  constructor(
    private readonly deliverer: Deliverer,
    private readonly outbox: EventOutbox,
  ) {}

  /**
   * Publishes committed effects. With a command, pair events for the sender's socket are returned for the
   * command reply instead (each socket gets every event exactly once).
   */
  dispatch(effects: Effects, command?: Command): ServerMessage[] {
    const reply: ServerMessage[] = [];
    for (const delivery of effects.deliveries) {
      if (delivery.kind === 'user') {
        this.deliverer.toUser(delivery.userId, delivery.message);
      } else if (command) {
        reply.push(this.deliverer.toParticipants(command, delivery.users, delivery.message));
      } else {
        this.deliverer.toUsers(delivery.users, delivery.message);
      }
    }
    if (effects.outboxWritten) this.outbox.flushSoon();
    return reply;
  }
}
