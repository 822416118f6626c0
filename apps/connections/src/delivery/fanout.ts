import { Injectable } from '@nestjs/common';
import { Deliverer, type Command, type ServerMessage } from '@gisbi/platform';

/** Events per user, in the order each user must receive them. */
export class Outbound {
  private readonly byUser = new Map<string, ServerMessage[]>();

  add(userId: string, ...events: ServerMessage[]): this {
    const list = this.byUser.get(userId) ?? [];
    list.push(...events);
    this.byUser.set(userId, list);
    return this;
  }

  get entries(): ReadonlyMap<string, readonly ServerMessage[]> {
    return this.byUser;
  }

  eventsOf(userId: string): ServerMessage[] {
    return [...(this.byUser.get(userId) ?? [])];
  }
}

/**
 * Sends payloads that differ per viewer. With a command, the originating socket gets its user's events as
 * the command reply (returned here, in order) and is skipped in the delivery, so every socket of every
 * user receives each event exactly once. Without a command (jobs, consumers) everything is delivered.
 */
@Injectable()
export class Fanout {
  constructor(private readonly deliverer: Deliverer) {}

  send(outbound: Outbound, command?: Command): ServerMessage[] {
    for (const [userId, events] of outbound.entries) {
      const options = command && userId === command.userId ? { exceptSocketId: command.socketId } : {};
      for (const event of events) this.deliverer.toUser(userId, event, options);
    }
    return command ? outbound.eventsOf(command.userId) : [];
  }
}
